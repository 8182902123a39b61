package org.kindred.loadtest.baseline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The yardstick for Kindred's CPU per delivery: the plainest Netty WebSocket broadcast server, speaking just enough of
 * the Kindred protocol for the load tool ({@code POST /dev/token}, hello → welcome, list_rooms → rooms, join → joined,
 * send → ack and a message to every member of the room, leave → left). No history, presence, limits or checks: a
 * room is a {@link ChannelGroup}, a broadcast is one JSON encoding and {@code group.writeAndFlush} of one text frame.
 *
 * <pre>java -cp loadtest/target/kindred-loadtest.jar org.kindred.loadtest.baseline.BareBroadcastServer [port]</pre>
 */
public final class BareBroadcastServer {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, ChannelGroup> ROOMS = new ConcurrentHashMap<>();
    private static final Map<String, AtomicLong> SEQ = new ConcurrentHashMap<>();

    private BareBroadcastServer() {}

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 18090;
        var io = EpollIoHandler.newFactory();
        Channel server = new ServerBootstrap()
                .group(new MultiThreadIoEventLoopGroup(1, io), new MultiThreadIoEventLoopGroup(io))
                .channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(
                                        new HttpServerCodec(),
                                        new HttpObjectAggregator(8192),
                                        new DevToken(),
                                        new WebSocketServerProtocolHandler("/ws"),
                                        new Session());
                    }
                })
                .bind("127.0.0.1", port)
                .sync()
                .channel();
        System.out.println("bare broadcast server on ws://127.0.0.1:" + port + "/ws");
        server.closeFuture().sync();
    }

    /** Any POST /dev/token gets a token (it is never checked); everything else goes on to the WebSocket handshake. */
    private static final class DevToken extends SimpleChannelInboundHandler<FullHttpRequest> {
        DevToken() {
            super(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            if (!req.uri().startsWith("/dev/token")) {
                ctx.fireChannelRead(req);
                return;
            }
            req.release();
            var res = new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1,
                    HttpResponseStatus.OK,
                    Unpooled.copiedBuffer("{\"token\":\"bare\"}", StandardCharsets.UTF_8));
            res.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
            ctx.writeAndFlush(res);
        }
    }

    private static final class Session extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        private String user;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) throws Exception {
            JsonNode in = JSON.readTree(frame.text());
            String ref = in.path("ref").asText();
            String room = in.path("room").asText();
            ObjectNode out = JSON.createObjectNode().put("ref", ref);
            switch (in.path("type").asText()) {
                case "hello" -> {
                    user = "u-" + ctx.channel().id().asShortText();
                    out.put("type", "welcome").put("protocolVersion", 1);
                }
                case "list_rooms" -> {
                    out.put("type", "rooms");
                    var list = out.putArray("rooms");
                    for (String r : new String[] {
                        "diabetes", "long-covid", "depression", "anxiety", "chronic-pain", "caregivers"
                    }) {
                        list.addObject().put("id", r).put("writable", true);
                    }
                    for (int i = 0; i < 1000; i++) {
                        list.addObject().put("id", String.format("lt-%04d", i)).put("writable", true);
                    }
                }
                case "join" -> {
                    ROOMS.computeIfAbsent(room, r -> new DefaultChannelGroup(GlobalEventExecutor.INSTANCE))
                            .add(ctx.channel());
                    long last = SEQ.computeIfAbsent(room, r -> new AtomicLong()).get();
                    out.put("type", "joined")
                            .put("room", room)
                            .put("epoch", "bare")
                            .put("lastSeq", last)
                            .put("recovered", false)
                            .putArray("messages");
                }
                case "leave" -> {
                    ChannelGroup g = ROOMS.get(room);
                    if (g != null) {
                        g.remove(ctx.channel());
                    }
                    out.put("type", "left").put("room", room);
                }
                case "send" -> {
                    long seq = SEQ.computeIfAbsent(room, r -> new AtomicLong()).incrementAndGet();
                    long ts = System.currentTimeMillis();
                    ObjectNode msg = JSON.createObjectNode()
                            .put("type", "message")
                            .put("room", room)
                            .put("seq", seq)
                            .put("id", "m-" + seq);
                    msg.putObject("author")
                            .put("id", user)
                            .put("pseudonym", user)
                            .put("role", "member");
                    msg.put("text", in.path("text").asText())
                            .put("ts", ts)
                            .put("clientMsgId", in.path("clientMsgId").asText());
                    out.put("type", "ack")
                            .put("room", room)
                            .put("clientMsgId", in.path("clientMsgId").asText())
                            .put("id", "m-" + seq)
                            .put("seq", seq)
                            .put("ts", ts)
                            .put("duplicate", false);
                    ctx.writeAndFlush(new TextWebSocketFrame(JSON.writeValueAsString(out)));
                    // The broadcast: encoded once, one text frame shared (retained duplicates) by every member.
                    ChannelGroup g = ROOMS.get(room);
                    if (g != null) {
                        g.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(JSON.writeValueAsBytes(msg))));
                    }
                    return;
                }
                default -> out.put("type", "pong");
            }
            ctx.writeAndFlush(new TextWebSocketFrame(JSON.writeValueAsString(out)));
        }
    }
}
