package org.kindred.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Keep-alive on the event loop's time: the test moves it, nothing waits. */
class KeepAliveHandlerTest {

    private static final long PING_MILLIS = 25_000;
    private static final long IDLE_MILLIS = 60_000;

    private final List<IdleStateEvent> events = new ArrayList<>();
    private final EmbeddedChannel channel = new EmbeddedChannel();

    KeepAliveHandlerTest() {
        channel.freezeTime();
        channel.pipeline().addLast(new KeepAliveHandler(PING_MILLIS, IDLE_MILLIS), new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                events.add((IdleStateEvent) event);
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                // a frame from the peer (a pong): consumed here
            }
        });
    }

    @AfterEach
    void noLeakedFrames() {
        assertFalse(channel.finish());
    }

    private void advance(long millis) {
        channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
    }

    @Test
    void pingsAPeerThatStaysSilentForThePingInterval() {
        advance(PING_MILLIS - 1);
        assertThat(events).isEmpty();

        advance(1);

        assertThat(events).containsExactly(IdleStateEvent.WRITER_IDLE_STATE_EVENT);
    }

    @Test
    void aPeerThatAnswersItsPingsIsNeverIdle() {
        for (int ping = 0; ping < 10; ping++) {
            advance(PING_MILLIS);
            channel.writeInbound("pong");
        }

        assertThat(events).hasSize(10).containsOnly(IdleStateEvent.WRITER_IDLE_STATE_EVENT);
    }

    @Test
    void aPeerSilentForTheIdleTimeoutIsIdleOnceThenAgainEachInterval() {
        advance(IDLE_MILLIS);

        assertThat(events).endsWith(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);

        advance(PING_MILLIS);

        assertThat(events).endsWith(IdleStateEvent.READER_IDLE_STATE_EVENT);
    }

    @Test
    void hearingFromThePeerStartsTheSilenceAgain() {
        advance(PING_MILLIS + 10_000);
        channel.writeInbound("anything");
        events.clear();

        advance(PING_MILLIS - 1);
        assertThat(events).isEmpty();
        advance(1);
        assertThat(events).containsExactly(IdleStateEvent.WRITER_IDLE_STATE_EVENT);
    }
}
