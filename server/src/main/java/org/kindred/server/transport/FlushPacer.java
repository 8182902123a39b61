package org.kindred.server.transport;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.AbstractScheduledEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Ticker;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.kindred.server.runtime.Failures;

/**
 * Paces the flushes of busy connections on busy event loops: a connection flushed less than one interval ago waits for
 * its event loop's next paced flush instead of flushing again at once, but only while the loop is under pressure.
 *
 * <p>On loopback and in virtual machines most of what a delivery costs is the write system call, not the bytes. A
 * member of a busy room who receives faster than once per interval then gets several frames in one write (and reads
 * them in one read), which multiplies what a node can deliver; a member who receives less often (almost everybody,
 * almost always) is flushed at once, as without pacing. The delay this adds is at most one interval, and only to a
 * connection that was just flushed. An interval of zero turns pacing off.
 *
 * <p>Pacing only under pressure: holding a flush costs latency (up to one interval) and pays only when the loop has
 * many writes to make. A loop that was asked for fewer than {@code busyFlushesPerSecond} flushes (scaled to one
 * interval) in its previous interval and so far in this one flushes every connection at once, as if pacing were off:
 * at everyday rates (a member of a 200-member room receiving 100 messages a second) a write per frame is cheap and the
 * frame leaves without waiting. Above it, the loop spends most of its time in write system calls and pacing turns
 * them into fewer, fuller writes. The pressure is counted in flushes asked for, not made, so it does not fall (and
 * switch pacing off again) because pacing worked.
 */
final class FlushPacer {

    private final long intervalNanos;
    /** Flushes asked for within one interval from which a loop counts as busy. */
    private final long busyFlushesPerInterval;

    private final Map<EventExecutor, Lane> lanes = new IdentityHashMap<>();
    private final Failures failures;

    /**
     * Lanes for the loops of a group are made up front: the map is only read afterwards, from any loop.
     *
     * @param busyFlushesPerSecond the rate of flushes asked for on one loop from which it paces; 0 paces always
     * @param failures where a paced flush that fails is logged and counted
     */
    FlushPacer(Iterable<EventExecutor> loops, Duration interval, long busyFlushesPerSecond, Failures failures) {
        this.failures = failures;
        this.intervalNanos = interval.toNanos();
        this.busyFlushesPerInterval = busyFlushesPerSecond * intervalNanos / TimeUnit.SECONDS.toNanos(1);
        for (EventExecutor executor : loops) {
            lanes.put(executor, new Lane((EventLoop) executor));
        }
    }

    /** The flush pacing of one channel. */
    Paced paced(Channel channel) {
        Lane lane = lanes.get(channel.eventLoop());
        // A loop outside the group (an embedded channel in tests) gets a lane of its own.
        return new Paced(lane != null ? lane : new Lane(channel.eventLoop()), channel);
    }

    /** One channel's pacing state; used on its event loop only. */
    static final class Paced {

        private final Lane lane;
        private final Channel channel;
        private long lastFlushNanos;
        private boolean waiting;

        private Paced(Lane lane, Channel channel) {
            this.lane = lane;
            this.channel = channel;
            this.lastFlushNanos = lane.ticker.nanoTime() - TimeUnit.HOURS.toNanos(1);
        }

        /** Flushes now, or with the lane's next paced flush if the channel was flushed less than an interval ago. */
        void flush() {
            lane.flush(this);
        }
    }

    /** The paced flushes of one event loop; used on that loop only. */
    private final class Lane {

        private final EventLoop loop;
        private final Ticker ticker;
        private final ArrayDeque<Paced> waiting = new ArrayDeque<>();
        private boolean armed;
        /** Start of the current interval of counting, the flushes asked for in it and whether the previous was busy. */
        private long windowStartNanos;

        private long asked;
        private boolean wasBusy;

        private Lane(EventLoop loop) {
            this.loop = loop;
            this.ticker = loop instanceof AbstractScheduledEventExecutor scheduled
                    ? scheduled.ticker()
                    : Ticker.systemTicker();
            this.windowStartNanos = ticker.nanoTime();
        }

        /** Counts one flush asked for; whether this loop is under pressure (see the class comment). */
        private boolean busy(long now) {
            long elapsed = now - windowStartNanos;
            if (elapsed >= intervalNanos) {
                // An interval with no flush at all in between was not busy either.
                wasBusy = elapsed < 2 * intervalNanos && asked > busyFlushesPerInterval;
                windowStartNanos = elapsed < 2 * intervalNanos ? windowStartNanos + intervalNanos : now;
                asked = 0;
            }
            asked++;
            return wasBusy || asked > busyFlushesPerInterval;
        }

        private void flush(Paced paced) {
            long now = ticker.nanoTime();
            boolean busy = busy(now); // counted even when the connection already waits: pressure is what is asked
            if (paced.waiting) {
                return;
            }
            if (!busy || now - paced.lastFlushNanos >= intervalNanos) {
                paced.lastFlushNanos = now;
                paced.channel.flush();
                return;
            }
            paced.waiting = true;
            waiting.add(paced);
            if (!armed) {
                // One interval after this connection's last flush; those that join the wait go along with it.
                armed = true;
                loop.schedule(this::flushWaiting, paced.lastFlushNanos + intervalNanos - now, TimeUnit.NANOSECONDS)
                        .addListener(done -> {
                            if (!done.isSuccess() && !done.isCancelled()) {
                                failures.record("paced flush", done.cause());
                            }
                        });
            }
        }

        private void flushWaiting() {
            armed = false;
            long now = ticker.nanoTime();
            Paced paced;
            while ((paced = waiting.poll()) != null) {
                paced.waiting = false;
                paced.lastFlushNanos = now;
                paced.channel.flush();
            }
        }
    }
}
