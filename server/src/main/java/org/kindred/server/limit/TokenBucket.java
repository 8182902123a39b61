package org.kindred.server.limit;

import java.util.function.LongSupplier;

/**
 * A token bucket: {@code burst} commands at once, refilled at {@code ratePerSecond}. One per connection, used from its
 * event loop only, so it needs no synchronisation. Time comes from a nanosecond source so tests can move it.
 */
public final class TokenBucket {

    private final double ratePerNano;
    private final double capacity;
    private final LongSupplier nanoTime;
    private double tokens;
    private long lastRefill;

    public TokenBucket(double ratePerSecond, int burst, LongSupplier nanoTime) {
        if (ratePerSecond <= 0) {
            throw new IllegalArgumentException("ratePerSecond: " + ratePerSecond + " (expected: > 0)");
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst: " + burst + " (expected: >= 1)");
        }
        this.ratePerNano = ratePerSecond / 1e9;
        this.capacity = burst;
        this.nanoTime = nanoTime;
        this.tokens = burst;
        this.lastRefill = nanoTime.getAsLong();
    }

    /** Takes one token. Returns 0 when granted, otherwise how many milliseconds until a token is available. */
    public long tryAcquire() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(capacity, tokens + (now - lastRefill) * ratePerNano);
        lastRefill = now;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - tokens) / ratePerNano / 1e6));
    }
}
