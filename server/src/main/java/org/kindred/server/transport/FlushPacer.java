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
 * Paces the flushes of busy connections: a connection flushed less than one interval ago waits for its event loop's
 * next paced flush instead of flushing again at once.
 *
 * <p>On loopback and in virtual machines most of what a delivery costs is the write system call, not the bytes. A
 * member of a busy room who receives faster than once per interval then gets several frames in one write (and reads
 * them in one read), which multiplies what a node can deliver; a member who receives less often (almost everybody,
 * almost always) is flushed at once, as without pacing. The delay this adds is at most one interval, and only to a
 * connection that was just flushed. An interval of zero turns pacing off.
 */
final class FlushPacer {

    private final long intervalNanos;
    private final Map<EventExecutor, Lane> lanes = new IdentityHashMap<>();
    private final Failures failures;

    /**
     * Lanes for the loops of a group are made up front: the map is only read afterwards, from any loop.
     *
     * @param failures where a paced flush that fails is logged and counted
     */
    FlushPacer(Iterable<EventExecutor> loops, Duration interval, Failures failures) {
        this.failures = failures;
        this.intervalNanos = interval.toNanos();
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

        private Lane(EventLoop loop) {
            this.loop = loop;
            this.ticker = loop instanceof AbstractScheduledEventExecutor scheduled
                    ? scheduled.ticker()
                    : Ticker.systemTicker();
        }

        private void flush(Paced paced) {
            if (paced.waiting) {
                return;
            }
            long now = ticker.nanoTime();
            if (now - paced.lastFlushNanos >= intervalNanos) {
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
