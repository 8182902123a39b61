package org.kindred.server.broker;

import org.kindred.protocol.ServerMessage;

/** Receives one room's events on a node. Calls for one room never overlap. */
public interface RoomFeed {

    /** A stored message of the room, with the epoch it belongs to. */
    void onMessage(String epoch, ServerMessage.ChatMessage message);

    /** A user arrived in the room (on any node), first device anywhere. */
    void onPresenceJoined(ServerMessage.PresenceJoined event);

    /** A user left the room (on every node), last device anywhere. */
    void onPresenceLeft(ServerMessage.PresenceLeft event);

    /** A user started or stopped typing. */
    void onTyping(ServerMessage.TypingEvent event);

    /** A moderator deleted a message. */
    void onDeleted(ServerMessage.MessageDeleted event);

    /** An author edited its message. */
    void onEdited(ServerMessage.MessageEdited event);

    /** Events may have been missed (the broker reconnected): the subscriber should check for gaps. */
    void onResync();

    /**
     * Presence events may have been missed (the broker reconnected): the subscriber should read the room's presence
     * again. Messages are caught up by {@link #onResync()}.
     */
    default void onPresenceResync() {}
}
