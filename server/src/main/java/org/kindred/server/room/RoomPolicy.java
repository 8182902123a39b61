package org.kindred.server.room;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.kindred.protocol.ErrorCode;
import org.kindred.protocol.ServerMessage;
import org.kindred.server.connection.Refusal;
import org.kindred.server.identity.Identity;

/**
 * The rules of one kind of room, owned by the feature whose rooms they are: configured rooms, one-to-one sessions,
 * group meetings. The session follows them for every command on a room; the room itself only orders and delivers.
 *
 * <p>Refusals are {@link Refusal}s (thrown, or a future failed with one). A check made on this node's view of the
 * feature's state may lag a change made on another node by a moment.
 */
public interface RoomPolicy {

    /**
     * Whether this user may use the room now: read and page its history, type, post, report in it. A room a user may
     * not use does not exist for it ({@code room_not_found}). May ask the cluster.
     */
    CompletableFuture<Boolean> admits(Identity user, String roomId);

    /**
     * Lets a connection into the room: completes with what follows its join reply (a meeting's state), or fails with
     * a refusal. By default, what {@link #admits} says, with nothing to follow.
     *
     * @param connectionId the connection, unique on this node
     */
    default CompletableFuture<Optional<ServerMessage>> enter(Identity user, String roomId, String connectionId) {
        return admits(user, roomId).thenApply(admitted -> {
            if (!admitted) {
                throw notFound(roomId);
            }
            return Optional.empty();
        });
    }

    /** A connection that entered left the room, or closed while in it. */
    default void left(String userId, String roomId, String connectionId) {}

    /**
     * Whether this user may post a message here now: completes with a grant, or fails with a refusal (who may post, a
     * session that ended, a meeting's controls). A grant may hold a turn (a meeting's slow mode), given back with
     * {@link Grant#giveBack()} when the message is not published after all.
     */
    CompletableFuture<Grant> mayPost(Identity user, String roomId, String clientMsgId);

    /** Why the room does not let this user type now, if it does not; typing is never stored. */
    default Optional<Refusal> typingRefusal(Identity user, String roomId) {
        return Optional.empty();
    }

    /** Whether a restriction (rooms read-only) applies here: one-to-one support stays open to restricted members. */
    default boolean restrictable() {
        return true;
    }

    /** A message was published here: what the feature does next (a session is not idle). */
    default void posted(String roomId) {}

    /** Who is told of a crisis in a message posted here, besides moderators; never its author. */
    default List<String> crisisHelpers(String roomId, String authorId) {
        return List.of();
    }

    /** How the author of a crisis is told of its {@link #crisisHelpers}: {@code mentor} or {@code facilitator}. */
    default String crisisHelperWord() {
        return "mentor";
    }

    /** Whether a moderator acting on a report may address the room (delete a message in it) without being in it. */
    boolean known(String roomId);

    /** Leave to post, perhaps holding a turn that must be given back when the message is not published. */
    @FunctionalInterface
    interface Grant {
        /** A grant that holds nothing. */
        Grant FREE = () -> {};

        /** The message was not published: the turn it held goes back. */
        void giveBack();
    }

    /** The refusal of a room this user may not use: to it, the room does not exist. */
    static Refusal notFound(String roomId) {
        return new Refusal(ErrorCode.ROOM_NOT_FOUND, "no room '" + roomId + "'");
    }
}
