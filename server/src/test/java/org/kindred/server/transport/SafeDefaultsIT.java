package org.kindred.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.kindred.protocol.ServerMessage;
import org.kindred.server.KindredNode;
import org.kindred.server.config.JwtConfig;
import org.kindred.server.config.KindredConfig;
import org.kindred.server.config.ManagementConfig;
import org.kindred.server.testing.RawClient;
import org.kindred.server.testing.TestNode;

/**
 * The embedded default is safe to start anywhere: with the development sign-in the node listens on loopback only,
 * tokens are not handed to other sites, other sites' pages cannot open a WebSocket, every dev sign-in is its own user,
 * and metrics are not on the chat port.
 */
class SafeDefaultsIT {

    private static final String SECRET = "a-secret-of-at-least-thirty-two-bytes!";
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private static KindredConfig.Builder embeddedDefaultOnAnyPort() {
        return KindredConfig.builder()
                .port(0)
                .management(ManagementConfig.defaults().withPort(0));
    }

    @Test
    void withTheDevelopmentSignInTheSocketIsBoundToLoopback() throws Exception {
        try (KindredNode node = KindredNode.start(embeddedDefaultOnAnyPort().build())) {
            assertThat(node.boundAddress().getAddress().isLoopbackAddress()).isTrue();
        }
    }

    @Test
    void withAJwtKeyAndNoHostTheSocketIsBoundToEveryInterface() throws Exception {
        try (KindredNode node = KindredNode.start(
                embeddedDefaultOnAnyPort().jwt(JwtConfig.hs256(SECRET)).build())) {
            assertThat(node.boundAddress().getAddress().isAnyLocalAddress()).isTrue();
        }
    }

    @Test
    void anExplicitHostIsObeyedEvenWithTheDevelopmentSignIn() throws Exception {
        try (KindredNode node =
                KindredNode.start(embeddedDefaultOnAnyPort().host("0.0.0.0").build())) {
            assertThat(node.boundAddress().getAddress().isAnyLocalAddress()).isTrue();
        }
    }

    @Test
    void theManagementListenerIsBoundToLoopbackByDefault() throws Exception {
        try (KindredNode node = KindredNode.start(
                embeddedDefaultOnAnyPort().jwt(JwtConfig.hs256(SECRET)).build())) {
            HttpResponse<String> metrics = get(node.managementUri() + "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(node.managementUri()).startsWith("http://127.0.0.1:");
        }
    }

    @Test
    void devTokenAnswersAnotherSiteWithoutAnyCorsHeader() throws Exception {
        try (TestNode node = TestNode.start()) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(node.node().httpUri() + "/dev/token"))
                            .header("Origin", "https://evil.example.com")
                            .header("content-type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"pseudonym\":\"Mallory\",\"role\":\"moderator\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("access-control-allow-origin"))
                    .isEmpty();
        }
    }

    @Test
    void aWebSocketFromAnotherSiteIsRefusedWhenNoOriginIsAllowed() throws Exception {
        try (TestNode node = TestNode.start()) {
            assertThatThrownBy(() -> http.newWebSocketBuilder()
                            .header("Origin", "https://evil.example.com")
                            .buildAsync(node.wsUri(), new WebSocket.Listener() {})
                            .get(10, TimeUnit.SECONDS))
                    .hasRootCauseMessage("Unexpected HTTP response status code 403");
        }
    }

    @Test
    void aWebSocketFromTheNodesOwnPagesIsAccepted() throws Exception {
        try (TestNode node = TestNode.start()) {
            WebSocket socket = http.newWebSocketBuilder()
                    .header("Origin", node.node().httpUri())
                    .buildAsync(node.wsUri(), new WebSocket.Listener() {})
                    .get(10, TimeUnit.SECONDS);
            socket.abort();
        }
    }

    @Test
    void twoDevSignInsWithOnePseudonymAreDistinctUsers() throws Exception {
        try (TestNode node = TestNode.start()) {
            String member = token(node.post("/dev/token", "{\"pseudonym\":\"Robin\",\"role\":\"member\"}"));
            String moderator = token(node.post("/dev/token", "{\"pseudonym\":\"Robin\",\"role\":\"moderator\"}"));

            try (RawClient first = RawClient.signedIn(node.ws(), member);
                    RawClient second = RawClient.signedIn(node.ws(), moderator)) {
                ServerMessage.Welcome a = first.await(ServerMessage.Welcome.class, w -> true);
                ServerMessage.Welcome b = second.await(ServerMessage.Welcome.class, w -> true);
                assertThat(a.user().pseudonym()).isEqualTo(b.user().pseudonym()).isEqualTo("Robin");
                assertThat(a.user().id()).isNotEqualTo(b.user().id());
                assertThat(a.user().role()).isEqualTo("member");
            }

            String renewed = token(node.post("/dev/token", "{\"renew\":\"" + member + "\"}"));
            try (RawClient again = RawClient.signedIn(node.ws(), renewed);
                    RawClient first = RawClient.signedIn(node.ws(), member)) {
                assertThat(again.await(ServerMessage.Welcome.class, w -> true)
                                .user()
                                .id())
                        .isEqualTo(first.await(ServerMessage.Welcome.class, w -> true)
                                .user()
                                .id());
            }
        }
    }

    @Test
    void metricsAreServedOnTheManagementPortOnly() throws Exception {
        try (TestNode node = TestNode.start()) {
            assertThat(node.get("/metrics").statusCode()).isEqualTo(404);
            HttpResponse<String> metrics = node.management("/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("kindred_build_info");
            HttpResponse<String> ready = node.management("/readyz");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(json.readTree(ready.body()).path("broker").asText()).isEqualTo("ready");
            assertThat(node.get("/readyz").body()).doesNotContain("broker");
        }
    }

    @Test
    void theModeratorsFiguresAreForAModeratorsTokenOnly() throws Exception {
        try (TestNode node = TestNode.start()) {
            assertThat(figures(node, null).statusCode()).isEqualTo(401);
            assertThat(figures(node, node.token("Robin")).statusCode()).isEqualTo(403);
            HttpResponse<String> figures = figures(node, node.token("Jo", org.kindred.server.identity.Role.MODERATOR));
            assertThat(figures.statusCode()).isEqualTo(200);
            assertThat(figures.body()).contains("kindred_connections ").doesNotContain("kindred_safety_alerts_total");
        }
    }

    private HttpResponse<String> figures(TestNode node, String token) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(node.node().httpUri() + "/moderator/figures"));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private String token(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body()).path("token").asText();
    }

    private HttpResponse<String> get(String uri) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(uri)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
