package org.kindred.server.transport;

import io.netty.channel.EventLoop;
import io.netty.util.internal.PlatformDependent;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One drainer per event loop, shared by the connections on that loop. One set per server (made with its pipeline
 * initializer), so it goes when the server does.
 *
 * <p>A broadcast to a large room used to post one drain task per recipient to the event loops, and the flush
 * consolidation one more flush task each: thousands of tasks per broadcast. Now a connection with frames queued is put
 * on its loop's ready list, and one task per loop writes the queued frames of every connection on the list, then
 * flushes each connection it wrote to once. Frames that arrive while that task runs for a connection it has not
 * flushed yet leave in the same write, so a member of a busy room gets several frames per syscall.
 *
 * <p>Ordering is untouched: each connection still has its own queue, in the order its frames were sent, and only the
 * channel's own event loop writes from it.
 */
final class LoopDrainers {

    /** Connections drained per pass before flushing; bounds how long the first one's flush waits. */
    static final int MAX_PER_PASS = 4096;

    private final ConcurrentMap<EventLoop, Drainer> drainers = new ConcurrentHashMap<>();

    /** The drainer of this event loop. */
    Drainer of(EventLoop loop) {
        Drainer drainer = drainers.get(loop);
        return drainer != null ? drainer : drainers.computeIfAbsent(loop, Drainer::new);
    }

    static final class Drainer implements Runnable {

        private static final VarHandle SCHEDULED;

        static {
            try {
                SCHEDULED = MethodHandles.lookup().findVarHandle(Drainer.class, "scheduled", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final EventLoop loop;
        private final Queue<NettyConnection> ready = PlatformDependent.newMpscQueue();
        /** Connections written to in the current pass; only touched on the loop. */
        private final List<NettyConnection> written = new ArrayList<>();
        private volatile boolean scheduled;

        Drainer(EventLoop loop) {
            this.loop = loop;
        }

        /** Called by a connection that queued a frame and had no drain pending; any thread. */
        void schedule(NettyConnection connection) {
            ready.offer(connection);
            if (!scheduled && SCHEDULED.compareAndSet(this, false, true)) {
                loop.execute(this);
            }
        }

        @Override
        public void run() {
            // Cleared before polling: a connection offered from now on either is polled below or schedules a new run.
            scheduled = false;
            NettyConnection connection;
            int n = 0;
            while (n < MAX_PER_PASS && (connection = ready.poll()) != null) {
                n++;
                if (connection.writeQueued()) {
                    written.add(connection);
                }
            }
            try {
                for (int i = 0; i < written.size(); i++) {
                    written.get(i).flushWritten();
                }
            } finally {
                written.clear();
            }
            if (!ready.isEmpty() && !scheduled && SCHEDULED.compareAndSet(this, false, true)) {
                loop.execute(this); // the rest after whatever else the loop has to do
            }
        }
    }
}
