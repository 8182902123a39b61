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
}
