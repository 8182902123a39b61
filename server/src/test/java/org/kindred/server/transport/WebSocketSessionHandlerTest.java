package org.kindred.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kindred.protocol.CloseCode;
import org.kindred.protocol.DecodeException;
import org.kindred.protocol.ErrorCode;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.WireCodec;
import org.kindred.server.config.KindredConfig;
import org.kindred.server.connection.Refusal;
import org.kindred.server.identity.Identity;
import org.kindred.server.identity.Role;
import org.kindred.server.metrics.KindredMetrics;
import org.kindred.server.room.Room;
import org.kindred.server.room.RoomRegistry;
import org.kindred.server.runtime.Failures;
import org.kindred.server.session.SessionContext;
import org.kindred.server.testing.FakeTime;
import org.kindred.server.testing.TestRooms;

/**
 * The session handler between Netty's WebSocket protocol handler and the domain: frames and pipeline events in, frames
 * out. Answers go through {@link NettyConnection}'s queue, which the channel's event loop drains, so each test runs
 * the channel's pending tasks before it reads what was written.
 */
class WebSocketSessionHandlerTest {

    private static final WireCodec CODEC = new WireCodec();
    private static final Duration AUTH_TIMEOUT = Duration.ofSeconds(10);

    private final KindredConfig config = KindredConfig.builder()
            .authTimeout(AUTH_TIMEOUT)
            .newMemberPeriod(Duration.ZERO)
            .build();
    private final FakeTime time = new FakeTime();
    private final RoomRegistry rooms =
            TestRooms.registry(config.toBuilder().presenceGrace(Duration.ZERO).build(), time);
    private final AtomicInteger openConnections = new AtomicInteger();
    private final KindredMetrics metrics = new KindredMetrics() {
        @Override
        public void connectionOpened() {
            openConnections.incrementAndGet();
        }

        @Override
        public void connectionClosed() {
            openConnections.decrementAndGet();
        }
    };
    private final SessionContext context = TestRooms.sessionContext(
            config, WebSocketSessionHandlerTest::verify, rooms, metrics, new AtomicLong()::get, time);
    private final ChannelGroup connections = new DefaultChannelGroup(ImmediateEventExecutor.INSTANCE);
    private final EmbeddedChannel channel = new EmbeddedChannel(new WebSocketSessionHandler(
            context,
            connections,
            new FlushPacer(java.util.List.of(), java.time.Duration.ZERO, 0, new Failures(KindredMetrics.NOOP)),
            CloseFailures.countedIn(new Failures(KindredMetrics.NOOP))));

    /** Tokens are pseudonyms; "expired" fails. */
    private static Identity verify(String token) {
        if (token == null || token.equals("expired")) {
            throw new Refusal(ErrorCode.TOKEN_EXPIRED, "expired");
        }
        return new Identity("u-" + token.toLowerCase(), token, Set.of(Role.MEMBER));
    }

    @AfterEach
    void noLeakedFrames() {
        assertFalse(channel.finish(), "a frame was left in the channel");
    }

    private void handshake() {
        channel.pipeline()
                .fireUserEventTriggered(
                        new WebSocketServerProtocolHandler.HandshakeComplete("/ws", new DefaultHttpHeaders(), null));
    }

    private void receive(String json) {
        channel.writeInbound(new TextWebSocketFrame(json));
        channel.runPendingTasks();
    }

    private void signIn(String pseudonym) {
        receive("{\"type\":\"hello\",\"ref\":\"h\",\"token\":\"" + pseudonym + "\"}");
        assertThat(nextMessage()).isInstanceOf(ServerMessage.Welcome.class);
    }

    /** Everything written so far, after running the event loop's pending tasks. */
    private List<Object> written() {
        channel.runPendingTasks();
        List<Object> all = new ArrayList<>();
        Object message;
        while ((message = channel.readOutbound()) != null) {
            all.add(message);
        }
        return all;
    }

    /** The next frame written, which must be a text frame, decoded; the frame is released. */
    private ServerMessage nextMessage() {
        channel.runPendingTasks();
        Object frame = channel.readOutbound();
        assertThat(frame).as("next outbound frame").isInstanceOf(TextWebSocketFrame.class);
        TextWebSocketFrame text = (TextWebSocketFrame) frame;
        try {
            return CODEC.decodeServer(text.text());
        } catch (DecodeException e) {
            throw new AssertionError("undecodable frame " + text.text(), e);
        } finally {
            text.release();
        }
    }

