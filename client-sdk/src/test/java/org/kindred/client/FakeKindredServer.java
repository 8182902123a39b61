package org.kindred.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.kindred.protocol.ClientMessage;
import org.kindred.protocol.DecodeException;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.WireCodec;

/**
 * A scripted stand-in for the Kindred server: a minimal WebSocket server (RFC 6455, text frames, no extensions) that
 * hands each connection to the test, which reads the client's commands and writes the server's frames itself.
 */
final class FakeKindredServer implements AutoCloseable {

    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final long WAIT_SECONDS = 5;

    private final WireCodec codec = new WireCodec();
    private final ServerSocket serverSocket;
    private final BlockingQueue<Connection> connections = new LinkedBlockingQueue<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<Connection> all = new CopyOnWriteArrayList<>();

    FakeKindredServer() throws IOException {
        serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("fake-kindred-accept").start(this::acceptLoop);
    }

    URI url() {
        return URI.create("ws://127.0.0.1:" + serverSocket.getLocalPort() + "/ws");
    }

    /** How many WebSocket connections were accepted so far. */
    int accepted() {
        return accepted.get();
    }

    /** The next connection the client opens. */
    Connection nextConnection() throws InterruptedException {
        Connection connection = connections.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(connection).as("a new connection within %s s", WAIT_SECONDS).isNotNull();
        return connection;
    }

    @Override
    public void close() throws IOException {
        serverSocket.close();
        for (Connection connection : all) {
            connection.kill();
        }
    }

    private void acceptLoop() {
        while (!serverSocket.isClosed()) {
            try {
                Socket socket = serverSocket.accept();
                Connection connection = new Connection(socket);
                Thread.ofPlatform().daemon().name("fake-kindred-conn").start(connection::run);
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** One client connection, seen from the server. */
    final class Connection {
        private final Socket socket;
        private final BlockingQueue<ClientMessage> received = new LinkedBlockingQueue<>();
        private volatile int clientCloseCode = -1;

        Connection(Socket socket) {
            this.socket = socket;
        }

        /** The next command from the client, which must be of this type. */
        <T extends ClientMessage> T expect(Class<T> type) throws InterruptedException {
            ClientMessage message = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(message)
                    .as("a %s within %s s", type.getSimpleName(), WAIT_SECONDS)
                    .isInstanceOf(type);
            return type.cast(message);
        }

        /** Asserts that the client sends no command for this long. */
        void expectNothingFor(Duration quiet) throws InterruptedException {
            ClientMessage message = received.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(message).as("no command within %s", quiet).isNull();
        }

        /** The close code of the client's close frame, or -1 before one arrived. */
        int clientCloseCode() {
            return clientCloseCode;
        }

        void send(ServerMessage message) throws IOException {
            writeFrame(0x1, true, codec.encode(message));
        }

        /** Sends a message split over a text frame and continuation frames, as large messages may be. */
        void sendInParts(ServerMessage message, int parts) throws IOException {
            byte[] json = codec.encode(message);
            int size = (json.length + parts - 1) / parts;
            for (int i = 0, offset = 0; offset < json.length; i++, offset += size) {
                byte[] part = Arrays.copyOfRange(json, offset, Math.min(json.length, offset + size));
                writeFrame(i == 0 ? 0x1 : 0x0, offset + size >= json.length, part);
            }
        }

        /**
         * Sends a close frame, then drops the connection. The client may have closed first (it gives up on a refused
         * hello as soon as it reads the error), which a real server takes in its stride too.
         */
        void close(int code, String reason) throws IOException {
            byte[] text = reason.getBytes(StandardCharsets.UTF_8);
            byte[] payload = ByteBuffer.allocate(2 + text.length)
                    .putShort((short) code)
                    .put(text)
                    .array();
            try {
                writeFrame(0x8, true, payload);
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    throw e;
                }
            }
            socket.close();
        }

        /** Drops the connection without a close frame. */
        void kill() throws IOException {
            socket.close();
        }

        private void run() {
            try (socket) {
                InputStream in = socket.getInputStream();
                handshake(in, socket.getOutputStream());
                accepted.incrementAndGet();
                all.add(this);
                connections.add(this);
                readFrames(in);
            } catch (IOException | DecodeException e) {
                // the connection ended; the test sees it through the client
            }
        }

        private void handshake(InputStream in, OutputStream out) throws IOException {
            String key = null;
            for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                if (line.toLowerCase().startsWith("sec-websocket-key:")) {
                    key = line.substring(line.indexOf(':') + 1).trim();
                }
            }
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Accept: " + accept(key) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        private void readFrames(InputStream in) throws IOException, DecodeException {
            while (true) {
                int b0 = readByte(in);
                int b1 = readByte(in);
                long length = b1 & 0x7F;
                if (length == 126) {
                    length = (readByte(in) << 8) | readByte(in);
                } else if (length == 127) {
                    length = ByteBuffer.wrap(in.readNBytes(8)).getLong();
                }
                byte[] mask = (b1 & 0x80) != 0 ? in.readNBytes(4) : new byte[4];
                byte[] payload = in.readNBytes((int) length);
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i % 4];
                }
                switch (b0 & 0x0F) {
                    case 0x1 -> received.add(codec.decodeClient(payload));
                    case 0x8 -> {
                        clientCloseCode =
                                payload.length >= 2 ? ByteBuffer.wrap(payload).getShort() & 0xFFFF : 1005;
                        writeFrame(0x8, true, payload);
                        return;
                    }
                    case 0x9 -> writeFrame(0xA, true, payload);
                    default -> {}
                }
            }
        }

        private synchronized void writeFrame(int opcode, boolean fin, byte[] payload) throws IOException {
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            frame.write((fin ? 0x80 : 0) | opcode);
            if (payload.length < 126) {
                frame.write(payload.length);
            } else if (payload.length < 65536) {
                frame.write(126);
                frame.write(payload.length >> 8);
                frame.write(payload.length & 0xFF);
            } else {
                frame.write(127);
                frame.writeBytes(ByteBuffer.allocate(8).putLong(payload.length).array());
            }
            frame.writeBytes(payload);
            OutputStream out = socket.getOutputStream();
            out.write(frame.toByteArray());
            out.flush();
        }
    }

    private static int readByte(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException();
        }
        return b;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = readByte(in); b != '\n'; b = readByte(in)) {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    private static String accept(String key) {
        try {
            byte[] sha1 =
                    MessageDigest.getInstance("SHA-1").digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
