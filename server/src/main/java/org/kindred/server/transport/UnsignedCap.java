package org.kindred.server.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Holds one connection's place in {@link UnsignedConnections} from its accept until it signs in or closes. A connection
 * over the cap of its address gets {@code 429 Too Many Requests} (with {@code Retry-After}) to its first request, before
 * any WebSocket upgrade, and is closed. Once signed in, the handler leaves the pipeline: it costs nothing per frame.
 */
final class UnsignedCap extends ChannelInboundHandlerAdapter {

    static final String RETRY_AFTER_SECONDS = "5";
    private static final byte[] BODY =
            "too many connections from your address are waiting to sign in; try again shortly\n"
                    .getBytes(StandardCharsets.UTF_8);

    private final UnsignedConnections unsigned;
    private InetAddress address;
    private boolean refused;

    UnsignedCap(UnsignedConnections unsigned) {
        this.unsigned = unsigned;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress remote) {
            address = remote.getAddress();
            refused = !unsigned.open(address);
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (!refused) {
            super.channelRead(ctx, msg);
            return;
        }
        boolean request = msg instanceof HttpRequest;
        ReferenceCountUtil.release(msg);
        if (request && ctx.channel().isActive()) {
            FullHttpResponse response = new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1, HttpResponseStatus.TOO_MANY_REQUESTS, Unpooled.wrappedBuffer(BODY));
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, BODY.length)
                    .set(HttpHeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS)
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The connection signed in: it no longer counts against its address. On the channel's event loop. */
    void signedIn(ChannelHandlerContext ctx) {
        releasePlace();
        ctx.pipeline().remove(this);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        releasePlace();
        super.channelInactive(ctx);
    }

    private void releasePlace() {
        if (address != null) {
            unsigned.release(address);
            address = null;
        }
    }
}
