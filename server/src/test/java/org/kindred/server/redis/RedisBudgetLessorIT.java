package org.kindred.server.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kindred.server.config.RedisConfig;
import org.kindred.server.limit.BudgetLessor;
import org.kindred.server.limit.LeasedBudgets;
import org.kindred.server.limit.UserBudgets;
import org.kindred.server.metrics.KindredMetrics;
import org.kindred.server.runtime.Failures;

/** Users' budgets in Redis: slices from one bucket per user, and what a busy user costs in Redis calls. */
class RedisBudgetLessorIT {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    private static final UserBudgets.Rate SLOW = new UserBudgets.Rate(0.001, 20);

    private RedisConnections connections;
    private RedisBudgetLessor lessor;

    @BeforeEach
    void open() {
        REDIS.flushAll();
        connections = RedisConnections.open(RedisConfig.standalone(REDIS.uri()), new Failures(KindredMetrics.NOOP));
        lessor = new RedisBudgetLessor(connections);
    }

    @AfterEach
    void close() {
        connections.close();
    }

    @Test
    void slicesNeverAddUpToMoreThanTheBurst() {
        int granted = 0;
        for (int i = 0; i < 5; i++) {
            granted += lessor.lease("robin", SLOW, 8).join();
        }
        assertThat(granted).isEqualTo(20);
        assertThat(lessor.lease("robin", SLOW, 8).join()).isZero();
        assertThat(lessor.lease("sam", SLOW, 8).join()).isEqualTo(8);
    }

    @Test
    void theBucketRefillsAtTheRateOnRedissClock() {
        UserBudgets.Rate fast = new UserBudgets.Rate(1000, 5);
        assertThat(lessor.lease("robin", fast, 5).join()).isEqualTo(5);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> lessor.lease("robin", fast, 1).join() == 1);
    }

    @Test
    void aBusyUserCostsOneRedisCallPerSliceOfHalfTheBurst() {
        AtomicInteger calls = new AtomicInteger();
        BudgetLessor counted = (userId, rate, want) -> {
            calls.incrementAndGet();
            return lessor.lease(userId, rate, want);
        };
        UserBudgets.Rate rate = new UserBudgets.Rate(0.001, 100);
        LeasedBudgets budgets = new LeasedBudgets(rate, rate, counted, System::nanoTime);
        budgets.prepare("robin", false).join();

        for (int granted = 0; granted < 100; granted++) {
            await().pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(1))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> budgets.tryTake("robin", false) == 0); // waits only while a slice is on its way
        }
        int afterBurst = calls.get();
        await().atMost(Duration.ofSeconds(5)).until(() -> budgets.tryTake("robin", false) > 0);

        // The burst of 100 came in two slices of 50, and the third ask found the bucket empty; refusals after it do
        // not ask again before a command's worth of refill: 3 Redis calls for 100 commands.
        assertThat(afterBurst).isBetween(2, 3);
        for (int i = 0; i < 50; i++) {
            assertThat(budgets.tryTake("robin", false)).isPositive();
        }
        assertThat(calls.get()).isLessThanOrEqualTo(3);
    }

    @Test
    void aNodeFallsBackToItsOwnBudgetWhileRedisCannotBeReached() {
        BudgetLessor unreachable =
                (userId, rate, want) -> CompletableFuture.failedFuture(new RedisUnreachableException("down", null));
        UserBudgets.Rate rate = new UserBudgets.Rate(0.001, 3);
        LeasedBudgets budgets = new LeasedBudgets(rate, rate, unreachable, System::nanoTime);
        budgets.prepare("robin", false).join();

        assertThat(budgets.tryTake("robin", false)).isZero();
        assertThat(budgets.tryTake("robin", false)).isZero();
        assertThat(budgets.tryTake("robin", false)).isZero();
        assertThat(budgets.tryTake("robin", false)).isPositive();
    }
}
