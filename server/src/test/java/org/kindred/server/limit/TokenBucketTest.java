package org.kindred.server.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void grantsTheBurstThenRefusesWithTheTimeUntilTheNextToken() {
        TokenBucket bucket = new TokenBucket(10, 3, now::get);

        assertThat(bucket.tryAcquire()).isZero();
        assertThat(bucket.tryAcquire()).isZero();
        assertThat(bucket.tryAcquire()).isZero();
        assertThat(bucket.tryAcquire()).isEqualTo(100);
    }

    @Test
    void refillsAtTheConfiguredRateUpToTheBurst() {
        TokenBucket bucket = new TokenBucket(10, 2, now::get);
        bucket.tryAcquire();
        bucket.tryAcquire();

        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(bucket.tryAcquire()).isZero();
        assertThat(bucket.tryAcquire()).isPositive();

        now.addAndGet(TimeUnit.SECONDS.toNanos(60));
        assertThat(bucket.tryAcquire()).isZero();
        assertThat(bucket.tryAcquire()).isZero();
        assertThat(bucket.tryAcquire()).isPositive();
    }

    @Test
    void rejectsNonsensicalSettingsWithPreciseMessages() {
        assertThatThrownBy(() -> new TokenBucket(0, 1, now::get)).hasMessage("ratePerSecond: 0.0 (expected: > 0)");
        assertThatThrownBy(() -> new TokenBucket(1, 0, now::get)).hasMessage("burst: 0 (expected: >= 1)");
    }
}