    /** The next frame written, which must be a close frame; returns its status code and releases it. */
    private int nextCloseCode() {
        channel.runPendingTasks();
        Object frame = channel.readOutbound();
        assertThat(frame).as("next outbound frame").isInstanceOf(CloseWebSocketFrame.class);
        CloseWebSocketFrame close = (CloseWebSocketFrame) frame;
        try {
            return close.statusCode();
        } finally {
            close.release();
        }
    }

    private static void releaseAll(List<Object> frames) {
        frames.forEach(f -> ((WebSocketFrame) f).release());
    }

    @Test
    void answersAPingAfterHelloWithAPongCarryingItsRef() {
        handshake();
        signIn("Robin");

        receive("{\"type\":\"ping\",\"ref\":\"p\"}");

        assertThat(nextMessage()).isEqualTo(new ServerMessage.Pong("p"));
        assertThat(written()).isEmpty();
    }

    @Test
    void welcomesAHelloWithTheChannelIdAsSessionId() {
        handshake();

        receive("{\"type\":\"hello\",\"ref\":\"h\",\"token\":\"Robin\"}");

        ServerMessage.Welcome welcome = (ServerMessage.Welcome) nextMessage();
        assertThat(welcome.ref()).isEqualTo("h");
        assertThat(welcome.user().pseudonym()).isEqualTo("Robin");
        assertThat(welcome.sessionId()).isEqualTo(channel.id().asShortText());
    }

    @Test
    void refusesACommandBeforeHelloWithNotAuthenticatedAndStaysOpen() {
        handshake();

        receive("{\"type\":\"ping\",\"ref\":\"p\"}");

        ServerMessage.Error error = (ServerMessage.Error) nextMessage();
        assertThat(error.ref()).isEqualTo("p");
        assertThat(error.code()).isEqualTo("not_authenticated");
        assertThat(channel.isActive()).isTrue();
    }

    @Test
    void answersSeveralCommandsInTheOrderTheyArrived() {
        handshake();
        signIn("Robin");

        channel.writeInbound(
                new TextWebSocketFrame("{\"type\":\"ping\",\"ref\":\"1\"}"),
                new TextWebSocketFrame("{\"type\":\"ping\",\"ref\":\"2\"}"),
                new TextWebSocketFrame("{\"type\":\"ping\",\"ref\":\"3\"}"));

        assertThat(List.of(nextMessage(), nextMessage(), nextMessage()))
                .containsExactly(new ServerMessage.Pong("1"), new ServerMessage.Pong("2"), new ServerMessage.Pong("3"));
    }

    @Test
    void readsATextFrameWhoseContentDoesNotStartAtIndexZero() {
        handshake();
        signIn("Robin");
        byte[] padded = "XXXX{\"type\":\"ping\",\"ref\":\"offset\"}".getBytes(StandardCharsets.UTF_8);
        TextWebSocketFrame frame =
                new TextWebSocketFrame(Unpooled.wrappedBuffer(padded).skipBytes(4));

        channel.writeInbound(frame);

        assertThat(nextMessage()).isEqualTo(new ServerMessage.Pong("offset"));
    }

    @Test
    void ignoresAndReleasesFramesBeforeTheHandshakeCompletes() {
        TextWebSocketFrame frame = new TextWebSocketFrame("{\"type\":\"ping\",\"ref\":\"p\"}");

        channel.writeInbound(frame);

        assertThat(frame.refCnt()).isZero();
        assertThat(written()).isEmpty();
    }

