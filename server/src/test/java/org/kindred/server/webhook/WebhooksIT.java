package org.kindred.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindred.protocol.ServerMessage;
import org.kindred.server.config.KindredConfig;
import org.kindred.server.config.ManagementConfig;
import org.kindred.server.config.WebhookConfig;
import org.kindred.server.identity.Role;
import org.kindred.server.metrics.KindredMetrics;
import org.kindred.server.metrics.MicrometerMetrics;
import org.kindred.server.testing.FakeTime;
import org.kindred.server.testing.RawClient;
import org.kindred.server.testing.TestNode;
import org.kindred.server.testing.WebhookReceiver;

/**
 * Webhooks to a receiver written here, which checks every signature as the Standard Webhooks scheme says (HMAC-SHA256
 * over {@code id.timestamp.body} with the secret's key) and answers 500 as long as it is told to: delivery, retry after
 * a failure, a queue that survives a restart, and a crisis alert raised on a real node.
 */
class WebhooksIT {

    @TempDir
    Path dir;

    private WebhookReceiver receiver;

    @BeforeEach
    void startReceiver() {
        receiver = WebhookReceiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    private WebhookConfig config(Optional<Path> queueDir) {
        return receiver.config(queueDir);
    }

    @Test
    void anEventIsSignedAndRetriedUntilTheReceiverTakesIt() {
        receiver.fail(2);
        try (Webhooks webhooks = new Webhooks(
                config(Optional.empty()),
                java.time.Clock.systemUTC(),
                new KindredMetrics() {},
                Duration.ofMillis(50))) {
            webhooks.publish("report.filed", Map.of("reportId", "r-1"));

            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> receiver.received().size() == 1);
            assertThat(receiver.attempts()).isEqualTo(3);
            assertThat(receiver.badSignatures()).isEmpty();
            assertThat(receiver.received().getFirst().path("type").asText()).isEqualTo("report.filed");
            assertThat(receiver.received()
                            .getFirst()
                            .path("data")
                            .path("reportId")
                            .asText())
                    .isEqualTo("r-1");
        }
    }

    @Test
    void queuedEventsSurviveARestartAndKeepTheirOrder() {
        receiver.fail(Integer.MAX_VALUE);
        try (Webhooks first = new Webhooks(
                config(Optional.of(dir)),
                java.time.Clock.systemUTC(),
                new KindredMetrics() {},
                Duration.ofMinutes(5))) {
            first.publish("report.filed", Map.of("reportId", "r-1"));
            first.publish("report.filed", Map.of("reportId", "r-2"));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> receiver.attempts() >= 1);
        }
        receiver.fail(0);

