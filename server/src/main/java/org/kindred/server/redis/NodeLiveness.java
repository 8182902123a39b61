package org.kindred.server.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each node's heartbeat in Redis, and the clean-up after nodes that died without a goodbye: their members' presence is
 * removed (and their leaves announced) once their heartbeat has been silent for the node timeout.
 *
 * <p>The heartbeat key lives two thirds of the timeout and is refreshed every fifth, so a live node never lapses and
 * a dead one is noticed within the timeout.
 */
final class NodeLiveness {

    private static final Logger LOG = LoggerFactory.getLogger(NodeLiveness.class);

    private final String nodeId;
    private final Duration nodeTimeout;
    private final RedisClusterAsyncCommands<String, String> redis;
    private final RedisScript presenceLeave;
    private final Clock clock;
    private final org.kindred.server.metrics.KindredMetrics metrics;
    private volatile long lastBeatMillis;

    NodeLiveness(
            String nodeId,
            Duration nodeTimeout,
            RedisClusterAsyncCommands<String, String> redis,
            RedisScript presenceLeave,
            Clock clock,
            org.kindred.server.metrics.KindredMetrics metrics) {
        this.metrics = metrics;
        this.nodeId = nodeId;
        this.nodeTimeout = nodeTimeout;
        this.redis = redis;
        this.presenceLeave = presenceLeave;
        this.clock = clock;
    }

    /** Refreshes this node's heartbeat, then looks for dead nodes. Never throws. */
    CompletableFuture<Void> beat() {
        long ttl = nodeTimeout.toMillis() * 2 / 3;
        return redis.set(RedisKeys.nodeAlive(nodeId), Long.toString(clock.millis()), SetArgs.Builder.px(ttl))
                .thenCompose(ok -> redis.sadd(RedisKeys.nodes(), nodeId))
                .thenAccept(added -> lastBeatMillis = clock.millis())
                .thenCompose(ignored -> redis.smembers(RedisKeys.nodes()))
                .thenCompose(this::reapDead)
                .toCompletableFuture()
                .exceptionally(error -> {
                    LOG.debug("heartbeat failed: {}", error.toString());
                    return null;
                });
    }

    /** Whether this node's heartbeat reached Redis recently enough that the others consider it alive. */
    boolean alive() {
        return clock.millis() - lastBeatMillis < nodeTimeout.toMillis() / 2;
    }

    private CompletableFuture<Void> reapDead(Set<String> nodes) {
        CompletableFuture<Void> all = CompletableFuture.completedFuture(null);
        for (String other : nodes) {
            if (!other.equals(nodeId)) {
                all = all.thenCompose(ignored -> redis.exists(RedisKeys.nodeAlive(other))
                        .toCompletableFuture()
                        .thenCompose(count -> count == 0 ? reap(other) : CompletableFuture.completedFuture(null)));
            }
        }
        return all;
    }

    /** Removes a dead node's members from every room it had them in; one node does it, the others skip it. */
    private CompletableFuture<Void> reap(String deadNode) {
        return redis.set(
                        RedisKeys.nodeReaper(deadNode),
                        nodeId,
                        SetArgs.Builder.nx().px(nodeTimeout.toMillis()))
                .toCompletableFuture()
                .thenCompose(claimed -> {
                    if (!"OK".equals(claimed)) {
                        return CompletableFuture.completedFuture(null);
                    }
                    LOG.info("node {} stopped beating; removing its members' presence", deadNode);
                    metrics.nodeReaped();
                    return leaveAll(deadNode)
                            .thenCompose(ignored -> redis.srem(RedisKeys.nodes(), deadNode))
                            .thenAccept(ignored -> {});
                });
    }

    /** Removes a node from the presence of every room it had users in (a dead node, or this one saying goodbye). */
    CompletableFuture<Void> leaveAll(String node) {
        return redis.smembers(RedisKeys.nodeRooms(node))
                .toCompletableFuture()
                .thenCompose(rooms -> {
                    CompletableFuture<?>[] leaves = rooms.stream()
                            .map(room -> presenceLeave.run(
                                    redis,
                                    ScriptOutputType.INTEGER,
                                    new String[] {RedisKeys.presence(room)},
                                    node,
                                    RedisKeys.channel(room),
                                    room))
                            .toArray(CompletableFuture[]::new);
                    return CompletableFuture.allOf(leaves);
                })
                .thenCompose(ignored -> redis.del(RedisKeys.nodeRooms(node)).toCompletableFuture())
                .thenAccept(ignored -> {});
    }

    /** Says goodbye: this node's users leave every room now rather than after the timeout. */
    CompletableFuture<Void> goodbye() {
        return leaveAll(nodeId)
                .thenCompose(ignored -> redis.del(RedisKeys.nodeAlive(nodeId)).toCompletableFuture())
                .thenCompose(ignored -> redis.srem(RedisKeys.nodes(), nodeId).toCompletableFuture())
                .thenAccept(ignored -> {});
    }
}
