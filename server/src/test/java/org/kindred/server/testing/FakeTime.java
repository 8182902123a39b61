package org.kindred.server.testing;

import com.github.benmanes.caffeine.cache.Scheduler;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.kindred.server.runtime.Time;

/** A clock and ticker that move only when a test says so. */
public final class FakeTime extends Clock implements Ticker {

    private final AtomicLong nanos = new AtomicLong();
    private final long epochMillisAtStart;

    public FakeTime() {
        this(Instant.parse("2026-11-30T12:00:00Z"));
    }

    public FakeTime(Instant start) {
        this.epochMillisAtStart = start.toEpochMilli();
    }

    public void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    @Override
    public long read() {
        return nanos.get();
    }

    @Override
    public long millis() {
        return epochMillisAtStart + nanos.get() / 1_000_000;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("FakeTime is always UTC");
    }

    /** Room state time driven by this fake: expiry runs when the test calls for it, callbacks on the caller. */
    public Time nodeTime() {
        return new Time(this, this, Scheduler.disabledScheduler(), Runnable::run);
    }
}
