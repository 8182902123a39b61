package org.kindred.server.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.kindred.server.config.ManagementConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management listener: a second, plain HTTP port (loopback by default) for Prometheus, probes that want detail,
 * and the community's backend. One event loop of its own, so a busy chat port never delays a scrape and a scrape never
 * takes a chat connection's loop.
 */
public final class ManagementServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);
    /** Largest request body: a server API call (a system message, a sanction). */
    static final int MAX_BODY_BYTES = 64 * 1024;
    /** An idle management connection is closed after this long; scrapers and API clients reconnect. */
    private static final int IDLE_SECONDS = 60;

    private final ManagementConfig config;
    private final ManagementHandler handler;
    private EventLoopGroup loop;
    private Channel channel;

    public ManagementServer(ManagementConfig config, ManagementEndpoints endpoints) {
        this.config = config;
        this.handler = new ManagementHandler(endpoints);
    }

    /** Binds the management port; returns the bound address. */
    public InetSocketAddress start() throws InterruptedException {
        loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            channel = new ServerBootstrap()
                    .group(loop)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline()
                                    .addLast("idle", new ReadTimeoutHandler(IDLE_SECONDS))
                                    .addLast("http", new HttpServerCodec())
                                    .addLast("http-body", new HttpObjectAggregator(MAX_BODY_BYTES))
                                    .addLast("management", handler);
                        }
                    })
                    .bind(config.host(), config.port())
                    .sync()
                    .channel();
        } catch (RuntimeException | InterruptedException e) {
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
            throw e;
        }
        InetSocketAddress address = (InetSocketAddress) channel.localAddress();
        LOG.info(
                "management listening on {}:{} (metrics, readiness, server API)",
                address.getHostString(),
                address.getPort());
        return address;
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
            channel = null;
        }
        if (loop != null) {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            loop = null;
        }
    }
}
