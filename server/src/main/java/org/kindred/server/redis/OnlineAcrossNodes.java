package org.kindred.server.redis;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.kindred.server.connection.OnlineUsers;

/**
 * Which nodes each user is connected through, cluster-wide: the support desk's {@code online:<user>} entities as this
 * node last heard of them ({@link RedisSupportStore} keeps them, committed like any entity and cleared for a node
 * whose heartbeat lapsed or that restarted). Written on the support store's thread only; read from any thread, for
 * the price of a map lookup — no trip to Redis to know whether someone is online.
 */
public final class OnlineAcrossNodes implements OnlineUsers {

    /** Immutable, never empty lists: a reader on another thread sees one whole state or the next. */
    private final Map<String, List<String>> nodesOf = new ConcurrentHashMap<>();

    @Override
    public boolean online(String userId) {
        return nodesOf.containsKey(userId);
    }

    boolean through(String userId, String nodeId) {
        return nodesOf.getOrDefault(userId, List.of()).contains(nodeId);
    }

    /** True when the user is connected through this node and no other. */
    boolean onlyThrough(String userId, String nodeId) {
        return nodesOf.getOrDefault(userId, List.of()).equals(List.of(nodeId));
    }

    /** Replaces a user's nodes (none: offline). */
    void set(String userId, List<String> nodes) {
        if (nodes.isEmpty()) {
            nodesOf.remove(userId);
        } else {
            nodesOf.put(userId, List.copyOf(nodes));
        }
    }

    void add(String userId, String nodeId) {
        List<String> nodes = new ArrayList<>(nodesOf.getOrDefault(userId, List.of()));
        if (!nodes.contains(nodeId)) {
            nodes.add(nodeId);
            set(userId, nodes);
        }
    }

    /** Takes a node out of a user's; true when it was the user's last one (the user is now offline). */
    boolean remove(String userId, String nodeId) {
        List<String> nodes = new ArrayList<>(nodesOf.getOrDefault(userId, List.of()));
        boolean was = nodes.remove(nodeId);
        set(userId, nodes);
        return was && nodes.isEmpty();
    }

    /** Takes a node out of every user's; the users it leaves offline. */
    List<String> removeNode(String nodeId) {
        List<String> gone = new ArrayList<>();
        for (String user : List.copyOf(nodesOf.keySet())) {
            if (remove(user, nodeId)) {
                gone.add(user);
            }
        }
        return gone;
    }

    /** Every node some user is connected through. */
    Set<String> nodes() {
        Set<String> nodes = new LinkedHashSet<>();
        nodesOf.values().forEach(nodes::addAll);
        return nodes;
    }

    void forEach(BiConsumer<String, List<String>> action) {
        nodesOf.forEach(action);
    }
}
