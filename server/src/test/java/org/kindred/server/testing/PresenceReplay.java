package org.kindred.server.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.kindred.protocol.ClientMessage;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.UserInfo;

/**
 * What a client of protocol version 2 knows of a room's presence after applying, in the order received, every frame
 * about it: the join reply starts the list over, pages add to it, events change it.
 */
public final class PresenceReplay {

    private PresenceReplay() {}

    /** The pseudonyms present in the room, as the frames tell. */
    public static Set<String> pseudonyms(String room, List<ServerMessage> frames) {
        return present(room, frames, UserInfo::pseudonym);
    }

    /** The users present in the room as the frames tell, each as the key gives it (its id, its pseudonym). */
    public static Set<String> present(String room, List<ServerMessage> frames, Function<UserInfo, String> key) {
        Set<String> names = new TreeSet<>();
        for (ServerMessage frame : frames) {
            switch (frame) {
                case ServerMessage.Joined j
                when j.room().equals(room) -> {
                    names.clear();
                    j.presence().forEach(u -> names.add(key.apply(u)));
                }
                case ServerMessage.Presence p
                when p.room().equals(room) -> p.users().forEach(u -> names.add(key.apply(u)));
                case ServerMessage.PresenceJoined e when e.room().equals(room) -> names.add(key.apply(e.user()));
                case ServerMessage.PresenceLeft e when e.room().equals(room) -> names.remove(key.apply(e.user()));
                case ServerMessage.PresenceDiff d
                when d.room().equals(room) -> {
                    d.joins().forEach(u -> names.add(key.apply(u)));
                    d.leaves().forEach(u -> names.remove(key.apply(u)));
                }
                default -> {}
            }
        }
        return names;
    }

    /** Pseudonyms of users. */
    public static Set<String> pseudonyms(List<UserInfo> users) {
        Set<String> names = new TreeSet<>();
        users.forEach(u -> names.add(u.pseudonym()));
        return names;
    }

    /**
     * Pages through a room's presence from a cursor with the {@code presence} command until the last page; returns
     * every user listed, in order.
     */
    public static List<UserInfo> pageAll(RawClient client, String room, String cursor, Integer limit) {
        List<UserInfo> users = new ArrayList<>();
        int page = 0;
        while (cursor != null) {
            String ref = "page-" + room + "-" + page++;
            client.send(new ClientMessage.FetchPresence(ref, room, cursor, limit));
            ServerMessage reply = client.awaitReply(ref);
            if (!(reply instanceof ServerMessage.Presence presence)) {
                throw new AssertionError("expected a presence page, got " + reply);
            }
            users.addAll(presence.users());
            cursor = presence.next();
        }
        return users;
    }
}
