package org.kindred.server.broker;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.kindred.protocol.ServerMessage.ChatMessage;
import org.kindred.protocol.UserInfo;

/**
 * The cross-node engine of rooms. Domain code talks to this interface only and does not know which implementation
 * runs.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>{@link #append} is atomic: the next sequence number, the history entry, the idempotency record and the
 *       publication to every subscribed node happen as one step, so every node sees one order. Its future completes
 *       only once the message is stored. A failed future means nothing was stored, except a failure with the refusal
 *       {@code outcome_unknown}: the store stopped answering after it was handed the message, which may be stored.
 *       Either way the same call may be repeated (same client message id) without risk of a double.</li>
 *   <li>Subscribers receive a room's messages in sequence order, <em>at most once</em>: a transport may drop some (a
 *       Redis pub/sub connection that breaks), never reorder them. A subscriber that sees a gap in sequence numbers,
 *       or is told {@link RoomFeed#onResync()}, reads what it missed with {@link #readAfter}.</li>
 *   <li>Presence and typing events are at most once and not stored; presence state itself is stored, and
 *       {@link #presence} reads it.</li>
 *   <li>A room's epoch changes when its history is reset (a store that lost its data, or came back with older data
 *       than was delivered); sequence numbers of one epoch mean nothing in another. A sequence number never names two
 *       messages under one epoch.</li>
 * </ul>
 * Futures may complete on any thread. Callbacks of a {@link RoomFeed} for one room never run concurrently.
 */
public interface Broker extends AutoCloseable {

    /** Stores and publishes a message, or returns the original when this author already sent this client message id. */
    CompletableFuture<Appended> append(String room, UserInfo author, String clientMsgId, String text);

    /** Stored messages with a sequence number above {@code afterSeq}, oldest first, at most {@code limit}. */
    CompletableFuture<Slice> readAfter(String room, long afterSeq, int limit);

    /** The newest stored messages below {@code beforeSeq}, oldest first, at most {@code limit}. */
    CompletableFuture<Slice> readBefore(String room, long beforeSeq, int limit);

    /** Starts delivering the room's events to this node; completes once events will flow. One feed per room. */
    CompletableFuture<Void> subscribe(String room, RoomFeed feed);

    /** Stops delivering the room's events to this node. */
    void unsubscribe(String room);

    /** Tells every node that a user started or stopped typing; not stored. */
    void typing(String room, UserInfo user, boolean active);

    /**
     * Records that this node has the user in the room. Every node hears one
     * {@link org.kindred.protocol.ServerMessage.PresenceJoined} when the user was not present on any node before.
     */
    CompletableFuture<Void> presenceJoin(String room, UserInfo user);

    /**
     * Records that this node no longer has the user in the room. Every node hears one
     * {@link org.kindred.protocol.ServerMessage.PresenceLeft} when no node has the user any more.
     */
    CompletableFuture<Void> presenceLeave(String room, String userId);

    /** The users present in the room on any node, in order of arrival. */
    CompletableFuture<List<UserInfo>> presence(String room);

    /**
     * Replaces a stored message with its tombstone and tells every subscribed node ({@link RoomFeed#onDeleted}). The
     * text is gone from the store (history and idempotency records) once this completes. Empty when the room keeps no
     * message with that seq.
     */
    CompletableFuture<Optional<ChatMessage>> redact(String room, long seq, String reason);

    /**
     * Replaces a stored message with its edited version (same room, seq and id), if the room still holds it exactly as
     * {@code current} (compare-and-set: a message deleted or edited meanwhile is left as it is), and tells every
     * subscribed node ({@link RoomFeed#onEdited}). The previous text is gone from the store once this completes with
     * true; false means nothing changed.
     */
    CompletableFuture<Boolean> edit(ChatMessage current, ChatMessage edited);

    /** Deletes every stored message of the room; its sequence numbers and epoch go on. */
    CompletableFuture<Void> erase(String room);

    /** Forgets the room entirely: messages, sequence, epoch and presence. For rooms nobody will use again. */
    CompletableFuture<Void> forget(String room);

    /** Whether the broker can serve right now (store reachable, subscriptions live). */
    boolean ready();

    /** Leaves the cluster cleanly: this node's users leave their rooms at once, then connections close. */
    @Override
    void close();

    /** Stops without a goodbye, as a crash would; others find out by themselves. For failure tests. */
    default void halt() {
        close();
    }

    /**
     * A stored message, as {@link #append} returns it.
     *
     * @param message   the message with its sequence number, id and timestamp
     * @param duplicate true when the author had already sent this client message id; nothing new was stored
     */
    record Appended(ChatMessage message, boolean duplicate) {}

    /**
     * Part of a room's history.
     *
     * @param epoch    the room's current epoch
     * @param lastSeq  the newest sequence number of the room (0 when it has none)
     * @param messages stored messages, oldest first
     * @param hasOlder whether messages older than the first of {@code messages} are still stored
     */
    record Slice(String epoch, long lastSeq, List<ChatMessage> messages, boolean hasOlder) {
        public Slice {
            messages = List.copyOf(messages);
        }

        /** The sequence number of the oldest message in this slice, or {@code lastSeq + 1} when it is empty. */
        public long firstSeq() {
            return messages.isEmpty() ? lastSeq + 1 : messages.getFirst().seq();
        }
    }
}
