package org.kindred.server.redis;

import static org.kindred.server.redis.RedisConnections.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.UserInfo;
import org.kindred.protocol.WireCodec;
import org.kindred.server.config.SupportConfig;
import org.kindred.server.connection.ConnectedUsers;
import org.kindred.server.connection.EncodedFrame;
import org.kindred.server.metrics.KindredMetrics;
import org.kindred.server.runtime.Failures;
import org.kindred.server.runtime.Time;
import org.kindred.server.support.NodeSessionRooms;
import org.kindred.server.support.SessionRecords;
import org.kindred.server.support.SupportService;
import org.kindred.server.support.SupportStore;

/**
 * One-to-one support for a cluster. Each mentor, request, session and recent match is its own Redis hash ({@link
 * EntityDesk}); a command runs on this node's read model and commits what it changed with a versioned
 * compare-and-set, so of two mentors accepting one request at the same instant on two nodes, one commit wins and the
 * other command runs again and is told the request was taken — without a lock, whatever a stall lasts. Every node's
 * model follows the others' commits from the events channel. The support desk's entities share one slot ({@code
 * {support}}): matching is one decision over mentors and requests together ({@code docs/cluster.md}).
 *
 * <p>Events go to users through a sharded channel that every node listens to; each node delivers to its own
 * connections. A user connected through this node alone (by the model) is sent its events directly, and a waiting
 * member's position always is: each node tells its own members where they stand. Which nodes a user is connected
 * through is an entity too ({@code online:<user>}, kept in {@link OnlineAcrossNodes} for anyone to read), so a user
 * counts as gone only when its last connection anywhere is gone; the users of a node that died are let go once its
 * heartbeat lapses, and those of a node restarted under its id when the new process starts. The events the desk sends
 * users are also handed, after their commit and on the committing node only, to a listener: the webhooks, once per
 * cluster.
 */
public final class RedisSupportStore implements SupportStore {

    private static final String ONLINE = "online:";

    private final String nodeId;
    private final WireCodec codec;
    private final EntityDesk<Object> desk;
    private final RedisConnections redis;
    private final Failures failures;
    private final SupportService service;
    private final ObjectMapper json = new ObjectMapper();
    /** Which nodes each user is connected through; entities {@code online:<user>}. Written on the store thread. */
    private final OnlineAcrossNodes online;
    /** The users connected through this node, by this node's own count: what it claims again if others let go. */
    private final Map<String, UserInfo> here = new HashMap<>();
    /** Sessions that had messages since the last command, applied by the next one. */
    private final Set<String> touches = ConcurrentHashMap.newKeySet();

    private final AtomicBoolean tickQueued = new AtomicBoolean();
    /** Connections and departures not yet applied, in order. */
    private final Queue<Arrival> arrivals = new ConcurrentLinkedQueue<>();

    private final AtomicBoolean bookkeepingQueued = new AtomicBoolean();
    private final AtomicBoolean tellQueued = new AtomicBoolean();

    /** The most commands committed together. */
    private static final int BATCH = 64;

    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainQueued = new AtomicBoolean();
    /**
     * How stale a session's last activity may be before a message writes it again: a message in a busy session then
     * costs no write, and the session ends at most this late, never early.
     */
    private final long touchEvery;

