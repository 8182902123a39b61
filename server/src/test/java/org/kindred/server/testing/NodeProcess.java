package org.kindred.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.kindred.server.Main;

/**
 * A Kindred node in a JVM of its own ({@code java -cp <the tests' class path> Main --config FILE}), for the faults
 * that take a whole process: SIGSTOP for longer than the node timeout, {@code kill -9} and a start again under the same
 * node id. It signs in {@link TestCluster#token} tokens and shares the tests' Redis; its output goes to files in its
 * directory, quoted when it does not start. Every start is bounded in time, and {@link #close()} always destroys it.
 */
public final class NodeProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);

    private final Path dir;
    private final String nodeId;
    private final String redisUrl;
    private final Duration nodeTimeout;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private Process process;
    private int port;
    private int starts;

    private NodeProcess(Path dir, String nodeId, String redisUrl, Duration nodeTimeout) {
        this.dir = dir;
        this.nodeId = nodeId;
        this.redisUrl = redisUrl;
        this.nodeTimeout = nodeTimeout;
    }

    /**
     * Starts a node in its own process and returns once its {@code /readyz} answers 200.
     *
     * @param dir         where its configuration, database and output go
     * @param nodeId      its {@code redis.nodeId}
     * @param redisUrl    its {@code redis.url}
     * @param nodeTimeout its {@code redis.nodeTimeout}
     */
    public static NodeProcess start(Path dir, String nodeId, String redisUrl, Duration nodeTimeout) {
        NodeProcess node = new NodeProcess(dir, nodeId, redisUrl, nodeTimeout);
        node.launch();
        return node;
    }

    /** Its WebSocket endpoint. */
    public URI ws() {
        return URI.create("ws://127.0.0.1:" + port + "/ws");
    }

    /** SIGSTOP: the whole process stops, sockets open, heartbeats and all, as a long GC or a frozen VM does. */
    public void freeze() {
        Signals.send(process.pid(), "STOP");
    }

    /** SIGCONT: the frozen process goes on where it stopped. */
    public void thaw() {
        Signals.send(process.pid(), "CONT");
    }

    /**
     * {@code kill -9}, then a new process at once with the same configuration and node id (on a new port), as a
     * container restart does; returns once the new one is ready.
     */
    public void restart() {
        kill();
        launch();
    }

    /** {@code kill -9}: no close frames, no goodbye to Redis. Returns once the process is gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("node process " + process.pid() + " survived kill -9");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing node process " + process.pid(), e);
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            kill(); // SIGKILL ends a stopped process too
        }
    }

    private void launch() {
        starts++;
        port = freePort();
        Path config = write(
                "kindred-" + starts + ".yaml",
                String.join(
                        "\n",
                        "host: 127.0.0.1",
                        "port: " + port,
                        "management:",
                        "  host: 127.0.0.1",
                        "  port: 0",
                        "newMemberPeriod: 0s",
                        "presenceGrace: 0s",
                        "shutdownGrace: 1s",
                        "ratePerSecond: 1000",
                        "rateBurst: 1000",
                        "joinHistory: 200",
                        "jwt:",
                        "  anyIssuerAndAudience: true",
                        "storage:",
                        "  dataDir: " + dir.resolve("data"),
                        "redis:",
                        "  nodeId: " + nodeId,
                        "  nodeTimeout: " + nodeTimeout.toMillis() + "ms",
                        ""));
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(List.of(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "--config",
                config.toString()));
        builder.environment().keySet().removeIf(name -> name.startsWith("KINDRED_"));
        builder.environment().put("KINDRED_JWT_SECRET", TestCluster.jwt().hs256Secret()); // secrets: environment only
        // The same key of the user ids as the in-JVM nodes: a user has one id on every node.
        builder.environment().put("KINDRED_USER_ID_SECRET", TestCluster.userIdSecret());
        builder.environment().put("KINDRED_REDIS_URL", redisUrl);
        Path out = dir.resolve("node-" + starts + ".out");
        try {
            process = builder.redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + builder.command(), e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!ready()) {
            if (!process.isAlive() || System.nanoTime() - deadline > 0) {
                close();
                throw new IllegalStateException("node process " + nodeId + " not ready within "
                        + START_TIMEOUT.toSeconds() + " s (exit " + (process.isAlive() ? "-" : process.exitValue())
                        + "):\n" + read(out));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    private boolean ready() {
        try {
            return http.send(
                                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                                            .timeout(Duration.ofSeconds(1))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Path write(String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "node process " + nodeId + " (pid " + (process == null ? "-" : process.pid()) + ", port " + port + ")";
    }
}
