package org.kindred.server.support;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.kindred.protocol.ErrorCode;
import org.kindred.server.connection.Refusal;
import org.kindred.server.identity.Identity;
import org.kindred.server.room.RoomKind;
import org.kindred.server.room.RoomPolicy;

/**
 * The rules of one-to-one session rooms ({@code docs/support.md}): only the session's two participants may use its
 * room (to anyone else it does not exist); an ended session takes no more messages but its transcript can still be
 * read; no content rules apply in a private conversation, nor does a restriction (support stays open to restricted
 * members); a crisis in it is also told to its mentor.
 */
public final class SessionRoomPolicy implements RoomPolicy {

    /** Session rooms: ids {@code s-…}, no content rules. */
    public static final RoomKind KIND = new RoomKind("s-", "One-to-one session", Set.of());

    private static final CompletableFuture<Grant> FREE = CompletableFuture.completedFuture(Grant.FREE);

    private final SupportStore store;

    public SessionRoomPolicy(SupportStore store) {
        this.store = store;
    }

    @Override
    public CompletableFuture<Boolean> admits(Identity user, String roomId) {
        return store.canAccess(user.userId(), roomId);
    }

    @Override
    public CompletableFuture<Grant> mayPost(Identity user, String roomId, String clientMsgId) {
        return store.isOpen(roomId)
                ? FREE
                : CompletableFuture.failedFuture(new Refusal(ErrorCode.SESSION_ENDED, "this session has ended"));
    }

    @Override
    public boolean restrictable() {
        return false;
    }

    @Override
    public void posted(String roomId) {
        store.touched(roomId);
    }

    @Override
    public List<String> crisisHelpers(String roomId, String authorId) {
        return store.mentorOf(roomId).filter(mentor -> !mentor.equals(authorId)).stream()
                .toList();
    }

    /** A moderator acting on a report may delete a message in any session. */
    @Override
    public boolean known(String roomId) {
        return true;
    }
}
