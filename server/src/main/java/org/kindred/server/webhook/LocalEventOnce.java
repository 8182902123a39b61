package org.kindred.server.webhook;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** The claims of one node, in memory: the most recent {@value #REMEMBERED} keys. */
public final class LocalEventOnce implements EventOnce {

    /** Repeats come within seconds of each other (both participants, a reconnect): forgetting old keys is safe. */
    static final int REMEMBERED = 10_000;

    private final Set<String> claimed = ConcurrentHashMap.newKeySet();

    @Override
    public CompletableFuture<Boolean> claim(String key) {
        boolean first = claimed.add(key);
        if (first && claimed.size() > REMEMBERED) {
            claimed.clear();
            claimed.add(key);
        }
        return CompletableFuture.completedFuture(first);
    }
}
