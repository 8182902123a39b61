package org.kindred.loadtest.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.kindred.protocol.ClientMessage;
import org.kindred.protocol.DecodeException;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.UserInfo;
import org.kindred.protocol.WireCodec;
import org.kindred.server.connection.EncodedFrame;
import org.kindred.server.transport.WireFrames;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The server's encode/decode hot path: decoding a client's {@code send}, encoding the {@code message} once, and
 * framing it for every recipient of a broadcast, the old way (a {@link TextWebSocketFrame} per recipient through
 * Netty's WebSocket encoder) and the new way (one pre-built frame, a duplicate per recipient, which the encoder lets
 * through). The channel is an {@link EmbeddedChannel} holding only the WebSocket encoder: no socket, so what is left
 * is the Java cost per recipient. Run with {@code -prof gc} for allocations per operation (one operation = one
 * broadcast to {@code recipients} members, or one encode, or one decode).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HotPathBenchmark {

    @Param({"100"})
    public int recipients;

    private final WireCodec codec = new WireCodec();
    private ServerMessage.ChatMessage message;
    /** A resuming member's reply in a room of 2,000: the churn scenario's most expensive frame. */
    private ServerMessage.Joined joined;

    private byte[] sendJson;
    private EmbeddedChannel channel;

    @Setup(Level.Trial)
    public void setUp() {
        message = new ServerMessage.ChatMessage(
                "diabetes",
                1042,
                "m-1042",
                new UserInfo("u-91c0", "Sam", "member"),
                "lt 0a1b2c-0 1042 1767225600000123456",
                1767225600000L,
                "lt-a1b2c-0-1042");
        sendJson = ("{\"type\":\"send\",\"ref\":\"s1042\",\"room\":\"diabetes\",\"clientMsgId\":\"lt-a1b2c-0-1042\","
                        + "\"text\":\"lt 0a1b2c-0 1042 1767225600000123456\"}")
                .getBytes(StandardCharsets.UTF_8);
        channel = new EmbeddedChannel(new WebSocket08FrameEncoder(false));
        List<ServerMessage.ChatMessage> recovered = new ArrayList<>();
        for (int i = 0; i < 13; i++) {
            recovered.add(new ServerMessage.ChatMessage(
                    "diabetes",
                    1042 + i,
                    "m-" + (1042 + i),
                    new UserInfo("u-91c0", "Sam", "member"),
                    "lt 0a1b2c-0 " + (1042 + i) + " 1767225600000123456",
                    1767225600000L,
                    null));
        }
        List<UserInfo> present = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            present.add(new UserInfo("u-" + Integer.toHexString(0x10000 + i), "Member" + i, "member"));
        }
        joined = new ServerMessage.Joined("j1", "diabetes", "e-4f2a", 1054, true, recovered, false, present);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        channel.finishAndReleaseAll();
    }

    @Benchmark
    public ClientMessage decodeSend() throws DecodeException {
        return codec.decodeClient(sendJson);
    }

    @Benchmark
    public byte[] encodeMessage() {
        return codec.encode(message);
    }

    @Benchmark
    public byte[] encodeJoined() {
        return codec.encode(joined);
    }

    /** Before: encode once, then a text frame per recipient, framed (header, small-payload copy) per recipient. */
    @Benchmark
    public int broadcastTextFramePerRecipient() {
        EncodedFrame frame = new EncodedFrame(codec.encode(message));
        for (int i = 0; i < recipients; i++) {
            channel.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(frame.utf8())), channel.voidPromise());
        }
        return drain();
    }

    /** After: encode once, frame once, a duplicate of the complete frame per recipient. */
    @Benchmark
    public int broadcastPrebuiltFrame() {
        EncodedFrame frame = new EncodedFrame(codec.encode(message));
        for (int i = 0; i < recipients; i++) {
            ByteBuf wire = frame.wire(WireFrames::text);
            channel.write(wire.duplicate(), channel.voidPromise());
        }
        return drain();
    }

    private int drain() {
        channel.flush();
        int bytes = 0;
        Object out;
        while ((out = channel.readOutbound()) != null) {
            bytes += ((ByteBuf) out).readableBytes();
            ReferenceCountUtil.release(out);
        }
        return bytes;
    }
}
