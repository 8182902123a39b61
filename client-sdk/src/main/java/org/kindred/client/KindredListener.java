package org.kindred.client;

import org.kindred.protocol.ServerMessage;

/**
 * Receives a {@link KindredClient}'s events. Every method does nothing by default; override the ones you need.
 *
 * <p>Methods are called one at a time, in the order the events happened, on the client's callback executor (by
 * default one thread owned by the client). A method that throws is logged and does not stop later events. Do not
 * block in a callback waiting for a future of the same client: the future is completed on the same executor.
 *
 * <p>Connection life cycle: {@link #onConnected} when a session is ready (after {@code connect()}, and after every
 * automatic reconnect once every room was re-joined, each with {@link #onResumed}); {@link #onDisconnected} when it
 * drops, telling whether the client will reconnect by itself.
 */
public interface KindredListener {

    /**
     * A chat message, live or from the history a join returned. Called exactly once per message of a joined room, in
     * ascending {@code seq} order per room, across reconnects. After a room's history was reset (new epoch) the
     * sequence starts again from the new history.
     */
    default void onMessage(ServerMessage.ChatMessage message) {
    }

    /** A user entered a joined room. */
    default void onPresenceJoined(ServerMessage.PresenceJoined event) {
    }

    /** A user left a joined room. */
    default void onPresenceLeft(ServerMessage.PresenceLeft event) {
    }

    /** Another user started or stopped typing in a joined room. */
    default void onTyping(ServerMessage.TypingEvent event) {
    }

    /**
     * An error that no pending command is waiting for: an error without {@code ref}, an error about a {@code typing}
     * command, or the failure to re-join a room after a reconnect (the room is then no longer joined).
     */
    default void onError(ServerMessage.Error error) {
    }

    /** A session is ready: the server welcomed the client and, after a reconnect, every room was re-joined. */
    default void onConnected(ServerMessage.Welcome welcome) {
    }

    /**
     * The connection closed or could not be re-established.
     *
     * @param closeCode     the WebSocket close code; 1006 when the network failed without a close frame
     * @param reason        the close reason, possibly empty
     * @param willReconnect true when the client reconnects by itself; false when it stopped (terminal close code,
     *                      reconnect attempts exhausted, or {@link KindredClient#close()})
     */
    default void onDisconnected(int closeCode, String reason, boolean willReconnect) {
    }

    /**
     * A room was re-joined after a reconnect. Messages missed while disconnected were delivered through
     * {@link #onMessage} just before this call.
     *
     * @param room      the room id
     * @param recovered true when every missed message was recovered; false when some could not be (the room's history
     *                  no longer reached back far enough, or was reset)
     */
    default void onResumed(String room, boolean recovered) {
    }
}
