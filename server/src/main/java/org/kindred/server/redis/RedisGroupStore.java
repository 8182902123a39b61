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
 * Group sessions for a cluster. Each group (schedule, registrations, the meeting on now) is its own Redis hash with the
 * group id as its hash tag ({@link EntityDesk}), so groups spread over a Redis Cluster's slots and survive node
 * restarts; a closed meeting's attendance is one more key in its group's slot. A command runs on this node's read
 * model and commits the group it changed with a versioned compare-and-set (no lock); every node swaps the committed
 * group into its own model as soon as it hears of it, which is how a mute or a lock made on one node holds on every
 * node within milliseconds.
 *
 * <p>Posts are checked against the local model, without a trip to Redis; slow-mode turns are one Redis key per member
 * with an expiry, claimed atomically, so a member cannot post twice in a period through two nodes.
 */
public final class RedisGroupStore implements GroupStore {

    private static final String TURN = "kindred:{groups}:turn:";
    /** How long a closed meeting's attendance is kept at most (it also goes once out of its group's last 52). */
    private static final long ARCHIVE_MILLIS = java.time.Duration.ofDays(400).toMillis();

    private final String nodeId;
    private final EntityDesk<String> desk;
    private final RedisConnections redis;
    private final Failures failures;
    private final GroupService service;
    private final RedisScript compareAndDelete = RedisScript.load("unlock");
    /** Meetings the running command closed, archived just before its commit. Store thread only. */
    private final Map<String, String> toArchive = new LinkedHashMap<>();

    private final AtomicBoolean tickQueued = new AtomicBoolean();
    /** The groups in the database: written after each commit this node makes (on the store's thread). */
    private final org.kindred.server.group.GroupPersistence persistence;

    /**
     * @param rooms   this node's meeting rooms: evictions decided anywhere reach them through Redis
     * @param records the system of record of groups: written after every commit of this node, read to fill a Redis
     *                that has no groups (a new deployment, or Redis back empty)
     * @param archive where closed meetings go, or {@code null} for Redis keys
     * @param committed hears each event the groups send users, once it is committed, on the node that committed it
     *     (so once per cluster): the group webhooks
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
            MeetingArchive archive,
            GroupService.Notifier committed) {
        this.nodeId = redis.nodeId();
        this.redis = redis;
        this.failures = new Failures(metrics);
        this.desk = new EntityDesk<>(
                redis, "groups", GroupService::groupOfEntity, users, failures, new StoreChannel.Handler() {
                    @Override
                    public void evict(String room, String userId) {
                        rooms.evict(room, userId);
                    }
                });
        StoreChannel channel = desk.channel();
        this.service = new GroupService(
                settings,
                (userIds, event) -> {
                    if (!userIds.isEmpty()) {
                        byte[] frame = codec.encode(event);
                        List<String> recipients = List.copyOf(userIds);
                        desk.afterSave(() -> {
                            recipients.forEach(userId -> channel.toUser(userId, frame));
                            committed.notify(recipients, event);
                        });
                    }
                },
                (room, userId) -> desk.afterSave(() -> channel.evict(room, userId)),
                entry -> desk.afterSave(() -> audit.record(entry)),
                archive == null ? new RedisArchive() : archive,
                time.clock());
        this.persistence = new org.kindred.server.group.GroupPersistence(service, records);
        desk.attach(new EntityDesk.Model<>() {
            @Override
            public Map<String, String> snapshot() {
                return service.entities();
            }

            @Override
            public void apply(Map<String, String> changes) {
                service.apply(changes);
            }

            @Override
            public String encode(String key, String value) {
                return value;
            }

            @Override
            public String decode(String key, String json) {
                return json;
            }
        });
        // Redis without groups while the database has some (Redis came back empty): the database's go back in.
        await(desk.submit(() -> desk.run(() -> {
            if (service.exportGroups().isEmpty()) {
                persistence.restore();
            }
            return null;
        })));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Commands

    @Override
    public CompletableFuture<ServerMessage> execute(Call call) {
        return desk.submit(() -> desk.run(() -> run(call)));
    }

    @Override
    public CompletableFuture<ServerMessage> read(Call call) {
        return desk.submit(() -> run(call));
    }

    private ServerMessage run(Call call) {
        toArchive.clear(); // what an earlier attempt queued
        desk.afterSave(persistence::persist);
        return call.run(service); // a refusal fails the future as it is
    }

    private static String archiveKey(String room) {
        return "kindred:{" + GroupService.groupOfRoom(room) + "}:meeting:" + room;
    }

    /** Closed meetings in Redis, one key each in their group's slot, read on the store's thread. */
    private final class RedisArchive implements MeetingArchive {
        @Override
        public void keep(String room, String meeting) {
            toArchive.put(room, meeting);
            desk.beforeCommit(() -> {
                String pending = toArchive.remove(room);
                if (pending != null) {
                    await(redis.deskCommands()
                            .set(archiveKey(room), pending, SetArgs.Builder.px(ARCHIVE_MILLIS))
                            .toCompletableFuture());
                }
            });
        }

        @Override
        public Optional<String> find(String room) {
            String pending = toArchive.get(room);
            return pending != null
                    ? Optional.of(pending)
                    : Optional.ofNullable(
                            await(redis.deskCommands().get(archiveKey(room)).toCompletableFuture()));
        }

        @Override
        public void forget(String room) {
            desk.afterSave(() -> failures.watch(
                    "meeting archive forget", redis.deskCommands().del(archiveKey(room))));
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
     * Runs the lifecycle of each group that has something due by this node's model, or connections of a node whose
     * heartbeat lapsed, one group per command (one commit per slot). Every node ticks; when two do the same due work,
     * one commit wins and the other finds nothing left to do. Nothing due, nothing written.
     */
    @Override
    public void tick() {
        if (!tickQueued.compareAndSet(false, true)) {
            return;
        }
        failures.watch("group lifecycle step", desk.submit(() -> {
            tickQueued.set(false);
            Set<String> dead = deadNodes();
            Set<String> groups = new LinkedHashSet<>(service.dueGroups());
            if (!dead.isEmpty()) {
                groups.addAll(service.access().groupsWith(dead));
            }
            for (String groupId : groups) {
                try {
                    desk.run(() -> {
                        desk.afterSave(persistence::persist);
                        service.access().nodesGone(groupId, dead);
                        service.tick(groupId);
                        return null;
                    });
                } catch (RuntimeException e) {
                    failures.record("group lifecycle step", e);
                }
            }
            return null;
        }));
    }

    private Set<String> deadNodes() {
        Set<String> dead = new LinkedHashSet<>();
        for (String node : service.access().nodesPresent()) {
            if (!node.equals(nodeId)) {
                Long alive = await(
                        redis.deskCommands().exists(RedisKeys.nodeAlive(node)).toCompletableFuture());
                if (alive != null && alive == 0) {
                    dead.add(node);
                }
            }
        }
        return dead;
    }

    @Override
    public void close() {
        desk.close();
    }
}
