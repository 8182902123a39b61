package org.kindred.server.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a connection alive and ends a dead one, with one timer per connection and nothing per write. When nothing
 * has been heard from the peer for {@code pingInterval} it fires {@link IdleStateEvent#WRITER_IDLE_STATE_EVENT}
 * (the session handler pings; a live client's pong resets the clock), again every {@code pingInterval} while the
 * silence lasts, and once nothing has been heard for {@code idleTimeout} it fires
 * {@link IdleStateEvent#READER_IDLE_STATE_EVENT} (the session handler closes).
 *
 * <p>It replaces Netty's {@code IdleStateHandler}, whose writer-idle detection turns every write's void promise into
 * a real one and adds a listener to it: an allocation and a callback per delivery of every broadcast. Pinging on
 * the peer's silence rather than on our own is what a keep-alive needs anyway: a member who only listens to a busy
 * room is pinged every {@code pingInterval} (a few bytes), and a dead peer is found by the same clock.
 */
final class KeepAliveHandler extends ChannelInboundHandlerAdapter implements Runnable {

    private final long pingNanos;
    private final long idleNanos;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    private long lastRead;
    private boolean reading;
    private boolean idleFired;

    KeepAliveHandler(long pingIntervalMillis, long idleTimeoutMillis) {
        this.pingNanos = TimeUnit.MILLISECONDS.toNanos(pingIntervalMillis);
        this.idleNanos = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMillis);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive() && ctx.channel().isRegistered()) {
            start();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        start();
        super.channelActive(ctx);
    }

    private void start() {
        if (timer == null) {
            lastRead = now();
            timer = ctx.executor().schedule(this, pingNanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        reading = true;
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        if (reading) {
            lastRead = now();
            reading = false;
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stop();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    private void stop() {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /** The event loop's time, which schedules the timer too: tests move it ({@code EmbeddedChannel#advanceTimeBy}). */
    private long now() {
        return ctx.executor().ticker().nanoTime();
    }

    /** The timer: on the channel's event loop. */
    @Override
    public void run() {
        if (!ctx.channel().isOpen() || ctx.isRemoved()) {
            return;
        }
        long now = now();
        long silent = reading ? 0 : now - lastRead;
        long next;
        if (silent >= idleNanos) {
            if (!idleFired) {
                idleFired = true;
                ctx.fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
            } else {
                ctx.fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
            }
            next = pingNanos;
        } else if (silent >= pingNanos) {
            ctx.fireUserEventTriggered(IdleStateEvent.WRITER_IDLE_STATE_EVENT);
            next = Math.min(pingNanos, idleNanos - silent);
        } else {
            next = pingNanos - silent;
        }
        if (ctx.channel().isOpen()) {
            timer = ctx.executor().schedule(this, Math.max(next, 1), TimeUnit.NANOSECONDS);
        }
    }
}
