package org.kindred.server.redis;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocketFactory;

/**
 * A few Redis commands over a raw socket, one connection per call: what the extension needs to see whether a server
 * answers, to flush it and to read {@code CLUSTER INFO}, without starting a client library (and its threads) for that.
 * Replies come back as text: simple and bulk strings as is, integers as digits, nil as {@code null}.
 */
final class Resp {

    private Resp() {}

    /** Where a Redis listens and how to sign in, from a {@code redis://} or {@code rediss://} URI. */
    record Endpoint(String host, int port, String user, String password, boolean tls) {

        static Endpoint of(String host, int port) {
            return new Endpoint(host, port, null, null, false);
        }

        /** {@code redis://[[user]:password@]host[:port][/db]}; a user info without a colon is a password. */
        static Endpoint parse(String uri) {
            URI parsed = URI.create(uri.trim());
            String scheme = parsed.getScheme();
            if (!"redis".equalsIgnoreCase(scheme) && !"rediss".equalsIgnoreCase(scheme)) {
                throw new IllegalArgumentException("Not a redis:// or rediss:// URI: " + uri);
            }
            if (parsed.getHost() == null) {
                throw new IllegalArgumentException("No host in Redis URI: " + uri);
            }
            String user = null;
            String password = null;
            String info = parsed.getUserInfo();
            if (info != null && !info.isEmpty()) {
                int colon = info.indexOf(':');
                if (colon < 0) {
                    password = info;
                } else {
                    user = colon == 0 ? null : info.substring(0, colon);
                    password = info.substring(colon + 1);
                }
            }
            int port = parsed.getPort() > 0 ? parsed.getPort() : 6379;
            return new Endpoint(parsed.getHost(), port, user, password, "rediss".equalsIgnoreCase(scheme));
        }

        String address() {
            return host + ":" + port;
        }
    }

    /** An error reply ({@code -ERR ...}) from Redis. */
    static final class ErrorReply extends IOException {
        ErrorReply(String message) {
            super(message);
        }
    }

    /** Sends one command (after AUTH when the endpoint has a password) and returns its reply as text. */
    static String call(Endpoint endpoint, Duration timeout, String... command) throws IOException {
        try (Socket socket = open(endpoint, timeout)) {
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            if (endpoint.password() != null) {
                write(
                        out,
                        endpoint.user() == null
                                ? new String[] {"AUTH", endpoint.password()}
                                : new String[] {"AUTH", endpoint.user(), endpoint.password()});
                read(in);
            }
            write(out, command);
            return read(in);
        }
    }

    /** True when the endpoint answers PING with PONG within the timeout. */
    static boolean ping(Endpoint endpoint, Duration timeout) {
        try {
            return "PONG".equals(call(endpoint, timeout, "PING"));
        } catch (IOException e) {
            return false;
        }
    }

    private static Socket open(Endpoint endpoint, Duration timeout) throws IOException {
        int millis = (int) Math.max(1, timeout.toMillis());
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), millis);
            socket.setSoTimeout(millis);
            if (endpoint.tls()) {
                return ((SSLSocketFactory) SSLSocketFactory.getDefault())
                        .createSocket(socket, endpoint.host(), endpoint.port(), true);
            }
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private static void write(OutputStream out, String... command) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.writeBytes(("*" + command.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String part : command) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            frame.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            frame.writeBytes(bytes);
            frame.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    private static String read(InputStream in) throws IOException {
        String line = readLine(in);
        char type = line.isEmpty() ? '?' : line.charAt(0);
        String rest = line.isEmpty() ? "" : line.substring(1);
        switch (type) {
            case '+', ':' -> {
                return rest;
            }
            case '-' -> throw new ErrorReply(rest);
            case '$' -> {
                int length = Integer.parseInt(rest);
                if (length < 0) {
                    return null;
                }
                byte[] bytes = in.readNBytes(length + 2);
                if (bytes.length < length + 2) {
                    throw new EOFException("Connection closed inside a bulk reply");
                }
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            case '*' -> {
                int count = Integer.parseInt(rest);
                List<String> items = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    items.add(read(in));
                }
                return String.join("\n", items);
            }
            default -> throw new IOException("Unexpected Redis reply: " + line);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("Connection closed by Redis");
            }
            if (previous == '\r' && b == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(b);
            previous = b;
        }
    }
}
