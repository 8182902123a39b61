package org.kindred.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kindred.protocol.ServerMessage;
import org.kindred.server.config.ManagementConfig;
import org.kindred.server.testing.RawClient;
import org.kindred.server.testing.TestNode;

/**
 * The server API over a real management listener: every route refuses a call without a key or with a wrong one, and
 * answers with the right one; every answered call is in the audit log; docs/api.md's OpenAPI document names exactly
 * these routes.
 */
class ServerApiIT {

    private static final String KEY = "backend-key-0123456789abcdef0123456789";
    private static final String OTHER = "ops-key-abcdefghijklmnopqrstuvwxyz0123";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestNode node;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start(c -> c.management(ManagementConfig.defaults()
                .withPort(0)
                .withApiKeys(
                        "backend=" + KEY,
                        "ops=sha256:" + java.util.HexFormat.of().formatHex(ManagementConfig.ApiKey.sha256(OTHER)))));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private HttpResponse<String> call(String method, String path, String key, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(node.node().managementUri() + "/api/v1" + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyRouteRefusesACallWithoutAKeyOrWithAWrongOne() throws Exception {
        for (ServerApi.Route route : ServerApi.ROUTES) {
            String path = route.template().replaceAll("\\{[a-z]+\\}", "diabetes");
            assertThat(call(route.method(), path, null, "{}").statusCode())
                    .as(route.toString())
                    .isEqualTo(401);
            assertThat(call(route.method(), path, "not-a-key-but-long-enough-0123456789", "{}")
                            .statusCode())
                    .as(route.toString())
                    .isEqualTo(401);
        }
        assertThat(node.get("/api/v1/rooms").statusCode())
                .as("not on the chat port")
                .isEqualTo(404);
    }

    @Test
    void everyRouteAnswersWithAKeyAndIsAudited() throws Exception {
        try (RawClient robin = RawClient.signedIn(node.ws(), node.token("Robin"))) {
            robin.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"diabetes\"}");
            robin.awaitReply("j");

            JsonNode rooms = body(call("GET", "/rooms", KEY, null), 200);
            assertThat(rooms.path("rooms").findValuesAsText("id")).contains("diabetes", "welcome");

            JsonNode presence = body(call("GET", "/rooms/diabetes/presence", OTHER, null), 200);
            assertThat(presence.path("present").findValuesAsText("pseudonym")).contains("Robin");

            JsonNode posted = body(
                    call(
                            "POST",
                            "/rooms/diabetes/messages",
                            KEY,
                            "{\"text\":\"Circle at six\",\"clientMsgId\":\"a1\"}"),
                    200);
            assertThat(robin.await(
                                    ServerMessage.ChatMessage.class,
                                    m -> m.text().equals("Circle at six"))
                            .author()
                            .pseudonym())
                    .isEqualTo("Kindred");
            JsonNode again = body(
                    call(
                            "POST",
                            "/rooms/diabetes/messages",
                            KEY,
                            "{\"text\":\"Circle at six\",\"clientMsgId\":\"a1\"}"),
                    200);
            assertThat(again.path("seq").asLong()).isEqualTo(posted.path("seq").asLong());
            assertThat(again.path("duplicate").asBoolean()).isTrue();

            JsonNode history = body(call("GET", "/rooms/diabetes/history?limit=10", KEY, null), 200);
            assertThat(history.path("messages").findValuesAsText("text")).contains("Circle at six");

            JsonNode sanction = body(
                    call(
                            "POST",
                            "/sanctions",
                            KEY,
                            "{\"userId\":\"" + robin.userId()
                                    + "\",\"kind\":\"timeout\",\"reason\":\"cool down\",\"durationSeconds\":600}"),
                    200);
            String sanctionId = sanction.path("sanction").path("sanctionId").asText();
            body(call("DELETE", "/sanctions/" + sanctionId + "?reason=appeal", KEY, null), 200);
            assertThat(call("DELETE", "/sanctions/" + sanctionId, KEY, null).statusCode())
                    .isEqualTo(404);

            JsonNode disconnected = body(call("POST", "/users/" + robin.userId() + "/disconnect", KEY, null), 200);
            assertThat(disconnected.path("wasConnected").asBoolean()).isTrue();
            assertThat(robin.awaitClose()).isEqualTo(4100);
        }
        assertThat(call("GET", "/rooms/nowhere/presence", KEY, null).statusCode())
                .isEqualTo(404);
        assertThat(call("POST", "/rooms/diabetes/messages", KEY, "{}").statusCode())
                .isEqualTo(400);

        assertThat(body(call("GET", "/webhooks/dead-letters", KEY, null), 200).has("endpoints"))
                .isTrue();
        assertThat(body(call("GET", "/members/dev:robin/export", KEY, null), 200)
                        .path("userId")
                        .asText())
                .isEqualTo("dev:robin");
        assertThat(body(call("POST", "/members/dev:nobody/erasure", OTHER, null), 200)
                        .path("opaqueId")
                        .asText())
                .startsWith("erased-");

        body(call("POST", "/rooms", KEY, "{\"id\":\"api-room\",\"title\":\"API room\"}"), 200);
        body(call("PATCH", "/rooms/api-room", KEY, "{\"description\":\"made by the backend\"}"), 200);
        body(call("POST", "/rooms/api-room/archive", KEY, null), 200);
        assertThat(body(call("GET", "/rooms/archived", KEY, null), 200)
                        .path("rooms")
                        .findValuesAsText("id"))
                .contains("api-room");
        body(call("POST", "/rooms/api-room/restore", KEY, null), 200);

        // The moderator queues, paged as on the WebSocket, with the same checks. Two sanctions in force: two pages of
        // one, the cursor of the first taken back over HTTP, and no nextCursor at all (not null) on the last.
        for (String member : List.of("u-queue-1", "u-queue-2")) {
            body(
                    call(
                            "POST",
                            "/sanctions",
                            KEY,
                            "{\"userId\":\"" + member
                                    + "\",\"kind\":\"timeout\",\"reason\":\"cool down\",\"durationSeconds\":600}"),
                    200);
        }
        JsonNode sanctions = body(call("GET", "/queues/sanctions?limit=1", KEY, null), 200);
        List<String> first = sanctions.path("sanctions").findValuesAsText("userId");
        assertThat(first).hasSize(1);
        String next = sanctions.path("nextCursor").asText();
        assertThat(next).isNotEmpty();
        JsonNode last = body(call("GET", "/queues/sanctions?limit=1&cursor=" + next, KEY, null), 200);
        List<String> second = last.path("sanctions").findValuesAsText("userId");
        assertThat(second).hasSize(1);
        assertThat(List.of(first.get(0), second.get(0))).containsExactlyInAnyOrder("u-queue-1", "u-queue-2");
        assertThat(last.has("nextCursor")).as(last.toString()).isFalse();
        assertThat(body(call("GET", "/queues/held", KEY, null), 200).has("held"))
                .isTrue();
        assertThat(body(call("GET", "/queues/notes", KEY, null), 200).has("notes"))
                .isTrue();
        assertThat(body(call("GET", "/queues/ratings?maxRating=2", KEY, null), 200)
                        .has("ratings"))
                .isTrue();
        assertThat(body(call("GET", "/queues/appeals", KEY, null), 200).has("appeals"))
                .isTrue();
        assertThat(body(call("GET", "/users/u-7f3a/history?action=sanction_applied&limit=10", KEY, null), 200)
                        .path("userId")
                        .asText())
                .isEqualTo("u-7f3a");
        assertThat(call("GET", "/queues/held?limit=201", KEY, null).statusCode())
                .isEqualTo(400);
        assertThat(call("GET", "/queues/held?cursor=nonsense", KEY, null).statusCode())
                .isEqualTo(400);

        JsonNode audit = body(call("GET", "/audit?limit=100", KEY, null), 200);
        Set<String> actions = new HashSet<>(audit.path("entries").findValuesAsText("action"));
        for (ServerApi.Route route : ServerApi.ROUTES) {
            if (!route.template().equals("/audit")) {
                assertThat(actions).contains("api:" + route.method() + " " + route.template());
            }
        }
        assertThat(audit.path("entries").findValuesAsText("id")).contains("api:backend", "api:ops");
    }

    @Test
    void theOpenApiDocumentNamesExactlyTheServedRoutes() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "api.md"));
        Matcher yaml =
                Pattern.compile("```yaml\\n(openapi:.*?)```", Pattern.DOTALL).matcher(doc);
        assertThat(yaml.find()).as("docs/api.md has its OpenAPI document").isTrue();
        JsonNode openApi = new ObjectMapper(new YAMLFactory()).readTree(yaml.group(1));
        assertThat(openApi.path("openapi").asText()).startsWith("3.");
        assertThat(openApi.path("components")
                        .path("securitySchemes")
                        .path("apiKey")
                        .path("scheme")
                        .asText())
                .isEqualTo("bearer");
        Set<String> documented = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths =
                        openApi.path("paths").properties().iterator();
                paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().properties().forEach(operation -> {
                documented.add(operation.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey());
                assertThat(operation.getValue().path("responses").has("401"))
                        .as(path.getKey() + " documents 401")
                        .isTrue();
            });
        }
        Set<String> served = new HashSet<>();
        ServerApi.ROUTES.forEach(route -> served.add(route.method() + " " + route.template()));
        assertThat(documented).isEqualTo(served);
    }

    private static JsonNode body(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }
}
