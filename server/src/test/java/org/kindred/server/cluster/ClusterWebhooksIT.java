package org.kindred.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.kindred.protocol.ServerMessage;
import org.kindred.server.config.RedisConfig;
import org.kindred.server.config.SupportConfig;
import org.kindred.server.redis.RedisExtension;
import org.kindred.server.testing.NodeProcess;
import org.kindred.server.testing.RawClient;
import org.kindred.server.testing.TestCluster;
import org.kindred.server.testing.WebhookReceiver;

/**
 * The support, session and group webhooks of a cluster: three nodes share a Redis and each has the same endpoint, a
 * receiver written in the test. Each event reaches it once, whichever node made the change and however many nodes
 * hear of it; a user connected to any node counts as connected; the users of a node killed with {@code kill -9} (a
 * node in a JVM of its own) count as gone once its heartbeat lapses, and at once when it starts again under its id.
 */
class ClusterWebhooksIT {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    /** For tests that are not about a node's death: no node is reaped however slow a loaded machine makes it. */
    private static final Duration STEADY = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private WebhookReceiver receiver;
    private TestCluster cluster;
    private NodeProcess process;
    private final List<RawClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        REDIS.flushAll();
        receiver = WebhookReceiver.start();
    }

    @AfterEach
    void stop() {
        clients.forEach(RawClient::close);
        if (process != null) {
            process.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        receiver.close();
    }

    private void startCluster(int nodes, Duration nodeTimeout) throws InterruptedException {
        SupportConfig support = SupportConfig.defaults();
        cluster = TestCluster.start(
                nodes,
                RedisConfig.standalone(REDIS.uri()).withNodeTimeout(nodeTimeout),
                c -> c.ratePerSecond(1000)
                        .rateBurst(1000)
                        .webhooks(receiver.config(Optional.empty()))
                        .support(new SupportConfig(
                                support.offerTimeout(),
                                Duration.ofSeconds(1),
                                Duration.ofSeconds(1),
                                support.defaultCapacity(),
                                50,
                                support.idleTimeout(),
                                support.transcriptRetention())));
    }

    /**
     * Every running node queues a marker after what it sent so far and the test waits for them all: each endpoint's
     * queue is delivered in order, so an event sent twice would be in by then.
     */
    private void drained(int... nodes) {
        String round = Long.toString(System.nanoTime());
        for (int node : nodes) {
            cluster.node(node).webhooks().publish("test.marker", Map.of("round", round, "node", node));
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> receiver.received("test.marker").stream()
                                .filter(m ->
                                        m.path("data").path("round").asText().equals(round))
                                .count()
                        == nodes.length);
    }

    private long count(String type, String field, String value) {
        return receiver.received(type).stream()
                .filter(e -> e.path("data").path(field).asText().equals(value))
                .count();
    }

    /** Until every running node sees the user as connected (or not). */
    private void seenOnline(String userId, boolean online, int... nodes) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            for (int node : nodes) {
                if (cluster.node(node).onlineUsers().online(userId) != online) {
                    return false;
                }
            }
            return true;
        });
    }

    @Test
    void supportAndSessionEventsLeaveTheClusterOnceAndAConnectedMentorOnAnotherNodeGetsNoOfferWebhook()
            throws Exception {
        startCluster(3, STEADY);
        RawClient member = cluster.signedIn(0, "Ana", "member");
        member.send("{\"type\":\"request_support\",\"ref\":\"q\",\"condition\":\"diabetes\",\"language\":\"en\"}");
        String requestId = member.await(ServerMessage.SupportQueued.class, q -> "q".equals(q.ref()))
                .requestId();
        member.await(ServerMessage.SupportUnavailable.class, u -> u.requestId().equals(requestId));
        JsonNode waiting = receiver.await("support.waiting_no_mentor");
        assertThat(waiting.path("data").path("userId").asText()).isEqualTo(member.userId());

        RawClient mentor = cluster.signedIn(1, "Mo", "mentor");
        mentor.send("{\"type\":\"set_availability\",\"ref\":\"a\",\"available\":true,"
                + "\"conditions\":[\"diabetes\"],\"languages\":[\"en\"],\"capacity\":2}");
        mentor.await(ServerMessage.SupportOffer.class, o -> o.requestId().equals(requestId));
        mentor.send("{\"type\":\"accept_offer\",\"ref\":\"acc\",\"requestId\":\"" + requestId + "\"}");
        String sessionId = mentor.await(ServerMessage.SessionStarted.class, s -> "acc".equals(s.ref()))
                .sessionId();
        JsonNode started = receiver.await("session.started");
        assertThat(started.path("data").path("sessionId").asText()).isEqualTo(sessionId);
        assertThat(started.path("data").path("memberId").asText()).isEqualTo(member.userId());

        // The member's phone connects through a third node: it is told of the session again, the backend is not.
        RawClient phone = cluster.signedIn(2, "Ana", "member");
        phone.await(ServerMessage.SessionStarted.class, s -> s.sessionId().equals(sessionId));

        mentor.send("{\"type\":\"end_session\",\"ref\":\"e\",\"sessionId\":\"" + sessionId + "\"}");
        member.await(ServerMessage.SessionEnded.class, e -> e.sessionId().equals(sessionId));
        assertThat(receiver.await("session.ended").path("data").path("endedBy").asText())
                .isEqualTo(mentor.userId());

        drained(0, 1, 2);
        assertThat(count("support.waiting_no_mentor", "requestId", requestId)).isEqualTo(1);
        assertThat(count("session.started", "sessionId", sessionId)).isEqualTo(1);
        assertThat(count("session.ended", "sessionId", sessionId)).isEqualTo(1);
        assertThat(receiver.received("support.offer_to_offline_mentor"))
                .as("the mentor was connected, to another node than the member's")
                .isEmpty();
        assertThat(receiver.badSignatures()).isEmpty();
        // The phone's node told the session again and claimed it in vain: counted, not sent.
        assertThat(cluster.metrics(2))
                .containsPattern("kindred_webhook_claims_total\\{outcome=\"repeat\",type=\"session.started\"} 1.0");
    }

    @Test
    void aGroupReminderIsSentOncePerClusterAndOnlyForMembersNotConnectedAnywhere() throws Exception {
        startCluster(3, STEADY);
        RawClient facilitator = cluster.signedIn(0, "Fay", "facilitator");
        String groupId = scheduled(facilitator);
        RawClient here = registered(1, "Here", groupId);
        RawClient away = registered(2, "Away", groupId);
        away.close();
        seenOnline(away.userId(), false, 0, 1, 2);
        seenOnline(here.userId(), true, 0, 1, 2);

        dueNow(facilitator, groupId);

        JsonNode reminder = receiver.await("group.reminder");
        assertThat(reminder.path("data").path("groupId").asText()).isEqualTo(groupId);
        assertThat(reminder.path("data").path("userId").asText()).isEqualTo(away.userId());
        here.await(ServerMessage.GroupReminder.class, r -> r.group().groupId().equals(groupId));
        drained(0, 1, 2);
        assertThat(receiver.received("group.reminder")).hasSize(1);
    }

    @Test
    void theMembersOfANodeKilledWithoutAGoodbyeCountAsGoneOnceItsHeartbeatLapses() throws Exception {
        strandedMemberIsRemindedOnce(Duration.ofSeconds(3), () -> process.kill());
    }

    @Test
    void theMembersOfANodeKilledAndStartedAgainUnderItsIdCountAsGoneAtOnce() throws Exception {
        // Far longer than the test waits: only the new process letting go of its predecessor's users can do it.
        strandedMemberIsRemindedOnce(Duration.ofMinutes(5), () -> process.restart());
    }

    @Test
    void theMembersOfANodeFrozenPastTheNodeTimeoutCountAsConnectedAgainOnceItRunsAgain() throws Exception {
        startCluster(1, Duration.ofSeconds(3));
        process =
                NodeProcess.start(dir, "process-" + ProcessHandle.current().pid(), REDIS.uri(), Duration.ofSeconds(3));
        RawClient member = RawClient.signedIn(process.ws().toString(), TestCluster.token("Frozen", "member"));
        clients.add(member);
        seenOnline(member.userId(), true, 0);

        process.freeze();
        seenOnline(member.userId(), false, 0);
        process.thaw();

        // Its connection never closed: the node claims the member again, and the other node hears of it.
        seenOnline(member.userId(), true, 0);
    }

    /**
     * A member registered to a group is connected only through a node in a JVM of its own; the fault happens to that
     * node; once both other nodes count the member as gone, the meeting comes due: one reminder, for that member.
     */
    private void strandedMemberIsRemindedOnce(Duration nodeTimeout, Runnable fault) throws Exception {
        startCluster(2, nodeTimeout);
        RawClient facilitator = cluster.signedIn(0, "Fay", "facilitator");
        String groupId = scheduled(facilitator);
        process = NodeProcess.start(dir, "process-" + ProcessHandle.current().pid(), REDIS.uri(), nodeTimeout);
        RawClient stranded = registered(process.ws(), "Stranded", groupId);
        seenOnline(stranded.userId(), true, 0, 1);

        fault.run();
        seenOnline(stranded.userId(), false, 0, 1);
        dueNow(facilitator, groupId);

        assertThat(receiver.await("group.reminder").path("data").path("userId").asText())
                .isEqualTo(stranded.userId());
        drained(0, 1);
        assertThat(receiver.received("group.reminder")).hasSize(1);
    }

    /** A group two days ahead: its reminder is not due. */
    private static String scheduled(RawClient facilitator) {
        facilitator.send("{\"type\":\"create_group\",\"ref\":\"g\",\"title\":\"Evening circle\","
                + "\"topic\":\"diabetes\",\"startsAt\":\"" + in(Duration.ofDays(2)) + "\",\"durationMinutes\":60}");
        return facilitator
                .await(ServerMessage.Group.class, g -> "g".equals(g.ref()))
                .group()
                .groupId();
    }

    private RawClient registered(int node, String pseudonym, String groupId) throws Exception {
        return registered(cluster.ws(node), pseudonym, groupId);
    }

    private RawClient registered(URI node, String pseudonym, String groupId) throws Exception {
        RawClient member = RawClient.signedIn(node.toString(), TestCluster.token(pseudonym, "member"));
        clients.add(member);
        member.send("{\"type\":\"register_group\",\"ref\":\"r\",\"groupId\":\"" + groupId + "\"}");
        member.await(ServerMessage.Group.class, g -> "r".equals(g.ref()));
        return member;
    }

    /** Moves the meeting five minutes ahead: within the reminder's ten, so every node finds it due. */
    private static void dueNow(RawClient facilitator, String groupId) {
        facilitator.send("{\"type\":\"update_group\",\"ref\":\"u\",\"groupId\":\"" + groupId + "\",\"startsAt\":\""
                + in(Duration.ofMinutes(5)) + "\"}");
        facilitator.await(ServerMessage.Group.class, g -> "u".equals(g.ref()));
    }

    private static String in(Duration duration) {
        return Instant.now().plus(duration).truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
