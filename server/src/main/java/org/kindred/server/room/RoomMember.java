package org.kindred.server.room;

import org.kindred.protocol.UserInfo;
import org.kindred.server.connection.Connection;

/**
 * One connection of a user in a room.
 *
 * @param listed false for a connection whose user chose to be invisible: it reads and posts, but is neither listed
 *               nor counted in the room's presence
 */
public record RoomMember(Connection connection, UserInfo user, boolean listed) {

    /** A connection that shows in the room's presence. */
    public RoomMember(Connection connection, UserInfo user) {
        this(connection, user, true);
    }
}
