package org.kindred.server.redis;

import static org.kindred.server.redis.RedisConnections.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.UserInfo;
import org.kindred.protocol.WireCodec;
import org.kindred.server.config.SupportConfig;
import org.kindred.server.connection.ConnectedUsers;
import org.kindred.server.metrics.KindredMetrics;
import org.kindred.server.runtime.Failures;
import org.kindred.server.runtime.Time;
import org.kindred.server.support.NodeSessionRooms;
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
 * connections. Which nodes a user is connected through is an entity too ({@code online:<user>}), so a user counts as
 * gone only when its last connection anywhere is gone, and the users of a node that died are let go once its
 * heartbeat lapses.
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
    /** Which nodes each user is connected through. Store thread only; entities {@code online:<user>}. */
    private final Map<String, List<String>> online = new HashMap<>();
    /** Sessions that had messages since the last command, applied by the next one. */
    private final Set<String> touches = ConcurrentHashMap.newKeySet();

    private final AtomicBoolean tickQueued = new AtomicBoolean();

    /**
     * @param redis the node's Redis connections, shared with the broker and the other stores
     * @param rooms the session rooms of this node: evictions and closures decided anywhere reach them through Redis
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
            Time time) {
        this.nodeId = redis.nodeId();
        this.codec = codec;
        this.redis = redis;
        this.failures = new Failures(metrics);
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
                    desk.afterSave(() -> channel.toUser(userId, frame));
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
                time.clock());
        desk.attach(new EntityDesk.Model<>() {
            @Override
            public Map<String, Object> snapshot() {
                Map<String, Object> all = service.entities();
                online.forEach((user, nodes) -> all.put(ONLINE + user, List.copyOf(nodes)));
                return all;
            }

            @Override
            public void apply(Map<String, Object> changes) {
                Map<String, Object> ours = new HashMap<>();
                changes.forEach((key, value) -> {
                    if (key.startsWith(ONLINE)) {
                        String user = key.substring(ONLINE.length());
                        if (value == null) {
                            online.remove(user);
                        } else {
                            @SuppressWarnings("unchecked")
                            List<String> nodes = (List<String>) value;
                            online.put(user, new ArrayList<>(nodes));
                        }
                    } else {
                        ours.put(key, value);
                    }
                });
                service.apply(ours);
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
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Commands

    @Override
    public CompletableFuture<ServerMessage> execute(Call call) {
        return desk.submit(() -> {
            List<String> touched = List.copyOf(touches);
            touches.removeAll(touched);
            try {
                return desk.run(() -> {
                    touched.forEach(service::touched);
                    return call.run(service); // a refusal fails the future as it is
                });
            } catch (RuntimeException e) {
                touches.addAll(touched); // rolled back with the command: the next one applies them
                throw e;
            }
        });
    }

    @Override
    public CompletableFuture<Boolean> canAccess(String userId, String sessionId) {
        if (service.canAccess(userId, sessionId)) {
            return CompletableFuture.completedFuture(true);
        }
        // The local copy may not have heard of a session started elsewhere a moment ago: read the state again.
        return desk.submit(() -> {
            desk.refresh(List.of("session:" + sessionId));
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

    @Override
    public void connected(UserInfo user) {
        failures.watch("support bookkeeping", execute(s -> {
            List<String> nodes = online.computeIfAbsent(user.id(), id -> new ArrayList<>());
            if (!nodes.contains(nodeId)) {
                nodes.add(nodeId);
            }
            s.connected(user);
            return null;
        }));
    }

    @Override
    public void disconnected(String userId) {
        failures.watch("support bookkeeping", execute(s -> {
            List<String> nodes = online.getOrDefault(userId, new ArrayList<>());
            nodes.remove(nodeId);
            if (nodes.isEmpty()) {
                online.remove(userId);
                s.disconnected(userId);
            }
            return null;
        }));
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
            s.tick();
            return null;
        }));
    }

    /** Users connected only through nodes whose heartbeat lapsed are gone. */
    private void letGoOfDeadNodes(SupportService s) {
        Set<String> nodes = new LinkedHashSet<>();
        online.values().forEach(nodes::addAll);
        nodes.remove(nodeId);
        for (String node : nodes) {
            Long alive =
                    await(redis.commands().exists(RedisKeys.nodeAlive(node)).toCompletableFuture());
            if (alive != null && alive == 0) {
                for (String user : List.copyOf(online.keySet())) {
                    List<String> through = online.get(user);
                    if (through.remove(node) && through.isEmpty()) {
                        online.remove(user);
                        s.disconnected(user);
                    }
                }
            }
        }
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
