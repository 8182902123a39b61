package org.kindred.server.redis;

/**
 * What one node tells the others through Redis pub/sub. Every event has a kind, then its fields; what an event is for
 * (a user, the moderators, a room) is a field, never mixed with the kind. {@link ClusterEventCodec} is the one wire
 * form, shared with the Lua scripts that publish room events.
 */
sealed interface ClusterEvent {

    /** A stored message of a room (published by the append script), with the room's epoch. */
    record RoomMessage(String epoch, String message) implements ClusterEvent {}

    /** A user arrived in a room on some node, first device anywhere (published by the presence script). */
    record PresenceJoined(String event) implements ClusterEvent {}

    /** A user left a room on every node (published by the presence script). */
    record PresenceLeft(String event) implements ClusterEvent {}

    /** A user started or stopped typing in a room. */
    record Typing(String event) implements ClusterEvent {}

    /** A moderator deleted a message of a room. */
    record Deleted(String event) implements ClusterEvent {}

    /** An author edited a message of a room. */
    record Edited(String event) implements ClusterEvent {}

    /** A frame for every connection of a user, on whichever node it is connected. */
    record ToUser(String userId, String frame) implements ClusterEvent {}

    /**
     * A frame for a user's connections but one, which has its reply already.
     *
     * @param except the connection that is left out: its node's id, a slash, its id on that node
     */
    record ToUserExcept(String userId, String except, String frame) implements ClusterEvent {}

    /** A frame for the moderators connected to any node. */
    record ToModerators(String frame) implements ClusterEvent {}

    /**
     * A node committed changes to a store's entities: the others swap them into their read models.
     *
     * @param changes the entities with their new versions (JSON, written and read by {@code EntityDesk})
     */
    record EntitiesChanged(String nodeId, String changes) implements ClusterEvent {}

    /** A user must leave a room on every node (it lost its access). */
    record Evict(String room, String userId) implements ClusterEvent {}

    /** Everyone must leave a room on every node: its data is gone. */
    record CloseRoom(String room) implements ClusterEvent {}

    /** A sanction was applied (its JSON): every node carries it out for its connections. */
    record SanctionApplied(String sanction) implements ClusterEvent {}

    /** A sanction was lifted (its JSON). */
    record SanctionLifted(String sanction) implements ClusterEvent {}

    /** A user blocked another. */
    record Blocked(String blocker, String blocked) implements ClusterEvent {}

    /** A user lifted a block. */
    record Unblocked(String blocker, String blocked) implements ClusterEvent {}

    /** A room made at run time was created, edited, archived or restored: every node reads it again from SQL. */
    record RoomChanged(String room) implements ClusterEvent {}
}
