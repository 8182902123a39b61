package org.kindred.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.SessionStarted;
import org.kindred.server.config.RedisConfig;
import org.kindred.server.config.SupportConfig;
import org.kindred.server.redis.RedisExtension;
import org.kindred.server.testing.RawClient;
import org.kindred.server.testing.TestCluster;

/** One-to-one support across nodes: the queue, offers and sessions are the cluster's, not a node's. */
class ClusterSupportIT {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    private TestCluster cluster;

    @BeforeEach
    void start() throws Exception {
        REDIS.flushAll();
        SupportConfig quick = SupportConfig.defaults();
        cluster = TestCluster.start(
                3,
                RedisConfig.standalone(REDIS.uri()).withNodeTimeout(Duration.ofSeconds(3)),
                c -> c.ratePerSecond(1000)
                        .rateBurst(1000)
                        .support(new SupportConfig(
                                quick.offerTimeout(),
                                quick.unavailableAfter(),
                                Duration.ofSeconds(1),
                                quick.defaultCapacity(),
                                50,
                                quick.idleTimeout(),
                                quick.transcriptRetention())));
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private RawClient client(int node, String pseudonym, String role) throws Exception {
        return cluster.signedIn(node, pseudonym, role);
    }

    private static void available(RawClient mentor, String condition) {
        mentor.send("{\"type\":\"set_availability\",\"ref\":\"a\",\"available\":true,\"conditions\":[\"" + condition
                + "\"],\"languages\":[\"en\"],\"capacity\":50}");
        mentor.await(ServerMessage.Availability.class, a -> a.conditions().contains(condition));
    }

    private static String ask(RawClient member, String condition) {
        member.send(
                "{\"type\":\"request_support\",\"ref\":\"q\",\"condition\":\"" + condition + "\",\"language\":\"en\"}");
        return member.await(ServerMessage.SupportQueued.class, q -> "q".equals(q.ref()))
                .requestId();
    }

    /** The member asks, the mentor accepts the offer: the session's id. */
    private static String matched(RawClient member, RawClient mentor, String condition) {
        String requestId = ask(member, condition);
        mentor.await(ServerMessage.SupportOffer.class, o -> o.requestId().equals(requestId));
        mentor.send("{\"type\":\"accept_offer\",\"ref\":\"acc\",\"requestId\":\"" + requestId + "\"}");
        return mentor.await(SessionStarted.class, s -> "acc".equals(s.ref())).sessionId();
    }

    private static void joined(RawClient client, String room) {
        client.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"" + room + "\"}");
        client.await(ServerMessage.Joined.class, j -> j.room().equals(room));
    }