    /**
     * @param redis the node's Redis connections, shared with the broker and the other stores
     * @param rooms the session rooms of this node: evictions and closures decided anywhere reach them through Redis
     * @param online where this store keeps who is connected through which node, for others to read
     * @param committed hears each event the desk sends a user, once it is committed, on the node that committed it
     *     (so once per cluster): the support and session webhooks
     */
    public RedisSupportStore(
            RedisConnections redis,
            SupportConfig settings,
            SupportService.Safeguards safeguards,
            NodeSessionRooms rooms,
            Function<String, List<String>> roomsForCondition,
            ConnectedUsers users,
            WireCodec codec,
            KindredMetrics metrics,
            Time time,
            SessionRecords records,
            OnlineAcrossNodes online,
            SupportService.Notifier committed) {
        this.nodeId = redis.nodeId();
        this.online = online;
        this.codec = codec;
        this.redis = redis;
        this.failures = new Failures(metrics);
        this.touchEvery = settings.idleTimeout().toMillis() / 20;
        this.desk = new EntityDesk<>(redis, "support", key -> "support", users, failures, new StoreChannel.Handler() {
            @Override
            public void evict(String room, String userId) {
                rooms.evict(room, userId);
            }

            @Override
            public void closeRoom(String room) {
                rooms.close(room);
            }
        });
        StoreChannel channel = desk.channel();
        this.service = new SupportService(
                settings,
                safeguards,
                (userId, event) -> {
                    byte[] frame = codec.encode(event);
                    // Where a waiting member stands (each node tells its own connections, see Matchmaker), or a
                    // user connected through this node alone: delivered here, without a hop through Redis.
                    boolean here = event instanceof ServerMessage.SupportQueued status && status.ref() == null
                            || connectedOnlyHere(userId);
                    desk.afterSave(() -> {
                        if (here) {
                            users.send(userId, new EncodedFrame(frame));
                        } else {
                            channel.toUser(userId, frame);
                        }
                        committed.notify(userId, event);
                    });
                },
                new SupportService.SessionRooms() {
                    @Override
                    public void erase(String sessionId) {
                        desk.afterSave(() -> rooms.erase(sessionId));
                    }

                    // Stored data once, from here; the room on every node, this one included.
                    @Override
                    public void forget(String sessionId) {
                        desk.afterSave(() -> {
                            rooms.forgetStored(sessionId);
                            channel.closeRoom(sessionId);
                        });
                    }

                    @Override
                    public void evict(String sessionId, String userId) {
                        desk.afterSave(() -> channel.evict(sessionId, userId));
                    }
                },
                roomsForCondition,
                new CommittedMetrics(metrics, desk),
                time.clock(),
                // Written once the command's changes are committed, by the node that ran it.
                new SessionRecords() {
                    @Override
                    public void ended(SupportService.SessionRecord session) {
                        desk.afterSave(() -> records.ended(session));
                    }

                    @Override
                    public void rated(SupportService.SessionRecord session) {
                        desk.afterSave(() -> records.rated(session));
                    }

                    @Override
                    public void noted(String sessionId, String mentorId, String note, long at) {
                        desk.afterSave(() -> records.noted(sessionId, mentorId, note, at));
                    }
                },
                // Store thread, like every command: who is connected through this node, by the model.
                userId -> online.through(userId, nodeId));
        desk.attach(new EntityDesk.Model<>() {
            @Override
            public Map<String, Object> snapshot() {
                Map<String, Object> all = service.entities();
                online.forEach((user, nodes) -> all.put(ONLINE + user, nodes));
                return all;
            }

            @Override
            public void apply(Map<String, Object> changes) {
                Map<String, Object> ours = new HashMap<>();
                changes.forEach((key, value) -> {
                    if (key.startsWith(ONLINE)) {
                        String user = key.substring(ONLINE.length());
                        if (value == null) {
                            online.set(user, List.of());
                        } else {
                            @SuppressWarnings("unchecked")
                            List<String> nodes = (List<String>) value;
                            online.set(user, nodes);
                        }
                    } else {
                        ours.put(key, value);
                    }
                });
                service.apply(ours);
                if (ours.keySet().stream().anyMatch(key -> !SupportService.isStatistic(key))) {
                    tellWaitingSoon();
                }
            }

            @Override
            public String encode(String key, Object value) {
                try {
                    return json.writeValueAsString(value);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public Object decode(String key, String stored) {
                try {
                    return key.startsWith(ONLINE)
                            ? json.readValue(stored, new TypeReference<List<String>>() {})
                            : json.readValue(stored, SupportService.entityType(key));
                } catch (IOException e) {
                    throw new UncheckedIOException("the support entity " + key + " cannot be read", e);
                }
            }

            @Override
            public boolean statistic(String key) {
                return SupportService.isStatistic(key);
            }
        });
        letGoOfPredecessor();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Commands

    /** A command waiting for the store's thread, and who waits for its answer. */
    private record Pending(Call call, CompletableFuture<ServerMessage> answer) {}

    /**
     * Commands queue here and the store's thread takes all that are waiting at once (up to {@link #BATCH}): they run
     * one after the other on the model and are committed together, so a burst costs one round trip to Redis per
     * batch, not one per command, and the queue drains faster the longer it grows.
     */
    @Override
    public CompletableFuture<ServerMessage> execute(Call call) {
        Pending pending = new Pending(call, new CompletableFuture<>());
        queue.add(pending);
        drainSoon();
        return pending.answer();
    }

    private void drainSoon() {
        if (drainQueued.compareAndSet(false, true)) {
            desk.submit(() -> {
                        drain();
                        return null;
                    })
                    .exceptionally(e -> {
                        // The store is shutting down: nobody will run what waits.
                        for (Pending p; (p = queue.poll()) != null; ) {
                            p.answer().completeExceptionally(e);
                        }
                        return null;
                    });
        }
    }

    /** Runs the commands waiting now as one batch. Store thread. */
    private void drain() {
        drainQueued.set(false);
        List<Pending> batch = new ArrayList<>();
        for (Pending p; batch.size() < BATCH && (p = queue.poll()) != null; ) {
            batch.add(p);
        }
        if (!queue.isEmpty()) {
            drainSoon();
        }
        if (batch.isEmpty()) {
            return;
        }
        List<String> touched = List.copyOf(touches);
        touches.removeAll(touched);
        List<Arrival> arrived = new ArrayList<>();
        for (Arrival a; (a = arrivals.poll()) != null; ) {
            arrived.add(a);
        }
        List<String> applied = new ArrayList<>();
        List<Supplier<ServerMessage>> commands = new ArrayList<>(batch.size() + 1);
        // Connections, departures and messages first: the commands then see who is around.
        commands.add(() -> {
            applied.clear();
            arrived.forEach(this::arrive);
            touched.forEach(id -> {
                if (service.touched(id, touchEvery)) {
                    applied.add(id);
                }
            });
            return null;
        });
        batch.forEach(p -> commands.add(() -> p.call().run(service)));
        List<EntityDesk.Outcome<ServerMessage>> outcomes;
        try {
            outcomes = desk.runAll(commands);
        } catch (RuntimeException e) {
            // Rolled back with the batch: the next one applies them.
            if (!arrived.isEmpty()) {
                List<Arrival> later = new ArrayList<>(arrived);
                arrivals.forEach(later::add);
                arrivals.clear();
                arrivals.addAll(later);
                bookkeepingSoon();
            }
            touches.addAll(touched);
            batch.forEach(p -> p.answer().completeExceptionally(e));
            return;
        }
        touched.stream().filter(id -> !applied.contains(id)).forEach(touches::add);
        for (int i = 0; i < batch.size(); i++) {
            EntityDesk.Outcome<ServerMessage> outcome = outcomes.get(i + 1);
            if (outcome.failure() != null) {
                batch.get(i).answer().completeExceptionally(outcome.failure());
            } else {
                batch.get(i).answer().complete(outcome.value());
            }
        }
    }

    /** Whether, by the model, the user's connections are all on this node. Store thread. */
    private boolean connectedOnlyHere(String userId) {
        return online.onlyThrough(userId, nodeId);
    }

    /**
     * The model changed under this node (another node's commit, or a lost race): the waiting members connected here
     * hear where they stand now. Coalesced: one pass for any number of changes heard meanwhile.
     */
    private void tellWaitingSoon() {
        if (tellQueued.compareAndSet(false, true)) {
            failures.watch("support positions", execute(s -> {
                tellQueued.set(false);
                s.tellWaiting();
                return null;
            }));
        }
    }

    @Override
    public CompletableFuture<Boolean> canAccess(String userId, String sessionId) {
        if (service.canAccess(userId, sessionId)) {
            return CompletableFuture.completedFuture(true);
        }
        // The session started elsewhere a moment ago: its entity was heard before the event that named it, and is
        // most likely waiting to be swapped in. Only if it is not there either is Redis asked.
        return desk.submit(() -> {
            desk.catchUp();
            if (!service.canAccess(userId, sessionId)) {
                desk.refresh(List.of("session:" + sessionId));
            }
            return service.canAccess(userId, sessionId);
        });
    }

    @Override
    public boolean isOpen(String sessionId) {
        return service.isOpen(sessionId);
    }

    @Override
    public Optional<String> mentorOf(String sessionId) {
        return service.mentorOf(sessionId);
    }

    @Override
    public void toOtherDevices(String userId, String connectionId, ServerMessage event) {
        desk.channel().toUserExcept(userId, nodeId + "/" + connectionId, codec.encode(event));
    }

    @Override
    public void touched(String sessionId) {
        touches.add(sessionId);
    }

    /**
     * A user's first connection on this node, or its last one gone: applied by the next command, in order. A storm
     * of connections (a node restarting, a load test) costs a few commits, not one round trip each.
     */
    private record Arrival(UserInfo user, String userId, boolean arrived) {}

    @Override
    public void connected(UserInfo user) {
        arrivals.add(new Arrival(user, user.id(), true));
        bookkeepingSoon();
    }

    @Override
    public void disconnected(String userId) {
        arrivals.add(new Arrival(null, userId, false));
        bookkeepingSoon();
    }

    private void bookkeepingSoon() {
        if (bookkeepingQueued.compareAndSet(false, true)) {
            failures.watch("support bookkeeping", execute(s -> {
                bookkeepingQueued.set(false);
                return null;
            }));
        }
    }

    /** Applies a connection or a departure to the model. Store thread, inside a command. */
    private void arrive(Arrival a) {
        if (a.arrived()) {
            here.put(a.userId(), a.user());
            online.add(a.userId(), nodeId);
            service.connected(a.user());
        } else {
            here.remove(a.userId());
            online.remove(a.userId(), nodeId);
            if (!online.online(a.userId())) {
                service.disconnected(a.userId());
            }
        }
    }

    /**
     * Runs what is due by this node's model. Every node ticks; when two do the same due work, one commit wins and the
     * other finds nothing left to do. Nothing due, nothing written.
     */
    @Override
    public void tick() {
        if (!tickQueued.compareAndSet(false, true)) {
            return; // the last one is still waiting for the store's thread
        }
        failures.watch("support bookkeeping", execute(s -> {
            tickQueued.set(false);
            letGoOfDeadNodes(s);
            claimOwnUsersAgain(s);
            s.tick();
            return null;
        }));
    }

    /** Users connected only through nodes whose heartbeat lapsed are gone. */
    private void letGoOfDeadNodes(SupportService s) {
        Set<String> nodes = online.nodes();
        nodes.remove(nodeId);
        // Asked all at once: the store's thread waits one round trip, not one per node.
        Map<String, CompletableFuture<Long>> asked = new HashMap<>();
        nodes.forEach(node -> asked.put(
                node, redis.deskCommands().exists(RedisKeys.nodeAlive(node)).toCompletableFuture()));
        for (String node : nodes) {
            Long alive = await(asked.get(node));
            if (alive != null && alive == 0) {
                online.removeNode(node).forEach(s::disconnected);
            }
        }
    }

    /**
     * A node that was silent past the node timeout (frozen, a long pause, cut off from Redis) was taken for dead and
     * its users let go by the others, although their connections are still here: once it runs again, it says so.
     * Compares with the model only; nothing is written unless a user was let go.
     */
    private void claimOwnUsersAgain(SupportService s) {
        here.forEach((userId, user) -> {
            if (!online.through(userId, nodeId)) {
                online.add(userId, nodeId);
                s.connected(user);
            }
        });
    }

    /**
     * A process that starts with the id of one that died (a container restart within the node timeout, so its
     * heartbeat never lapsed) lets go of the users its predecessor had: their connections died with it, and until
     * they connect again they are offline — a mentor gets no offers, a member's webhooks are sent.
     */
    private void letGoOfPredecessor() {
        await(execute(s -> {
            online.removeNode(nodeId).forEach(s::disconnected);
            return null;
        }));
    }

    @Override
    public Optional<SupportService.SessionRecord> record(String sessionId) {
        return await(desk.submit(() -> {
            desk.refresh(List.of("session:" + sessionId));
            return service.record(sessionId);
        }));
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Override
    public void close() {
        desk.close();
    }
}
