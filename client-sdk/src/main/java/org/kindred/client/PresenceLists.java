package org.kindred.client;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.UserInfo;

/**
 * The member list of each joined room, kept from the join reply, pages of the {@code presence} command and the
 * presence events, applied in the order the server sent them: a list that was loaded page by page converges to the
 * room's presence because every change after a page reaches the client after it. Written on the client's thread; read
 * from any thread.
 */
final class PresenceLists {

    private static final class Room {
        final TreeMap<String, UserInfo> members = new TreeMap<>();
        int online;
        boolean complete;
        /** Whether every page was asked for: the list is complete once the last page arrived. */
        boolean paging;

        synchronized RoomPresence snapshot(String room) {
            return new RoomPresence(room, online, members.values().stream().toList(), complete);
        }
    }

    private final Map<String, Room> rooms = new ConcurrentHashMap<>();

    /** The join reply: the list starts over from it. */
    void joined(ServerMessage.Joined joined) {
        Room room = new Room();
        synchronized (room) {
            joined.presence().forEach(u -> room.members.put(u.id(), u));
            room.online = joined.online();
            room.complete = joined.presenceNext() == null;
        }
        rooms.put(joined.room(), room);
    }

    /** The client starts loading every page after the join reply. */
    void pagingStarted(String roomId) {
        Room room = rooms.get(roomId);
        if (room != null) {
            synchronized (room) {
                room.paging = true;
            }
        }
    }

    void page(ServerMessage.Presence page) {
        Room room = rooms.get(page.room());
        if (room == null) {
            return;
        }
        synchronized (room) {
            page.users().forEach(u -> room.members.put(u.id(), u));
            room.online = page.online();
            if (page.next() == null && room.paging) {
                room.complete = true;
            }
        }
    }

    void arrived(String roomId, UserInfo user, int online) {
        Room room = rooms.get(roomId);
        if (room != null) {
            synchronized (room) {
                room.members.put(user.id(), user);
                room.online = online;
            }
        }
    }

    void left(String roomId, UserInfo user, int online) {
        Room room = rooms.get(roomId);
        if (room != null) {
            synchronized (room) {
                room.members.remove(user.id());
                room.online = online;
            }
        }
    }

    void diff(ServerMessage.PresenceDiff diff) {
        Room room = rooms.get(diff.room());
        if (room != null) {
            synchronized (room) {
                diff.joins().forEach(u -> room.members.put(u.id(), u));
                diff.leaves().forEach(u -> room.members.remove(u.id()));
                room.online = diff.online();
            }
        }
    }

    /** A count-only room's new count: it lists nobody, so only the count changes. */
    void counted(ServerMessage.PresenceCount count) {
        Room room = rooms.get(count.room());
        if (room != null) {
            synchronized (room) {
                room.online = count.online();
            }
        }
    }

    void forget(String roomId) {
        rooms.remove(roomId);
    }

    Optional<RoomPresence> get(String roomId) {
        return Optional.ofNullable(rooms.get(roomId)).map(room -> room.snapshot(roomId));
    }
}
