package org.kindred.server.connection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The signed-in connections of this node, by user: how a service reaches a user on all its devices. */
public final class ConnectedUsers {

    /**
     * A user's connections as an immutable list, replaced as a whole under the map's lock of that user: most users have
     * one or two connections, and a list of one costs 24 bytes where a concurrent set cost ≈ 200 (on a node holding
     * tens of thousands of idle members, that is ≈ 2 % of what each costs).
     */
    private final Map<String, List<Connection>> byUser = new ConcurrentHashMap<>();
    /** Moderators connected to this node: they hear alerts and reports. */
    private final Set<String> moderators = ConcurrentHashMap.newKeySet();
    /**
     * The people who can help with a crisis connected to this node, by user, with what they are ({@link #MODERATOR},
     * {@link #EXPERIENCED_MENTOR}, {@link #MENTOR}, {@link #FACILITATOR}): who a crisis alert can honestly be said to
     * reach, and who an escalation goes to.
     */
    private final Map<String, Set<String>> helpers = new ConcurrentHashMap<>();

    public static final String MODERATOR = "moderator";
    public static final String EXPERIENCED_MENTOR = "experienced_mentor";
    public static final String MENTOR = "mentor";
    public static final String FACILITATOR = "facilitator";

    /**
     * Records a signed-in connection of someone who can help ({@code kinds} among {@link #MODERATOR},
     * {@link #EXPERIENCED_MENTOR}, {@link #MENTOR}, {@link #FACILITATOR}; empty for a plain member); returns true when
     * it is the user's first on this node.
     */
    public boolean add(String userId, Connection connection, Set<String> kinds) {
        if (kinds.contains(MODERATOR)) {
            moderators.add(userId);
        }
        if (!kinds.isEmpty()) {
            helpers.put(userId, Set.copyOf(kinds));
        }
        return add(userId, connection);
    }

    /** Whether a moderator is connected to this node. */
    public boolean hasModerators() {
        return !moderators.isEmpty();
    }

    /** The helpers connected to this node, by user, with what they are. */
    public Map<String, Set<String>> helpers() {
        return Map.copyOf(helpers);
    }

    /** Records a signed-in moderator's connection; returns true when it is the user's first on this node. */
    public boolean addModerator(String userId, Connection connection) {
        return add(userId, connection, Set.of(MODERATOR));
    }

    /** Records a signed-in connection; returns true when it is the user's first on this node. */
    public boolean add(String userId, Connection connection) {
        boolean[] first = {false};
        byUser.compute(userId, (id, connections) -> {
            first[0] = connections == null;
            return connections == null ? List.of(connection) : with(connections, connection);
        });
        return first[0];
    }

    /** Forgets a connection; returns true when the user has no connection left on this node. */
    public boolean remove(String userId, Connection connection) {
        boolean[] last = {false};
        byUser.computeIfPresent(userId, (id, connections) -> {
            List<Connection> left = without(connections, connection);
            last[0] = left.isEmpty();
            return left.isEmpty() ? null : left;
        });
        if (last[0]) {
            moderators.remove(userId);
            helpers.remove(userId);
        }
        return last[0];
    }

    private static List<Connection> with(List<Connection> connections, Connection added) {
        if (connections.contains(added)) {
            return connections;
        }
        List<Connection> all = new ArrayList<>(connections.size() + 1);
        all.addAll(connections);
        all.add(added);
        return List.copyOf(all);
    }

    private static List<Connection> without(List<Connection> connections, Connection removed) {
        return connections.stream().filter(c -> c != removed).toList();
    }

    /** How many connections the user has on this node. */
    public int count(String userId) {
        List<Connection> connections = byUser.get(userId);
        return connections == null ? 0 : connections.size();
    }

    public boolean isConnected(String userId) {
        return byUser.containsKey(userId);
    }

    /** Closes every connection of the user on this node. */
    public void closeAll(String userId, org.kindred.protocol.CloseCode code) {
        List<Connection> connections = byUser.get(userId);
        if (connections != null) {
            connections.forEach(connection -> connection.close(code));
        }
    }

    /** Sends a frame to every connection of every moderator on this node. */
    public void sendToModerators(EncodedFrame frame) {
        moderators.forEach(userId -> send(userId, frame));
    }

    /** Sends a frame to every connection of the user on this node but one (null: all of them). */
    public void sendExcept(String userId, String exceptConnectionId, EncodedFrame frame) {
        List<Connection> connections = byUser.get(userId);
        if (connections != null) {
            connections.stream()
                    .filter(connection -> !connection.id().equals(exceptConnectionId))
                    .forEach(connection -> connection.send(frame));
        }
    }

    /** Sends a frame to every connection of the user on this node; returns whether there was any. */
    public boolean send(String userId, EncodedFrame frame) {
        List<Connection> connections = byUser.get(userId);
        if (connections == null) {
            return false;
        }
        connections.forEach(connection -> connection.send(frame));
        return true;
    }
}
