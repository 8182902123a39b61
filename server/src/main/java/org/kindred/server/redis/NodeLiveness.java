package org.kindred.server.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.kindred.server.broker.MessageIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each node's heartbeat in Redis, and the clean-up after nodes that died without a goodbye: their members' presence is
 * removed (and their leaves announced) once their heartbeat has been silent for the node timeout.
 *
 * <p>A node's identity is its configured id <em>and</em> its incarnation, a random id drawn when the process starts
 * and written as the heartbeat's value. A process that starts with the id of one that died (a container restart)
 * clears its predecessor's presence before it serves anyone, so those members are heard to leave at once instead of
 * staying present for ever under a heartbeat that never lapses.
 *
 * <p>The heartbeat key lives the node timeout plus one heartbeat interval and is refreshed every interval (a fifth of
 * the timeout), so a node silent for less than the timeout is never reaped, and a dead one is reaped between the
 * timeout and the timeout plus two intervals after its last word. A node that finds it was reaped all the same (frozen
 * by SIGSTOP or a long pause, or cut off from Redis: its heartbeat key gone, or its id taken out of the node set)
 * announces all its members again at once.
 */
final class NodeLiveness {

    private static final Logger LOG = LoggerFactory.getLogger(NodeLiveness.class);

    private final String nodeId;
    private final String incarnation;
    private final Duration nodeTimeout;
    private final Duration heartbeatInterval;
    private final RedisClusterAsyncCommands<String, String> redis;
    private final RedisScript presenceLeave;
    private final Runnable announceAgain;
    private final Clock clock;
    private final org.kindred.server.metrics.KindredMetrics metrics;
    private volatile long lastBeatMillis;
    private volatile boolean firstBeat = true;

    /**
     * @param announceAgain announces every member of this node again, after it found it was reaped
     */
    NodeLiveness(
            String nodeId,
            Duration nodeTimeout,
            Duration heartbeatInterval,
            RedisClusterAsyncCommands<String, String> redis,
            RedisScript presenceLeave,
            Runnable announceAgain,
            Clock clock,
            org.kindred.server.metrics.KindredMetrics metrics) {
        this.metrics = metrics;
        this.nodeId = nodeId;
        this.incarnation = MessageIds.nextEpoch();
        this.nodeTimeout = nodeTimeout;
        this.heartbeatInterval = heartbeatInterval;
        this.redis = redis;
        this.presenceLeave = presenceLeave;
        this.announceAgain = announceAgain;
        this.clock = clock;
    }

    /** This process's incarnation: drawn at random when it started. */
    String incarnation() {
        return incarnation;
    }

    /**
     * Joins the cluster: clears whatever presence an earlier process with this node id left behind (it crashed, or was
     * killed, and this one replaces it), announcing those members as left, then beats once.
     */
    CompletableFuture<Void> start() {
        return redis.get(RedisKeys.nodeAlive(nodeId))
                .toCompletableFuture()
                .thenCombine(redis.scard(RedisKeys.nodeRooms(nodeId)).toCompletableFuture(), (previous, rooms) -> {
                    if (previous != null || rooms > 0) {
                        LOG.info(
                                "node id {} was in use by an earlier process (incarnation {}); clearing its presence in"
                                        + " {} room(s)",
                                nodeId,
                                previous,
                                rooms);
                    }
                    return rooms;
                })
                .thenCompose(rooms -> rooms > 0 ? leaveAll(nodeId) : CompletableFuture.completedFuture(null))
                .thenCompose(ignored -> beat());
    }

    /**
     * Refreshes this node's heartbeat (announcing its members again if it finds it was reaped), then looks for dead
     * nodes. Never throws.
     */
    CompletableFuture<Void> beat() {
        long ttl = nodeTimeout.plus(heartbeatInterval).toMillis();
        return redis.setGet(RedisKeys.nodeAlive(nodeId), incarnation, SetArgs.Builder.px(ttl))
                .toCompletableFuture()
                .thenCombine(redis.sadd(RedisKeys.nodes(), nodeId).toCompletableFuture(), (previous, added) -> {
                    long now = clock.millis();
                    long silentMillis = now - lastBeatMillis;
                    lastBeatMillis = now;
                    checkNotReaped(previous, added, silentMillis);
                    return null;
                })
                .thenCompose(ignored -> redis.smembers(RedisKeys.nodes()).toCompletableFuture())
                .thenCompose(this::reapDead)
                .exceptionally(error -> {
                    LOG.debug("heartbeat failed: {}", error.toString());
                    return null;
                });
    }

    /**
     * After a refreshed heartbeat: whether the others may have removed this node's members while it was silent. Its
     * heartbeat key had lapsed (another node may be reaping it now), its id had left the node set (a reaper finished),
     * or its last heartbeat that got an answer is a node timeout old (the beats in between may have reached Redis after
     * it was reaped, their answers lost to a timeout); in each case every member is announced again — an announcement
     * of a member still present changes nothing.
     */
    private void checkNotReaped(String previous, Long added, long silentMillis) {
        boolean first = firstBeat;
        firstBeat = false;
        if (first) {
            return; // the predecessor's heartbeat, if any, was cleared by start()
        }
        if (previous != null && !previous.equals(incarnation)) {
            LOG.error(
                    "another process uses node id {} (incarnation {}, this one is {}): give every node its own"
                            + " redis.nodeId",
                    nodeId,
                    previous,
                    incarnation);
        }
        if (previous == null
                || !previous.equals(incarnation)
                || (added != null && added == 1)
                || silentMillis >= nodeTimeout.toMillis()) {
            LOG.warn(
                    "node {} was silent for longer than the node timeout and may have been reaped; announcing its"
                            + " members again",
                    nodeId);
            announceAgain.run();
        }
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