    @Test
    void aMemberAndAMentorOnDifferentNodesAreMatchedAndTalkPrivately() throws Exception {
        RawClient mentor = client(1, "Mentor", "mentor");
        available(mentor, "diabetes");
        RawClient member = client(0, "Ana", "member");
        RawClient stranger = client(2, "Stranger", "member");

        String requestId = ask(member, "diabetes");
        ServerMessage.SupportOffer offer = mentor.await(ServerMessage.SupportOffer.class, o -> true);
        assertThat(offer.requestId()).isEqualTo(requestId);
        mentor.send("{\"type\":\"accept_offer\",\"ref\":\"acc\",\"requestId\":\"" + requestId + "\"}");
        String sessionId =
                mentor.await(SessionStarted.class, s -> "acc".equals(s.ref())).sessionId();
        assertThat(member.await(SessionStarted.class, s -> true).sessionId()).isEqualTo(sessionId);

        member.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"" + sessionId + "\"}");
        mentor.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"" + sessionId + "\"}");
        member.await(ServerMessage.Joined.class, j -> true);
        mentor.await(ServerMessage.Joined.class, j -> true);
        member.send("{\"type\":\"send\",\"ref\":\"s\",\"room\":\"" + sessionId
                + "\",\"clientMsgId\":\"m1\",\"text\":\"hello from node 0\"}");
        mentor.await(ServerMessage.ChatMessage.class, m -> m.text().equals("hello from node 0"));

        stranger.send("{\"type\":\"join\",\"ref\":\"sj\",\"room\":\"" + sessionId + "\"}");
        assertThat(stranger.awaitError("sj").code()).isEqualTo("room_not_found");
    }

    @Test
    void aWaitingMemberHearsItsNewPositionOnEveryDeviceWhenARequestAheadIsWithdrawnOnAnotherNode() throws Exception {
        RawClient first = client(1, "First", "member");
        RawClient ana = client(0, "Ana", "member");
        RawClient anasPhone = client(2, "Ana", "member");
        String ahead = ask(first, "asthma");
        ana.send("{\"type\":\"request_support\",\"ref\":\"q\",\"condition\":\"asthma\",\"language\":\"en\"}");
        assertThat(ana.await(ServerMessage.SupportQueued.class, q -> "q".equals(q.ref()))
                        .position())
                .isEqualTo(2);

        first.send("{\"type\":\"cancel_support\",\"ref\":\"c\",\"requestId\":\"" + ahead + "\"}");

        // Told by the node each connection is on, which heard of the change made on node 1.
        ana.await(ServerMessage.SupportQueued.class, q -> q.ref() == null && q.position() == 1);
        anasPhone.await(ServerMessage.SupportQueued.class, q -> q.ref() == null && q.position() == 1);
    }

    @Test
    void anEndedSessionLeavesNoRoomOnAnyNodeOnceItsParticipantsLeave() throws Exception {
        RawClient mentor = client(1, "Mentor", "mentor");
        available(mentor, "diabetes");
        RawClient member = client(0, "Ana", "member");
        String sessionId = matched(member, mentor, "diabetes");
        joined(member, sessionId);
        joined(mentor, sessionId);
        assertThat(cluster.node(0).rooms().existing(sessionId)).isPresent();
        assertThat(cluster.node(1).rooms().existing(sessionId)).isPresent();

        member.send("{\"type\":\"end_session\",\"ref\":\"e\",\"sessionId\":\"" + sessionId + "\"}");
        mentor.await(ServerMessage.SessionEnded.class, e -> e.sessionId().equals(sessionId));
        member.send("{\"type\":\"leave\",\"ref\":\"l\",\"room\":\"" + sessionId + "\"}");
        mentor.send("{\"type\":\"leave\",\"ref\":\"l\",\"room\":\"" + sessionId + "\"}");
        member.await(ServerMessage.Left.class, l -> true);
        mentor.await(ServerMessage.Left.class, l -> true);

        for (int node = 0; node < cluster.size(); node++) {
            assertThat(cluster.node(node).rooms().existing(sessionId))
                    .as("node %s", node)
                    .isEmpty();
        }
    }

    @Test
    void twoMentorsAcceptingOnTwoNodesAtOnceYieldExactlyOneSession() throws Exception {
        RawClient first = client(1, "First", "mentor");
        RawClient second = client(2, "Second", "mentor");
        for (int round = 0; round < 10; round++) {
            String condition = "race" + round;
            available(first, condition);
            RawClient member = client(0, "Member" + round, "member");
            String requestId = ask(member, condition);
            first.await(ServerMessage.SupportOffer.class, o -> o.requestId().equals(requestId));
            first.send("{\"type\":\"decline_offer\",\"ref\":\"d" + round + "\",\"requestId\":\"" + requestId + "\"}");
            String declined = "d" + round;
            first.await(ServerMessage.Done.class, d -> declined.equals(d.ref()));
            available(second, condition);
            second.await(ServerMessage.SupportOffer.class, o -> o.requestId().equals(requestId));

            String accept =
                    "{\"type\":\"accept_offer\",\"ref\":\"x" + round + "\",\"requestId\":\"" + requestId + "\"}";
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> senders = List.of(first, second).stream()
                    .map(mentor -> Thread.ofVirtual().start(() -> {
                        try {
                            go.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        mentor.send(accept);
                    }))
                    .toList();
            go.countDown();
            for (Thread sender : senders) {
                sender.join();
            }

            String ref = "x" + round;
            int started = 0;
            int refused = 0;
            for (RawClient mentor : List.of(first, second)) {
                ServerMessage reply = awaitReply(mentor, ref);
                if (reply instanceof SessionStarted) {
                    started++;
                } else {
                    refused++;
                    assertThat(((ServerMessage.Error) reply).code()).isIn("offer_taken", "request_not_found");
                }
            }
            assertThat(started).as("round %d", round).isEqualTo(1);
            assertThat(refused).isEqualTo(1);
        }
    }

    private static ServerMessage awaitReply(RawClient client, String ref) {
        return org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(
                        () -> client.received().stream()
                                .filter(m -> m instanceof SessionStarted s && ref.equals(s.ref())
                                        || m instanceof ServerMessage.Error e && ref.equals(e.ref()))
                                .findFirst()
                                .orElse(null),
                        m -> m != null);
    }

    @Test
    void whenTheMentorsNodeDiesTheMemberGoesBackToTheFrontAndContinuesWithAnotherMentor() throws Exception {
        RawClient mentor = client(1, "Doomed", "mentor");
        available(mentor, "pain");
        RawClient member = client(0, "Ana", "member");
        String requestId = ask(member, "pain");
        mentor.await(ServerMessage.SupportOffer.class, o -> true);
        mentor.send("{\"type\":\"accept_offer\",\"ref\":\"acc\",\"requestId\":\"" + requestId + "\"}");
        String sessionId = member.await(SessionStarted.class, s -> true).sessionId();

        cluster.halt(1);

        ServerMessage.SessionInterrupted interrupted = member.await(ServerMessage.SessionInterrupted.class, i -> true);
        assertThat(interrupted.sessionId()).isEqualTo(sessionId);
        RawClient next = client(2, "Next", "mentor");
        available(next, "pain");
        ServerMessage.SupportOffer offer = next.await(ServerMessage.SupportOffer.class, o -> true);
        assertThat(offer.sessionId()).isEqualTo(sessionId);
        next.send("{\"type\":\"accept_offer\",\"ref\":\"acc2\",\"requestId\":\"" + offer.requestId() + "\"}");
        assertThat(member.await(SessionStarted.class, s -> s.continued())
                        .mentor()
                        .pseudonym())
                .isEqualTo("Next");
    }

    @Test
    void aMentorsDeviceOnAnotherNodeLearnsOfTheSessionAcceptedOnItsPhone() throws Exception {
        RawClient phone = client(0, "Mentor", "mentor");
        available(phone, "diabetes");
        RawClient laptop = client(1, "Mentor", "mentor");
        RawClient member = client(2, "Ana", "member");
        String requestId = ask(member, "diabetes");
        phone.await(ServerMessage.SupportOffer.class, o -> o.requestId().equals(requestId));
        phone.send("{\"type\":\"accept_offer\",\"ref\":\"acc\",\"requestId\":\"" + requestId + "\"}");
        String sessionId =
                phone.await(SessionStarted.class, s -> "acc".equals(s.ref())).sessionId();
        SessionStarted told = laptop.await(SessionStarted.class, s -> true);
        assertThat(told.sessionId()).isEqualTo(sessionId);
        assertThat(told.ref()).isNull();
        assertThat(phone.received(SessionStarted.class)).hasSize(1);
    }
}
