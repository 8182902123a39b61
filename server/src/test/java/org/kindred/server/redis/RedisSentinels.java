package org.kindred.server.redis;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.kindred.server.testing.Signals;

/**
 * A master, a replica and three Sentinels, each a {@code redis-server} child process on a free loopback port, for
 * failover tests. Bounded: every start waits at most {@link RedisProcess#START_TIMEOUT}; {@link #close()} kills them
 * all and removes their directories.
 */
public final class RedisSentinels implements AutoCloseable {

    public static final String MASTER_NAME = "kindred";
    private static final Duration SENTINEL_TIMEOUT = Duration.ofSeconds(30);

    private final List<RedisProcess> servers = new ArrayList<>();
    private final List<Process> sentinels = new ArrayList<>();
    private final List<Integer> sentinelPorts = new ArrayList<>();
    private final List<Path> dirs = new ArrayList<>();
    private final java.util.Map<Integer, Long> pids = new java.util.concurrent.ConcurrentHashMap<>();

    private final Thread reaper = new Thread(this::killSentinels, "kindred-sentinel-reaper");

    private RedisSentinels() {
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** Starts the master, its replica (in sync) and three Sentinels that know both. */
    public static RedisSentinels start() {
        RedisSentinels set = new RedisSentinels();
        try {
            RedisProcess master = RedisProcess.start(List.of());
            set.servers.add(master);
            RedisProcess replica =
                    RedisProcess.start(List.of("--replicaof", "127.0.0.1", Integer.toString(master.port())));
            set.servers.add(replica);
            set.await(
                    "the replica to sync",
                    () -> set.info(replica.port(), "replication").contains("master_link_status:up"));
            set.pidOf(master);
            set.pidOf(replica);
            for (int i = 0; i < 3; i++) {
                set.startSentinel(master.port());
            }
            set.await(
                    "every Sentinel to know the replica",
                    () -> set.sentinelPorts.stream()
                            .allMatch(port -> set.call(port, "SENTINEL", "REPLICAS", MASTER_NAME)
                                    .contains("127.0.0.1")));
            return set;
        } catch (RuntimeException e) {
            set.close();
            throw e;
        }
    }

    /** {@code redis-sentinel://127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3#kindred}, for {@code redis.url}. */
    public String uri() {
        return "redis-sentinel://"
                + sentinelPorts.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","))
                + "#" + MASTER_NAME;
    }

    /** The port of the current master, as the first Sentinel sees it. */
    public int masterPort() {
        String[] address = call(sentinelPorts.getFirst(), "SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME)
                .split("\n");
        return Integer.parseInt(address[1]);
    }

    /**
     * Asks a Sentinel to fail over now, and returns once every Sentinel names the other server as master and the new
     * master accepts writes.
     */
    public int failover() {
        int before = masterPort();
        call(sentinelPorts.getFirst(), "SENTINEL", "FAILOVER", MASTER_NAME);
        await(
                "the failover",
                () -> sentinelPorts.stream().allMatch(port -> {
                            String[] address = call(port, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME)
                                    .split("\n");
                            return Integer.parseInt(address[1]) != before;
                        })
                        && info(masterPort(), "replication").contains("role:master"));
        return masterPort();
    }

    /**
     * Kills the master (SIGKILL: writes it acknowledged but had not yet sent to the replica are lost), and returns once
     * the Sentinels agreed it is down and promoted the replica.
     */
    public int killMaster() {
        int before = masterPort();
        servers.stream().filter(server -> server.port() == before).forEach(RedisProcess::kill);
        return awaitPromotionAway(before);
    }

    /**
     * Freezes the replica (SIGSTOP) and cuts its link: it stops taking the master's writes, which the master still
     * acknowledges. Then
     * {@link #killMasterAndThawReplica()} makes it the master without them.
     */
    public void freezeReplica() {
        Signals.send(pidOf(replica()), "STOP");
        // What the master already sent waits in the frozen replica's socket buffer; cut the link so nothing more does.
        call(masterPort(), "CLIENT", "KILL", "TYPE", "replica");
    }

    /** Wakes the frozen replica: it connects to the master again and catches up on what it missed. */
    public void thawReplica() {
        Signals.send(pidOf(replica()), "CONT");
    }

    /** Kills the master, wakes the frozen replica, and returns once the Sentinels promoted it, writes missing. */
    public int killMasterAndThawReplica() {
        int before = masterPort();
        long replicaPid = pidOf(replica());
        servers.stream().filter(server -> server.port() == before).forEach(RedisProcess::kill);
        Signals.send(replicaPid, "CONT");
        return awaitPromotionAway(before);
    }

    private RedisProcess replica() {
        int master = masterPort();
        return servers.stream()
                .filter(server -> server.port() != master)
                .findFirst()
                .orElseThrow();
    }

    /** A server's pid, read from INFO once (while it answers). */
    private long pidOf(RedisProcess server) {
        return pids.computeIfAbsent(server.port(), port -> {
            for (String line : info(port, "server").split("\\r?\\n")) {
                if (line.startsWith("process_id:")) {
                    return Long.parseLong(line.substring("process_id:".length()).strip());
                }
            }
            throw new IllegalStateException("no process_id in INFO of " + server);
        });
    }

    private int awaitPromotionAway(int before) {
        await(
                "the Sentinels to promote the replica",
                () -> sentinelPorts.stream().allMatch(port -> {
                            String[] address = call(port, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME)
                                    .split("\n");
                            return Integer.parseInt(address[1]) != before;
                        })
                        && info(masterPort(), "replication").contains("role:master"));
        return masterPort();
    }

    private void startSentinel(int masterPort) {
        int port = FreePorts.next();
        Path dir;
        try {
            dir = Files.createTempDirectory("kindred-sentinel-" + port + "-");
            dirs.add(dir);
            Files.writeString(
                    dir.resolve("sentinel.conf"),
                    String.join(
                            "\n",
                            "port " + port,
                            "bind 127.0.0.1",
                            "daemonize no",
                            "dir " + dir,
                            "logfile " + dir.resolve("sentinel.log"),
                            "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + masterPort + " 2",
                            "sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
                            "sentinel failover-timeout " + MASTER_NAME + " 5000",
                            "sentinel parallel-syncs " + MASTER_NAME + " 1",
                            ""),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path executable = RedisProcess.findOnPath("redis-server")
                .orElseThrow(() -> new IllegalStateException("redis-server is not on the PATH"));
        try {
            Process process = new ProcessBuilder(
                            executable.toString(), dir.resolve("sentinel.conf").toString(), "--sentinel")
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            dir.resolve("sentinel.out").toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            sentinels.add(process);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + executable + " --sentinel", e);
        }
        sentinelPorts.add(port);
        await("Sentinel on " + port, () -> Resp.ping(Resp.Endpoint.of("127.0.0.1", port), Duration.ofMillis(500)));
    }

    private String info(int port, String section) {
        return call(port, "INFO", section);
    }

    private String call(int port, String... command) {
        try {
            return Resp.call(Resp.Endpoint.of("127.0.0.1", port), Duration.ofSeconds(2), command);
        } catch (IOException e) {
            return "";
        }
    }

    private void await(String what, java.util.function.BooleanSupplier condition) {
        java.util.function.BooleanSupplier safe = () -> {
            try {
                return condition.getAsBoolean();
            } catch (RuntimeException e) {
                return false; // a reply not there yet
            }
        };
        if (!RedisProcess.pollUntil(SENTINEL_TIMEOUT, safe)) {
            throw new IllegalStateException("Timed out waiting for " + what);
        }
    }

    @Override
    public void close() {
        killSentinels();
        servers.forEach(RedisProcess::close);
        dirs.forEach(RedisProcess::deleteRecursively);
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to
        }
    }

    private void killSentinels() {
        for (Process sentinel : sentinels) {
            sentinel.destroyForcibly();
            try {
                sentinel.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
