package org.kindred.server.config;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Cluster mode: several nodes share rooms through Redis. Absent, a node runs alone with everything in memory.
 *
 * @param url         {@code redis://host:port} (or {@code rediss://} for TLS); with {@code cluster}, one or more
 *                    comma-separated seed nodes of a Redis Cluster
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
        for (String part : url.split(",")) {
            String trimmed = part.strip();
            if (!trimmed.startsWith("redis://") && !trimmed.startsWith("rediss://")) {
                throw ConfigException.about(
                        "redis.url",
                        "redis.url: '" + trimmed + "' (expected: redis://host:port or rediss://host:port)");
            }
        }
        if (!cluster && url.contains(",")) {
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
        return url.replaceAll("//[^@/]*@", "//<credentials>@");
    }

    @Override
    public String toString() {
        return "RedisConfig[url=" + displayUrl() + ", cluster=" + cluster + ", nodeId=" + nodeId + ", nodeTimeout="
                + Durations.format(nodeTimeout) + "]";
    }
}
