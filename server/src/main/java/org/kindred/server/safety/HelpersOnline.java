package org.kindred.server.safety;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kindred.server.connection.ConnectedUsers;

/**
 * The people who can help with a crisis who are connected now, on any node, with what they are (moderator,
 * experienced mentor, mentor, facilitator): what {@code crisis_support} honestly says was told, and who an escalated
 * alert goes to. A node knows its own connections at once and the other nodes' within seconds.
 */
public record HelpersOnline(Map<String, Set<String>> byUser) {

    public static final HelpersOnline NOBODY = new HelpersOnline(Map.of());

    public HelpersOnline {
        byUser = Map.copyOf(byUser);
    }

    /** Whether a moderator is connected anywhere. */
    public boolean moderators() {
        return byUser.values().stream().anyMatch(kinds -> kinds.contains(ConnectedUsers.MODERATOR));
    }

    /** Whether this user is connected anywhere (as someone who can help). */
    public boolean online(String userId) {
        return byUser.containsKey(userId);
    }

    /** The experienced mentors connected anywhere. */
    public List<String> experiencedMentors() {
        return byUser.entrySet().stream()
                .filter(e -> e.getValue().contains(ConnectedUsers.EXPERIENCED_MENTOR))
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
    }

    /** Both together: one user connected to two nodes is one helper with what either node knows of it. */
    public HelpersOnline and(Map<String, Set<String>> more) {
        Map<String, Set<String>> merged = new HashMap<>();
        byUser.forEach((user, kinds) -> merged.put(user, new HashSet<>(kinds)));
        more.forEach((user, kinds) ->
                merged.computeIfAbsent(user, u -> new HashSet<>()).addAll(kinds));
        return new HelpersOnline(merged);
    }
}
