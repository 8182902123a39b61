package org.kindred.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kindred.server.metrics.KindredMetrics;
import org.kindred.server.runtime.Failures;

class FlushPacerTest {

    private final FlushCounter flushes = new FlushCounter();
    private EmbeddedChannel channel;

    @BeforeEach
    void openChannel() {
        channel = new EmbeddedChannel(flushes);
        channel.freezeTime();
    }

    /** Every write's outcome, checked after each test: all of them reached the channel. */
    private final List<ChannelFuture> written = new ArrayList<>();

    @AfterEach
    void everyWriteSucceeded() {
        channel.runPendingTasks();
        channel.flushOutbound();
        assertThat(written).allMatch(ChannelFuture::isSuccess);
    }

    /** A pacer whose loop always counts as busy: it paces whenever a connection was flushed within the interval. */
    private FlushPacer.Paced paced(Duration interval) {
        return new FlushPacer(List.of(), interval, 0, new Failures(KindredMetrics.NOOP)).paced(channel);
    }

    @Test
    void flushesAtOnceAConnectionThatWasNotFlushedWithinTheInterval() {
        FlushPacer.Paced paced = paced(Duration.ofMillis(10));
        written.add(channel.write("first"));
        paced.flush();

        assertThat(flushes.count).isEqualTo(1);
        assertThat((String) channel.readOutbound()).isEqualTo("first");
        channel.advanceTimeBy(10, TimeUnit.MILLISECONDS);
        written.add(channel.write("later"));
        paced.flush();
        assertThat(flushes.count).isEqualTo(2);
    }

    @Test
    void holdsFramesWrittenRightAfterAFlushUntilOneIntervalAfterItAndSendsThemTogether() {
        FlushPacer.Paced paced = paced(Duration.ofMillis(10));
        written.add(channel.write("first"));
        paced.flush();
        channel.readOutbound();

        channel.advanceTimeBy(2, TimeUnit.MILLISECONDS);
        written.add(channel.write("second"));
        paced.flush();
        written.add(channel.write("third"));
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
            written.add(channel.write("frame " + i));
            paced.flush();
        }
        assertThat(flushes.count).isEqualTo(3);
        assertThat(channel.outboundMessages()).hasSize(3);
    }

    @Test
    void pacesEachConnectionOnItsOwn() {
        EmbeddedChannel other = new EmbeddedChannel(new FlushCounter());
        FlushPacer pacer = new FlushPacer(List.of(), Duration.ofMillis(10), 0, new Failures(KindredMetrics.NOOP));
        FlushPacer.Paced busy = pacer.paced(channel);
        FlushPacer.Paced quiet = pacer.paced(other);
        busy.flush();
        busy.flush();
        quiet.flush();

        assertThat(flushes.count).isEqualTo(1);
        assertThat(((FlushCounter) other.pipeline().first()).count).isEqualTo(1);
    }

    @Test
    void aLoopThatIsNotBusyFlushesAtOnceEvenAConnectionFlushedAMomentAgo() {
        // Busy from 1,000 flushes a second: 10 within one 10 ms interval.
        FlushPacer.Paced paced = new FlushPacer(
                        List.of(), Duration.ofMillis(10), 1_000, new Failures(KindredMetrics.NOOP))
                .paced(channel);
        for (int i = 0; i < 10; i++) {
            written.add(channel.write("frame " + i));
            paced.flush();
            channel.advanceTimeBy(100, TimeUnit.MICROSECONDS);
        }
        assertThat(flushes.count).isEqualTo(10);
        assertThat(channel.outboundMessages()).hasSize(10);
    }

    @Test
    void aLoopAskedForMoreFlushesThanTheBusyRatePacesUntilAnIntervalPassesWithFewer() {
        FlushPacer.Paced paced = new FlushPacer(
                        List.of(), Duration.ofMillis(10), 1_000, new Failures(KindredMetrics.NOOP))
                .paced(channel);
        for (int i = 0; i < 12; i++) {
            written.add(channel.write("frame " + i));
            paced.flush();
        }
        // Ten at once, then the loop is busy: the last two wait for the paced flush and leave together.
        assertThat(flushes.count).isEqualTo(10);
        channel.advanceTimeBy(10, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(flushes.count).isEqualTo(11);

        // The interval just past was busy, so the next one paces from its first flush on.
        written.add(channel.write("paced"));
        paced.flush();
        channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        written.add(channel.write("paced too"));
        paced.flush();
        assertThat(flushes.count).isEqualTo(11);
        channel.advanceTimeBy(9, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(flushes.count).isEqualTo(12);

        // After an interval with only two asked for, frames leave at once again, even 5 ms after the last flush.
        channel.advanceTimeBy(5, TimeUnit.MILLISECONDS);
        written.add(channel.write("quiet"));
        paced.flush();
        channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        written.add(channel.write("quiet too"));
        paced.flush();
        assertThat(flushes.count).isEqualTo(14);
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