        try (Webhooks second = new Webhooks(
                config(Optional.of(dir)),
                java.time.Clock.systemUTC(),
                new KindredMetrics() {},
                Duration.ofMillis(50))) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> receiver.received().size() == 2);
            assertThat(receiver.received().stream()
                            .map(e -> e.path("data").path("reportId").asText()))
                    .containsExactly("r-1", "r-2");
            assertThat(second.deadLetters().get("backend")).isEmpty();
        }
    }

    @Test
    void anEventSentAfterARestartIsSignedWithTheTimeOfThatAttemptNotOfTheEvent() {
        FakeTime time = new FakeTime();
        receiver.fail(Integer.MAX_VALUE);
        try (Webhooks first =
                new Webhooks(config(Optional.of(dir)), time, new KindredMetrics() {}, Duration.ofMinutes(5))) {
            first.publish("crisis_alert.raised", Map.of("alertId", "a-1"));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> receiver.attempts() >= 1);
        }
        long raisedAt = time.instant().getEpochSecond();
        time.advance(Duration.ofMinutes(10));
        receiver.fail(0);

        try (Webhooks second =
                new Webhooks(config(Optional.of(dir)), time, new KindredMetrics() {}, Duration.ofMillis(50))) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> receiver.received().size() == 1);
        }
        // A receiver rejects a timestamp more than a few minutes old (replay protection); the event says when it was
        // raised.
        assertThat(receiver.timestamps()).containsExactly(raisedAt, raisedAt + 600);
        assertThat(receiver.badSignatures()).isEmpty();
        assertThat(receiver.received().getFirst().path("timestamp").asText())
                .isEqualTo(Instant.ofEpochSecond(raisedAt).toString());
    }

    @Test
    void theQueueShowsHowLongItsOldestEventHasWaitedAndItsCountsStartAtZero() {
        FakeTime time = new FakeTime();
        MicrometerMetrics metrics = new MicrometerMetrics();
        receiver.fail(Integer.MAX_VALUE);
        try (Webhooks webhooks = new Webhooks(config(Optional.empty()), time, metrics, Duration.ofMinutes(5))) {
            assertThat(metrics.scrape())
                    .contains(
                            "kindred_webhook_queue_capacity{endpoint=\"backend\"} 100.0",
                            "kindred_webhook_queued{endpoint=\"backend\"} 0.0",
                            "kindred_webhook_oldest_queued_seconds{endpoint=\"backend\"} 0.0",
                            "kindred_webhook_deliveries_total{endpoint=\"backend\"} 0.0",
                            "kindred_webhook_failures_total{endpoint=\"backend\"} 0.0",
                            "kindred_webhook_dead_letters_total{endpoint=\"backend\"} 0.0");

            webhooks.publish("crisis_alert.raised", Map.of("alertId", "a-1"));
            time.advance(Duration.ofMinutes(3));
            webhooks.publish("report.filed", Map.of("reportId", "r-1"));
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> metrics.scrape().contains("kindred_webhook_queued{endpoint=\"backend\"} 2.0"));
            time.advance(Duration.ofMinutes(4));

            assertThat(metrics.scrape()).contains("kindred_webhook_oldest_queued_seconds{endpoint=\"backend\"} 420.0");
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
                    .until(() -> receiver.received().stream()
                            .anyMatch(e -> e.path("type").asText().equals("crisis_alert.raised")));
            JsonNode alert = receiver.received().stream()
                    .filter(e -> e.path("type").asText().equals("crisis_alert.raised"))
                    .findFirst()
                    .orElseThrow();
            assertThat(alert.path("data").path("room").asText()).isEqualTo("diabetes");
            assertThat(alert.path("data").path("userId").asText()).isEqualTo(robin.userId());
            assertThat(alert.toString()).doesNotContain("end it all");
            assertThat(receiver.badSignatures()).isEmpty();
        }
    }

    @Test
    void aCrisisAlertNobodyAcknowledgesReachesTheBackendAgainAtEachEscalation() throws Exception {
        FakeTime time = new FakeTime();
        try (TestNode node = TestNode.start(c -> c.webhooks(config(Optional.empty())), time);
                RawClient robin = RawClient.signedIn(node.ws(), node.token("Robin", Role.MEMBER))) {
            robin.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"diabetes\"}");
            robin.awaitReply("j");
            robin.send("{\"type\":\"send\",\"ref\":\"s\",\"room\":\"diabetes\",\"clientMsgId\":\"c1\","
                    + "\"text\":\"I want to end it all tonight\"}");
            String alertId = receiver.await("crisis_alert.raised")
                    .path("data")
                    .path("alertId")
                    .asText();

            time.advance(KindredConfig.DEFAULT_ESCALATE_AFTER.plusSeconds(1));
            JsonNode escalated = receiver.await("crisis_alert.escalated");
            assertThat(escalated.path("data").path("alertId").asText()).isEqualTo(alertId);
            assertThat(escalated.path("data").path("level").asInt()).isEqualTo(1);
            assertThat(receiver.received("crisis_alert.escalated")).hasSize(1);
            assertThat(receiver.badSignatures()).isEmpty();
        }
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
            JsonNode waiting = receiver.await("support.waiting_no_mentor");
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
                JsonNode started = receiver.await("session.started");
                assertThat(started.path("data").path("sessionId").asText()).isEqualTo(sessionId);
                assertThat(started.path("data").path("mentorId").asText()).isEqualTo(mentor.userId());
                mentor.send("{\"type\":\"end_session\",\"ref\":\"e\",\"sessionId\":\"" + sessionId + "\"}");
                member.await(
                        ServerMessage.SessionEnded.class, e -> e.sessionId().equals(sessionId));
                JsonNode ended = receiver.await("session.ended");
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
            JsonNode reminder = receiver.await("group.reminder");
            assertThat(reminder.path("data").path("groupId").asText()).isEqualTo(groupId);
            assertThat(reminder.path("data").path("userId").asText()).isEqualTo(samId);

            assertThat(receiver.received().stream()
                            .filter(e -> e.path("type").asText().equals("session.ended")))
                    .hasSize(1);
            assertThat(receiver.received().stream()
                            .filter(e -> e.path("type").asText().startsWith("support.offer")))
                    .as("the mentor was connected")
                    .isEmpty();
            assertThat(receiver.badSignatures()).isEmpty();
        }
    }
}
