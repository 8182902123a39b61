package org.kindred.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KindredConfigTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    @Test
    void defaultsAreTheDocumentedValues() {
        KindredConfig c = KindredConfig.defaults();

        assertThat(c.host()).isEqualTo("127.0.0.1"); // the development sign-in: loopback unless told otherwise
        assertThat(c.hostExplicit()).isFalse();
        assertThat(c.management()).isEqualTo(new ManagementConfig("127.0.0.1", 8089));
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.maxFrameBytes()).isEqualTo(65536);
        assertThat(c.maxTextLength()).isEqualTo(4000);
        assertThat(c.ratePerSecond()).isEqualTo(10.0);
        assertThat(c.rateBurst()).isEqualTo(20);
        assertThat(c.outboundHighWaterMark()).isEqualTo(1024 * 1024);
        assertThat(c.outboundLowWaterMark()).isEqualTo(512 * 1024);
        assertThat(c.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.pingInterval()).isEqualTo(Duration.ofSeconds(25));
        assertThat(c.authTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.historySize()).isEqualTo(500);
        assertThat(c.historyMaxAge()).isEqualTo(Duration.ofDays(7));
        assertThat(c.joinHistory()).isEqualTo(50);
        assertThat(c.historyPageMax()).isEqualTo(100);
        assertThat(c.presenceGrace()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.flushInterval()).isEqualTo(Duration.ofMillis(10));
        assertThat(c.idempotencyWindow()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.editWindow()).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.allowedOrigins()).isEmpty();
        assertThat(c.tls()).isEmpty();
        assertThat(c.jwt()).isEqualTo(JwtConfig.none());
        assertThat(c.jwt().clockSkew()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.devSignIn()).isTrue();
        assertThat(c.shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.nativeTransport()).isTrue();
        assertThat(c.eventLoops()).isZero();
    }

    @Test
    void defaultRoomsAreTheDemoRoomsWithRulesInView() {
        List<RoomConfig> rooms = KindredConfig.defaults().rooms();

        assertThat(rooms)
                .extracting(RoomConfig::id)
                .containsExactly(
                        "welcome", "diabetes", "long-covid", "depression", "anxiety", "chronic-pain", "caregivers");
        assertThat(rooms.get(0).title()).isEqualTo("Welcome & announcements");
        assertThat(rooms.get(0).writers()).containsExactly("facilitator", "moderator");
        assertThat(rooms.get(0).writableBy(List.of("member"))).isFalse();
        assertThat(rooms.get(1).writableBy(List.of("member"))).isTrue();
        assertThat(rooms).allSatisfy(room -> assertThat(room.description()).contains("no real names"));
    }

    @Test
    void devSignInFollowsTheAbsenceOfAKey() {
        assertThat(KindredConfig.builder().jwt(JwtConfig.hs256(SECRET)).build().devSignIn())
                .isFalse();
        assertThat(KindredConfig.builder()
                        .jwt(JwtConfig.rs256(Path.of("k.pem")))
                        .build()
                        .devSignIn())
                .isFalse();
    }

    @Test
    void toBuilderKeepsEverySetting() {
        KindredConfig original = KindredConfig.builder()
                .port(9000)
                .presenceGrace(Duration.ZERO)
                .allowedOrigins(List.of("https://app.example.org"))
                .jwt(JwtConfig.hs256(SECRET))
                .tls(new TlsConfig(Path.of("c.pem"), Path.of("k.pem")))
                .nativeTransport(false)
                .eventLoops(3)
                .build();

        assertThat(original.toBuilder().build().toString()).isEqualTo(original.toString());
    }

    @Test
    void toStringListsEverySettingButNeverTheSecret() {
        String text = KindredConfig.builder()
                .jwt(JwtConfig.hs256(SECRET).withIssuer("https://id.example.org"))
                .build()
                .toString();

        assertThat(text)
                .doesNotContain(SECRET)
                .contains(
                        "hs256Secret=<set>",
                        "issuer=https://id.example.org",
                        "devSignIn=false",
                        "idleTimeout=1m",
                        "historyMaxAge=7d",
                        "rooms=[welcome, diabetes");
        for (String field : List.of(
                "host",
                "port",
                "maxFrameBytes",
                "maxTextLength",
                "ratePerSecond",
                "rateBurst",
                "outboundHighWaterMark",
                "outboundLowWaterMark",
                "idleTimeout",
                "pingInterval",
                "authTimeout",
                "historySize",
                "historyMaxAge",
                "joinHistory",
                "historyPageMax",
                "presenceGrace",
                "flushInterval",
                "idempotencyWindow",
                "editWindow",
                "allowedOrigins",
                "tls",
                "jwt",
                "devSignIn",
                "rooms",
                "shutdownGrace",
                "nativeTransport",
                "eventLoops")) {
            assertThat(text).contains(field + "=");
        }
    }

    @Test
    void originsAreNormalisedToWhatBrowsersSend() {
        KindredConfig c = KindredConfig.builder()
                .allowedOrigins(List.of("HTTPS://App.Example.org", "http://localhost:5173"))
                .build();

        assertThat(c.allowedOrigins()).containsExactly("https://app.example.org", "http://localhost:5173");
    }

    static Stream<Arguments> invalidSettings() {
        return Stream.of(
                bad(b -> b.port(70000), "port: 70000 (expected: 0-65535)"),
                bad(b -> b.port(-1), "port: -1 (expected: 0-65535)"),
                bad(b -> b.host(" "), "host: ' ' (expected: non-blank)"),
                bad(b -> b.maxFrameBytes(512), "maxFrameBytes: 512 (expected: >= 1024)"),
                bad(b -> b.maxTextLength(0), "maxTextLength: 0 (expected: >= 1)"),
                bad(
                        b -> b.maxTextLength(30000),
                        "maxTextLength: 30000 (expected: at most 21674 to fit maxFrameBytes"
                                + " 65536, at 3 bytes of UTF-8 per character plus 512 bytes of envelope)"),
                bad(b -> b.ratePerSecond(0), "ratePerSecond: 0.0 (expected: > 0 and finite)"),
                bad(b -> b.ratePerSecond(Double.NaN), "ratePerSecond: NaN (expected: > 0 and finite)"),
                bad(b -> b.rateBurst(0), "rateBurst: 0 (expected: >= 1)"),
                bad(
                        b -> b.outboundLowWaterMark(2 << 20),
                        "outboundLowWaterMark: 2097152 (expected: < outboundHighWaterMark 1048576)"),
                bad(b -> b.idleTimeout(Duration.ZERO), "idleTimeout: 0s (expected: > 0)"),
                bad(
                        b -> b.pingInterval(Duration.ofSeconds(60)),
                        "pingInterval: 1m (expected: shorter than idleTimeout 1m)"),
                bad(b -> b.authTimeout(Duration.ofSeconds(-1)), "authTimeout: PT-1S (expected: > 0)"),
                bad(b -> b.historySize(0), "historySize: 0 (expected: >= 1)"),
                bad(b -> b.joinHistory(501), "joinHistory: 501 (expected: 0-500)"),
                bad(b -> b.historyPageMax(0), "historyPageMax: 0 (expected: >= 1)"),
                bad(b -> b.historyMaxAge(Duration.ZERO), "historyMaxAge: 0s (expected: > 0)"),
                bad(b -> b.presenceGrace(Duration.ofMillis(-250)), "presenceGrace: PT-0.25S (expected: >= 0)"),
                bad(b -> b.idempotencyWindow(Duration.ZERO), "idempotencyWindow: 0s (expected: > 0)"),
                bad(b -> b.editWindow(Duration.ofSeconds(-1)), "editWindow: PT-1S (expected: >= 0)"),
                bad(b -> b.editWindow(Duration.ofHours(25)), "editWindow: 25h (expected: at most 1d)"),
                bad(b -> b.flushInterval(Duration.ofMillis(-1)), "flushInterval: PT-0.001S (expected: >= 0)"),
                bad(b -> b.flushInterval(Duration.ofMillis(101)), "flushInterval: 101ms (expected: at most 100ms)"),
                bad(b -> b.eventLoops(-1), "eventLoops: -1 (expected: 0-256)"),
                bad(b -> b.eventLoops(257), "eventLoops: 257 (expected: 0-256)"),
                bad(b -> b.shutdownGrace(null), "shutdownGrace: null (expected: a value)"),
                bad(
                        b -> b.allowedOrigins(List.of("https://app.example.org/")),
                        "allowedOrigins:"
                                + " 'https://app.example.org/' (expected: http(s)://host[:port] without path or trailing"
                                + " slash, e.g. https://app.example.org)"),
                bad(b -> b.allowedOrigins(List.of("app.example.org")), "allowedOrigins: 'app.example.org'"),
                bad(b -> b.jwt(null), "jwt: null (expected: a value)"),
                bad(b -> b.rooms(List.of()), "rooms: none (expected: at least one room)"),
                bad(
                        b -> b.rooms(List.of(RoomConfig.of("a", "A", ""), RoomConfig.of("a", "B", ""))),
                        "rooms: id 'a' appears twice (expected: unique)"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalidSettings")
    void invalidSettingIsRefusedWithAPreciseMessage(UnaryOperator<KindredConfig.Builder> change, String message) {
        assertThatThrownBy(() -> change.apply(KindredConfig.builder()).build())
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void nestedRecordsCheckThemselves() {
        assertThatThrownBy(() -> JwtConfig.hs256("short"))
                .hasMessage("jwt.hs256Secret: 5 bytes (expected: at least 32 bytes, HS256 needs a 256-bit key)");
        assertThatThrownBy(() -> new JwtConfig(SECRET, Path.of("k.pem"), null, null, null))
                .hasMessage(
                        "jwt: more than one of hs256Secret, rs256PublicKeyFile and jwksUrl is set (expected: at most one)");
        assertThatThrownBy(() -> JwtConfig.hs256(SECRET).withIssuer(" "))
                .hasMessage("jwt.issuer: ' ' (expected: non-blank, or unset)");
        assertThatThrownBy(() -> JwtConfig.hs256(SECRET).withClockSkew(Duration.ofHours(1)))
                .hasMessage("jwt.clockSkew: 1h (expected: 0s-10m)");
        assertThatThrownBy(() -> new TlsConfig(Path.of("c.pem"), null))
                .hasMessage("tls.privateKeyFile: missing (expected: set together with tls.certificateFile)");
        assertThatThrownBy(() -> RoomConfig.of("Peer Support", "Peer support", ""))
                .hasMessage("room id: 'Peer Support' (expected: 1-64 of a-z, 0-9, '-', '_', starting with a letter"
                        + " or digit)");
        assertThatThrownBy(() -> new RoomConfig("x", "X", "", List.of(), Set.of("admin")))
                .hasMessage("room 'x' writers: 'admin' is not a role (expected: one of [member, mentor, facilitator,"
                        + " moderator])");
    }

    private static Arguments bad(UnaryOperator<KindredConfig.Builder> change, String message) {
        return Arguments.of(change, message);
    }
}
