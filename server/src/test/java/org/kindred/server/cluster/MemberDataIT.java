package org.kindred.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.SessionStarted;
import org.kindred.server.config.ManagementConfig;
import org.kindred.server.config.RedisConfig;
import org.kindred.server.config.StorageConfig;
import org.kindred.server.redis.RedisExtension;
import org.kindred.server.testing.DatabaseSearch;
import org.kindred.server.testing.RawClient;
import org.kindred.server.testing.RedisSearch;
import org.kindred.server.testing.TestCluster;

/**
 * A member's export and erasure, run by an operator through the server API of one node, over what the member left on
 * two: messages in rooms, a report about it, a report it filed, an ended support session with its transcript and
 * rating. After the erasure nothing of its words is left in Redis or in the database.
 */
class MemberDataIT {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    private static final String KEY = "backend-key-0123456789abcdef0123456789";
    private static final String MARKER = "marker-zebra-4711";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StorageConfig storage = StorageConfig.inMemory();
    private final HttpClient http = HttpClient.newHttpClient();
    private TestCluster cluster;

    @BeforeEach
    void start() throws Exception {
        REDIS.flushAll();
        cluster = TestCluster.start(
                2,
                RedisConfig.standalone(REDIS.uri()).withNodeTimeout(Duration.ofSeconds(3)),
                c -> c.ratePerSecond(1000)
                        .rateBurst(1000)
                        .storage(storage)
                        .management(ManagementConfig.defaults().withPort(0).withApiKeys("backend=" + KEY)));
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private RawClient client(int node, String pseudonym, String role) throws Exception {
        return cluster.signedIn(node, pseudonym, role);
    }

    private static void joined(RawClient client, String room) {
        client.send("{\"type\":\"join\",\"ref\":\"j-" + room + "\",\"room\":\"" + room + "\"}");
        client.await(ServerMessage.Joined.class, j -> j.room().equals(room));
    }

    private static long sent(RawClient client, String room, String ref, String text) {
        client.send("{\"type\":\"send\",\"ref\":\"" + ref + "\",\"room\":\"" + room + "\",\"clientMsgId\":\"" + ref
                + "\",\"text\":\"" + text + "\"}");
        return client.await(ServerMessage.Ack.class, a -> ref.equals(a.ref())).seq();
    }

    private JsonNode api(int node, String method, String path) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(cluster.node(node).managementUri() + "/api/v1" + path))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .header("Authorization", "Bearer " + KEY)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /**
     * The member "Zed" on node 0 writes in a room and in a support session with a mentor on node 1, is reported by a
     * reader on node 1, reports someone itself, and rates its ended session.
     */
    private String memberWithAHistory() throws Exception {
        RawClient zed = client(0, "Zed", "member");
        RawClient reader = client(1, "Reader", "member");
        RawClient mentor = client(1, "Mentor", "mentor");
        joined(zed, "diabetes");
        joined(reader, "diabetes");
        long reported = sent(zed, "diabetes", "z1", "my street is " + MARKER);
        sent(zed, "diabetes", "z2", "and my dog is called " + MARKER);
        long readers = sent(reader, "diabetes", "r1", "hello there");
        reader.send("{\"type\":\"report\",\"ref\":\"rep\",\"room\":\"diabetes\",\"seq\":" + reported
                + ",\"category\":\"other\",\"comment\":\"oversharing\"}");
        reader.await(ServerMessage.ReportReceived.class, r -> "rep".equals(r.ref()));
        zed.send("{\"type\":\"report\",\"ref\":\"zrep\",\"room\":\"diabetes\",\"seq\":" + readers
                + ",\"category\":\"other\",\"comment\":\"I told them " + MARKER + "\"}");
        zed.await(ServerMessage.ReportReceived.class, r -> "zrep".equals(r.ref()));

        mentor.send("{\"type\":\"set_availability\",\"ref\":\"a\",\"available\":true,\"conditions\":[\"diabetes\"],"
                + "\"languages\":[\"en\"],\"capacity\":5}");
        mentor.await(ServerMessage.Availability.class, a -> a.conditions().contains("diabetes"));
        zed.send("{\"type\":\"request_support\",\"ref\":\"q\",\"condition\":\"diabetes\",\"language\":\"en\"}");
        String requestId = zed.await(ServerMessage.SupportQueued.class, q -> "q".equals(q.ref()))
                .requestId();
        mentor.await(ServerMessage.SupportOffer.class, o -> o.requestId().equals(requestId));
        mentor.send("{\"type\":\"accept_offer\",\"ref\":\"acc\",\"requestId\":\"" + requestId + "\"}");
        String session =
                mentor.await(SessionStarted.class, s -> "acc".equals(s.ref())).sessionId();
        zed.await(SessionStarted.class, s -> s.sessionId().equals(session));
        joined(zed, session);
        joined(mentor, session);
        sent(zed, session, "s1", "privately: " + MARKER);
        mentor.await(ServerMessage.ChatMessage.class, m -> m.text().contains(MARKER));
        zed.send("{\"type\":\"end_session\",\"ref\":\"e\",\"sessionId\":\"" + session + "\"}");
        mentor.await(ServerMessage.SessionEnded.class, e -> e.sessionId().equals(session));
        zed.send("{\"type\":\"rate_session\",\"ref\":\"rate\",\"sessionId\":\"" + session
                + "\",\"rating\":5,\"comment\":\"thanks a lot\"}");
        zed.await(ServerMessage.Done.class, d -> "rate".equals(d.ref()));
        // Members are known by their opaque id (the one in their welcome), not by their token's sub.
        return zed.userId();
    }

