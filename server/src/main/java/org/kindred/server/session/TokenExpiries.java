package org.kindred.server.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * When each signed-in connection's token stops keeping it open, in one ordered set for the node: a tick (every second,
 * on the node's ticker) closes the connections whose time has come, with close code 4101. One entry per connection and
 * no timer each; {@code refresh} moves a connection's entry.
 */
public final class TokenExpiries {

    /** One connection's deadline; ordered by time, then by a sequence number so that equal times stay distinct. */
    record Entry(Instant at, long sequence, Runnable expire) implements Comparable<Entry> {
        @Override
        public int compareTo(Entry other) {
            int byTime = at.compareTo(other.at);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }

    private final Clock clock;
    private final Duration grace;
    private final ConcurrentSkipListSet<Entry> entries = new ConcurrentSkipListSet<>();
    private final AtomicLong sequence = new AtomicLong();

    /**
     * @param clock the node's clock
     * @param grace how long after its validity a token still counts (the configured clock skew)
     */
    public TokenExpiries(Clock clock, Duration grace) {
        this.clock = clock;
        this.grace = grace;
    }

    /** Tracks a deadline: {@code expire} runs (on the ticker's thread) once {@code validUntil} plus the grace passes. */
    Entry track(Instant validUntil, Runnable expire) {
        Instant at = validUntil.equals(Instant.MAX) ? Instant.MAX : validUntil.plus(grace);
        Entry entry = new Entry(at, sequence.incrementAndGet(), expire);
        entries.add(entry);
        return entry;
    }

    void forget(Entry entry) {
        if (entry != null) {
            entries.remove(entry);
        }
    }

    /** Expires every connection whose deadline has passed. */
    public void tick() {
        Instant now = clock.instant();
        Entry first;
        while ((first = entries.pollFirst()) != null) {
            if (first.at().isAfter(now)) {
                entries.add(first);
                return;
            }
            first.expire().run();
        }
    }

    /** Connections tracked (for tests and metrics). */
    public int size() {
        return entries.size();
    }
}
