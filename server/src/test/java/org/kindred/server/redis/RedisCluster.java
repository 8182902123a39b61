package org.kindred.server.redis;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Redis Cluster: three masters started as {@code redis-server} processes and joined with
 * {@code redis-cli --cluster create}, or the cluster {@code REDIS_CLUSTER_URL} points at (not managed).
 * {@link #kill()}, {@link #restart()} and {@link #stop()} act on every node; {@link #nodes()} gives each master,
 * whose {@code restart()} waits for the cluster to be healthy again.
 */
public final class RedisCluster implements RedisHandle {

    static final int MASTERS = 3;
    private static final Duration CLUSTER_OK_TIMEOUT = Duration.ofSeconds(30);

    private final List<RedisServer> nodes;
    private final List<String> seedUris;
    private final boolean managed;

    private RedisCluster(List<RedisServer> externalNodes, List<String> seedUris) {
        this.nodes = List.copyOf(externalNodes);
        this.seedUris = List.copyOf(seedUris);
        this.managed = false;
    }

    private RedisCluster(List<RedisProcess> processes) {
        this.nodes = processes.stream().<RedisServer>map(Node::new).toList();
        this.seedUris = processes.stream().map(RedisProcess::uri).toList();
        this.managed = true;
    }

    /** Starts three cluster-enabled {@code redis-server}s, creates the cluster and waits for {@code cluster_state:ok}. */
    static RedisCluster startProcesses(List<String> extraArgs) {
        List<RedisProcess> processes = new ArrayList<>();
        try {
            for (int i = 0; i < MASTERS; i++) {
                processes.add(RedisProcess.startClusterNode(extraArgs));
            }
            create(processes);
            RedisCluster cluster = new RedisCluster(processes);
            cluster.awaitClusterOk();
            return cluster;
        } catch (RuntimeException e) {
            processes.forEach(RedisProcess::close);
            throw e;
        }
    }

    /** The cluster {@code REDIS_CLUSTER_URL} names: comma-separated seed URIs; its masters are found from the first. */
    static RedisCluster external(String clusterUrl) {
        List<String> seeds = Arrays.stream(clusterUrl.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
        if (seeds.isEmpty()) {
            throw new IllegalStateException("REDIS_CLUSTER_URL is set but names no node");
        }
        ExternalRedis seed = new ExternalRedis(seeds.getFirst()).verifyReachable("REDIS_CLUSTER_URL");
        Resp.Endpoint seedEndpoint = Resp.Endpoint.parse(seed.uri());
        List<RedisServer> masters = new ArrayList<>();
        for (String line : seed.call("CLUSTER", "NODES").split("\n")) {
            String[] fields = line.trim().split(" ");
            if (fields.length > 2 && fields[2].contains("master") && !fields[2].contains("fail")) {
                String address = fields[1].split("[@,]")[0];
                masters.add(new ExternalRedis(withAddress(seed.uri(), seedEndpoint, address)));
            }
        }
        return new RedisCluster(masters, seeds);
    }

    private static String withAddress(String seedUri, Resp.Endpoint seed, String hostAndPort) {
        String scheme = seed.tls() ? "rediss://" : "redis://";
        String rest = seedUri.substring(seedUri.indexOf("://") + 3);
        int at = rest.lastIndexOf('@');
        String userInfo = at >= 0 ? rest.substring(0, at + 1) : "";
        return scheme + userInfo + hostAndPort;
    }

    /** One URI per master: {@code redis://127.0.0.1:PORT}, or for {@code REDIS_CLUSTER_URL} as its nodes report them. */
    public List<String> uris() {
        return nodes.stream().map(RedisServer::uri).toList();
    }

    /** A seed URI for {@code RedisClusterClient.create(...)}; the client discovers the other nodes from it. */
    public String clusterUri() {
        return seedUris.getFirst();
    }

    /** The masters. A node's kill/restart/stop act on that node alone; its restart waits for cluster_state:ok. */
    public List<RedisServer> nodes() {
        return nodes;
    }

    @Override
    public boolean isManaged() {
        return managed;
    }

    @Override
    public boolean isRunning() {
        return nodes.stream().allMatch(RedisServer::isRunning) && (!managed || clusterOk());
    }

    @Override
    public void flushAll() {
        nodes.forEach(RedisServer::flushAll);
    }

    @Override
    public void kill() {
        requireManaged("kill");
        nodes.forEach(node -> process(node).kill());
    }

    @Override
    public void restart() {
        requireManaged("restart");
        nodes.forEach(node -> process(node).stop());
        nodes.forEach(node -> process(node).restart());
        awaitClusterOk();
    }

    @Override
    public void stop() {
        requireManaged("stop");
        nodes.forEach(node -> process(node).stop());
    }

    @Override
    public void close() {
        nodes.forEach(RedisServer::close);
    }

    /** Waits until every node answers and reports {@code cluster_state:ok} with all masters known. */
    public void awaitClusterOk() {
        if (!managed) {
            return;
        }
        if (!RedisProcess.pollUntil(CLUSTER_OK_TIMEOUT, this::clusterOk)) {
            StringBuilder states = new StringBuilder();
            for (RedisServer node : nodes) {
                states.append("\n  ").append(node).append(": ").append(clusterInfoLine(process(node)));
            }
            throw new IllegalStateException(
                    "Redis Cluster not ok within " + CLUSTER_OK_TIMEOUT.toSeconds() + "s:" + states);
        }
    }

    /**
     * Moves one slot, keys and all, to another master while clients go on, as {@code redis-cli --cluster reshard}
     * does: {@code IMPORTING} on the target, {@code MIGRATING} on the source, {@code MIGRATE} of its keys in batches
     * (meanwhile the source answers {@code ASK} for keys already moved and {@code TRYAGAIN} for a command whose keys are
     * split), then {@code SETSLOT NODE} on every master. Returns the new owner's port once the cluster is ok.
     */
    public int moveSlot(int slot) {
        requireManaged("move a slot of");
        List<RedisProcess> masters = nodes.stream().map(RedisCluster::process).toList();
        RedisProcess source = masters.stream()
                .filter(master -> owns(master, slot))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no master owns slot " + slot));
        RedisProcess target =
                masters.stream().filter(master -> master != source).findFirst().orElseThrow();
        String sourceId = source.call("CLUSTER", "MYID");
        String targetId = target.call("CLUSTER", "MYID");
        String at = Integer.toString(slot);
        target.call("CLUSTER", "SETSLOT", at, "IMPORTING", sourceId);
        source.call("CLUSTER", "SETSLOT", at, "MIGRATING", targetId);
        for (String keys = source.call("CLUSTER", "GETKEYSINSLOT", at, "100");
                !keys.isEmpty();
                keys = source.call("CLUSTER", "GETKEYSINSLOT", at, "100")) {
            List<String> migrate = new ArrayList<>(
                    List.of("MIGRATE", target.host(), Integer.toString(target.port()), "", "0", "5000", "KEYS"));
            migrate.addAll(List.of(keys.split("\n")));
            source.call(migrate.toArray(String[]::new));
        }
        for (RedisProcess master : masters) {
            master.call("CLUSTER", "SETSLOT", at, "NODE", targetId);
        }
        awaitClusterOk();
        return target.port();
    }

    /** Whether this master's own line of {@code CLUSTER NODES} lists the slot among its ranges. */
    private static boolean owns(RedisProcess master, int slot) {
        for (String line : master.call("CLUSTER", "NODES").split("\n")) {
            String[] fields = line.trim().split(" ");
            if (fields.length > 2 && fields[2].contains("myself")) {
                for (int i = 8; i < fields.length; i++) {
                    if (fields[i].startsWith("[")) {
                        continue; // a slot being imported or migrated
                    }
                    String[] range = fields[i].split("-");
                    int from = Integer.parseInt(range[0]);
                    int to = Integer.parseInt(range[range.length - 1]);
                    if (slot >= from && slot <= to) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return (managed ? "Redis Cluster " : "provided Redis Cluster ") + seedUris;
    }

    private boolean clusterOk() {
        for (RedisServer node : nodes) {
            String line = clusterInfoLine(process(node));
            if (!line.contains("cluster_state:ok") || !line.contains("cluster_known_nodes:" + nodes.size())) {
                return false;
            }
        }
        return true;
    }

    private static String clusterInfoLine(RedisProcess node) {
        try {
            return Resp.call(node.endpoint(), Duration.ofMillis(500), "CLUSTER", "INFO")
                    .replace("\r\n", " ");
        } catch (IOException e) {
            return "no answer (" + e.getMessage() + ")";
        }
    }

    private void requireManaged(String operation) {
        if (!managed) {
            throw new UnmanagedRedisException(operation, String.join(",", seedUris));
        }
    }

    private static RedisProcess process(RedisServer node) {
        return ((Node) node).process;
    }

    private static void create(List<RedisProcess> processes) {
        Path cli = RedisProcess.findOnPath("redis-cli")
                .orElseThrow(
                        () -> new IllegalStateException("redis-cli is not on the PATH (needed to create the cluster)"));
        List<String> command = new ArrayList<>(List.of(cli.toString(), "--cluster", "create"));
        processes.forEach(p -> command.add(p.host() + ":" + p.port()));
        command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        Path output = processes.getFirst().dir().resolve("cluster-create.out");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!process.waitFor(CLUSTER_OK_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("redis-cli --cluster create did not finish within "
                        + CLUSTER_OK_TIMEOUT.toSeconds() + "s:\n" + Files.readString(output, StandardCharsets.UTF_8));
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0 || !text.contains("All 16384 slots covered")) {
                throw new IllegalStateException("redis-cli --cluster create failed (exit " + process.exitValue() + "): "
                        + String.join(" ", command) + "\n" + text);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating the Redis Cluster", e);
        }
    }

    /** A managed master: its restart also waits for the cluster to heal. */
    private final class Node implements RedisServer {
        private final RedisProcess process;

        Node(RedisProcess process) {
            this.process = process;
        }

        @Override
        public String uri() {
            return process.uri();
        }

        @Override
        public String host() {
            return process.host();
        }

        @Override
        public int port() {
            return process.port();
        }

        @Override
        public boolean isManaged() {
            return true;
        }

        @Override
        public boolean isRunning() {
            return process.isRunning();
        }

        @Override
        public void flushAll() {
            process.flushAll();
        }

        @Override
        public void kill() {
            process.kill();
        }

        @Override
        public void stop() {
            process.stop();
        }

        @Override
        public void close() {
            process.close();
        }

        @Override
        public String toString() {
            return process.toString();
        }

        @Override
        public void restart() {
            process.restart();
            awaitClusterOk();
        }
    }
}
