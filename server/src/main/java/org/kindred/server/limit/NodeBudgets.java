package org.kindred.server.limit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * One token bucket per user on this node (a single node, or a cluster node while Redis cannot be reached). A bucket
 * unused for a minute is dropped: it would be full again by then anyway.
 */
public final class NodeBudgets implements UserBudgets {

    private final Rate member;
    private final Rate newMember;
    private final LongSupplier nanoTime;
    private final Cache<String, TokenBucket> buckets;

    public NodeBudgets(Rate member, Rate newMember, LongSupplier nanoTime) {
        this.member = member;
        this.newMember = newMember;
        this.nanoTime = nanoTime;
        this.buckets = Caffeine.newBuilder()
                .expireAfterAccess(Duration.ofMinutes(1))
                .ticker(nanoTime::getAsLong)
                .build();
    }

    @Override
    public long tryTake(String userId, boolean isNew) {
        Rate rate = isNew ? newMember : member;
        TokenBucket bucket = buckets.get(userId, id -> new TokenBucket(rate.perSecond(), rate.burst(), nanoTime));
        synchronized (bucket) {
            return bucket.tryAcquire();
        }
    }
}
