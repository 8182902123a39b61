package org.kindred.server.webhook;

import java.util.concurrent.CompletableFuture;

/**
 * Claims an event by a key naming it (a session's end, a member's reminder for one meeting), so that an event seen
 * twice — both participants told of one end, a session announced again to a member who reconnects, a command run
 * again after a lost race — leaves the cluster once. On one node the claims are kept in memory; in a cluster, in
 * Redis ({@code SET NX}), so two nodes never both send one event.
 */
public interface EventOnce {

    /** True for the first claim of this key (within a day); false once it was claimed, by this node or another. */
    CompletableFuture<Boolean> claim(String key);
}
