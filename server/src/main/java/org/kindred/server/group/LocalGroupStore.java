package org.kindred.server.group;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.WireCodec;
import org.kindred.server.connection.ConnectedUsers;
import org.kindred.server.connection.EncodedFrame;
import org.kindred.server.connection.Refusal;

/**
 * Group sessions on a single node: the service's own lock orders the commands; turns are kept in memory. Groups are
 * loaded from the {@link GroupRecords} at start and every change is handed to them, so schedules, registrations and
 * attendance outlive a restart.
 */
public final class LocalGroupStore implements GroupStore {

    private record Turn(String clientMsgId, long until) {}

    private final GroupService service;
    private final Clock clock;
    private final Map<String, Turn> turns = new ConcurrentHashMap<>();
    private final GroupPersistence persistence;

    /** Events to this node's connections, each encoded once for all its recipients. */
    public static GroupService.Notifier notifying(ConnectedUsers users, WireCodec codec) {
        return (userIds, event) -> {
            if (!userIds.isEmpty()) {
                EncodedFrame frame = new EncodedFrame(codec.encode(event));
                userIds.forEach(userId -> users.send(userId, frame));
            }
        };
    }

    /** Groups kept only in memory (tests of the service). */
    public LocalGroupStore(GroupService service, Clock clock) {
        this(service, clock, GroupRecords.NONE);
    }

    public LocalGroupStore(GroupService service, Clock clock, GroupRecords records) {
        this.service = service;
        this.clock = clock;
        this.persistence = new GroupPersistence(service, records);
        persistence.restore();
        // Connections counted present before the restart are gone.
        service.access().nodesGone(java.util.Set.of(NODE));
        persistence.persist();
    }

    private static final String NODE = "local";

    @Override
    public CompletableFuture<ServerMessage> execute(Call call) {
        try {
            return CompletableFuture.completedFuture(call.run(service));
        } catch (Refusal e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            persistence.persist();
        }
    }

    @Override
    public CompletableFuture<ServerMessage> read(Call call) {
        try {
            return CompletableFuture.completedFuture(call.run(service));
        } catch (Refusal e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void left(String userId, String room, String connectionId) {
        service.access().left(userId, room, connectionKey(connectionId));
        persistence.persist();
    }

    @Override
    public String connectionKey(String connectionId) {
        return NODE + "/" + connectionId;
    }

    @Override
    public int checkPost(String room, Actor actor) {
        return service.access().checkPost(room, actor);
    }

    @Override
    public CompletableFuture<Long> takeTurn(String room, String userId, String clientMsgId, int periodSeconds) {
        long now = clock.millis();
        long[] wait = {0};
        turns.compute(room + "\n" + userId, (key, turn) -> {
            if (turn == null || turn.until() <= now || turn.clientMsgId().equals(clientMsgId)) {
                return turn != null && turn.until() > now ? turn : new Turn(clientMsgId, now + periodSeconds * 1000L);
            }
            wait[0] = turn.until() - now;
            return turn;
        });
        turns.values().removeIf(turn -> turn.until() <= now);
        return CompletableFuture.completedFuture(wait[0]);
    }

    @Override
    public void giveBackTurn(String room, String userId, String clientMsgId) {
        turns.computeIfPresent(
                room + "\n" + userId, (key, turn) -> turn.clientMsgId().equals(clientMsgId) ? null : turn);
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

    @Override
    public void tick() {
        if (service.due()) {
            service.tick();
            persistence.persist();
        }
    }

    @Override
    public void close() {}
}
