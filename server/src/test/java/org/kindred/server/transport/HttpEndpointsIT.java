package org.kindred.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kindred.protocol.ServerMessage;
import org.kindred.server.testing.RawClient;
import org.kindred.server.testing.TestNode;

class HttpEndpointsIT {

    private static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start(c -> c.allowedOrigins(List.of("https://community.example.org")));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void healthAndReadinessAnswerOk() throws Exception {
        assertThat(node.get("/healthz").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = node.get("/readyz");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("ready");
    }

    @Test
    void metricsAreExposedAsPrometheusText() throws Exception {
        try (RawClient client = RawClient.signedIn(node.ws(), node.token("Counted"))) {
            client.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"diabetes\"}");
            client.await(ServerMessage.Joined.class, j -> true);
            client.send(
                    "{\"type\":\"send\",\"ref\":\"s\",\"room\":\"diabetes\",\"clientMsgId\":\"m1\",\"text\":\"hi\"}");
            client.await(ServerMessage.Ack.class, a -> true);
            client.send("{\"type\":\"nope\",\"ref\":\"e\"}");
            client.awaitError("e");

            HttpResponse<String> metrics = node.management("/metrics");

            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("content-type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
            assertThat(metrics.body())
                    .contains("kindred_connections ")
                    .contains("kindred_messages_in_total")
                    .contains("kindred_messages_out_total")
                    .contains("kindred_send_latency_seconds")
                    .contains("kindred_errors_total{code=\"unknown_type\"} 1.0")
                    .contains("kindred_rooms_active")
                    .contains("jvm_memory_used_bytes");
        }
    }

    @Test
    void devSignInIssuesATokenTheServerAccepts() throws Exception {
        HttpResponse<String> response = node.post("/dev/token", "{\"pseudonym\":\"Robin\",\"role\":\"mentor\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        String token = response.body().replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
        try (RawClient client = RawClient.signedIn(node.ws(), token)) {
            ServerMessage.Welcome welcome =
                    client.received(ServerMessage.Welcome.class).getFirst();
            assertThat(welcome.user().pseudonym()).isEqualTo("Robin");
            assertThat(welcome.user().role()).isEqualTo("mentor");
        }
    }

    @Test
    void devSignInRefusesAnUnknownRoleAndBadJson() throws Exception {
        HttpResponse<String> unknownRole = node.post("/dev/token", "{\"pseudonym\":\"Robin\",\"role\":\"admin\"}");
        HttpResponse<String> badJson = node.post("/dev/token", "{nope");

        assertThat(unknownRole.statusCode()).isEqualTo(400);
        assertThat(unknownRole.body()).contains("unknown role 'admin'");
        assertThat(badJson.statusCode()).isEqualTo(400);
    }

    @Test
    void unknownPathsAre404() throws Exception {
        assertThat(node.get("/nothing-here").statusCode()).isEqualTo(404);
    }

    @Test
    void refusesAWebSocketFromAnOriginNotOnTheAllowList() {
        assertThatThrownBy(() -> HttpClient.newHttpClient()
                        .newWebSocketBuilder()
                        .header("Origin", "https://evil.example.com")
                        .buildAsync(URI.create(node.ws()), new java.net.http.WebSocket.Listener() {})
                        .get(10, TimeUnit.SECONDS))
                .hasRootCauseMessage("Unexpected HTTP response status code 403");
    }

    @Test
    void acceptsAWebSocketFromAnAllowedOrigin() throws Exception {
        var socket = HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .header("Origin", "https://community.example.org")
                .buildAsync(URI.create(node.ws()), new java.net.http.WebSocket.Listener() {})
                .get(10, TimeUnit.SECONDS);
        socket.abort();
    }
}
