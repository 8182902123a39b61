package org.kindred.server.config;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Cluster mode: several nodes share rooms through Redis. Absent, a node runs alone with everything in memory.
 *
 * @param url         {@code redis://host:port} (or {@code rediss://} for TLS); a master found through Sentinel,
 *                    {@code redis-sentinel://host:port[,host:port...]#masterName} ({@code rediss-sentinel://} for
 *                    TLS); with {@code cluster}, one or more comma-separated seed nodes of a Redis Cluster
 * @param cluster     whether {@code url} names a Redis Cluster (rooms then hash to slots and fan-out uses sharded
 *                    pub/sub)
 * @param nodeId      this node's name in Redis, unique in the deployment; {@code null} picks host, pid and a random
 *                    suffix
 * @param nodeTimeout how long a node may stay silent before the others consider it dead and remove its members'
 *                    presence, 3 s to 5 min; {@code null} means {@link #DEFAULT_NODE_TIMEOUT} (15 s)
 * @param waitReplicas how many replicas must hold a message before its send is acknowledged ({@code WAIT} after the
 *                    append), 0 to 5; 0 (the default) acknowledges once the master has it. Not with {@code cluster}
 * @param waitTimeout how long an append waits for those replicas before its send is answered {@code outcome_unknown},
 *                    10 ms to 1 s; {@code null} means {@link #DEFAULT_WAIT_TIMEOUT} (500 ms)
 */
public record RedisConfig(
        String url, boolean cluster, String nodeId, Duration nodeTimeout, int waitReplicas, Duration waitTimeout) {

    public static final Duration DEFAULT_NODE_TIMEOUT = Duration.ofSeconds(15);
    public static final Duration MIN_NODE_TIMEOUT = Duration.ofSeconds(3);
    public static final Duration MAX_NODE_TIMEOUT = Duration.ofMinutes(5);
    public static final int MAX_WAIT_REPLICAS = 5;
    public static final Duration DEFAULT_WAIT_TIMEOUT = Duration.ofMillis(500);
    public static final Duration MIN_WAIT_TIMEOUT = Duration.ofMillis(10);
    public static final Duration MAX_WAIT_TIMEOUT = Duration.ofSeconds(1);

    public RedisConfig {
        if (url == null || url.isBlank()) {
            throw ConfigException.about("redis.url", "redis.url: " + url + " (expected: redis://host:port)");
        }
        if (isSentinel(url)) {
            checkSentinel(url.strip(), cluster);
        } else {
            for (String part : url.split(",")) {
                String trimmed = part.strip();
                if (!trimmed.startsWith("redis://") && !trimmed.startsWith("rediss://")) {
                    throw ConfigException.about(
                            "redis.url",
                            "redis.url: '" + displayUrl(trimmed) + "' (expected: redis://host:port, rediss://host:port"
                                    + " or redis-sentinel://host:port[,host:port...]#masterName)");
                }
            }
        }
        if (!cluster && !isSentinel(url) && url.contains(",")) {
            throw ConfigException.about(
                    "redis.url",
                    "redis.url: several addresses need redis.cluster: true (expected: one redis://host:port)");
        }
        if (nodeId == null || nodeId.isBlank()) {
            nodeId = defaultNodeId();
        } else if (!nodeId.matches("[A-Za-z0-9._-]{1,64}")) {
            throw ConfigException.about(
                    "redis.nodeId",
                    "redis.nodeId: '" + nodeId + "' (expected: 1-64 of letters, digits, '.', '_', '-')");
        }
        if (nodeTimeout == null) {
            nodeTimeout = DEFAULT_NODE_TIMEOUT;
        }
        if (nodeTimeout.compareTo(MIN_NODE_TIMEOUT) < 0 || nodeTimeout.compareTo(MAX_NODE_TIMEOUT) > 0) {
            throw ConfigException.about(
                    "redis.nodeTimeout", "redis.nodeTimeout: " + Durations.format(nodeTimeout) + " (expected: 3s-5m)");
        }
        if (waitReplicas < 0 || waitReplicas > MAX_WAIT_REPLICAS) {
            throw ConfigException.about(
                    "redis.waitReplicas",
                    "redis.waitReplicas: " + waitReplicas + " (expected: 0-" + MAX_WAIT_REPLICAS + ")");
        }
        if (waitReplicas > 0 && cluster) {
            throw ConfigException.about(
                    "redis.waitReplicas",
                    "redis.waitReplicas: " + waitReplicas + " with redis.cluster: true (expected: 0; in a Redis Cluster"
                            + " use min-replicas-to-write on the masters, see docs/cluster.md)");
        }
        if (waitTimeout == null) {
            waitTimeout = DEFAULT_WAIT_TIMEOUT;
        }
        if (waitTimeout.compareTo(MIN_WAIT_TIMEOUT) < 0 || waitTimeout.compareTo(MAX_WAIT_TIMEOUT) > 0) {
            throw ConfigException.about(
                    "redis.waitTimeout",
                    "redis.waitTimeout: " + Durations.format(waitTimeout) + " (expected: 10ms-1s)");
        }
    }

    private static boolean isSentinel(String url) {
        String trimmed = url.strip();
        return trimmed.startsWith("redis-sentinel://") || trimmed.startsWith("rediss-sentinel://");
    }

    /** One Sentinel URL: Sentinels as {@code host:port}, comma-separated, and the master's name after {@code #}. */
    private static void checkSentinel(String url, boolean cluster) {
        if (cluster) {
            throw ConfigException.about(
                    "redis.url",
                    "redis.url: a redis-sentinel:// URL with redis.cluster: true (expected: Sentinel or a Redis Cluster,"
                            + " not both)");
        }
        int hash = url.indexOf('#');
        if (hash < 0 || hash == url.length() - 1) {
            throw ConfigException.about(
                    "redis.url",
                    "redis.url: '" + displayUrl(url) + "' names no master (expected:"
                            + " redis-sentinel://host:port[,host:port...]#masterName)");
        }
        String hosts = url.substring(url.indexOf("://") + 3, hash);
        hosts = hosts.substring(hosts.lastIndexOf('@') + 1);
        int slash = hosts.indexOf('/');
        if (slash >= 0) {
            hosts = hosts.substring(0, slash);
        }
        for (String host : hosts.split(",")) {
            if (!host.strip().matches("[^:\\s]+:\\d{1,5}|\\[[0-9a-fA-F:]+\\]:\\d{1,5}|[^:\\s]+")) {
                throw ConfigException.about(
                        "redis.url",
                        "redis.url: Sentinel '" + host.strip() + "' in '" + displayUrl(url)
                                + "' (expected: host:port)");
            }
        }
    }

    /** A standalone Redis at this URL, with the default node id and timeout. */
    public static RedisConfig standalone(String url) {
        return new RedisConfig(url, false, null, null, 0, null);
    }

    /** A Redis Cluster reached through these comma-separated seed URLs. */
    public static RedisConfig cluster(String urls) {
        return new RedisConfig(urls, true, null, null, 0, null);
    }

    public RedisConfig withNodeId(String id) {
        return new RedisConfig(url, cluster, id, nodeTimeout, waitReplicas, waitTimeout);
    }

    public RedisConfig withNodeTimeout(Duration timeout) {
        return new RedisConfig(url, cluster, nodeId, timeout, waitReplicas, waitTimeout);
    }

    /** Sends acknowledged only once {@code replicas} replicas hold them, or answered outcome_unknown after timeout. */
    public RedisConfig withWaitReplicas(int replicas, Duration timeout) {
        return new RedisConfig(url, cluster, nodeId, nodeTimeout, replicas, timeout);
    }

    /** How often this node refreshes its heartbeat and checks the others': a fifth of the node timeout. */
    public Duration heartbeatInterval() {
        return nodeTimeout.dividedBy(5);
    }

    private static String defaultNodeId() {
        String host = System.getenv().getOrDefault("HOSTNAME", "node").replaceAll("[^A-Za-z0-9._-]", "");
        long pid = ManagementFactory.getRuntimeMXBean().getPid();
        return (host.isEmpty() ? "node" : host) + "-" + pid + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 40);
    }

    /** The URL to show in logs and messages: a URL may carry a password, so only the scheme and the hosts. */
    public String displayUrl() {
        return displayUrl(url);
    }

    private static String displayUrl(String url) {
        return url.replaceAll("//[^@/]*@", "//<credentials>@");
    }

    @Override
    public String toString() {
        return "RedisConfig[url=" + displayUrl() + ", cluster=" + cluster + ", nodeId=" + nodeId + ", nodeTimeout="
                + Durations.format(nodeTimeout) + ", waitReplicas=" + waitReplicas + ", waitTimeout="
                + Durations.format(waitTimeout) + "]";
    }
}
