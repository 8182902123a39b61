package org.kindred.server.group;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.kindred.protocol.ErrorCode;
import org.kindred.protocol.ServerMessage;
import org.kindred.server.config.RoomRule;
import org.kindred.server.connection.Refusal;
import org.kindred.server.identity.Identity;
import org.kindred.server.room.RoomKind;
import org.kindred.server.room.RoomPolicy;

/**
 * The rules of group meeting rooms ({@code docs/groups.md}): entering is a group command (phase, ban, registration,
 * capacity, checked cluster-wide) whose meeting state follows the join reply; posting and typing follow the meeting's
 * controls on this node's copy of the group state; a slow mode holds one turn per period, given back when the message
 * is not published; a crisis in a meeting is also told to the group's facilitators.
 */
public final class MeetingRoomPolicy implements RoomPolicy {

    /** Meeting rooms: ids {@code g-…} (the group's id and the meeting's start), the default content rules. */
    public static final RoomKind KIND = new RoomKind("g-", "Group meeting", RoomRule.DEFAULTS);

    private static final CompletableFuture<Grant> FREE = CompletableFuture.completedFuture(Grant.FREE);

    private final GroupStore store;

    public MeetingRoomPolicy(GroupStore store) {
        this.store = store;
    }

    @Override
    public CompletableFuture<Boolean> admits(Identity user, String roomId) {
        return CompletableFuture.completedFuture(store.isMeetingRoom(roomId));
    }

    @Override
    public CompletableFuture<Optional<ServerMessage>> enter(Identity user, String roomId, String connectionId) {
        String key = store.connectionKey(connectionId);
        return store.execute(s -> s.access().enter(Actor.of(user), roomId, key)).thenApply(Optional::of);
    }

    @Override
    public void left(String userId, String roomId, String connectionId) {
        store.left(userId, roomId, connectionId);
    }

    @Override
    public CompletableFuture<Grant> mayPost(Identity user, String roomId, String clientMsgId) {
        int slowModeSeconds;
        try {
            slowModeSeconds = store.checkPost(roomId, Actor.of(user));
        } catch (Refusal refused) {
            return CompletableFuture.failedFuture(refused);
        }
        if (slowModeSeconds == 0) {
            return FREE;
        }
        String userId = user.userId();
        return store.takeTurn(roomId, userId, clientMsgId, slowModeSeconds).thenApply(waitMs -> {
            if (waitMs > 0) {
                throw new Refusal(
                        ErrorCode.SLOW_MODE,
                        "slow mode: one message every " + slowModeSeconds + " s; your next in " + (waitMs + 999) / 1000
                                + " s",
                        waitMs);
            }
            return () -> store.giveBackTurn(roomId, userId, clientMsgId);
        });
    }

    @Override
    public Optional<Refusal> typingRefusal(Identity user, String roomId) {
        try {
            store.checkPost(roomId, Actor.of(user));
            return Optional.empty();
        } catch (Refusal refused) {
            return Optional.of(refused);
        }
    }

    @Override
    public String crisisHelperWord() {
        return "facilitator";
    }

    @Override
    public List<String> crisisHelpers(String roomId, String authorId) {
        return store.facilitatorsOf(roomId).stream()
                .filter(facilitator -> !facilitator.equals(authorId))
                .toList();
    }

    @Override
    public boolean known(String roomId) {
        return store.isMeetingRoom(roomId);
    }
}
