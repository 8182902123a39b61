package org.kindred.server.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.kindred.protocol.CloseCode;
import org.kindred.server.config.ConfigException;
import org.kindred.server.config.KindredConfig;
import org.kindred.server.config.TlsConfig;
import org.kindred.server.runtime.Failures;
import org.kindred.server.session.SessionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Netty server of one node: binds, accepts, and shuts down gracefully. */
public final class KindredServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KindredServer.class);

    /**
     * From how many flushes asked for per second an event loop paces ({@link FlushPacer}). Below it, every frame is
     * flushed at once: 20,000 deliveries/s (a 200-member room at 100 messages/s) or 40,000 (100 rooms of 20) cost a
     * write each and no latency; far above it (a loop near saturation writes 150,000 frames/s and more) the writes
     * are what the loop spends its time on, and pacing bundles them. Measured in docs/performance.md ("Issue 19").
     */
    static final long PACE_ABOVE_FLUSHES_PER_SECOND = 50_000;

    private final KindredConfig config;
    private final SessionContext context;
    private final Failures failures;
    private final HttpEndpoints endpoints;
    private final ChannelGroup connections =
            new DefaultChannelGroup("kindred-connections", GlobalEventExecutor.INSTANCE);
    private EventLoopGroup acceptors;
    private EventLoopGroup workers;
    private Channel serverChannel;
    private volatile boolean draining;

    public KindredServer(KindredConfig config, SessionContext context, HttpEndpoints endpoints) {
        this.config = config;
        this.context = context;
        this.failures = new Failures(context.metrics());
        // A draining node is never ready, whatever its parts say.
        this.endpoints = new HttpEndpoints(
                () -> !draining && endpoints.ready().getAsBoolean(),
                endpoints.devTokens(),
                endpoints.allowedOrigins(),
                endpoints.webApp(),
                endpoints.figures());
    }

    /** Binds the port and starts accepting; returns the bound address. */
    public InetSocketAddress start() throws InterruptedException {
        boolean epoll = config.nativeTransport() && Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType =
                epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        acceptors = new MultiThreadIoEventLoopGroup(1, io);
        int eventLoops = config.eventLoops() > 0
                ? config.eventLoops()
                : Runtime.getRuntime().availableProcessors();
        workers = new MultiThreadIoEventLoopGroup(eventLoops, io);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptors, workers)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(
                        ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(config.outboundLowWaterMark(), config.outboundHighWaterMark()))
                .childHandler(new ServerInitializer(
                        config,
                        context,
                        endpoints,
                        connections,
                        sslContext(),
                        new FlushPacer(workers, config.flushInterval(), PACE_ABOVE_FLUSHES_PER_SECOND, failures)));
        serverChannel = bootstrap.bind(config.host(), config.port()).sync().channel();
        InetSocketAddress address = (InetSocketAddress) serverChannel.localAddress();
        LOG.info(
                "listening on {}:{} ({} transport, {} event loop{}{})",
                address.getHostString(),
                address.getPort(),
                epoll ? "epoll" : "nio",
                eventLoops,
                eventLoops == 1 ? "" : "s",
                config.tls().isPresent() ? ", TLS" : "");
        return address;
    }

    private SslContext sslContext() {
        if (config.tls().isEmpty()) {
            return null;
        }
        TlsConfig tls = config.tls().get();
        try {
            return SslContextBuilder.forServer(
                            tls.certificateFile().toFile(), tls.privateKeyFile().toFile())
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new ConfigException("tls: cannot load certificate " + tls.certificateFile() + " and key "
                    + tls.privateKeyFile() + ": " + e.getMessage());
        }
    }

    /** Whether the node is draining (then {@code /readyz} answers 503). */
    public boolean isDraining() {
        return draining;
    }

    /** Open WebSocket connections. */
    public int connectionCount() {
        return connections.size();
    }

    /** Stops at once, as a crash would: connections drop without a close frame. For failure tests. */
    public void halt() {
        if (serverChannel == null) {
            return;
        }
        draining = true;
        serverChannel.close().syncUninterruptibly();
        connections.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        acceptors.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        serverChannel = null;
    }

    /**
     * Stops accepting, tells every client to reconnect elsewhere ({@link CloseCode#SERVER_SHUTTING_DOWN}), waits up
     * to the shutdown grace period for them to go, then stops the event loops.
     */
    @Override
    public void close() {
        if (serverChannel == null) {
            return;
        }
        draining = true;
        serverChannel.close().syncUninterruptibly();
        CloseCode code = CloseCode.SERVER_SHUTTING_DOWN;
        // A close frame that cannot be written is ordinary for a dying connection: it is closed below anyway.
        connections
                .writeAndFlush(new CloseWebSocketFrame(code.code(), code.reason()))
                .addListener(farewell -> {
                    if (!farewell.isSuccess()) {
                        LOG.debug(
                                "some close frames were not written: {}",
                                farewell.cause().toString());
                    }
                });
        long graceMillis = config.shutdownGrace().toMillis();
        if (!connections.newCloseFuture().awaitUninterruptibly(graceMillis, TimeUnit.MILLISECONDS)) {
            LOG.warn("{} connections still open after {} ms; closing them", connections.size(), graceMillis);
        }
        connections.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        serverChannel = null;
        LOG.info("stopped");
    }
}
