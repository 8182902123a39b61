package org.kindred.server.limit;

import java.util.concurrent.CompletableFuture;

/**
 * Keeps each user's budget where every node can take from it (Redis): a token bucket per user that hands out slices.
 */
public interface BudgetLessor {

    /**
     * Takes up to {@code want} commands from the user's shared bucket, refilled at the rate up to its burst. Completes
     * with how many were granted (0 when the user has used its budget), or fails when the store cannot be reached.
     */
    CompletableFuture<Integer> lease(String userId, UserBudgets.Rate rate, int want);
}
