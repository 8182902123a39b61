package org.kindred.server.runtime;

import com.github.benmanes.caffeine.cache.Scheduler;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * The time sources of a node, passed to every part where time matters, so tests move a fake clock instead of waiting.
 *
 * @param clock     wall clock, for timestamps, schedules and history age
 * @param ticker    monotonic time for expiry, rate limits and deadlines
 * @param scheduler runs expiry on time
 * @param executor  runs expiry callbacks and reads that fill gaps
 */
public record Time(Clock clock, Ticker ticker, Scheduler scheduler, Executor executor) {

    /**
     * Real time, with expiry scheduled by the JVM-wide scheduler. Callbacks run on the common pool, never on a thread
     * that may hold a room's lock.
     */
    public static Time system() {
        return new Time(
                Clock.systemUTC(), Ticker.systemTicker(), Scheduler.systemScheduler(), ForkJoinPool.commonPool());
    }

    /** Monotonic nanoseconds, from the ticker. */
    public long nanoTime() {
        return ticker.read();
    }
}
