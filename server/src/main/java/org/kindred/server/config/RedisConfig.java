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
 */
public record RedisConfig(String url, boolean cluster, String nodeId, Duration nodeTimeout) {

    public static final Duration DEFAULT_NODE_TIMEOUT = Duration.ofSeconds(15);
    public static final Duration MIN_NODE_TIMEOUT = Duration.ofSeconds(3);
    public static final Duration MAX_NODE_TIMEOUT = Duration.ofMinutes(5);

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
        return new RedisConfig(url, false, null, null);
    }

    /** A Redis Cluster reached through these comma-separated seed URLs. */
    public static RedisConfig cluster(String urls) {
        return new RedisConfig(urls, true, null, null);
    }

    public RedisConfig withNodeId(String id) {
        return new RedisConfig(url, cluster, id, nodeTimeout);
    }

    public RedisConfig withNodeTimeout(Duration timeout) {
        return new RedisConfig(url, cluster, nodeId, timeout);
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
                + Durations.format(nodeTimeout) + "]";
    }
}
