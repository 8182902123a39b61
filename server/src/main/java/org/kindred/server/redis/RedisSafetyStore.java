package org.kindred.server.redis;

import io.lettuce.core.SetArgs;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.WireCodec;
import org.kindred.server.connection.ConnectedUsers;
import org.kindred.server.connection.EncodedFrame;
import org.kindred.server.runtime.Failures;
import org.kindred.server.safety.Blocks;
import org.kindred.server.safety.HelpersOnline;
import org.kindred.server.safety.LiveSafety;
import org.kindred.server.safety.RecordJson;
import org.kindred.server.safety.SanctionEnforcer;
import org.kindred.server.safety.SanctionKind;
import org.kindred.server.safety.Sanctions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live safety state of a cluster, in Redis: sanctions in force and blocks (every node keeps them in memory, told
 * of each change on a sharded channel and reloading every 10 s), the claim of an alert's escalation (a {@code SET NX}
 * one node wins), who can help on each node, and delivery to moderators and users on any node. Every key carries the
 * {@code {safety}} hash tag. The records (sanctions' history, reports, alerts, the audit log) are in the database.
 */
public final class RedisSafetyStore implements LiveSafety {

    private static final Logger LOG = LoggerFactory.getLogger(RedisSafetyStore.class);
    private static final String CHANNEL = "kindred:{safety}:events";
    private static final String SANCTION_SET = "kindred:{safety}:sanctions";
    private static final String BLOCKERS = "kindred:{safety}:blockers";
    /** The nodes that said who of their users can help; each node's list is a key that expires unless renewed. */
    private static final String HELPER_NODES = "kindred:{safety}:helper-nodes";

    private static final Duration HELPERS_EVERY = Duration.ofSeconds(5);
    private static final Duration HELPERS_KEPT = Duration.ofSeconds(20);

    private final ConnectedUsers users;
    private final RecordJson json;
    private final long retentionMillis;
    private final RedisConnections redis;

    private final Sanctions sanctions = new Sanctions();
    private final SanctionEnforcer enforcer;
    private final Blocks blocks;
    private final Failures failures;
    private final ScheduledFuture<?> reloads;
    private final ScheduledFuture<?> helperRefresh;
    /** The helpers other nodes last said they hold. */
    private volatile Map<String, java.util.Set<String>> remoteHelpers = Map.of();

    /**
     * @param redis the node's Redis connections, shared with the broker and the other stores
     */
    public RedisSafetyStore(
            RedisConnections redis,
            ConnectedUsers users,
            SanctionEnforcer enforcer,
            Blocks blocks,
            WireCodec codec,
            Failures failures,
            Duration retention) {
        this.users = users;
        this.enforcer = enforcer;
        this.blocks = blocks;
        this.json = new RecordJson(codec, "Redis");
        this.failures = failures;
        this.retentionMillis = retention.toMillis();
        this.redis = redis;
        RedisConnections.await(redis.subscribe(CHANNEL, this::deliver));
        reloadSanctions().join();
        reloadBlocks().join();
        // Events carry every change at once; a periodic reload catches any a broken subscription missed.
        this.reloads = failures.every(
                redis.timer(),
                Duration.ofSeconds(10),
                "sanctions and blocks reload",
                () -> failures.watch(
                        "sanctions and blocks reload", reloadSanctions().thenCompose(ignored -> reloadBlocks())));
        this.helperRefresh = failures.every(redis.timer(), HELPERS_EVERY, "helpers refresh", this::helpersChanged);
    }

    private static String helpersKey(String nodeId) {
        return "kindred:{safety}:helpers:" + nodeId;
    }

    @Override
    public HelpersOnline helpersOnline() {
        return new HelpersOnline(users.helpers()).and(remoteHelpers);
    }

    /** Says who of this node's users can help (renewing the key), then reads what the other nodes say. */
    @Override
    public void helpersChanged() {
        String nodeId = redis.nodeId();
        failures.watch(
                "helpers refresh",
                redis.commands()
                        .set(
                                helpersKey(nodeId),
                                json.write(users.helpers()),
                                SetArgs.Builder.px(HELPERS_KEPT.toMillis()))
                        .toCompletableFuture()
                        .thenCompose(ignored ->
                                redis.commands().sadd(HELPER_NODES, nodeId).toCompletableFuture())
                        .thenCompose(ignored ->
                                redis.commands().smembers(HELPER_NODES).toCompletableFuture())
                        .thenCompose(nodes -> {
                            List<String> others = nodes.stream()
                                    .filter(n -> !n.equals(nodeId))
                                    .toList();
                            if (others.isEmpty()) {
                                remoteHelpers = Map.of();
                                return CompletableFuture.completedFuture(null);
                            }
                            return redis.commands()
                                    .mget(others.stream()
                                            .map(RedisSafetyStore::helpersKey)
                                            .toArray(String[]::new))
                                    .toCompletableFuture()
                                    .thenAccept(values -> {
                                        HelpersOnline merged = HelpersOnline.NOBODY;
                                        for (int i = 0; i < values.size(); i++) {
                                            if (values.get(i).hasValue()) {
                                                merged = merged.and(readHelpers(
                                                        values.get(i).getValue()));
                                            } else {
                                                // that node is gone
                                                failures.watch(
                                                        "helper node removal",
                                                        redis.commands().srem(HELPER_NODES, others.get(i)));
                                            }
                                        }
                                        remoteHelpers = merged.byUser();
                                    });
                        }));
    }

    private Map<String, java.util.Set<String>> readHelpers(String stored) {
        try {
            return json.read(
                    stored, new com.fasterxml.jackson.core.type.TypeReference<Map<String, java.util.Set<String>>>() {});
        } catch (UncheckedIOException e) {
            LOG.warn("unreadable helpers in Redis");
            return Map.of();
        }
    }

    private static String blocksKey(String blocker) {
        return "kindred:{safety}:blocks:" + blocker;
    }

    private CompletableFuture<Void> reloadBlocks() {
        return redis.commands().smembers(BLOCKERS).toCompletableFuture().thenCompose(blockers -> {
            Map<String, java.util.Set<String>> all = new java.util.concurrent.ConcurrentHashMap<>();
            CompletableFuture<?>[] reads = blockers.stream()
                    .map(blocker -> redis.commands()
                            .smembers(blocksKey(blocker))
                            .toCompletableFuture()
                            .thenAccept(blocked -> all.put(blocker, blocked)))
                    .toArray(CompletableFuture[]::new);
            return CompletableFuture.allOf(reads).thenAccept(ignored -> blocks.replaceAll(all));
        });
    }

    @Override
    public CompletableFuture<Void> block(String blocker, String blocked) {
        return redis.commands()
                .sadd(blocksKey(blocker), blocked)
                .toCompletableFuture()
                .thenCompose(ignored -> redis.commands().sadd(BLOCKERS, blocker).toCompletableFuture())
                .thenCompose(ignored -> redis.publish(CHANNEL, new ClusterEvent.Blocked(blocker, blocked)));
    }

    @Override
    public CompletableFuture<Void> unblock(String blocker, String blocked) {
        return redis.commands()
                .srem(blocksKey(blocker), blocked)
                .toCompletableFuture()
                .thenCompose(ignored -> redis.publish(CHANNEL, new ClusterEvent.Unblocked(blocker, blocked)));
    }

    @Override
    public Blocks blocks() {
        return blocks;
    }

    private static String sanctionKey(String sanctionId) {
        return "kindred:{safety}:sanction:" + sanctionId;
    }

    private CompletableFuture<Void> reloadSanctions() {
        return redis.commands()
                .smembers(SANCTION_SET)
                .toCompletableFuture()
                .thenCompose(ids -> ids.isEmpty()
                        ? CompletableFuture.completedFuture(List.<ServerMessage.SanctionInfo>of())
                        : redis.commands()
                                .mget(ids.stream()
                                        .map(RedisSafetyStore::sanctionKey)
                                        .toArray(String[]::new))
                                .toCompletableFuture()
                                .thenApply(values -> {
                                    List<ServerMessage.SanctionInfo> live = new ArrayList<>();
                                    for (var kv : values) {
                                        if (kv.hasValue()) {
                                            live.add(json.read(kv.getValue(), ServerMessage.SanctionInfo.class));
                                        } else {
                                            String expired = kv.getKey()
                                                    .substring(kv.getKey().lastIndexOf(':') + 1);
                                            failures.watch(
                                                    "expired sanction removal",
                                                    redis.commands().srem(SANCTION_SET, expired));
                                        }
                                    }
                                    return live;
                                }))
                .thenAccept(sanctions::replaceAll);
    }

    @Override
    public CompletableFuture<Void> applySanction(ServerMessage.SanctionInfo sanction) {
        String stored = json.write(sanction);
        SetArgs expiry = sanction.until() == null ? new SetArgs() : SetArgs.Builder.pxAt(sanction.until());
        CompletableFuture<?> kept = !SanctionKind.fromWire(sanction.kind()).lasts()
                ? CompletableFuture.completedFuture(null)
                : redis.commands()
                        .set(sanctionKey(sanction.sanctionId()), stored, expiry)
                        .toCompletableFuture()
                        .thenCompose(ignored -> redis.commands()
                                .sadd(SANCTION_SET, sanction.sanctionId())
                                .toCompletableFuture());
        return kept.thenCompose(ignored -> redis.publish(CHANNEL, new ClusterEvent.SanctionApplied(stored)));
    }

    @Override
    public CompletableFuture<Optional<ServerMessage.SanctionInfo>> liftSanction(String sanctionId) {
        return redis.commands()
                .srem(SANCTION_SET, sanctionId)
                .toCompletableFuture()
                .thenCompose(removed -> redis.commands()
                        .get(sanctionKey(sanctionId))
                        .toCompletableFuture()
                        .thenCompose(stored -> {
                            if (removed == 0 || stored == null) {
                                return CompletableFuture.completedFuture(Optional.<ServerMessage.SanctionInfo>empty());
                            }
                            return redis.commands()
                                    .del(sanctionKey(sanctionId))
                                    .toCompletableFuture()
                                    .thenCompose(
                                            ignored -> redis.publish(CHANNEL, new ClusterEvent.SanctionLifted(stored)))
                                    .thenApply(ignored ->
                                            Optional.of(json.read(stored, ServerMessage.SanctionInfo.class)));
                        }));
    }

    @Override
    public Sanctions sanctions() {
        return sanctions;
    }

    private static String alertKey(String alertId) {
        return "kindred:{safety}:alert:" + alertId;
    }

    @Override
    public CompletableFuture<Boolean> claimEscalation(String alertId, int level) {
        return redis.commands()
                .set(
                        alertKey(alertId) + ":escalation:" + level,
                        redis.nodeId(),
                        SetArgs.Builder.nx().px(retentionMillis))
                .toCompletableFuture()
                .thenApply("OK"::equals);
    }

    @Override
    public CompletableFuture<Void> toModerators(ServerMessage event) {
        return redis.publish(CHANNEL, new ClusterEvent.ToModerators(json.frame(event)));
    }

    @Override
    public CompletableFuture<Void> toUser(String userId, ServerMessage event) {
        return redis.publish(CHANNEL, new ClusterEvent.ToUser(userId, json.frame(event)));
    }

    private void deliver(ClusterEvent event) {
        switch (event) {
            case ClusterEvent.Blocked e -> blocks.add(e.blocker(), e.blocked());
            case ClusterEvent.Unblocked e -> blocks.remove(e.blocker(), e.blocked());
            case ClusterEvent.SanctionApplied e -> {
                ServerMessage.SanctionInfo sanction = json.read(e.sanction(), ServerMessage.SanctionInfo.class);
                sanctions.put(sanction);
                enforcer.applied(sanction);
            }
            case ClusterEvent.SanctionLifted e -> {
                ServerMessage.SanctionInfo sanction = json.read(e.sanction(), ServerMessage.SanctionInfo.class);
                sanctions.remove(sanction.sanctionId());
                enforcer.lifted(sanction);
            }
            case ClusterEvent.ToModerators e -> users.sendToModerators(frame(e.frame()));
            case ClusterEvent.ToUser e -> users.send(e.userId(), frame(e.frame()));
            default -> LOG.warn("ignoring a {} event on {}", event.getClass().getSimpleName(), CHANNEL);
        }
    }

    private static EncodedFrame frame(String json) {
        return new EncodedFrame(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Stops the periodic reload; the node's owner closes the connections. */
    @Override
    public void close() {
        reloads.cancel(false);
        helperRefresh.cancel(false);
    }
}
