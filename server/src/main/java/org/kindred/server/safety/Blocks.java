package org.kindred.server.safety;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who blocked whom, as this node knows it: read for every recipient of every broadcast, so it lives in memory and the
 * safety store keeps it up to date on every node. A block hides both ways.
 */
public final class Blocks {

    private final Map<String, Set<String>> blockedBy = new ConcurrentHashMap<>();

    public void add(String blocker, String blocked) {
        blockedBy.computeIfAbsent(blocker, id -> ConcurrentHashMap.newKeySet()).add(blocked);
    }

    public void remove(String blocker, String blocked) {
        blockedBy.computeIfPresent(blocker, (id, set) -> {
            set.remove(blocked);
            return set.isEmpty() ? null : set;
        });
    }

    public void replaceAll(Map<String, Set<String>> all) {
        blockedBy.clear();
        all.forEach((blocker, blocked) -> blocked.forEach(b -> add(blocker, b)));
    }

    /** Whether either user blocked the other. Cheap when nobody blocks anybody. */
    public boolean hidden(String a, String b) {
        if (blockedBy.isEmpty()) {
            return false;
        }
        Set<String> byA = blockedBy.get(a);
        if (byA != null && byA.contains(b)) {
            return true;
        }
        Set<String> byB = blockedBy.get(b);
        return byB != null && byB.contains(a);
    }
}
