package org.kindred.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindred.protocol.ServerMessage;
import org.kindred.server.config.ManagementConfig;
import org.kindred.server.config.WebhookConfig;
import org.kindred.server.identity.Role;
import org.kindred.server.metrics.KindredMetrics;
import org.kindred.server.testing.RawClient;
import org.kindred.server.testing.TestNode;

/**
 * Webhooks to a receiver written here, which checks every signature as the Standard Webhooks scheme says (HMAC-SHA256
 * over {@code id.timestamp.body} with the secret's key) and answers 500 as long as it is told to: delivery, retry after
 * a failure, a queue that survives a restart, and a crisis alert raised on a real node.
 */
class WebhooksIT {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(KEY);

    @TempDir
    Path dir;

    private HttpServer receiver;
    private final AtomicInteger failuresToGive = new AtomicInteger();
    private final AtomicInteger attempts = new AtomicInteger();
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final List<String> badSignatures = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hooks", exchange -> {
            attempts.incrementAndGet();
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
            String signature = exchange.getRequestHeaders().getFirst("webhook-signature");
            if (!expectedSignature(id, timestamp, body).equals(signature)) {
                badSignatures.add(id);
                exchange.sendResponseHeaders(401, -1);
            } else if (failuresToGive.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                exchange.sendResponseHeaders(500, -1);
            } else {
                received.add(new ObjectMapper().readTree(body));
                exchange.sendResponseHeaders(204, -1);
            }
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    /** What a receiver computes: base64 HMAC-SHA256 of id.timestamp.body, prefixed with the version. */
    private static String expectedSignature(String id, String timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
            return "v1,"
                    + Base64.getEncoder()
                            .encodeToString(
                                    mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private WebhookConfig config(Optional<Path> queueDir) {
        URI url = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks");
        return new WebhookConfig(List.of(new WebhookConfig.Endpoint("backend", url)), SECRET, queueDir, 100);
    }

    @Test
    void anEventIsSignedAndRetriedUntilTheReceiverTakesIt() {
        failuresToGive.set(2);
        try (Webhooks webhooks = new Webhooks(
                config(Optional.empty()),
                java.time.Clock.systemUTC(),
                new KindredMetrics() {},
                Duration.ofMillis(50))) {
            webhooks.publish("report.filed", Map.of("reportId", "r-1"));

            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 1);
            assertThat(attempts).hasValue(3);
            assertThat(badSignatures).isEmpty();
            assertThat(received.getFirst().path("type").asText()).isEqualTo("report.filed");
            assertThat(received.getFirst().path("data").path("reportId").asText())
                    .isEqualTo("r-1");
        }
    }

    @Test
    void queuedEventsSurviveARestartAndKeepTheirOrder() {
        failuresToGive.set(Integer.MAX_VALUE);
        try (Webhooks first = new Webhooks(
                config(Optional.of(dir)),
                java.time.Clock.systemUTC(),
                new KindredMetrics() {},
                Duration.ofMinutes(5))) {
            first.publish("report.filed", Map.of("reportId", "r-1"));
            first.publish("report.filed", Map.of("reportId", "r-2"));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> attempts.get() >= 1);
        }
        failuresToGive.set(0);

        try (Webhooks second = new Webhooks(
                config(Optional.of(dir)),
                java.time.Clock.systemUTC(),
                new KindredMetrics() {},
                Duration.ofMillis(50))) {
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 2);
            assertThat(received.stream()
                            .map(e -> e.path("data").path("reportId").asText()))
                    .containsExactly("r-1", "r-2");
            assertThat(second.deadLetters().get("backend")).isEmpty();
        }
    }

    @Test
    void aCrisisAlertOnANodeReachesTheBackendWithoutTheMessageText() throws Exception {
        try (TestNode node = TestNode.start(c -> c.webhooks(config(Optional.of(dir)))
                        .management(ManagementConfig.defaults().withPort(0)));
                RawClient robin = RawClient.signedIn(node.ws(), node.token("Robin", Role.MEMBER))) {
            robin.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"diabetes\"}");
            robin.awaitReply("j");
            robin.send("{\"type\":\"send\",\"ref\":\"s\",\"room\":\"diabetes\",\"clientMsgId\":\"c1\","
                    + "\"text\":\"I want to end it all tonight\"}");

            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> received.stream()
                            .anyMatch(e -> e.path("type").asText().equals("crisis_alert.raised")));
            JsonNode alert = received.stream()
                    .filter(e -> e.path("type").asText().equals("crisis_alert.raised"))
                    .findFirst()
                    .orElseThrow();
            assertThat(alert.path("data").path("room").asText()).isEqualTo("diabetes");
            assertThat(alert.path("data").path("userId").asText()).isEqualTo(robin.userId());
            assertThat(alert.toString()).doesNotContain("end it all");
            assertThat(badSignatures).isEmpty();
        }
    }

    private JsonNode awaitEvent(String type) {
        return Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(
                        () -> received.stream()
                                .filter(e -> e.path("type").asText().equals(type))
                                .findFirst()
                                .orElse(null),
                        java.util.Objects::nonNull);
    }

    @Test
    void supportSessionAndGroupEventsReachTheBackendForThoseWhoAreNotConnected() throws Exception {
        org.kindred.server.testing.FakeTime time = new org.kindred.server.testing.FakeTime();
        try (TestNode node = TestNode.start(
                        c -> c.webhooks(config(Optional.empty()))
                                .ratePerSecond(1000)
                                .rateBurst(1000),
                        time);
                RawClient member = RawClient.signedIn(node.ws(), node.token("Ana", Role.MEMBER));
                RawClient facilitator = RawClient.signedIn(node.ws(), node.token("Fay", Role.FACILITATOR))) {
            // A request with no mentor online: told to the backend once the member is told.
            member.send("{\"type\":\"request_support\",\"ref\":\"q\",\"condition\":\"diabetes\",\"language\":\"en\"}");
            String requestId = member.await(ServerMessage.SupportQueued.class, q -> "q".equals(q.ref()))
                    .requestId();
            time.advance(org.kindred.server.config.SupportConfig.defaults()
                    .unavailableAfter()
                    .plusSeconds(1));
            member.await(
                    ServerMessage.SupportUnavailable.class, u -> u.requestId().equals(requestId));
            JsonNode waiting = awaitEvent("support.waiting_no_mentor");
            assertThat(waiting.path("data").path("requestId").asText()).isEqualTo(requestId);
            assertThat(waiting.path("data").path("userId").asText()).isEqualTo(member.userId());

            // A mentor takes it: session started, then ended by the mentor: one event each.
            try (RawClient mentor = RawClient.signedIn(node.ws(), node.token("Mo", Role.MENTOR))) {
                mentor.send("{\"type\":\"set_availability\",\"ref\":\"a\",\"available\":true,"
                        + "\"conditions\":[\"diabetes\"],\"languages\":[\"en\"],\"capacity\":2}");
                ServerMessage.SupportOffer offer = mentor.await(ServerMessage.SupportOffer.class, o -> true);
                mentor.send("{\"type\":\"accept_offer\",\"ref\":\"acc\",\"requestId\":\"" + offer.requestId() + "\"}");
                String sessionId = mentor.await(ServerMessage.SessionStarted.class, st -> "acc".equals(st.ref()))
                        .sessionId();
                JsonNode started = awaitEvent("session.started");
                assertThat(started.path("data").path("sessionId").asText()).isEqualTo(sessionId);
                assertThat(started.path("data").path("mentorId").asText()).isEqualTo(mentor.userId());
                mentor.send("{\"type\":\"end_session\",\"ref\":\"e\",\"sessionId\":\"" + sessionId + "\"}");
                member.await(
                        ServerMessage.SessionEnded.class, e -> e.sessionId().equals(sessionId));
                JsonNode ended = awaitEvent("session.ended");
                assertThat(ended.path("data").path("endedBy").asText()).isEqualTo(mentor.userId());
            }

            // A registered member who is not connected when the reminder is due.
            String startsAt = time.instant().plus(Duration.ofDays(1)).toString();
            facilitator.send("{\"type\":\"create_group\",\"ref\":\"g\",\"title\":\"Evening circle\","
                    + "\"topic\":\"diabetes\",\"startsAt\":\"" + startsAt + "\",\"durationMinutes\":60}");
            String groupId = facilitator
                    .await(ServerMessage.Group.class, g -> "g".equals(g.ref()))
                    .group()
                    .groupId();
            String samId;
            try (RawClient away = RawClient.signedIn(node.ws(), node.token("Sam", Role.MEMBER))) {
                samId = away.userId();
                away.send("{\"type\":\"register_group\",\"ref\":\"r\",\"groupId\":\"" + groupId + "\"}");
                away.await(ServerMessage.Group.class, g -> "r".equals(g.ref()));
            }
            // Sam's connection is gone on the node (two connections left: Ana's and Fay's).
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> node.management("/metrics")
                            .body()
                            .lines()
                            .anyMatch(line -> line.startsWith("kindred_connections ") && line.endsWith(" 2.0")));
            time.advance(Duration.ofDays(1).minusMinutes(5));
            JsonNode reminder = awaitEvent("group.reminder");
            assertThat(reminder.path("data").path("groupId").asText()).isEqualTo(groupId);
            assertThat(reminder.path("data").path("userId").asText()).isEqualTo(samId);

            assertThat(received.stream().filter(e -> e.path("type").asText().equals("session.ended")))
                    .hasSize(1);
            assertThat(received.stream().filter(e -> e.path("type").asText().startsWith("support.offer")))
                    .as("the mentor was connected")
                    .isEmpty();
            assertThat(badSignatures).isEmpty();
        }
    }
}
