package org.kindred.server.redis;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Redis answers commands now, not only whether its sockets are open: a Redis that is frozen (SIGSTOP, a long
 * fork, {@code CLIENT PAUSE}) keeps its sockets open while every command waits. The probe sends a {@code PING} every
 * {@link #INTERVAL} (to every master of a Redis Cluster) and calls Redis responsive while the last answer is younger
 * than {@link #STALE_AFTER}: {@code /readyz} turns 503 within a second of Redis going silent and 200 again within a
 * quarter of a second of its first answer. One ping at a time: a ping that has not been answered within
 * {@link #STALE_AFTER} is given up on (Lettuce still completes it, or times it out, later).
 *
 * <p>Cost: four {@code PING}s a second per node (per master in a Redis Cluster), each a few microseconds of Redis time.
 */
final class ResponsivenessProbe implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ResponsivenessProbe.class);

    /** How often a ping is sent. */
    static final Duration INTERVAL = Duration.ofMillis(250);

    /** How old the last answer may be for Redis to count as responsive. */
    static final Duration STALE_AFTER = Duration.ofMillis(750);

    private final Supplier<CompletableFuture<?>> ping;
    private final LongSupplier nanoTime;
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private final ScheduledFuture<?> schedule;
    private volatile long lastAnswerNanos;
    private volatile boolean wasResponsive = true;

    /**
     * @param ping     sends one ping (to every master); completes when all answered
     * @param nanoTime the node's monotonic time
     * @param timer    where the pings are sent from
     */
    ResponsivenessProbe(Supplier<CompletableFuture<?>> ping, LongSupplier nanoTime, ScheduledExecutorService timer) {
        this.ping = ping;
        this.nanoTime = nanoTime;
        this.lastAnswerNanos = nanoTime.getAsLong();
        long millis = INTERVAL.toMillis();
        this.schedule = timer.scheduleWithFixedDelay(this::probe, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Whether Redis answered a ping recently. */
    boolean responsive() {
        boolean responsive = nanoTime.getAsLong() - lastAnswerNanos < STALE_AFTER.toNanos();
        if (responsive != wasResponsive) {
            wasResponsive = responsive;
            if (responsive) {
                LOG.info("Redis answers again");
            } else {
                LOG.warn("Redis has not answered a PING for {} ms: not ready", STALE_AFTER.toMillis());
            }
        }
        return responsive;
    }

    private void probe() {
        responsive(); // logs a change even when nobody asks /readyz
        if (!inFlight.compareAndSet(false, true)) {
            return;
        }
        CompletableFuture<?> sent;
        try {
            sent = ping.get();
        } catch (RuntimeException e) {
            inFlight.set(false);
            return;
        }
        var unused = sent.copy()
                .orTimeout(STALE_AFTER.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((ignored, error) -> {
                    if (error == null) {
                        lastAnswerNanos = nanoTime.getAsLong();
                    }
                    inFlight.set(false);
                });
    }

    @Override
    public void close() {
        schedule.cancel(false);
    }
}
