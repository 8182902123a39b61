package org.kindred.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP proxy in front of a node, so a test can drop every connection through it the way a phone loses its
 * network: abruptly, with no WebSocket close. In front of Redis, it can also {@linkplain #freeze() freeze}: connections
 * stay open and nothing goes through, as between a node frozen by SIGSTOP (or a long pause) and its Redis.
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean open = true;
    private volatile boolean frozen;

    public TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::accept);
    }

    public int port() {
        return listener.getLocalPort();
    }

    public String ws() {
        return "ws://127.0.0.1:" + port() + "/ws";
    }

    /** Holds every byte in both directions, connections left open, until {@link #thaw()}. */
    public void freeze() {
        frozen = true;
    }

    /** Lets what was held, and everything after it, through. */
    public void thaw() {
        frozen = false;
    }

    /** Cuts every connection through the proxy; new ones are still accepted. */
    public void dropConnections() {
        for (Socket socket : sockets) {
            try {
                socket.setSoLinger(true, 0); // reset, like a dead link, rather than a polite FIN
                socket.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
        sockets.clear();
    }

    private void accept() {
        while (open) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
                sockets.add(client);
                sockets.add(server);
                Thread.ofVirtual().start(() -> pipe(client, server));
                Thread.ofVirtual().start(() -> pipe(server, client));
            } catch (IOException e) {
                if (!open) {
                    return;
                }
            }
        }
    }

    private void pipe(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                while (frozen && open) {
                    java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
                }
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException ignored) {
            // one side went away; the other is closed below
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // nothing more to do
            }
        }
    }

    @Override
    public void close() throws IOException {
        open = false;
        listener.close();
        dropConnections();
    }
}
