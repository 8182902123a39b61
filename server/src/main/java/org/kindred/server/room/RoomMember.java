package org.kindred.server.room;

import org.kindred.protocol.UserInfo;
import org.kindred.server.connection.Connection;

/**
 * One connection of a user in a room.
 *
 * @param pagedPresence whether the client speaks paged presence (protocol version 2): a capped list in {@code joined},
 *                      the {@code presence} command, and {@code presence_diff} in busy rooms; otherwise it gets the whole
 *                      list and an event per change (version 1)
 * @param listed        false for a connection whose user chose to be invisible: it reads and posts, but is neither
 *                      listed nor counted in the room's presence
 */
public record RoomMember(Connection connection, UserInfo user, boolean pagedPresence, boolean listed) {

    /** A visible member of protocol version 1: the whole presence list in {@code joined}, an event per change. */
    public RoomMember(Connection connection, UserInfo user) {
        this(connection, user, false, true);
    }

    /** A visible member, speaking paged presence or not. */
    public RoomMember(Connection connection, UserInfo user, boolean pagedPresence) {
        this(connection, user, pagedPresence, true);
    }
}
