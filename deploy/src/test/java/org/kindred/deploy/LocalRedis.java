package org.kindred.deploy;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A {@code redis-server} child process on a free loopback port, without persistence, for a node in cluster mode: the
 * Redis series (such as {@code kindred_redis_up}) exist only there. The server module's Redis fixtures are test code
 * this module cannot see; this is the little of them the deployment checks need.
 */
final class LocalRedis implements AutoCloseable {

    private final Process process;
    private final int port;

    private LocalRedis(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts {@code redis-server} from the PATH and returns once it answers PING. */
    static LocalRedis start() throws IOException {
        int port = freePort();
        Path dir = Files.createTempDirectory("kindred-deploy-redis-");
        Process process = new ProcessBuilder(
                        "redis-server",
                        "--port",
                        Integer.toString(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--dir",
                        dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        LocalRedis redis = new LocalRedis(process, port);
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("redis-server exited; see " + dir.resolve("redis.log"));
                }
                return redis.answersPing();
            });
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
        return redis;
    }

    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    private boolean answersPing() {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(7);
            return new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false; // not listening yet
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot bind a loopback port", e);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