    @Test
    void anExportListsTheMembersMessagesReportsSessionsAndAuditMentions() throws Exception {
        String zed = memberWithAHistory();

        // The session's record is written once it ended and was rated, in the background.
        JsonNode export = org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(
                        () -> api(1, "GET", "/members/" + zed + "/export"),
                        e -> e.path("sessions").size() == 1
                                && e.path("sessions").get(0).path("rating").asInt() == 5);

        assertThat(export.path("userId").asText()).isEqualTo(zed);
        assertThat(export.path("messages").findValuesAsText("text"))
                .contains("my street is " + MARKER, "and my dog is called " + MARKER);
        assertThat(export.path("reportsFiled").findValuesAsText("comment")).contains("I told them " + MARKER);
        JsonNode about = export.path("reportsAboutMember");
        assertThat(about).hasSize(1);
        assertThat(about.get(0).has("reporter")).as("the reporter stays hidden").isFalse();
        assertThat(about.get(0).path("message").path("text").asText()).contains(MARKER);
        assertThat(export.has("firstSeen")).isTrue();
        assertThat(api(0, "GET", "/audit?limit=20").path("entries").findValuesAsText("action"))
                .contains("member_exported");
    }

    @Test
    void anErasureLeavesNoTraceOfTheMembersWordsInRedisOrTheDatabaseAndKeepsABan() throws Exception {
        String zed = memberWithAHistory();
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> api(1, "GET", "/members/" + zed + "/export")
                                .path("sessions")
                                .size()
                        == 1);
        RawClient moderator = client(1, "Mod", "moderator");
        moderator.send("{\"type\":\"sanction\",\"ref\":\"ban\",\"userId\":\"" + zed + "\",\"kind\":\"room_ban\","
                + "\"room\":\"anxiety\",\"reason\":\"oversharing again\"}");
        moderator.await(ServerMessage.Sanctioned.class, s -> "ban".equals(s.ref()));
        assertThat(RedisSearch.keysHolding(REDIS.uri(), MARKER)).isNotEmpty();
        assertThat(DatabaseSearch.rowsHolding(storage.jdbcUrl(), MARKER)).isNotEmpty();

        JsonNode erasure = api(1, "POST", "/members/" + zed + "/erasure");

        String opaque = erasure.path("opaqueId").asText();
        assertThat(opaque).startsWith("erased-");
        assertThat(erasure.path("removed").path("messages").asInt())
                .as("two in the room, one in the session")
                .isEqualTo(3);
        assertThat(erasure.path("removed").path("transcripts").asInt()).isEqualTo(1);
        assertThat(erasure.path("kept").findValuesAsText("kind")).containsExactly("room_ban");

        assertThat(RedisSearch.keysHolding(REDIS.uri(), MARKER)).isEmpty();
        assertThat(DatabaseSearch.rowsHolding(storage.jdbcUrl(), MARKER)).isEmpty();
        assertThat(DatabaseSearch.rowsHolding(storage.jdbcUrl(), "Zed"))
                .as("the pseudonym is gone from the records kept")
                .isEmpty();

        RawClient later = client(0, "Later", "member");
        joined(later, "diabetes");
        later.send("{\"type\":\"history\",\"ref\":\"h\",\"room\":\"diabetes\"}");
        assertThat(later.await(ServerMessage.History.class, h -> "h".equals(h.ref()))
                        .messages())
                .filteredOn(m -> m.author().id().equals(zed))
                .hasSize(2)
                .allSatisfy(m -> assertThat(m.isDeleted()).isTrue());
        JsonNode audit = api(0, "GET", "/audit?limit=50");
        assertThat(audit.path("entries").findValuesAsText("action")).contains("member_erased");
        assertThat(audit.toString()).doesNotContain(zed).doesNotContain("user-zed");

        // The ban is kept: Zed cannot join the room it was banned from.
        RawClient back = client(0, "Zed", "member");
        back.send("{\"type\":\"join\",\"ref\":\"jb\",\"room\":\"anxiety\"}");
        assertThat(back.awaitError("jb").code()).isEqualTo("sanctioned");
    }
}
