package org.kindred.server.redis;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.Range;
import io.lettuce.core.SetArgs;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import org.kindred.protocol.DecodeException;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.AuditEntry;
import org.kindred.protocol.ServerMessage.ReportInfo;
import org.kindred.protocol.UserInfo;
import org.kindred.protocol.WireCodec;
import org.kindred.server.connection.ConnectedUsers;
import org.kindred.server.connection.EncodedFrame;
import org.kindred.server.runtime.Failures;
import org.kindred.server.safety.Blocks;
import org.kindred.server.safety.HelpersOnline;
import org.kindred.server.safety.Reports;
import org.kindred.server.safety.SafetyStore;
import org.kindred.server.safety.SanctionEnforcer;
import org.kindred.server.safety.SanctionKind;
import org.kindred.server.safety.Sanctions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alerts, reports and the audit log of a cluster, in Redis. Every key carries the {@code {safety}} hash tag. The
 * first acknowledgement of an alert is a {@code SET NX}; the resolution of a report is an {@code SREM} from the open
 * set, which only one moderator can win. Events reach moderators through a sharded channel every node listens to.
 */
public final class RedisSafetyStore implements SafetyStore {

    private static final Logger LOG = LoggerFactory.getLogger(RedisSafetyStore.class);
    private static final String OPEN = "kindred:{safety}:reports:open";
    private static final String OPEN_ALERTS = "kindred:{safety}:alerts:open";
    private static final String AUDIT = "kindred:{safety}:audit";
    private static final String CHANNEL = "kindred:{safety}:events";
    private static final String SANCTION_SET = "kindred:{safety}:sanctions";
    private static final String BLOCKERS = "kindred:{safety}:blockers";
    /** The nodes that said who of their users can help; each node's list is a key that expires unless renewed. */
    private static final String HELPER_NODES = "kindred:{safety}:helper-nodes";

    private static final Duration HELPERS_EVERY = Duration.ofSeconds(5);
    private static final Duration HELPERS_KEPT = Duration.ofSeconds(20);

