package org.kindred.server.room;

import java.util.Set;
import org.kindred.server.config.RoomConfig;
import org.kindred.server.config.RoomRule;

/**
 * A kind of room a feature creates at run time (one-to-one sessions, group meetings), told apart from the others by
 * the start of its ids. Configured rooms may not take ids of such a kind: {@link RoomRegistry} refuses them at start-up.
 *
 * @param idPrefix what every id of the kind starts with, such as {@code "s-"}
 * @param title    what its rooms are called
 * @param rules    the content rules of its rooms
 */
public record RoomKind(String idPrefix, String title, Set<RoomRule> rules) {

    public RoomKind {
        rules = Set.copyOf(rules);
    }

    /** Whether an id is of this kind. */
    public boolean owns(String roomId) {
        return roomId.startsWith(idPrefix);
    }

    /** The configuration of one room of this kind: not listed, everyone in it may post. */
    RoomConfig configFor(String roomId) {
        return new RoomConfig(roomId, title, "", null, null, rules);
    }
}
