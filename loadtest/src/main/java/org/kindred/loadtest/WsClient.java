package org.kindred.loadtest;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;

/**
 * One WebSocket connection's handler: reports the handshake, scans every text frame into a reused {@link Frame} and
 * hands it to the listener on the connection's event loop, and remembers the close code the server sent.
 */
public final class WsClient extends ChannelInboundHandlerAdapter {

    /** Called on the connection's event loop. */
    public interface Listener {
        void onOpen(WsClient client);

        void onFrame(WsClient client, Frame frame);

        /** A frame that could not be scanned. */
        void onBadFrame(WsClient client, Exception e);

        /**
         * The connection ended.
         *
         * @param closeCode the code of the server's close frame, or -1 when there was none
         * @param cause     the error that ended it, or {@code null}
         */
        void onClosed(WsClient client, int closeCode, Throwable cause);
    }

    private final Listener listener;
    /** Set by the listener once the server said welcome (for counting open sessions). */
    volatile boolean welcomed;

    private final Frame frame = new Frame();
    private final FrameReader reader = new FrameReader();
    private volatile Channel channel;
    private volatile boolean open;
    private int closeCode = -1;
    private Throwable cause;

    public WsClient(Listener listener) {
        this.listener = listener;
    }

    public boolean isOpen() {
        return open && channel != null && channel.isActive();
    }

    public Channel channel() {
        return channel;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            open = true;
            listener.onOpen(this);
        } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            cause = new IOException("WebSocket handshake timed out");
            ctx.close();
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof TextWebSocketFrame text) {
                try {
                    reader.read(text.content(), frame);
                } catch (IOException | RuntimeException e) {
                    listener.onBadFrame(this, e);
                    return;
                }
                listener.onFrame(this, frame);
            } else if (msg instanceof CloseWebSocketFrame close) {
                closeCode = close.statusCode();
                ctx.close();
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        open = false;
        listener.onClosed(this, closeCode, cause);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable t) {
        if (cause == null) {
            cause = t;
        }
        ctx.close();
    }

    /** Writes one text frame without flushing (call {@link #flush()}); safe from any thread. */
    public void write(String json) {
        Channel ch = channel;
        if (ch != null) {
            ByteBuf buf = ByteBufUtil.writeUtf8(ch.alloc(), json);
            ch.write(new TextWebSocketFrame(buf), ch.voidPromise());
        }
    }

    public void flush() {
        Channel ch = channel;
        if (ch != null) {
            ch.flush();
        }
    }

    public void send(String json) {
        write(json);
        flush();
    }

    /** Whether the connection's outbound buffer is below its high water mark. */
    public boolean writable() {
        Channel ch = channel;
        return ch != null && ch.isWritable();
    }

    /** Closes politely (close frame 1000, then the socket). */
    public void closeGracefully() {
        Channel ch = channel;
        if (ch != null && ch.isActive()) {
            ch.writeAndFlush(new CloseWebSocketFrame(1000, "load test done")).addListener(f -> ch.close());
        }
    }

    /** Drops the connection without a close frame, as a phone losing its network would. */
    public void drop() {
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }
}
