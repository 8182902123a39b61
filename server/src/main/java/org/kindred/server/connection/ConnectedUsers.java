package org.kindred.server.connection;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The signed-in connections of this node, by user: how a service reaches a user on all its devices. */
public final class ConnectedUsers {

    private final Map<String, Set<Connection>> byUser = new ConcurrentHashMap<>();
    /** Moderators connected to this node: they hear alerts and reports. */
    private final Set<String> moderators = ConcurrentHashMap.newKeySet();

    /** Records a signed-in moderator's connection; returns true when it is the user's first on this node. */
    public boolean addModerator(String userId, Connection connection) {
        moderators.add(userId);
        return add(userId, connection);
    }

    /** Records a signed-in connection; returns true when it is the user's first on this node. */
    public boolean add(String userId, Connection connection) {
        boolean[] first = {false};
        byUser.compute(userId, (id, set) -> {
            Set<Connection> connections = set == null ? ConcurrentHashMap.newKeySet() : set;
            first[0] = connections.isEmpty();
            connections.add(connection);
            return connections;
        });
        return first[0];
    }

    /** Forgets a connection; returns true when the user has no connection left on this node. */
    public boolean remove(String userId, Connection connection) {
        boolean[] last = {false};
        byUser.computeIfPresent(userId, (id, connections) -> {
            connections.remove(connection);
            last[0] = connections.isEmpty();
            return connections.isEmpty() ? null : connections;
        });
        if (last[0]) {
            moderators.remove(userId);
        }
        return last[0];
    }

    public boolean isConnected(String userId) {
        return byUser.containsKey(userId);
    }

    /** Closes every connection of the user on this node. */
    public void closeAll(String userId, org.kindred.protocol.CloseCode code) {
        Set<Connection> connections = byUser.get(userId);
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
        Set<Connection> connections = byUser.get(userId);
        if (connections != null) {
            connections.stream()
                    .filter(connection -> !connection.id().equals(exceptConnectionId))
                    .forEach(connection -> connection.send(frame));
        }
    }

    /** Sends a frame to every connection of the user on this node; returns whether there was any. */
    public boolean send(String userId, EncodedFrame frame) {
        Set<Connection> connections = byUser.get(userId);
        if (connections == null) {
            return false;
        }
        connections.forEach(connection -> connection.send(frame));
        return true;
    }
}
