package org.kindred.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.kindred.protocol.CloseCode;
import org.kindred.protocol.ErrorCode;
import org.kindred.protocol.ServerMessage;
import org.kindred.server.config.KindredConfig;
import org.kindred.server.connection.Refusal;
import org.kindred.server.identity.Identity;
import org.kindred.server.identity.Role;
import org.kindred.server.metrics.KindredMetrics;
import org.kindred.server.room.RoomRegistry;
import org.kindred.server.testing.FakeTime;
import org.kindred.server.testing.RecordingConnection;
import org.kindred.server.testing.TestRooms;

/** The session's rules, without any network: tokens are names, time is a counter. */
class ClientSessionTest {

    private final FakeTime time = new FakeTime();
    private final AtomicLong nanos = new AtomicLong();
    private final KindredConfig config = KindredConfig.builder()
            .ratePerSecond(1)
            .rateBurst(3)
            .maxTextLength(10)
            .newMemberPeriod(Duration.ZERO)
            .build();
    private final RoomRegistry rooms =
            TestRooms.registry(config.toBuilder().presenceGrace(Duration.ZERO).build(), time);
    private final SessionContext context =
            TestRooms.sessionContext(config, this::verify, rooms, KindredMetrics.NOOP, nanos::get, time);
    private final RecordingConnection connection = new RecordingConnection("c1");
    private final ClientSession session = new ClientSession(connection, context);

    private Identity verify(String token) {
        return switch (token == null ? "" : token) {
            case "" -> throw new Refusal(ErrorCode.TOKEN_MISSING, "no token");
            case "expired" -> throw new Refusal(ErrorCode.TOKEN_EXPIRED, "expired");
            case "moderator" -> new Identity("u-mod", "Mod", Set.of(Role.MEMBER, Role.MODERATOR));
            default -> new Identity("u-" + token, token, Set.of(Role.MEMBER));
        };
    }

    private void receive(String json) {
        session.onText(json.getBytes(StandardCharsets.UTF_8));
    }

    private ServerMessage.Error lastError() {
        return connection.last(ServerMessage.Error.class);
    }

    @Test
    void welcomesWithTheUsersHighestRoleAndTheServerLimits() {
        receive("{\"type\":\"hello\",\"ref\":\"h\",\"token\":\"moderator\"}");

        ServerMessage.Welcome welcome = connection.last(ServerMessage.Welcome.class);
        assertThat(welcome.user().role()).isEqualTo("moderator");
        assertThat(welcome.roles()).containsExactly("member", "moderator");
        assertThat(welcome.limits().maxTextLength()).isEqualTo(10);
        assertThat(welcome.sessionId()).isEqualTo("c1");
    }

    @Test
    void anExpiredTokenClosesWithTheTokenExpiredCode() {
        receive("{\"type\":\"hello\",\"ref\":\"h\",\"token\":\"expired\"}");

        assertThat(lastError().code()).isEqualTo("token_expired");
        assertThat(connection.closedWith()).isEqualTo(CloseCode.TOKEN_EXPIRED);
        assertThat(session.isAuthenticated()).isFalse();
    }

    @Test
    void closesAnUnauthenticatedConnectionWhenTheAuthTimeoutPasses() {
        session.onAuthTimeout();

        assertThat(connection.closedWith()).isEqualTo(CloseCode.AUTH_TIMEOUT);
    }

    @Test
    void keepsAnAuthenticatedConnectionWhenTheAuthTimeoutPasses() {
        receive("{\"type\":\"hello\",\"token\":\"ana\"}");

        session.onAuthTimeout();

        assertThat(connection.closedWith()).isNull();
    }

    @Test
    void rateLimitsAfterTheBurstAndRecoversWithTime() {
        receive("{\"type\":\"hello\",\"token\":\"ana\"}");
        receive("{\"type\":\"ping\",\"ref\":\"1\"}");
        receive("{\"type\":\"ping\",\"ref\":\"2\"}");
        receive("{\"type\":\"ping\",\"ref\":\"3\"}");

        assertThat(lastError().code()).isEqualTo("rate_limited");
        assertThat(lastError().ref()).isEqualTo("3");
        assertThat(lastError().retryAfterMs()).isEqualTo(1000);

        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        receive("{\"type\":\"ping\",\"ref\":\"4\"}");
        assertThat(connection.last(ServerMessage.Pong.class).ref()).isEqualTo("4");
    }

