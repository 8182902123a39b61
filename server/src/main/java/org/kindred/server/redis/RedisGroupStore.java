package org.kindred.server.redis;

import static org.kindred.server.redis.RedisConnections.await;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.WireCodec;
import org.kindred.server.config.GroupConfig;
import org.kindred.server.connection.ConnectedUsers;
import org.kindred.server.group.Actor;
import org.kindred.server.group.GroupService;
import org.kindred.server.group.GroupStore;
import org.kindred.server.group.MeetingArchive;
import org.kindred.server.metrics.KindredMetrics;
import org.kindred.server.runtime.Failures;
import org.kindred.server.runtime.Time;

/**
 * Group sessions for a cluster. Every group (schedule, registrations, the meeting on now, attendance) lives in one
 * Redis key, so schedules survive node restarts. Each command takes a cluster-wide lock, loads the state into this
 * node's {@link GroupService}, runs, saves, publishes its events and releases the lock; the other nodes reload their
 * copy as soon as they hear of the change, which is how a mute or a lock made on one node holds on every node within
 * milliseconds. Commands are human-paced (a facilitator's control, a member entering), so one at a time is cheap.
 *
 * <p>Posts are checked against the local copy, without a trip to Redis; slow-mode turns are one Redis key per member
 * with an expiry, claimed atomically, so a member cannot post twice in a period through two nodes.
 */
public final class RedisGroupStore implements GroupStore {

    private static final String TURN = "kindred:{groups}:turn:";
    private static final String MEETING = "kindred:{groups}:meeting:";
    /** How long a closed meeting's attendance is kept at most (it also goes once out of its group's last 52). */
    private static final long ARCHIVE_MILLIS = java.time.Duration.ofDays(400).toMillis();

    private final String nodeId;
    private final SharedState shared;
    private final RedisConnections redis;
    private final Failures failures;
    private final GroupService service;
    private final RedisScript compareAndDelete = RedisScript.load("unlock");
    /** Meetings a command closed, archived before the state that points at them is saved. Store thread only. */
    private final Map<String, String> toArchive = new LinkedHashMap<>();

    private final AtomicBoolean tickQueued = new AtomicBoolean();
    private final org.kindred.server.group.GroupPersistence persistence;

