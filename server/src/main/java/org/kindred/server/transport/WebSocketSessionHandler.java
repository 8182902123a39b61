package org.kindred.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.kindred.protocol.CloseCode;
import org.kindred.server.session.ClientSession;
import org.kindred.server.session.SessionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a WebSocket connection: it turns data frames into calls on the connection's
 * {@link ClientSession}. Ping, pong and close frames are handled before it by Netty's protocol handler.
 */
final class WebSocketSessionHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketSessionHandler.class);

    private final SessionContext context;
    private final ChannelGroup connections;
    private final FlushPacer flushPacer;
    /** Counts a close that failed (it should not); one for all connections. */
    private final GenericFutureListener<Future<Object>> closeFailures;

    private ClientSession session;
    private NettyConnection connection;
    private ScheduledFuture<?> authTimeout;

    WebSocketSessionHandler(
            SessionContext context,
            ChannelGroup connections,
            FlushPacer flushPacer,
            GenericFutureListener<Future<Object>> closeFailures) {
        this.context = context;
        this.connections = connections;
        this.flushPacer = flushPacer;
        this.closeFailures = closeFailures;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            dropHttpHandlers(ctx);
            connection = new NettyConnection(
                    ctx.channel(),
                    context.metrics(),
                    closeFailures,
                    context.config().outboundHighWaterMark(),
                    flushPacer);
            session = new ClientSession(connection, context);
            int limit = context.config().maxConnections();
            if (limit > 0 && connections.size() >= limit) {
                // Full: this client should try another node rather than wait here.
                connection.close(CloseCode.SERVER_OVERLOADED);
                session = null;
                return;
            }
            connections.add(ctx.channel());
            context.metrics().connectionOpened();
            authTimeout = ctx.executor()
                    .schedule(
                            session::onAuthTimeout,
                            context.config().authTimeout().toMillis(),
                            TimeUnit.MILLISECONDS);
        } else if (event instanceof IdleStateEvent idle) {
            if (session == null) {
                ctx.close().addListener(closeFailures); // an HTTP connection that went quiet
            } else if (idle.state() == IdleState.READER_IDLE) {
                session.onIdle();
            } else if (idle.state() == IdleState.WRITER_IDLE) {
                ping(ctx);
            }
        } else {
            super.userEventTriggered(ctx, event);
        }
    }

    /**
     * After the handshake the connection speaks only WebSocket: the HTTP endpoints (and the HTTP codec and aggregator,
     * should the handshake have left them) are taken out, so an idle connection holds and runs no more than it needs.
     */
    private static void dropHttpHandlers(ChannelHandlerContext ctx) {
        for (String name : new String[] {"endpoints", "http-body", "http"}) {
            if (ctx.pipeline().context(name) != null) {
                ctx.pipeline().remove(name);
            }
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (session == null) {
            return;
        }
        if (frame instanceof TextWebSocketFrame text) {
            ByteBuf content = text.content();
            session.onText(ByteBufUtil.getBytes(content, content.readerIndex(), content.readableBytes(), false));
        } else if (frame instanceof BinaryWebSocketFrame) {
            session.onBinary();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (session != null) {
            if (authTimeout != null) {
                authTimeout.cancel(false);
            }
            session.onClosed();
            context.metrics().connectionClosed();
            session = null;
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (session != null && isFrameTooLarge(cause)) {
            session.onFrameTooLarge();
        } else if (session != null && cause instanceof CorruptedWebSocketFrameException corrupted) {
            WebSocketCloseStatus status =
                    corrupted.closeStatus() != null ? corrupted.closeStatus() : WebSocketCloseStatus.PROTOCOL_ERROR;
            ctx.writeAndFlush(new CloseWebSocketFrame(status)).addListener(ChannelFutureListener.CLOSE);
        } else {
            // Resets and broken pipes are ordinary on mobile networks: no stack trace, and never any content.
            LOG.debug("closing connection {} after {}", ctx.channel().id().asShortText(), cause.toString());
            ctx.close().addListener(closeFailures);
        }
    }

    /**
     * Pings the client: browsers answer pings on their own, so a live client is never idle. The void promise sends a
     * failure to {@code exceptionCaught}.
     */
    @SuppressWarnings("FutureReturnValueIgnored") // void promise: see above
    private static void ping(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(new PingWebSocketFrame(), ctx.voidPromise());
    }

    private static boolean isFrameTooLarge(Throwable cause) {
        return cause instanceof TooLongFrameException
                || cause instanceof CorruptedWebSocketFrameException corrupted
                        && WebSocketCloseStatus.MESSAGE_TOO_BIG.equals(corrupted.closeStatus());
    }
}
