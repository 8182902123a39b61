package org.kindred.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.kindred.protocol.CloseCode;
import org.kindred.server.connection.Connection;
import org.kindred.server.connection.EncodedFrame;
import org.kindred.server.metrics.KindredMetrics;

/**
 * A {@link Connection} over a Netty WebSocket channel.
 *
 * <p>Frames go through one queue per connection that the channel's event loop drains. Writing directly would be
 * faster by a hair but wrong: a write from the channel's own event loop runs at once while writes from other threads
 * wait in its task queue, so two rooms' broadcasts (or one room's, sent from two threads) could overtake each other.
 * The queue keeps the order in which frames were sent, and a drain writes every queued frame before one flush,
 * which {@link FlushPacer} delays when the connection was flushed a moment ago.
 *
 * <p>When the pipeline ends in Netty's plain WebSocket encoder (no extension), a frame goes out as the complete
 * WebSocket frame its {@link EncodedFrame} carries, built once for all recipients ({@link WireFrames}), written
 * below the encoder; otherwise (tests on an embedded channel) as a {@link TextWebSocketFrame}.
 *
 * <p>The per-connection state is kept small for the many idle connections a node holds: flags and counters are
 * plain fields updated through {@link VarHandle}s, and the queue is only made on the first send.
 *
 * <p>A connection whose queued and unflushed bytes pass the high water mark has fallen too far behind: it is cut off
 * with {@link CloseCode#SLOW_CONSUMER}, so it never slows anyone else nor makes the server hold its backlog.
 */
final class NettyConnection implements Connection {

    /** How long a closing connection may take to flush its close frame before the socket is closed anyway. */
    private static final long CLOSE_FLUSH_TIMEOUT_MILLIS = 2_000;

