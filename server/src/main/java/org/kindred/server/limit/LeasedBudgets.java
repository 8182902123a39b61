package org.kindred.server.limit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A user's budget shared by all its connections on every node: the budget itself is a token bucket in a shared store
 * ({@link BudgetLessor}), and each node holds a slice of it leased ahead of need, so deciding on a command never waits
 * and costs no store command; a node leases the next slice (half the burst) when its share falls to half a slice. Commands granted across all nodes therefore never exceed the user's budget: at worst a slice leased on a node
 * the user left goes unused. Cost: one store command per slice, i.e. per {@code burst / 2} commands of a busy user.
 *
 * <p>When the store cannot be reached (a lease failed, or has been on its way for longer than {@link #OVERDUE}), a node
 * falls back to its own budget ({@link NodeBudgets}) until the next lease succeeds: chat keeps its ordinary limit per
 * node rather than stopping. The sign-in waits for the first slice at most {@link #OVERDUE} too. A lease that grants nothing (the user has used
 * its budget) is not asked again before one command's worth of time has passed.
 */
public final class LeasedBudgets implements UserBudgets {

    /** How long a lease may be on its way before the node stops waiting for it and uses its own budget. */
    public static final Duration OVERDUE = Duration.ofMillis(500);
    /** How long after a failed lease the next one is tried (in the meantime the node's own budget applies). */
    static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(1);

    private final Rate member;
    private final Rate newMember;
    private final BudgetLessor lessor;
    private final UserBudgets fallback;
    private final LongSupplier nanoTime;
    private final Cache<String, Share> shares;

    /** This node's part of one user's budget. Guarded by itself. */
    private static final class Share {
        int tokens;
        boolean leasing;
        long leaseSentNanos;
        boolean degraded;
        /** Whether the next lease waits for {@code nextLeaseNanos} (after a lease that failed or granted nothing). */
        boolean holdOff;

        long nextLeaseNanos;
        CompletableFuture<Void> firstLease;
    }

    public LeasedBudgets(Rate member, Rate newMember, BudgetLessor lessor, LongSupplier nanoTime) {
        this.member = member;
        this.newMember = newMember;
        this.lessor = lessor;
        this.fallback = new NodeBudgets(member, newMember, nanoTime);
        this.nanoTime = nanoTime;
        this.shares = Caffeine.newBuilder()
                .expireAfterAccess(Duration.ofMinutes(1))
                .ticker(nanoTime::getAsLong)
                .build();
    }

    static int slice(Rate rate) {
        return Math.max(1, (rate.burst() + 1) / 2);
    }

    @Override
    public CompletableFuture<Void> prepare(String userId, boolean isNew) {
        Share share = shares.get(userId, id -> new Share());
        synchronized (share) {
            if (share.firstLease == null) {
                share.firstLease = refill(userId, isNew, share);
            }
            return share.firstLease.copy().completeOnTimeout(null, OVERDUE.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public long tryTake(String userId, boolean isNew) {
        Rate rate = isNew ? newMember : member;
        Share share = shares.get(userId, id -> new Share());
        synchronized (share) {
            if (share.degraded || share.leasing && nanoTime.getAsLong() - share.leaseSentNanos > OVERDUE.toNanos()) {
                refillIfDue(userId, isNew, share, rate);
                return fallback.tryTake(userId, isNew);
            }
            if (share.tokens > 0) {
                share.tokens--;
                if (share.tokens <= slice(rate) / 2) {
                    refillIfDue(userId, isNew, share, rate);
                }
                return 0;
            }
            refillIfDue(userId, isNew, share, rate);
            return Math.max(1, (long) Math.ceil(1000 / rate.perSecond()));
        }
    }

    /** Under the share's lock. */
    private void refillIfDue(String userId, boolean isNew, Share share, Rate rate) {
        if (!share.leasing && (!share.holdOff || nanoTime.getAsLong() - share.nextLeaseNanos >= 0)) {
            var unused = refill(userId, isNew, share); // never fails; its outcome lands in the share
        }
    }

    /** Leases the next slice. Under the share's lock; the future completes when the slice (or nothing) arrived. */
    private CompletableFuture<Void> refill(String userId, boolean isNew, Share share) {
        Rate rate = isNew ? newMember : member;
        share.leasing = true;
        share.leaseSentNanos = nanoTime.getAsLong();
        CompletableFuture<Integer> lease;
        try {
            lease = lessor.lease(userId, rate, slice(rate));
        } catch (RuntimeException e) {
            lease = CompletableFuture.failedFuture(e);
        }
        return lease.handle((granted, error) -> {
            synchronized (share) {
                share.leasing = false;
                share.degraded = error != null;
                share.holdOff = error != null || granted == 0;
                if (error != null) {
                    share.nextLeaseNanos = nanoTime.getAsLong() + RETRY_AFTER_FAILURE.toNanos();
                } else {
                    share.tokens += granted;
                    if (granted == 0) {
                        share.nextLeaseNanos = nanoTime.getAsLong() + (long) (1e9 / rate.perSecond());
                    }
                }
            }
            return null;
        });
    }
}
