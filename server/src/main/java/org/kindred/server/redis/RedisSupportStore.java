package org.kindred.server.redis;

import static org.kindred.server.redis.RedisConnections.await;

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
import org.kindred.server.support.SessionRecords;
import org.kindred.server.support.SupportService;
import org.kindred.server.support.SupportState;
import org.kindred.server.support.SupportStore;

/**
 * One-to-one support for a cluster. The whole support state (mentors, queue, sessions) lives in one Redis key; every
 * command takes a cluster-wide lock, loads the state into this node's {@link SupportService}, runs, saves, publishes
 * its events and releases the lock. Commands are human-paced (a request, an accept), so one at a time cluster-wide is
 * cheap, and it makes the claim of a request atomic: of two mentors accepting at the same instant on two nodes, one
 * runs first and gets the session, the other is told the request was taken.
 *
 * <p>Events go to users through a sharded channel that every node listens to; each node delivers to its own
 * connections. Which nodes a user is connected through is part of the state, so a user counts as gone only when its
 * last connection anywhere is gone, and the users of a node that died are let go once its heartbeat lapses.
 */
public final class RedisSupportStore implements SupportStore {

    private final String nodeId;
    private final WireCodec codec;
    private final SupportConfig settings;
    private final SharedState shared;
    private final RedisConnections redis;
    private final Failures failures;
    private final SupportService service;
    private final ObjectMapper json = new ObjectMapper();
    /** Which nodes each user is connected through. Store thread only, loaded and saved with the state. */
    private Map<String, List<String>> online = new HashMap<>();
    /** Sessions that had messages since the last command, applied by the next one. */
    private final Set<String> touches = ConcurrentHashMap.newKeySet();

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
            Time time,
            SessionRecords records) {
        this.nodeId = redis.nodeId();
        this.codec = codec;
        this.settings = settings;
        this.redis = redis;
        this.failures = new Failures(metrics);
        this.shared = new SharedState(
                redis,
                "support",
                users,
                failures,
                new StoreChannel.Handler() {
                    @Override
                    public void evict(String room, String userId) {
                        rooms.evict(room, userId);
                    }

                    @Override
                    public void closeRoom(String room) {
                        rooms.close(room);
                    }
                },
                time::nanoTime);
        StoreChannel channel = shared.channel();
        this.service = new SupportService(
                settings,
                safeguards,
                (userId, event) -> {
                    byte[] frame = codec.encode(event);
                    shared.afterSave(() -> channel.toUser(userId, frame));
                },
                new SupportService.SessionRooms() {
                    @Override
                    public void erase(String sessionId) {
                        shared.afterSave(() -> rooms.erase(sessionId));
                    }

                    // Stored data once, from here; the room on every node, this one included.
                    @Override
                    public void forget(String sessionId) {
                        shared.afterSave(() -> {
                            rooms.forgetStored(sessionId);
                            channel.closeRoom(sessionId);
                        });
                    }

                    @Override
                    public void evict(String sessionId, String userId) {
                        shared.afterSave(() -> channel.evict(sessionId, userId));
                    }
                },
                roomsForCondition,
                metrics,
                time.clock(),
                // Written once the command's state is saved, by the node that ran it.
                new SessionRecords() {
                    @Override
                    public void ended(SupportService.SessionRecord session) {
                        shared.afterSave(() -> records.ended(session));
                    }

                    @Override
                    public void rated(SupportService.SessionRecord session) {
                        shared.afterSave(() -> records.rated(session));
                    }

                    @Override
                    public void noted(String sessionId, String mentorId, String note, long at) {
                        shared.afterSave(() -> records.noted(sessionId, mentorId, note, at));
                    }
                });
        shared.attach(new SharedState.Copy() {
            @Override
            public void load(String stored) {
                SupportState state = stored == null ? empty() : decode(stored);
                service.restore(state);
                online = new HashMap<>();
                state.online().forEach((user, nodes) -> online.put(user, new ArrayList<>(nodes)));
            }

            @Override
            public String save() {
                return encode(service.snapshot(online));
            }
        });
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Commands

    @Override
    public CompletableFuture<ServerMessage> execute(Call call) {
        return shared.submit(() -> shared.locked(() -> {
            touches.forEach(service::touched);
            touches.clear();
            return call.run(service); // a refusal fails the future as it is
        }));
    }

    private SupportState empty() {
        return new SupportState(
                List.of(),
                List.of(),
                List.of(),
                Map.of(),
                settings.unavailableAfter().toSeconds(),
                Map.of());
    }

    @Override
    public CompletableFuture<Boolean> canAccess(String userId, String sessionId) {
        if (service.canAccess(userId, sessionId)) {
            return CompletableFuture.completedFuture(true);
        }
        // The local copy may not have heard of a session started elsewhere a moment ago: read the state again.
        return shared.submit(() -> {
            shared.load();
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
        shared.channel().toUserExcept(userId, nodeId + "/" + connectionId, codec.encode(event));
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

    @Override
    public void tick() {
        failures.watch("support bookkeeping", execute(s -> {
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
        return await(shared.submit(() -> {
            shared.load();
            return service.record(sessionId);
        }));
    }

    // ---------------------------------------------------------------------------------------------------------------

    private String encode(SupportState state) {
        try {
            return json.writeValueAsString(state);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private SupportState decode(String stored) {
        try {
            return json.readValue(stored, SupportState.class);
        } catch (IOException e) {
            throw new UncheckedIOException("the support state in Redis cannot be read", e);
        }
    }

    @Override
    public void close() {
        shared.close();
    }
}