    @Test
    void refusesABinaryFrameWithBinaryNotSupportedAndStaysOpen() {
        handshake();
        signIn("Robin");
        BinaryWebSocketFrame frame = new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));

        channel.writeInbound(frame);

        ServerMessage.Error error = (ServerMessage.Error) nextMessage();
        assertThat(error.code()).isEqualTo("binary_not_supported");
        assertThat(frame.refCnt()).as("binary frame released").isZero();
        assertThat(channel.isActive()).isTrue();
    }

    @Test
    void sendsAPingWhenNothingWasWrittenForThePingInterval() {
        handshake();

        channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_WRITER_IDLE_STATE_EVENT);

        List<Object> frames = written();
        assertThat(frames).singleElement().isInstanceOf(PingWebSocketFrame.class);
        releaseAll(frames);
        assertThat(channel.isActive()).isTrue();
    }

    @Test
    void closesWithIdleTimeoutWhenNothingWasReadForTheIdleTimeout() {
        handshake();
        signIn("Robin");

        channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);

        assertThat(nextCloseCode()).isEqualTo(CloseCode.IDLE_TIMEOUT.code()).isEqualTo(4003);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void closesAnHttpConnectionThatGoesIdleBeforeAnyHandshake() {
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_WRITER_IDLE_STATE_EVENT);

        assertThat(written()).isEmpty();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void closesWithAuthTimeoutWhenNoHelloArrivesInTime() {
        channel.freezeTime();
        handshake();

        channel.advanceTimeBy(AUTH_TIMEOUT.toMillis() - 1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).as("open just before the timeout").isTrue();

        channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();

        assertThat(nextCloseCode()).isEqualTo(CloseCode.AUTH_TIMEOUT.code());
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void keepsASignedInConnectionOpenWhenTheAuthTimeoutPasses() {
        channel.freezeTime();
        handshake();
        signIn("Robin");

        channel.advanceTimeBy(AUTH_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();

        assertThat(written()).isEmpty();
        assertThat(channel.isActive()).isTrue();
    }

    @Test
    void cancelsTheAuthTimeoutWhenTheConnectionGoesInactive() {
        channel.freezeTime();
        handshake();

        // Only the event: EmbeddedChannel.close() cancels every scheduled task itself, which would hide a leak.
        channel.pipeline().fireChannelInactive();
        channel.advanceTimeBy(AUTH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();

        assertThat(written()).as("frames written after the connection went").isEmpty();
    }

    @Test
    void leavesEveryJoinedRoomWhenTheConnectionCloses() {
        handshake();
        signIn("Robin");
        receive("{\"type\":\"join\",\"ref\":\"j1\",\"room\":\"diabetes\"}");
        receive("{\"type\":\"join\",\"ref\":\"j2\",\"room\":\"long-covid\"}");
        releaseAll(written());
        Room diabetes = rooms.find("diabetes").orElseThrow();
        Room longCovid = rooms.find("long-covid").orElseThrow();
        assertThat(diabetes.present()).extracting(u -> u.pseudonym()).containsExactly("Robin");
        assertThat(longCovid.present()).extracting(u -> u.pseudonym()).containsExactly("Robin");

        channel.close().syncUninterruptibly();

        assertThat(diabetes.present()).isEmpty();
        assertThat(longCovid.present()).isEmpty();
    }

    @Test
    void joinsTheConnectionGroupOnHandshakeAndLeavesItOnClose() {
        assertThat(List.copyOf(connections)).isEmpty();

        handshake();
        assertThat(List.copyOf(connections)).containsExactly(channel);

        channel.close().syncUninterruptibly();
        assertThat(List.copyOf(connections)).isEmpty();
    }

    @Test
    void countsAConnectionOpenedOnHandshakeAndClosedOnceOnClose() {
        handshake();
        assertThat(openConnections).hasValue(1);

        channel.close().syncUninterruptibly();
        channel.close().syncUninterruptibly();

        assertThat(openConnections).hasValue(0);
    }

    @Test
    void doesNotCountAnHttpConnectionThatCloses() {
        channel.close().syncUninterruptibly();

        assertThat(openConnections).hasValue(0);
    }

    @Test
    void answersAnOversizedFrameWithFrameTooLargeThenCloses1009() {
        handshake();
        signIn("Robin");

        channel.pipeline()
                .fireExceptionCaught(new CorruptedWebSocketFrameException(
                        WebSocketCloseStatus.MESSAGE_TOO_BIG, "Max frame length exceeded"));

        ServerMessage.Error error = (ServerMessage.Error) nextMessage();
        assertThat(error.code()).isEqualTo("frame_too_large");
        assertThat(nextCloseCode()).isEqualTo(1009);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void answersAnOversizedReassembledMessageWithFrameTooLargeThenCloses1009() {
        handshake();

        channel.pipeline().fireExceptionCaught(new TooLongFrameException("fragmented message too long"));

        assertThat(((ServerMessage.Error) nextMessage()).code()).isEqualTo("frame_too_large");
        assertThat(nextCloseCode()).isEqualTo(1009);
    }

    @Test
    void closesACorruptStreamWithTheStatusNettyGives() {
        handshake();

        channel.pipeline()
                .fireExceptionCaught(
                        new CorruptedWebSocketFrameException(WebSocketCloseStatus.INVALID_PAYLOAD_DATA, "bad utf-8"));

        assertThat(nextCloseCode()).isEqualTo(WebSocketCloseStatus.INVALID_PAYLOAD_DATA.code());
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void closesACorruptStreamWithoutStatusAsAProtocolError() {
        handshake();

        channel.pipeline().fireExceptionCaught(new CorruptedWebSocketFrameException());

        assertThat(nextCloseCode()).isEqualTo(WebSocketCloseStatus.PROTOCOL_ERROR.code());
    }

    @Test
    void closesQuietlyOnAnyOtherError() {
        handshake();

        channel.pipeline().fireExceptionCaught(new IOException("Connection reset by peer"));

        assertThat(written()).isEmpty();
        assertThat(channel.isOpen()).isFalse();
    }
}
