package org.kindred.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kindred.server.connection.EncodedFrame;
import org.kindred.server.metrics.KindredMetrics;
import org.kindred.server.runtime.Failures;

/**
 * How a connection whose pipeline ends in the plain WebSocket encoder writes its frames: a broadcast is framed once and
 * shared, a reply is framed by the encoder and keeps no shared form (it would hold direct memory until a GC).
 */
class NettyConnectionTest {

    private final Failures failures = new Failures(KindredMetrics.NOOP);
    private final EmbeddedChannel channel = new EmbeddedChannel(new WebSocket13FrameEncoder(false));
    private final NettyConnection connection = new NettyConnection(
            channel,
            KindredMetrics.NOOP,
            CloseFailures.countedIn(failures),
            1 << 20,
            new FlushPacer(List.of(), Duration.ZERO, 0, failures));

    @Test
    void aBroadcastFrameIsFramedOnceAndItsWireFormSharedByEveryRecipient() {
        EncodedFrame frame = new EncodedFrame(utf8("{\"type\":\"message\"}"));

        connection.send(frame);
        channel.runPendingTasks();

        assertThat(textOf(channel.readOutbound())).isEqualTo("{\"type\":\"message\"}");
        assertThat(frame.<Object>wire(bytes -> "made again")).isInstanceOf(ByteBuf.class);
        assertFalse(channel.finish());
    }

    @Test
    void aReplyIsFramedByTheEncoderAndKeepsNoSharedWireForm() {
        EncodedFrame reply = EncodedFrame.forOne(utf8("{\"type\":\"welcome\"}"));

        connection.send(reply);
        channel.runPendingTasks();

        assertThat(textOf(channel.readOutbound())).isEqualTo("{\"type\":\"welcome\"}");
        assertThat(reply.<Object>wire(bytes -> "made now")).isEqualTo("made now");
        assertFalse(channel.finish());
    }

    @Test
    void repliesAndBroadcastsLeaveInTheOrderTheyWereSent() {
        connection.send(EncodedFrame.forOne(utf8("1")));
        connection.send(new EncodedFrame(utf8("2")));
        connection.send(EncodedFrame.forOne(utf8("3")));
        channel.runPendingTasks();

        assertThat(List.of(
                        textOf(channel.readOutbound()), textOf(channel.readOutbound()), textOf(channel.readOutbound())))
                .containsExactly("1", "2", "3");
        assertFalse(channel.finish());
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The payload of one unmasked server text frame of fewer than 126 bytes, written as one buffer or several. */
    private String textOf(ByteBuf first) {
        ByteBuf all = first.alloc().buffer();
        all.writeBytes(first);
        first.release();
        ByteBuf more;
        while (all.readableBytes() < 2 || all.readableBytes() < 2 + (all.getByte(1) & 0x7f)) {
            more = channel.readOutbound();
            all.writeBytes(more);
            more.release();
        }
        assertThat(all.getByte(0)).isEqualTo((byte) 0x81);
        String text = all.toString(2, all.getByte(1) & 0x7f, StandardCharsets.UTF_8);
        all.release();
        return text;
    }
}
