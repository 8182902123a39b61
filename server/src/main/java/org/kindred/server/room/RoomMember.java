package org.kindred.server.room;

import org.kindred.protocol.UserInfo;
import org.kindred.server.connection.Connection;

/** One connection of a user in a room. */
public record RoomMember(Connection connection, UserInfo user) {}
