package org.kindred.server.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.kindred.protocol.CloseCode;
import org.kindred.server.metrics.KindredMetrics;
import org.kindred.server.session.Connection;
import org.kindred.server.session.EncodedFrame;

/**
 * A {@link Connection} over a Netty WebSocket channel.
 *
 * <p>Frames go through one queue per connection that the channel's event loop drains. Writing directly would be
 * faster by a hair but wrong: a write from the channel's own event loop runs at once while writes from other threads
 * wait in its task queue, so two rooms' broadcasts (or one room's, sent from two threads) could overtake each other.
 * The queue keeps the order in which frames were sent, and a drain writes every queued frame before one flush.
 *
 * <p>A connection whose queued and unflushed bytes pass the high water mark has fallen too far behind: it is cut off
 * with {@link CloseCode#SLOW_CONSUMER}, so it never slows anyone else nor makes the server hold its backlog.
 */
final class NettyConnection implements Connection {

    /** How long a closing connection may take to flush its close frame before the socket is closed anyway. */
    private static final long CLOSE_FLUSH_TIMEOUT_MILLIS = 2_000;

    private final Channel channel;
    private final String id;
    private final KindredMetrics metrics;
    private final long maxQueuedBytes;
    private final Queue<EncodedFrame> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Runnable drain = this::drain;

    NettyConnection(Channel channel, KindredMetrics metrics, long maxQueuedBytes) {
        this.channel = channel;
        this.id = channel.id().asShortText();
        this.metrics = metrics;
        this.maxQueuedBytes = maxQueuedBytes;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void send(EncodedFrame frame) {
        if (closing.get()) {
            return;
        }
        if (!channel.isWritable() || queuedBytes.get() > maxQueuedBytes) {
            metrics.slowConsumerClosed();
            close(CloseCode.SLOW_CONSUMER);
            return;
        }
        queuedBytes.addAndGet(frame.utf8().length);
        queue.add(frame);
        if (drainScheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(drain);
        }
    }

    @Override
    public void execute(Runnable task) {
        channel.eventLoop().execute(task);
    }

    private void drain() {
        drainScheduled.set(false);
        EncodedFrame frame;
        boolean wrote = false;
        while ((frame = queue.poll()) != null) {
            queuedBytes.addAndGet(-frame.utf8().length);
            if (channel.isActive()) {
                // Wrapping shares the broadcast's bytes: no copy per recipient.
                channel.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(frame.utf8())), channel.voidPromise());
                wrote = true;
            }
        }
        if (wrote) {
            channel.flush();
        }
    }

    @Override
    public void close(CloseCode code) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        Runnable closeTask = () -> {
            drain(); // what was sent before the close still goes first
            channel.writeAndFlush(new CloseWebSocketFrame(code.code(), code.reason()))
                    .addListener(ChannelFutureListener.CLOSE);
            // A client that stopped reading never lets the close frame through; do not wait for it forever.
            channel.eventLoop().schedule(() -> channel.close(), CLOSE_FLUSH_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        };
        // On the event loop, close at once: the pipeline may be about to close the channel itself (a corrupt frame),
        // and the queue is drained first, so nothing overtakes anything.
        if (channel.eventLoop().inEventLoop()) {
            closeTask.run();
        } else {
            channel.eventLoop().execute(closeTask);
        }
    }
}
