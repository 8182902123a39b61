package org.kindred.loadtest;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * The client side of all connections of a run: one event loop group sized to the cores (epoll when available, else
 * NIO), and a pipeline per connection of HTTP codec, WebSocket handshake/ping/close handling, frame reassembly and a
 * {@link WsClient}.
 */
public final class Transport implements AutoCloseable {

    /** Largest frame read from the server; a {@code joined} with a long presence list can be large. */
    static final int MAX_FRAME = 16 * 1024 * 1024;

    static final int HANDSHAKE_TIMEOUT_MS = 10_000;

    private final EventLoopGroup group;
    private final boolean epoll;

    public Transport(int threads) {
        epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        group = new MultiThreadIoEventLoopGroup(Math.max(1, threads), io);
    }

    public boolean epoll() {
        return epoll;
    }

    /** Opens a WebSocket; the client reports the handshake and every frame to its listener. */
    public ChannelFuture connect(URI url, InetAddress sourceAddress, WsClient client) {
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, HANDSHAKE_TIMEOUT_MS)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast("http", new HttpClientCodec())
                                .addLast("http-body", new HttpObjectAggregator(64 * 1024))
                                .addLast(
                                        "websocket",
                                        new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                                                .webSocketUri(url)
                                                .maxFramePayloadLength(MAX_FRAME)
                                                .handshakeTimeoutMillis(HANDSHAKE_TIMEOUT_MS)
                                                // We read the close frame ourselves, to count close codes.
                                                .handleCloseFrames(false)
                                                .dropPongFrames(true)
                                                // Netty's UTF-8 check walks every byte of every frame: a fifth of the
                                                // tool's Java time in fanout. The scanner decodes the parts it reads.
                                                .withUTF8Validator(false)
                                                .build()))
                                .addLast("fragments", new WebSocketFrameAggregator(MAX_FRAME))
                                .addLast("client", client);
                    }
                });
        InetSocketAddress remote =
                new InetSocketAddress(url.getHost().replace("[", "").replace("]", ""), url.getPort());
        if (sourceAddress == null) {
            return bootstrap.connect(remote);
        }
        if (epoll) {
            // Pick the source port at connect time (by 4-tuple), not at bind time: more connections per address.
            bootstrap.option(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
        }
        return bootstrap.connect(remote, new InetSocketAddress(sourceAddress, 0));
    }

    /** Runs a task on one of the event loops after a delay. */
    public void schedule(Runnable task, long delay, TimeUnit unit) {
        group.schedule(task, delay, unit);
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
