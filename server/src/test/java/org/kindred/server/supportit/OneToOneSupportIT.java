package org.kindred.server.supportit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kindred.client.KindredClient;
import org.kindred.client.ReconnectPolicy;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.SessionStarted;
import org.kindred.server.identity.Role;
import org.kindred.server.support.SupportService;
import org.kindred.server.testing.RawClient;
import org.kindred.server.testing.RecordingListener;
import org.kindred.server.testing.TcpProxy;
import org.kindred.server.testing.TestNode;

/** A member asks, a mentor takes it, they talk privately; over real sockets against a real node. */
class OneToOneSupportIT {

    private TestNode node;

    @BeforeEach
    void start() throws Exception {
        node = TestNode.start(c -> c.ratePerSecond(1000).rateBurst(1000));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private RawClient mentor(String name) throws Exception {
        RawClient mentor = RawClient.signedIn(node.ws(), node.token(name, Role.MENTOR));
        mentor.send("{\"type\":\"set_availability\",\"ref\":\"a\",\"available\":true,\"conditions\":[\"diabetes\"],"
                + "\"languages\":[\"en\"],\"capacity\":2}");
        mentor.await(ServerMessage.Availability.class, a -> true);
        return mentor;
    }

    /** The member asks, the mentor accepts; returns the session id. */
    private String match(RawClient member, RawClient mentor) {
        member.send("{\"type\":\"request_support\",\"ref\":\"q\",\"condition\":\"diabetes\",\"language\":\"en\","
                + "\"note\":\"scared of hypos at night\"}");
        ServerMessage.SupportQueued queued = member.await(ServerMessage.SupportQueued.class, q -> "q".equals(q.ref()));
        assertThat(queued.position()).isEqualTo(1);
        ServerMessage.SupportOffer offer = mentor.await(ServerMessage.SupportOffer.class, o -> true);
        assertThat(offer.note()).isEqualTo("scared of hypos at night");
        mentor.send("{\"type\":\"accept_offer\",\"ref\":\"acc\",\"requestId\":\"" + offer.requestId() + "\"}");
        SessionStarted forMentor = mentor.await(SessionStarted.class, s -> "acc".equals(s.ref()));
        SessionStarted forMember = member.await(SessionStarted.class, s -> true);
        assertThat(forMember.sessionId()).isEqualTo(forMentor.sessionId());
        return forMentor.sessionId();
    }

    @Test
    void aMemberAndAMentorTalkPrivatelyAndNobodyElseCanJoinOrRead() throws Exception {
        try (RawClient mentor = mentor("Mentor Mo");
                RawClient member = RawClient.signedIn(node.ws(), node.token("Ana"));
                RawClient stranger = RawClient.signedIn(node.ws(), node.token("Stranger", Role.MODERATOR))) {
            String sessionId = match(member, mentor);

            member.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"" + sessionId + "\"}");
            mentor.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"" + sessionId + "\"}");
            member.await(ServerMessage.Joined.class, j -> true);
            mentor.await(ServerMessage.Joined.class, j -> true);
            member.send("{\"type\":\"send\",\"ref\":\"s\",\"room\":\"" + sessionId
                    + "\",\"clientMsgId\":\"m1\",\"text\":\"hi, thanks for taking this\"}");
            mentor.await(ServerMessage.ChatMessage.class, m -> m.text().equals("hi, thanks for taking this"));

            stranger.send("{\"type\":\"join\",\"ref\":\"sj\",\"room\":\"" + sessionId + "\"}");
            stranger.send("{\"type\":\"history\",\"ref\":\"sh\",\"room\":\"" + sessionId + "\"}");
            stranger.send("{\"type\":\"send\",\"ref\":\"ss\",\"room\":\"" + sessionId
                    + "\",\"clientMsgId\":\"x\",\"text\":\"let me in\"}");
            assertThat(stranger.awaitError("sj").code()).isEqualTo("room_not_found");
            assertThat(stranger.awaitError("sh").code()).isEqualTo("room_not_found");
            assertThat(stranger.awaitError("ss").code()).isEqualTo("room_not_found");
            assertThat(stranger.received(ServerMessage.ChatMessage.class)).isEmpty();

            stranger.send("{\"type\":\"list_rooms\",\"ref\":\"l\"}");
            assertThat(stranger.await(ServerMessage.RoomList.class, r -> true).rooms())
                    .noneMatch(room -> room.id().equals(sessionId));
        }
    }

    @Test
    void endingASessionStopsMessagesAndTheMemberRatesIt() throws Exception {
        try (RawClient mentor = mentor("Mentor Mo");
                RawClient member = RawClient.signedIn(node.ws(), node.token("Ana"))) {
            String sessionId = match(member, mentor);
            member.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"" + sessionId + "\"}");
            member.await(ServerMessage.Joined.class, j -> true);

            mentor.send("{\"type\":\"end_session\",\"ref\":\"e\",\"sessionId\":\"" + sessionId + "\"}");
            assertThat(member.await(ServerMessage.SessionEnded.class, e -> true)
                            .endedBy()
                            .pseudonym())
                    .isEqualTo("Mentor Mo");
            member.send("{\"type\":\"send\",\"ref\":\"late\",\"room\":\"" + sessionId
                    + "\",\"clientMsgId\":\"m9\",\"text\":\"one more thing\"}");
            assertThat(member.awaitError("late").code()).isEqualTo("session_ended");

            member.send("{\"type\":\"rate_session\",\"ref\":\"r\",\"sessionId\":\"" + sessionId
                    + "\",\"rating\":5,\"comment\":\"I felt heard\"}");
            member.await(ServerMessage.Done.class, d -> "r".equals(d.ref()));
            SupportService.SessionRecord record =
                    node.node().support().record(sessionId).orElseThrow();
            assertThat(record.rating()).isEqualTo(5);
        }
    }

    @Test
    void aMemberWhoBlocksItsMentorMidSessionEndsTheSessionForBoth() throws Exception {
        try (RawClient mentor = mentor("Mentor Mo");
                RawClient member = RawClient.signedIn(node.ws(), node.token("Ana"))) {
            String sessionId = match(member, mentor);
            for (RawClient c : List.of(member, mentor)) {
                c.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"" + sessionId + "\"}");
                c.await(ServerMessage.Joined.class, j -> true);
            }

            member.send("{\"type\":\"block\",\"ref\":\"b\",\"userId\":\"" + mentor.userId() + "\"}");
            member.await(ServerMessage.Done.class, d -> "b".equals(d.ref()));

            ServerMessage.SessionEnded toMentor = mentor.await(ServerMessage.SessionEnded.class, e -> true);
            assertThat(toMentor.reason()).isEqualTo("ended");
            assertThat(toMentor.endedBy().pseudonym()).isEqualTo("Ana");
            assertThat(member.await(ServerMessage.SessionEnded.class, e -> true).sessionId())
                    .isEqualTo(sessionId);
            mentor.send("{\"type\":\"send\",\"ref\":\"late\",\"room\":\"" + sessionId
                    + "\",\"clientMsgId\":\"m9\",\"text\":\"are you there?\"}");
            assertThat(mentor.awaitError("late").code())
                    .as("no one-way session: the blocked mentor's sends are refused, not acked")
                    .isEqualTo("session_ended");

            member.send("{\"type\":\"request_support\",\"ref\":\"again\",\"condition\":\"diabetes\","
                    + "\"language\":\"en\"}");
            member.await(ServerMessage.SupportQueued.class, q -> "again".equals(q.ref()));
            assertThat(mentor.received(ServerMessage.SupportOffer.class))
                    .as("never matched again with the mentor it blocked")
                    .hasSize(1);
        }
    }

    @Test
    void aParticipantDeletesTheTranscriptForBoth() throws Exception {
        try (RawClient mentor = mentor("Mentor Mo");
                RawClient member = RawClient.signedIn(node.ws(), node.token("Ana"))) {
            String sessionId = match(member, mentor);
            member.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"" + sessionId + "\"}");
            mentor.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"" + sessionId + "\"}");
            member.await(ServerMessage.Joined.class, j -> true);
            mentor.await(ServerMessage.Joined.class, j -> true);
            sendAsMentor(mentor, sessionId, "something private");

            member.send("{\"type\":\"delete_transcript\",\"ref\":\"del\",\"sessionId\":\"" + sessionId + "\"}");
            member.await(ServerMessage.Done.class, d -> "del".equals(d.ref()));
            mentor.send("{\"type\":\"history\",\"ref\":\"h\",\"room\":\"" + sessionId + "\"}");

            assertThat(mentor.await(ServerMessage.History.class, h -> "h".equals(h.ref()))
                            .messages())
                    .isEmpty();
        }
    }

    @Test
    void aMemberCannotActAsAMentor() throws Exception {
        try (RawClient member = RawClient.signedIn(node.ws(), node.token("Ana"))) {
            member.send("{\"type\":\"set_availability\",\"ref\":\"a\",\"available\":true,\"conditions\":[\"x\"],"
                    + "\"languages\":[\"en\"]}");
            member.send("{\"type\":\"accept_offer\",\"ref\":\"b\",\"requestId\":\"r-1\"}");

            assertThat(member.awaitError("a").code()).isEqualTo("forbidden");
            assertThat(member.awaitError("b").code()).isEqualTo("forbidden");
        }
    }

    @Test
    void aMemberWhosePhoneDropsMidSessionLosesNothing() throws Exception {
        try (RawClient mentor = mentor("Mentor Mo");
                RawClient asker = RawClient.signedIn(node.ws(), node.token("Ana"));
                TcpProxy flakyNetwork = new TcpProxy(node.node().port())) {
            String sessionId = match(asker, mentor);
            mentor.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"" + sessionId + "\"}");
            mentor.await(ServerMessage.Joined.class, j -> true);

            RecordingListener phoneSees = new RecordingListener();
            try (KindredClient phone = KindredClient.builder()
                    .url(URI.create(flakyNetwork.ws()))
                    .token(node.token("Ana"))
                    .listener(phoneSees)
                    .reconnect(ReconnectPolicy.builder()
                            .initialDelay(Duration.ofMillis(50))
                            .maxDelay(Duration.ofMillis(200))
                            .build())
                    .build()) {
                phone.connect().get(10, TimeUnit.SECONDS);
                phone.join(sessionId).get(10, TimeUnit.SECONDS);
                for (int i = 1; i <= 5; i++) {
                    sendAsMentor(mentor, sessionId, "before " + i);
                }
                await().until(() -> phoneSees.messages.size() == 5);

                flakyNetwork.dropConnections();
                await().until(() -> !phoneSees.disconnects.isEmpty());
                for (int i = 1; i <= 5; i++) {
                    sendAsMentor(mentor, sessionId, "while away " + i);
                }

                await().atMost(Duration.ofSeconds(15)).until(() -> phoneSees.messages.size() >= 10);
                assertThat(phoneSees.seqs(sessionId))
                        .containsExactlyElementsOf(
                                LongStream.rangeClosed(1, 10).boxed().toList());
                assertThat(phoneSees.resumed).contains(sessionId + ":true");
            }
        }
    }

    private static void sendAsMentor(RawClient mentor, String sessionId, String text) {
        String ref = "m-" + text.replace(' ', '-');
        mentor.send("{\"type\":\"send\",\"ref\":\"" + ref + "\",\"room\":\"" + sessionId + "\",\"clientMsgId\":\"" + ref
                + "\",\"text\":\"" + text + "\"}");
        mentor.await(ServerMessage.Ack.class, a -> ref.equals(a.ref()));
    }

    @Test
    void aMentorsOtherDeviceLearnsOfTheSessionAcceptedOnOneDevice() throws Exception {
        try (RawClient phone = mentor("Mentor Mo");
                RawClient laptop = RawClient.signedIn(node.ws(), node.token("Mentor Mo", Role.MENTOR));
                RawClient member = RawClient.signedIn(node.ws(), node.token("Ana"))) {
            member.send(
                    "{\"type\":\"request_support\",\"ref\":\"q\",\"condition\":\"diabetes\"," + "\"language\":\"en\"}");
            ServerMessage.SupportOffer offer = phone.await(ServerMessage.SupportOffer.class, o -> true);
            laptop.await(ServerMessage.SupportOffer.class, o -> o.requestId().equals(offer.requestId()));

            phone.send("{\"type\":\"accept_offer\",\"ref\":\"acc\",\"requestId\":\"" + offer.requestId() + "\"}");
            SessionStarted accepted = phone.await(SessionStarted.class, s -> "acc".equals(s.ref()));
            SessionStarted told = laptop.await(SessionStarted.class, s -> true);
            assertThat(told.ref()).isNull();
            assertThat(told.sessionId()).isEqualTo(accepted.sessionId());
            assertThat(told.requestId()).isEqualTo(offer.requestId());
            member.await(SessionStarted.class, s -> s.sessionId().equals(accepted.sessionId()));
            assertThat(phone.received(SessionStarted.class))
                    .as("the accepting device has its reply only")
                    .hasSize(1);
        }
    }
}
