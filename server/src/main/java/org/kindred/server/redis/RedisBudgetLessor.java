package org.kindred.server.redis;

import io.lettuce.core.ScriptOutputType;
import java.util.concurrent.CompletableFuture;
import org.kindred.server.limit.BudgetLessor;
import org.kindred.server.limit.UserBudgets;

/**
 * Users' command budgets in Redis: one hash per user, a token bucket on Redis's clock that {@code budget.lua} refills
 * and takes slices from, atomically. One script call per slice a node leases.
 */
public final class RedisBudgetLessor implements BudgetLessor {

    private final RedisConnections redis;
    private final RedisScript budget = RedisScript.load("budget");

    public RedisBudgetLessor(RedisConnections redis) {
        this.redis = redis;
    }

    @Override
    public CompletableFuture<Integer> lease(String userId, UserBudgets.Rate rate, int want) {
        return budget.<Long>run(
                        redis.commands(),
                        ScriptOutputType.INTEGER,
                        new String[] {RedisKeys.budget(userId)},
                        Double.toString(rate.perSecond()),
                        Integer.toString(rate.burst()),
                        Integer.toString(want))
                .thenApply(Long::intValue);
    }
}
