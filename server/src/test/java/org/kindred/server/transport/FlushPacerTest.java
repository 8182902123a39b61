package org.kindred.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FlushPacerTest {

    private final FlushCounter flushes = new FlushCounter();
    private EmbeddedChannel channel;

    @BeforeEach
    void openChannel() {
        channel = new EmbeddedChannel(flushes);
        channel.freezeTime();
    }

    private FlushPacer.Paced paced(Duration interval) {
        return new FlushPacer(List.of(), interval).paced(channel);
    }

    @Test
    void flushesAtOnceAConnectionThatWasNotFlushedWithinTheInterval() {
        FlushPacer.Paced paced = paced(Duration.ofMillis(10));
        channel.write("first");
        paced.flush();

        assertThat(flushes.count).isEqualTo(1);
        assertThat((String) channel.readOutbound()).isEqualTo("first");
        channel.advanceTimeBy(10, TimeUnit.MILLISECONDS);
        channel.write("later");
        paced.flush();
        assertThat(flushes.count).isEqualTo(2);
    }

    @Test
    void holdsFramesWrittenRightAfterAFlushUntilOneIntervalAfterItAndSendsThemTogether() {
        FlushPacer.Paced paced = paced(Duration.ofMillis(10));
        channel.write("first");
        paced.flush();
        channel.readOutbound();

        channel.advanceTimeBy(2, TimeUnit.MILLISECONDS);
        channel.write("second");
        paced.flush();
        channel.write("third");
        paced.flush();
        assertThat(flushes.count).isEqualTo(1);
        assertThat((Object) channel.readOutbound()).isNull();

        channel.advanceTimeBy(7, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(flushes.count).isEqualTo(1);
        channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(flushes.count).isEqualTo(2);
        assertThat((String) channel.readOutbound()).isEqualTo("second");
        assertThat((String) channel.readOutbound()).isEqualTo("third");
    }

    @Test
    void flushesEveryTimeWhenPacingIsOff() {
        FlushPacer.Paced paced = paced(Duration.ZERO);
        for (int i = 0; i < 3; i++) {
            channel.write("frame " + i);
            paced.flush();
        }
        assertThat(flushes.count).isEqualTo(3);
        assertThat(channel.outboundMessages()).hasSize(3);
    }

    @Test
    void pacesEachConnectionOnItsOwn() {
        EmbeddedChannel other = new EmbeddedChannel(new FlushCounter());
        FlushPacer pacer = new FlushPacer(List.of(), Duration.ofMillis(10));
        FlushPacer.Paced busy = pacer.paced(channel);
        FlushPacer.Paced quiet = pacer.paced(other);
        busy.flush();
        busy.flush();
        quiet.flush();

        assertThat(flushes.count).isEqualTo(1);
        assertThat(((FlushCounter) other.pipeline().first()).count).isEqualTo(1);
    }

    private static final class FlushCounter extends ChannelOutboundHandlerAdapter {
        int count;

        @Override
        public void flush(ChannelHandlerContext ctx) {
            count++;
            ctx.flush();
        }
    }
}
