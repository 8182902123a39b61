package org.kindred.server.room;

import org.kindred.protocol.UserInfo;
import org.kindred.server.connection.Connection;

/**
 * One connection of a user in a room.
 *
 * @param pagedPresence whether the client speaks paged presence (protocol version 2): a capped list in {@code joined},
 *                      the {@code presence} command, and {@code presence_diff} in busy rooms; otherwise it gets the whole
 *                      list and an event per change (version 1)
 */
public record RoomMember(Connection connection, UserInfo user, boolean pagedPresence) {

    /** A member of protocol version 1: the whole presence list in {@code joined}, an event per change. */
    public RoomMember(Connection connection, UserInfo user) {
        this(connection, user, false);
    }
}
