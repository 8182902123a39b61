package org.kindred.client;

import java.util.List;
import org.kindred.protocol.UserInfo;

/**
 * Who is in a joined room, as the client knows it now.
 *
 * @param room     the room id
 * @param online   how many distinct users the server counts in the room
 * @param members  the users the client knows to be present, in the server's order (by user id): everyone when
 *                 {@code complete}; otherwise the first ones the join reply listed and whoever arrived since
 * @param complete whether {@code members} is everyone present (a small room, or the client loads every page: see
 *                 {@link KindredClient.Builder#exactPresence(boolean)})
 */
public record RoomPresence(String room, int online, List<UserInfo> members, boolean complete) {
    public RoomPresence {
        members = List.copyOf(members);
    }
}
