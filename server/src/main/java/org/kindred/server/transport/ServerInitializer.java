package org.kindred.server.transport;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import org.kindred.server.config.KindredConfig;
import org.kindred.server.runtime.Failures;
import org.kindred.server.session.SessionContext;

/**
 * The pipeline of one connection, in order: TLS (when configured), flush coalescing, keep-alive and idle detection
 * ({@link KeepAliveHandler}), HTTP, the cap on connections per address that have not signed in ({@link UnsignedCap}),
 * our HTTP endpoints, the WebSocket protocol (handshake, ping/pong, close, frame size), reassembly of fragmented frames, and
 * the session handler.
 */
final class ServerInitializer extends ChannelInitializer<SocketChannel> {

    /** Largest HTTP request body we read (the dev sign-in's JSON); WebSocket frames have their own limit. */
    private static final int MAX_HTTP_BODY = 8 * 1024;

    private final KindredConfig config;
    private final SessionContext context;
    private final HttpRequestHandler httpHandler;
    private final ChannelGroup connections;
    private final FlushPacer flushPacer;
    private final SslContext ssl;
    /** Immutable, so one for all connections (it was one per connection). */
    private final WebSocketServerProtocolConfig webSocketConfig;
    /** Counts a connection's close that failed; one listener for all connections rather than two per connection. */
    private final GenericFutureListener<Future<Object>> closeFailures;
    /** Connections per address that have not signed in yet; one count for the whole port. */
    private final UnsignedConnections unsigned;

    ServerInitializer(
            KindredConfig config,
            SessionContext context,
            HttpEndpoints endpoints,
            ChannelGroup connections,
            SslContext ssl,
            FlushPacer flushPacer) {
        this.config = config;
        this.context = context;
        this.httpHandler = new HttpRequestHandler(endpoints);
        this.connections = connections;
        this.flushPacer = flushPacer;
        this.ssl = ssl;
        this.unsigned = new UnsignedConnections(config.maxUnsignedPerAddress());
        this.closeFailures = CloseFailures.countedIn(new Failures(context.metrics()));
        this.webSocketConfig = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(HttpRequestHandler.WEBSOCKET_PATH)
                .checkStartsWith(true)
                .handshakeTimeoutMillis(config.authTimeout().toMillis())
                .decoderConfig(WebSocketDecoderConfig.newBuilder()
                        .maxFramePayloadLength(config.maxFrameBytes())
                        .allowExtensions(false)
                        // We answer an oversized frame with an error before closing; see the session handler.
                        .closeOnProtocolViolation(false)
                        .build())
                .build();
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        if (ssl != null) {
            pipeline.addLast("tls", ssl.newHandler(channel.alloc()));
        }
        // Outside a read, flushes are paced by FlushPacer; deferring them once more here (a task per flush) is only
        // worth it when pacing is off, where it lets a second frame join the first in one write.
        boolean deferFlushes = config.flushInterval().isZero();
        pipeline.addLast(
                        "flush",
                        new FlushConsolidationHandler(
                                FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, deferFlushes))
                .addLast(
                        "idle",
                        new KeepAliveHandler(
                                config.pingInterval().toMillis(),
                                config.idleTimeout().toMillis()))
                .addLast("http", new HttpServerCodec())
                .addLast("http-body", new HttpObjectAggregator(MAX_HTTP_BODY))
                .addLast("endpoints", httpHandler)
                .addLast("websocket", new WebSocketServerProtocolHandler(webSocketConfig))
                .addLast("fragments", new WebSocketFrameAggregator(config.maxFrameBytes()))
                .addLast("session", new WebSocketSessionHandler(context, connections, flushPacer, closeFailures));
        if (unsigned.limited()) {
            pipeline.addBefore("endpoints", "unsigned", new UnsignedCap(unsigned));
        }
    }
}
