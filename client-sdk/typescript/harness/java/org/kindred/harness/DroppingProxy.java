package org.kindred.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP proxy in front of the node whose every connection can be cut at once, abruptly (a TCP reset, no
 * WebSocket close), the way a phone loses its network. New connections are still accepted afterwards.
 */
final class DroppingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int targetPort;
    /** One entry per client connection: the client's socket and the node's. */
    private final Set<Socket[]> pairs = ConcurrentHashMap.newKeySet();

    private volatile boolean open = true;

    DroppingProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("harness-proxy-accept").start(this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Resets every connection through the proxy; returns how many client connections there were. */
    int dropConnections() {
        int dropped = 0;
        for (Socket[] pair : List.copyOf(pairs)) {
            if (pairs.remove(pair)) {
                reset(pair[0]);
                reset(pair[1]);
                dropped++;
            }
        }
        return dropped;
    }

    private void accept() {
        while (open) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                try {
                    server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
                } catch (IOException nodeDown) {
                    reset(client); // the node is restarting: the client sees a refused connection
                    continue;
                }
                Socket[] pair = {client, server};
                pairs.add(pair);
                Thread.ofVirtual().start(() -> pipe(client, server, pair));
                Thread.ofVirtual().start(() -> pipe(server, client, pair));
            } catch (IOException e) {
                if (!open) {
                    return;
                }
            }
        }
    }

    private void pipe(Socket from, Socket to, Socket[] pair) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException ignored) {
            // one side went away
        } finally {
            pairs.remove(pair);
            close(from);
            close(to);
        }
    }

    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0); // a reset, like a dead link, rather than a polite FIN
        } catch (IOException ignored) {
            // closed already
        }
        close(socket);
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closed already
        }
    }

    @Override
    public void close() throws IOException {
        open = false;
        listener.close();
        dropConnections();
    }
}
