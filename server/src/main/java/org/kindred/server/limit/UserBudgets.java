package org.kindred.server.limit;

import java.util.concurrent.CompletableFuture;

/**
 * Each user's command budget, shared by all its connections: on this node alone ({@link NodeBudgets}), or across every
 * node of a cluster ({@link LeasedBudgets}). A new member's budget is the stricter one. Thread-safe.
 */
public interface UserBudgets {

    /**
     * Takes one command from the user's budget without blocking. Returns 0 when granted, otherwise the milliseconds
     * after which a command may be allowed again.
     */
    long tryTake(String userId, boolean newMember);

    /**
     * Readies the user's budget on this node before its first command (at sign-in); completes when commands can be
     * granted without waiting, and never fails.
     */
    default CompletableFuture<Void> prepare(String userId, boolean newMember) {
        return CompletableFuture.completedFuture(null);
    }

    /** The rate and burst of a user's budget. */
    record Rate(double perSecond, int burst) {
        public Rate {
            if (perSecond <= 0) {
                throw new IllegalArgumentException("perSecond: " + perSecond + " (expected: > 0)");
            }
            if (burst < 1) {
                throw new IllegalArgumentException("burst: " + burst + " (expected: >= 1)");
            }
        }
    }
}
