package org.kindred.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * A private {@code redis-server} on a free loopback port, without persistence, for a harness run with {@code --redis}.
 * Killed when the harness stops, and by a shutdown hook when it dies.
 */
final class RedisProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final int port;

    private RedisProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts redis-server (from the PATH) and returns once it answers PING. */
    static RedisProcess start() throws IOException, InterruptedException {
        int port = freePort();
        Process process = new ProcessBuilder(
                        "redis-server",
                        "--port",
                        String.valueOf(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        RedisProcess redis = new RedisProcess(process, port);
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "harness-redis-reaper"));
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (!redis.answersPing()) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                redis.close();
                throw new IOException("redis-server did not start on port " + port + " (is it on the PATH?)");
            }
            TimeUnit.MILLISECONDS.sleep(50); // polling a child process that has no readiness signal of its own
        }
        return redis;
    }

    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(7);
            return new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException notYet) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