    private static final VarHandle QUEUE;
    private static final VarHandle QUEUED_BYTES;
    private static final VarHandle DRAIN_SCHEDULED;
    private static final VarHandle CLOSING;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            QUEUE = lookup.findVarHandle(NettyConnection.class, "queue", ConcurrentLinkedQueue.class);
            QUEUED_BYTES = lookup.findVarHandle(NettyConnection.class, "queuedBytes", long.class);
            DRAIN_SCHEDULED = lookup.findVarHandle(NettyConnection.class, "drainScheduled", boolean.class);
            CLOSING = lookup.findVarHandle(NettyConnection.class, "closing", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Channel channel;
    private final String id;
    private final KindredMetrics metrics;
    /** Counts a close that failed (it should not); one for all connections ({@link CloseFailures}). */
    private final GenericFutureListener<Future<Object>> closeFailures;

    private final long maxQueuedBytes;
    /**
     * Where pre-framed frames enter the pipeline (see the class comment): just below the WebSocket encoder, so they
     * skip the handlers that would only pass them on; {@code null} when frames go out as text frames.
     */
    private final ChannelHandlerContext rawFrames;

    private volatile ConcurrentLinkedQueue<EncodedFrame> queue;
    private volatile long queuedBytes;
    private volatile boolean drainScheduled;
    private volatile boolean closing;
    private final FlushPacer.Paced flushes;

    NettyConnection(
            Channel channel,
            KindredMetrics metrics,
            GenericFutureListener<Future<Object>> closeFailures,
            long maxQueuedBytes,
            FlushPacer pacer) {
        this.channel = channel;
        this.id = channel.id().asShortText();
        this.metrics = metrics;
        this.closeFailures = closeFailures;
        this.maxQueuedBytes = maxQueuedBytes;
        this.flushes = pacer.paced(channel);
        this.rawFrames = channel.pipeline().get(WebSocketExtensionEncoder.class) == null
                ? channel.pipeline().context(WebSocket08FrameEncoder.class)
                : null;
    }

    @Override
    public String id() {
        return id;
    }

    private ConcurrentLinkedQueue<EncodedFrame> queue() {
        ConcurrentLinkedQueue<EncodedFrame> q = queue;
        if (q == null) {
            q = new ConcurrentLinkedQueue<>();
            if (!QUEUE.compareAndSet(this, null, q)) {
                q = queue;
            }
        }
        return q;
    }

    @Override
    public void send(EncodedFrame frame) {
        if (closing) {
            return;
        }
        if (!channel.isWritable() || queuedBytes > maxQueuedBytes) {
            // Counted by the one send that starts the close: broadcasts from several threads can all find it full.
            if (startClose(CloseCode.SLOW_CONSUMER)) {
                metrics.slowConsumerClosed();
            }
            return;
        }
        QUEUED_BYTES.getAndAdd(this, (long) frame.utf8().length);
        queue().add(frame);
        if (!drainScheduled && DRAIN_SCHEDULED.compareAndSet(this, false, true)) {
            channel.eventLoop().execute(this::drain);
        }
    }

    /** The connection no longer counts against its address's cap on unsigned connections ({@link UnsignedCap}). */
    @Override
    public void signedIn() {
        channel.eventLoop().execute(() -> {
            ChannelHandlerContext cap = channel.pipeline().context(UnsignedCap.class);
            if (cap != null) {
                ((UnsignedCap) cap.handler()).signedIn(cap);
            }
        });
    }

    @Override
    public void execute(Runnable task) {
        channel.eventLoop().execute(task);
    }

    private void drain() {
        drainScheduled = false;
        ConcurrentLinkedQueue<EncodedFrame> q = queue;
        if (q == null) {
            return;
        }
        EncodedFrame frame;
        boolean wrote = false;
        boolean active = channel.isActive();
        long dequeued = 0;
        while ((frame = q.poll()) != null) {
            dequeued += frame.utf8().length;
            if (active) {
                write(frame);
                wrote = true;
            }
        }
        QUEUED_BYTES.getAndAdd(this, -dequeued);
        if (wrote) {
            flushes.flush();
        }
    }

    /**
     * Writes a duplicate of the shared wire frame below the encoder, or a text frame through the whole pipeline: a
     * reply to this connection alone, or any frame when the pipeline has no plain encoder. A reply has no wire form to
     * share, and making one would carve it from a direct slab that only the garbage collector frees (after a join
     * storm, ≈ 2 KB of direct memory per member for their {@code welcome} and {@code joined}); the encoder frames it
     * in a pooled buffer released once written. The writes take the void promise (no promise and listener per
     * frame): a failed write reaches the pipeline's {@code exceptionCaught}, which closes the connection.
     */
    @SuppressWarnings("FutureReturnValueIgnored") // void promises: see above
    private void write(EncodedFrame frame) {
        if (rawFrames != null && frame.shared()) {
            ByteBuf wire = frame.wire(WireFrames::text);
            rawFrames.write(wire.duplicate(), rawFrames.voidPromise());
        } else {
            // Wrapping shares the broadcast's bytes: no copy per recipient.
            channel.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(frame.utf8())), channel.voidPromise());
        }
    }

    private void closeNow() {
        channel.close().addListener(closeFailures);
    }

    @Override
    public void close(CloseCode code) {
        startClose(code);
    }

    /** Starts closing with this code; false when the connection was already closing. */
    private boolean startClose(CloseCode code) {
        if (closing || !CLOSING.compareAndSet(this, false, true)) {
            return false;
        }
        Runnable closeTask = () -> {
            drain(); // what was sent before the close still goes first
            channel.writeAndFlush(new CloseWebSocketFrame(code.code(), code.reason()))
                    .addListener(ChannelFutureListener.CLOSE);
            // A client that stopped reading never lets the close frame through; do not wait for it forever.
            channel.eventLoop()
                    .schedule(this::closeNow, CLOSE_FLUSH_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                    .addListener(closeFailures);
        };
        // On the event loop, close at once: the pipeline may be about to close the channel itself (a corrupt frame),
        // and the queue is drained first, so nothing overtakes anything.
        if (channel.eventLoop().inEventLoop()) {
            closeTask.run();
        } else {
            channel.eventLoop().execute(closeTask);
        }
        return true;
    }
}
