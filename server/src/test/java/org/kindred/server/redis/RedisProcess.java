package org.kindred.server.redis;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.kindred.server.testing.Signals;

/**
 * A {@code redis-server} child process on a loopback port, with its own temporary directory (log, cluster config).
 * No persistence ({@code --save "" --appendonly no}), so a restart comes back empty. Every live process is also
 * SIGKILLed by a JVM shutdown hook, so a test JVM that exits early leaks nothing.
 */
public final class RedisProcess implements RedisServer {

    static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration PING_TIMEOUT = Duration.ofMillis(500);
    private static final int PORT_ATTEMPTS = 5;

    private static final Set<RedisProcess> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(() -> List.copyOf(LIVE).forEach(RedisProcess::reap), "kindred-redis-reaper"));
    }

    private final Path executable;
    private final int port;
    private final int clusterBusPort;
    private final List<String> extraArgs;
    private final Path dir;
    private volatile Process process;

    private RedisProcess(Path executable, int port, int clusterBusPort, List<String> extraArgs) {
        this.executable = executable;
        this.port = port;
        this.clusterBusPort = clusterBusPort;
        this.extraArgs = List.copyOf(extraArgs);
        try {
            this.dir = Files.createTempDirectory("kindred-redis-" + port + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary directory for redis-server", e);
        }
    }

    /** Starts a standalone {@code redis-server} on a free port and returns once it answers PING. */
    static RedisProcess start(List<String> extraArgs) {
        return startOnFreePort(false, extraArgs);
    }

    /** Starts an empty cluster-enabled node (client port and cluster bus port both free) and returns once it answers. */
    static RedisProcess startClusterNode(List<String> extraArgs) {
        return startOnFreePort(true, extraArgs);
    }

    private static RedisProcess startOnFreePort(boolean clusterNode, List<String> extraArgs) {
        Path executable = findOnPath("redis-server")
                .orElseThrow(() -> new IllegalStateException("redis-server is not on the PATH"));
        PortTakenException lastCollision = null;
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            RedisProcess redis =
                    new RedisProcess(executable, FreePorts.next(), clusterNode ? FreePorts.next() : 0, extraArgs);
            try {
                redis.launch();
                return redis;
            } catch (PortTakenException e) {
                lastCollision = e;
                redis.close();
            } catch (RuntimeException e) {
                redis.close();
                throw e;
            }
        }
        throw new IllegalStateException(
                "redis-server lost the race for a free port " + PORT_ATTEMPTS + " times", lastCollision);
    }

    @Override
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return port;
    }

    /** The temporary directory holding the log ({@code redis.log}) and, for a cluster node, its config file. */
    public Path dir() {
        return dir;
    }

    @Override
    public boolean isManaged() {
        return true;
    }

    @Override
    public boolean isRunning() {
        Process current = process;
        return current != null && current.isAlive() && Resp.ping(endpoint(), PING_TIMEOUT);
    }

    @Override
    public void flushAll() {
        call("FLUSHALL");
    }

    @Override
    public synchronized void kill() {
        Process current = process;
        if (current != null) {
            current.destroyForcibly();
            awaitExit(current);
        }
    }

    @Override
    public synchronized void stop() {
        Process current = process;
        if (current != null && current.isAlive()) {
            current.destroy(); // SIGTERM: Redis shuts down cleanly (and saves only if extra args enabled persistence)
            if (!awaitExit(current)) {
                current.destroyForcibly();
                awaitExit(current);
            }
        }
    }

    /** SIGSTOP: the process stops answering while its sockets stay open, like a Redis frozen by the OS or a long fork. */
    public void freeze() {
        signal("STOP");
    }

    /** SIGCONT: a frozen process goes on; what it was sent meanwhile is answered. */
    public void thaw() {
        signal("CONT");
    }

    private void signal(String name) {
        Process current = process;
        if (current == null || !current.isAlive()) {
            throw new IllegalStateException("redis-server is not running: cannot send SIG" + name);
        }
        Signals.send(current.pid(), name);
    }

    @Override
    public synchronized void restart() {
        stop();
        try {
            launch();
        } catch (PortTakenException e) {
            throw new IllegalStateException(
                    "Cannot restart Redis on port " + port + ": another process took the port while Redis was down", e);
        }
    }

    @Override
    public synchronized void close() {
        kill();
        LIVE.remove(this);
        deleteRecursively(dir);
    }

    /** For the shutdown hook: no lock (a test thread may hold it), no waiting beyond a short bound. */
    private void reap() {
        Process current = process;
        if (current != null) {
            current.destroyForcibly();
            try {
                current.waitFor(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        deleteRecursively(dir);
    }

    @Override
    public String toString() {
        return "redis-server " + uri() + (clusterBusPort > 0 ? " (cluster bus " + clusterBusPort + ")" : "");
    }

    /** Sends one command to this server and returns the reply as text (for tests: CLIENT PAUSE, CONFIG SET...). */
    public String command(String... command) {
        return call(command);
    }

    /** Sends one command to this server and returns the reply as text. */
    String call(String... command) {
        try {
            return Resp.call(endpoint(), START_TIMEOUT, command);
        } catch (IOException e) {
            throw new IllegalStateException(
                    String.join(" ", command) + " failed on " + this
                            + (isRunning() ? "" : " (not running: killed or stopped?)") + ": " + e.getMessage(),
                    e);
        }
    }

    Resp.Endpoint endpoint() {
        return Resp.Endpoint.of("127.0.0.1", port);
    }

    private void launch() {
        List<String> command = new ArrayList<>(List.of(
                executable.toString(),
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--dir",
                dir.toString(),
                "--logfile",
                dir.resolve("redis.log").toString()));
        if (clusterBusPort > 0) {
            command.addAll(List.of(
                    "--cluster-enabled",
                    "yes",
                    "--cluster-config-file",
                    "nodes-" + port + ".conf",
                    "--cluster-node-timeout",
                    "2000",
                    "--cluster-port",
                    Integer.toString(clusterBusPort)));
        }
        command.addAll(extraArgs);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("redis.out").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process started;
        try {
            started = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + executable, e);
        }
        process = started;
        LIVE.add(this);
        boolean ready = pollUntil(START_TIMEOUT, () -> !started.isAlive() || Resp.ping(endpoint(), PING_TIMEOUT));
        if (started.isAlive() && ready) {
            return;
        }
        started.destroyForcibly();
        awaitExit(started);
        String output = tail("redis.out") + tail("redis.log");
        if (output.contains("Address already in use")) {
            throw new PortTakenException(port);
        }
        throw new IllegalStateException((ready
                        ? "redis-server exited with code " + started.exitValue()
                        : "redis-server did not answer PING within " + START_TIMEOUT.toSeconds() + "s")
                + " (" + String.join(" ", command) + "). Output:\n" + output);
    }

    private String tail(String file) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve(file), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())) + "\n";
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean awaitExit(Process process) {
        try {
            return process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Polls the condition every 20 ms until it holds or the timeout passes; returns whether it held. */
    static boolean pollUntil(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() - deadline > 0 || Thread.currentThread().isInterrupted()) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /** The named executable from the PATH, if there is one. */
    static Optional<Path> findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(entry -> Path.of(entry, name))
                .filter(candidate -> Files.isRegularFile(candidate) && Files.isExecutable(candidate))
                .findFirst();
    }

    static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a leftover temporary directory is not worth failing a test for
        }
    }

    /** redis-server could not bind its port (another process took it after {@link FreePorts} released it). */
    private static final class PortTakenException extends RuntimeException {
        PortTakenException(int port) {
            super("Port " + port + " is already in use");
        }
    }
}