    private final ConnectedUsers users;
    private final WireCodec codec;
    private final Clock clock;
    private final long retentionMillis;
    private final ObjectMapper json = new ObjectMapper();
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
            Clock clock,
            Duration retention) {
        this.users = users;
        this.enforcer = enforcer;
        this.blocks = blocks;
        this.codec = codec;
        this.failures = failures;
        this.clock = clock;
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
                        .set(helpersKey(nodeId), write(users.helpers()), SetArgs.Builder.px(HELPERS_KEPT.toMillis()))
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
            return json.readValue(
                    stored, new com.fasterxml.jackson.core.type.TypeReference<Map<String, java.util.Set<String>>>() {});
        } catch (IOException e) {
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

    private static String heldKey(String heldId) {
        return "kindred:{safety}:held:" + heldId;
    }

    @Override
    public CompletableFuture<Boolean> hold(ServerMessage.HeldMessage held) {
        return redis.commands()
                .set(
                        heldKey(held.heldId()),
                        new String(codec.encode(held), StandardCharsets.UTF_8),
                        SetArgs.Builder.nx().px(retentionMillis))
                .toCompletableFuture()
                .thenApply("OK"::equals);
    }

    @Override
    public CompletableFuture<Optional<ServerMessage.HeldMessage>> takeHeld(String heldId) {
        // GETDEL: of two moderators reviewing at once, one gets the message, the other nothing.
        return redis.commands()
                .getdel(heldKey(heldId))
                .toCompletableFuture()
                .thenApply(stored -> Optional.ofNullable(stored).map(s -> (ServerMessage.HeldMessage) decodeFrame(s)));
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
                                            live.add(read(kv.getValue(), ServerMessage.SanctionInfo.class));
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
        String json = write(sanction);
        SetArgs expiry = sanction.until() == null ? new SetArgs() : SetArgs.Builder.pxAt(sanction.until());
        CompletableFuture<?> stored = !SanctionKind.fromWire(sanction.kind()).lasts()
                ? CompletableFuture.completedFuture(null)
                : redis.commands()
                        .set(sanctionKey(sanction.sanctionId()), json, expiry)
                        .toCompletableFuture()
                        .thenCompose(ignored -> redis.commands()
                                .sadd(SANCTION_SET, sanction.sanctionId())
                                .toCompletableFuture());
        return stored.thenCompose(ignored -> redis.publish(CHANNEL, new ClusterEvent.SanctionApplied(json)));
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
                                    .thenApply(ignored -> Optional.of(read(stored, ServerMessage.SanctionInfo.class)));
                        }));
    }

    @Override
    public CompletableFuture<Long> firstSeen(String userId, long now) {
        String key = "kindred:{safety}:seen:" + userId;
        return redis.commands()
                .setnx(key, Long.toString(now))
                .toCompletableFuture()
                .thenCompose(set -> set
                        ? CompletableFuture.completedFuture(now)
                        : redis.commands().get(key).toCompletableFuture().thenApply(Long::parseLong));
    }

    @Override
    public Sanctions sanctions() {
        return sanctions;
    }

    private static String reportKey(String reportId) {
        return "kindred:{safety}:report:" + reportId;
    }

    private static String alertKey(String alertId) {
        return "kindred:{safety}:alert:" + alertId;
    }

    @Override
    public CompletableFuture<Void> recordAlert(ServerMessage.Alert alert) {
        return redis.commands()
                .set(
                        alertKey(alert.alertId()),
                        new String(codec.encode(alert), StandardCharsets.UTF_8),
                        SetArgs.Builder.px(retentionMillis))
                .toCompletableFuture()
                .thenCompose(ignored ->
                        redis.commands().sadd(OPEN_ALERTS, alert.alertId()).toCompletableFuture())
                .thenAccept(ignored -> {});
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
    public CompletableFuture<List<ServerMessage.Alert>> openAlerts() {
        return redis.commands().smembers(OPEN_ALERTS).toCompletableFuture().thenCompose(ids -> {
            if (ids.isEmpty()) {
                return CompletableFuture.completedFuture(List.<ServerMessage.Alert>of());
            }
            List<String> ordered = List.copyOf(ids);
            return redis.commands()
                    .mget(ordered.stream().map(RedisSafetyStore::alertKey).toArray(String[]::new))
                    .toCompletableFuture()
                    .thenApply(values -> {
                        List<ServerMessage.Alert> open = new ArrayList<>();
                        for (int i = 0; i < values.size(); i++) {
                            if (values.get(i).hasValue()) {
                                open.add((ServerMessage.Alert)
                                        decodeFrame(values.get(i).getValue()));
                            } else {
                                // expired with the retention
                                failures.watch(
                                        "expired alert removal",
                                        redis.commands().srem(OPEN_ALERTS, ordered.get(i)));
                            }
                        }
                        open.sort(Comparator.comparingLong(ServerMessage.Alert::createdAt));
                        return open;
                    });
        });
    }

    @Override
    public CompletableFuture<Optional<ServerMessage.Alert>> alert(String alertId) {
        return redis.commands()
                .get(alertKey(alertId))
                .toCompletableFuture()
                .thenApply(stored -> Optional.ofNullable(stored).map(s -> (ServerMessage.Alert) decodeFrame(s)));
    }

    @Override
    public CompletableFuture<Acknowledgement> acknowledge(String alertId, UserInfo by, long at) {
        String key = alertKey(alertId) + ":ack";
        String mine = write(new Acknowledgement(by, at, true));
        return redis.commands()
                .set(key, mine, SetArgs.Builder.nx().px(retentionMillis))
                .toCompletableFuture()
                .thenCompose(ok -> "OK".equals(ok)
                        ? redis.commands()
                                .srem(OPEN_ALERTS, alertId)
                                .toCompletableFuture()
                                .thenApply(ignored -> new Acknowledgement(by, at, true))
                        : redis.commands().get(key).toCompletableFuture().thenApply(stored -> {
                            Acknowledgement earlier = read(stored, Acknowledgement.class);
                            return new Acknowledgement(earlier.by(), earlier.at(), false);
                        }));
    }

    @Override
    public CompletableFuture<Void> fileReport(ReportInfo report) {
        // Each report is its own key so that it, and the message snapshot in it, expire with the audit retention.
        return redis.commands()
                .set(reportKey(report.reportId()), write(report), SetArgs.Builder.px(retentionMillis))
                .toCompletableFuture()
                .thenCompose(ignored ->
                        redis.commands().sadd(OPEN, report.reportId()).toCompletableFuture())
                .thenAccept(ignored -> {});
    }

    @Override
    public CompletableFuture<List<ReportInfo>> openReports() {
        return redis.commands()
                .smembers(OPEN)
                .toCompletableFuture()
                .thenCompose(ids -> ids.isEmpty()
                        ? CompletableFuture.completedFuture(List.<ReportInfo>of())
                        : redis.commands()
                                .mget(ids.stream()
                                        .map(RedisSafetyStore::reportKey)
                                        .toArray(String[]::new))
                                .toCompletableFuture()
                                .thenApply(values -> values.stream()
                                        .filter(kv -> kv.hasValue())
                                        .map(kv -> read(kv.getValue(), ReportInfo.class))
                                        .sorted(Comparator.comparingLong(ReportInfo::createdAt))
                                        .toList()));
    }

    @Override
    public CompletableFuture<Optional<ReportInfo>> resolve(String reportId, UserInfo by, String resolution) {
        return redis.commands().srem(OPEN, reportId).toCompletableFuture().thenCompose(removed -> {
            if (removed == 0) {
                return CompletableFuture.completedFuture(Optional.<ReportInfo>empty());
            }
            return redis.commands()
                    .get(reportKey(reportId))
                    .toCompletableFuture()
                    .thenCompose(stored -> {
                        if (stored == null) {
                            return CompletableFuture.completedFuture(Optional.<ReportInfo>empty()); // expired meanwhile
                        }
                        ReportInfo resolved = Reports.resolved(read(stored, ReportInfo.class), by, resolution);
                        return redis.commands()
                                .set(reportKey(reportId), write(resolved), SetArgs.Builder.keepttl())
                                .toCompletableFuture()
                                .thenApply(ignored -> Optional.of(resolved));
                    });
        });
    }

    @Override
    public CompletableFuture<Void> audit(AuditEntry entry) {
        long cutoff = clock.millis() - retentionMillis;
        return redis.commands()
                .xadd(
                        AUDIT,
                        XAddArgs.Builder.minId(Long.toString(cutoff)).approximateTrimming(),
                        Map.of("e", write(entry)))
                .toCompletableFuture()
                .thenAccept(ignored -> {});
    }

    @Override
    public CompletableFuture<List<AuditEntry>> auditLog(int limit) {
        return redis.commands()
                .xrevrange(AUDIT, Range.create("-", "+"), io.lettuce.core.Limit.from(limit))
                .toCompletableFuture()
                .thenApply(entries -> {
                    List<AuditEntry> result = new ArrayList<>(entries.size());
                    for (StreamMessage<String, String> entry : entries) {
                        result.add(read(entry.getBody().get("e"), AuditEntry.class));
                    }
                    return result;
                });
    }

    @Override
    public CompletableFuture<Void> toModerators(ServerMessage event) {
        return redis.publish(
                CHANNEL, new ClusterEvent.ToModerators(new String(codec.encode(event), StandardCharsets.UTF_8)));
    }

    @Override
    public CompletableFuture<Void> toUser(String userId, ServerMessage event) {
        return redis.publish(
                CHANNEL, new ClusterEvent.ToUser(userId, new String(codec.encode(event), StandardCharsets.UTF_8)));
    }

    private void deliver(ClusterEvent event) {
        switch (event) {
            case ClusterEvent.Blocked e -> blocks.add(e.blocker(), e.blocked());
            case ClusterEvent.Unblocked e -> blocks.remove(e.blocker(), e.blocked());
            case ClusterEvent.SanctionApplied e -> {
                ServerMessage.SanctionInfo sanction = read(e.sanction(), ServerMessage.SanctionInfo.class);
                sanctions.put(sanction);
                enforcer.applied(sanction);
            }
            case ClusterEvent.SanctionLifted e -> {
                ServerMessage.SanctionInfo sanction = read(e.sanction(), ServerMessage.SanctionInfo.class);
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

    private ServerMessage decodeFrame(String stored) {
        try {
            return codec.decodeServer(stored);
        } catch (DecodeException e) {
            throw new IllegalStateException("a safety record in Redis cannot be read: " + e.getMessage(), e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> T read(String stored, Class<T> type) {
        try {
            return json.readValue(stored, type);
        } catch (IOException e) {
            LOG.warn("unreadable {} in Redis", type.getSimpleName());
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the periodic reload; the node's owner closes the connections. */
    @Override
    public void close() {
        reloads.cancel(false);
        helperRefresh.cancel(false);
    }
}