    /**
     * @param rooms this node's meeting rooms: evictions decided anywhere reach them through Redis
     * @param records the system of record of groups: written with every save, read when Redis has no state (emptied)
     * @param archive where closed meetings go, or {@code null} for Redis keys
     */
    public RedisGroupStore(
            RedisConnections redis,
            GroupConfig settings,
            GroupService.MeetingRooms rooms,
            GroupService.Audit audit,
            ConnectedUsers users,
            WireCodec codec,
            KindredMetrics metrics,
            Time time,
            org.kindred.server.group.GroupRecords records,
            MeetingArchive archive) {
        this.nodeId = redis.nodeId();
        this.redis = redis;
        this.failures = new Failures(metrics);
        this.shared = new SharedState(
                redis,
                "groups",
                users,
                failures,
                new StoreChannel.Handler() {
                    @Override
                    public void evict(String room, String userId) {
                        rooms.evict(room, userId);
                    }
                },
                time::nanoTime);
        StoreChannel channel = shared.channel();
        this.service = new GroupService(
                settings,
                (userIds, event) -> {
                    if (!userIds.isEmpty()) {
                        byte[] frame = codec.encode(event);
                        List<String> recipients = List.copyOf(userIds);
                        shared.afterSave(() -> recipients.forEach(userId -> channel.toUser(userId, frame)));
                    }
                },
                (room, userId) -> shared.afterSave(() -> channel.evict(room, userId)),
                entry -> shared.afterSave(() -> audit.record(entry)),
                archive == null ? new RedisArchive() : archive,
                time.clock());
        this.persistence = new org.kindred.server.group.GroupPersistence(service, records);
        shared.attach(new SharedState.Copy() {
            @Override
            public void load(String stored) {
                toArchive.clear(); // what a failed step queued
                if (stored == null) {
                    // Nothing in Redis (a new deployment, or Redis restarted empty): the system of record's groups.
                    persistence.restore();
                } else {
                    service.importState(stored);
                }
            }

            @Override
            public String save() {
                toArchive.forEach((room, meeting) -> await(redis.commands()
                        .set(MEETING + room, meeting, SetArgs.Builder.px(ARCHIVE_MILLIS))
                        .toCompletableFuture()));
                toArchive.clear();
                persistence.persist();
                return service.exportState();
            }
        });
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Commands

    @Override
    public CompletableFuture<ServerMessage> execute(Call call) {
        return shared.submit(() -> shared.locked(() -> run(call)));
    }

    @Override
    public CompletableFuture<ServerMessage> read(Call call) {
        return shared.submit(() -> run(call));
    }

    private ServerMessage run(Call call) {
        return call.run(service); // a refusal fails the future as it is
    }

    /** Closed meetings in Redis, one key each, read on the store's thread. */
    private final class RedisArchive implements MeetingArchive {
        @Override
        public void keep(String room, String meeting) {
            toArchive.put(room, meeting);
        }

        @Override
        public Optional<String> find(String room) {
            String pending = toArchive.get(room);
            return pending != null
                    ? Optional.of(pending)
                    : Optional.ofNullable(
                            await(redis.commands().get(MEETING + room).toCompletableFuture()));
        }

        @Override
        public void forget(String room) {
            shared.afterSave(() ->
                    failures.watch("meeting archive forget", redis.commands().del(MEETING + room)));
        }
    }

    @Override
    public void left(String userId, String room, String connectionId) {
        failures.watch("group bookkeeping", execute(s -> {
            s.access().left(userId, room, connectionKey(connectionId));
            return null;
        }));
    }

    @Override
    public String connectionKey(String connectionId) {
        return nodeId + "/" + connectionId;
    }

    @Override
    public int checkPost(String room, Actor actor) {
        return service.access().checkPost(room, actor);
    }

    @Override
    public CompletableFuture<Long> takeTurn(String room, String userId, String clientMsgId, int periodSeconds) {
        String key = TURN + room + ":" + userId;
        return redis.commands()
                .set(key, clientMsgId, SetArgs.Builder.nx().px(periodSeconds * 1000L))
                .toCompletableFuture()
                .thenCompose(ok -> "OK".equals(ok)
                        ? CompletableFuture.completedFuture(0L)
                        : redis.commands()
                                .get(key)
                                .toCompletableFuture()
                                .thenCompose(holder -> clientMsgId.equals(holder)
                                        ? CompletableFuture.completedFuture(0L)
                                        : redis.commands()
                                                .pttl(key)
                                                .toCompletableFuture()
                                                .thenApply(ttl -> ttl == null || ttl < 0 ? 0L : Math.max(1L, ttl))));
    }

    @Override
    public void giveBackTurn(String room, String userId, String clientMsgId) {
        failures.watch(
                "slow-mode turn give-back",
                compareAndDelete.run(
                        redis.commands(),
                        ScriptOutputType.INTEGER,
                        new String[] {TURN + room + ":" + userId},
                        clientMsgId));
    }

    @Override
    public boolean isMeetingRoom(String room) {
        return service.access().isMeetingRoom(room);
    }

    @Override
    public Optional<String> currentRoom(String groupId) {
        return service.access().currentRoom(groupId);
    }

    @Override
    public List<String> facilitatorsOf(String room) {
        return service.access().facilitatorsOf(room);
    }

    @Override
    public int meetingsOn() {
        return service.access().meetingsOn();
    }

    @Override
    public int participants() {
        return service.access().participants();
    }

    /**
     * Runs the lifecycle when something is due by this node's copy, or when connections of a node whose heartbeat
     * lapsed are still counted present. Every node ticks; the first to take the lock does the work.
     */
    @Override
    public void tick() {
        if (!tickQueued.compareAndSet(false, true)) {
            return;
        }
        failures.watch("group lifecycle step", shared.submit(() -> {
            tickQueued.set(false);
            Set<String> dead = deadNodes();
            if (!dead.isEmpty() || service.due()) {
                shared.locked(() -> {
                    service.access().nodesGone(dead);
                    service.tick();
                    return null;
                });
            }
            return null;
        }));
    }

    private Set<String> deadNodes() {
        Set<String> dead = new LinkedHashSet<>();
        for (String node : service.access().nodesPresent()) {
            if (!node.equals(nodeId)) {
                Long alive =
                        await(redis.commands().exists(RedisKeys.nodeAlive(node)).toCompletableFuture());
                if (alive != null && alive == 0) {
                    dead.add(node);
                }
            }
        }
        return dead;
    }

    @Override
    public void close() {
        shared.close();
    }
}