    @Test
    void refusesAPostByARoleTheRoomDoesNotAllow() {
        receive("{\"type\":\"hello\",\"token\":\"ana\"}");
        receive("{\"type\":\"join\",\"room\":\"welcome\"}");
        receive("{\"type\":\"send\",\"ref\":\"s\",\"room\":\"welcome\",\"clientMsgId\":\"c\",\"text\":\"hi\"}");

        assertThat(lastError().code()).isEqualTo("forbidden");
        assertThat(lastError().message()).contains("facilitator").contains("moderator");
    }

    @Test
    void letsAModeratorPostAnnouncements() {
        receive("{\"type\":\"hello\",\"token\":\"moderator\"}");
        receive("{\"type\":\"join\",\"room\":\"welcome\"}");
        receive("{\"type\":\"send\",\"ref\":\"s\",\"room\":\"welcome\",\"clientMsgId\":\"c\",\"text\":\"hi\"}");

        assertThat(connection.last(ServerMessage.Ack.class).seq()).isEqualTo(1);
    }

    @Test
    void countsCharactersNotBytesAgainstTheTextLimit() {
        receive("{\"type\":\"hello\",\"token\":\"ana\"}");
        receive("{\"type\":\"join\",\"room\":\"diabetes\"}");
        nanos.addAndGet(Duration.ofSeconds(10).toNanos());
        receive(
                "{\"type\":\"send\",\"ref\":\"ok\",\"room\":\"diabetes\",\"clientMsgId\":\"c1\",\"text\":\"ééééééééé😀\"}");
        receive(
                "{\"type\":\"send\",\"ref\":\"long\",\"room\":\"diabetes\",\"clientMsgId\":\"c2\",\"text\":\"ééééééééééé\"}");

        assertThat(connection.last(ServerMessage.Ack.class).ref()).isEqualTo("ok");
        assertThat(lastError().ref()).isEqualTo("long");
        assertThat(lastError().code()).isEqualTo("text_too_long");
    }

    @Test
    void leavingARoomStopsItsEventsAndALaterSendIsRefused() {
        receive("{\"type\":\"hello\",\"token\":\"ana\"}");
        receive("{\"type\":\"join\",\"room\":\"diabetes\"}");
        nanos.addAndGet(Duration.ofSeconds(10).toNanos());
        receive("{\"type\":\"leave\",\"ref\":\"l\",\"room\":\"diabetes\"}");
        receive("{\"type\":\"send\",\"ref\":\"s\",\"room\":\"diabetes\",\"clientMsgId\":\"c\",\"text\":\"hi\"}");

        assertThat(connection.last(ServerMessage.Left.class).ref()).isEqualTo("l");
        assertThat(lastError().code()).isEqualTo("not_in_room");
        assertThat(rooms.find("diabetes").orElseThrow().present()).isEmpty();
    }

    @Test
    void aClosedConnectionLeavesItsRooms() {
        receive("{\"type\":\"hello\",\"token\":\"ana\"}");
        receive("{\"type\":\"join\",\"room\":\"diabetes\"}");

        session.onClosed();

        assertThat(rooms.find("diabetes").orElseThrow().present()).isEmpty();
    }

    @Test
    void aTimeoutEndsByItselfWhenItsTimeHasPassed() {
        RecordingConnection moderatorConnection = new RecordingConnection("c2");
        ClientSession moderator = new ClientSession(moderatorConnection, context);
        moderator.onText(("{\"type\":\"hello\",\"token\":\"moderator\"}").getBytes(StandardCharsets.UTF_8));
        receive("{\"type\":\"hello\",\"token\":\"ana\"}");
        receive("{\"type\":\"join\",\"room\":\"diabetes\"}");
        moderator.onText(("{\"type\":\"sanction\",\"ref\":\"t\",\"userId\":\"u-ana\",\"kind\":\"timeout\","
                        + "\"reason\":\"cool down\",\"durationSeconds\":60}")
                .getBytes(StandardCharsets.UTF_8));

        receive("{\"type\":\"send\",\"ref\":\"s1\",\"room\":\"diabetes\",\"clientMsgId\":\"c1\",\"text\":\"hi\"}");
        assertThat(lastError().code()).isEqualTo("sanctioned");

        time.advance(Duration.ofSeconds(61));
        nanos.addAndGet(Duration.ofSeconds(10).toNanos());
        receive("{\"type\":\"send\",\"ref\":\"s2\",\"room\":\"diabetes\",\"clientMsgId\":\"c2\",\"text\":\"hi\"}");
        assertThat(connection.last(ServerMessage.Ack.class).ref()).isEqualTo("s2");
    }
}
