package org.kindred.server.safetyit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kindred.protocol.ClientMessage;
import org.kindred.protocol.ServerMessage;
import org.kindred.server.identity.Role;
import org.kindred.server.testing.RawClient;
import org.kindred.server.testing.TestNode;

/**
 * After acknowledging a crisis alert, the moderator who took it offers its author a private check-in: accepted, the two
 * talk in a one-to-one session as private as support; declined, the moderator is told and nothing else happens. Over
 * real sockets, on one node.
 */
class CheckInIT {

    private static final String CRISIS = "I want to kill myself";

    private TestNode node;

    @BeforeEach
    void start() throws Exception {
        node = TestNode.start(c -> c.ratePerSecond(1000).rateBurst(1000));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private RawClient joined(String pseudonym, Role role) throws Exception {
        RawClient client = RawClient.signedIn(node.ws(), node.token(pseudonym, role));
        client.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"depression\"}");
        client.await(ServerMessage.Joined.class, j -> true);
        return client;
    }

    /** The member writes a crisis; the moderator takes the alert; returns the alert's id. */
    private static String alertTaken(RawClient member, RawClient moderator) {
        member.send("{\"type\":\"send\",\"ref\":\"m\",\"room\":\"depression\",\"clientMsgId\":\"m1\",\"text\":\""
                + CRISIS + "\"}");
        ServerMessage.Alert alert = moderator.await(ServerMessage.Alert.class, a -> true);
        moderator.send(new ClientMessage.AckAlert("ack", alert.alertId()));
        assertThat(((ServerMessage.AlertAcked) moderator.awaitReply("ack")).first())
                .isTrue();
        return alert.alertId();
    }

    private static ServerMessage.CheckInOffer offered(RawClient member, RawClient moderator, String alertId) {
        moderator.send(new ClientMessage.CheckIn("ci", alertId));
        ServerMessage.CheckInSent sent = (ServerMessage.CheckInSent) moderator.awaitReply("ci");
        assertThat(sent.member().pseudonym()).isEqualTo("Robin");
        ServerMessage.CheckInOffer offer = member.await(ServerMessage.CheckInOffer.class, o -> true);
        assertThat(offer.checkInId()).isEqualTo(sent.checkInId());
        return offer;
    }

    @Test
    void aMemberWhoAcceptsTalksPrivatelyWithTheModeratorWhoReachedOut() throws Exception {
        try (RawClient moderator = RawClient.signedIn(node.ws(), node.token("Jo", Role.MODERATOR));
                RawClient member = joined("Robin", Role.MEMBER);
                RawClient other = RawClient.signedIn(node.ws(), node.token("Kim", Role.MODERATOR))) {
            String alertId = alertTaken(member, moderator);

            ServerMessage.CheckInOffer offer = offered(member, moderator, alertId);
            assertThat(offer.moderator().pseudonym()).isEqualTo("Jo");
            assertThat(offer.message())
                    .startsWith("Jo, one of the moderators here")
                    .contains("say yes or no");

            member.send(new ClientMessage.AnswerCheckIn("yes", offer.checkInId(), true));
            ServerMessage.SessionStarted forMember = (ServerMessage.SessionStarted) member.awaitReply("yes");
            assertThat(forMember.condition()).isEqualTo("check_in");
            assertThat(forMember.requestId()).isEqualTo(offer.checkInId());
            assertThat(forMember.mentor().pseudonym()).isEqualTo("Jo");
            ServerMessage.SessionStarted forModerator = moderator.await(
                    ServerMessage.SessionStarted.class, s -> s.sessionId().equals(forMember.sessionId()));
            assertThat(forModerator.member().pseudonym()).isEqualTo("Robin");

            String session = forMember.sessionId();
            member.send("{\"type\":\"join\",\"ref\":\"js\",\"room\":\"" + session + "\"}");
            moderator.send("{\"type\":\"join\",\"ref\":\"js\",\"room\":\"" + session + "\"}");
            member.awaitReply("js");
            assertThat(moderator.awaitReply("js")).isInstanceOf(ServerMessage.Joined.class);
            member.send("{\"type\":\"send\",\"ref\":\"t\",\"room\":\"" + session
                    + "\",\"clientMsgId\":\"t1\",\"text\":\"thank you for asking\"}");
            moderator.await(ServerMessage.ChatMessage.class, m -> m.room().equals(session));
            other.send("{\"type\":\"join\",\"ref\":\"peek\",\"room\":\"" + session + "\"}");
            assertThat(other.awaitError("peek").code())
                    .as("as private as a support session: another moderator cannot join")
                    .isEqualTo("room_not_found");

            member.send(new ClientMessage.AnswerCheckIn("twice", offer.checkInId(), true));
            assertThat(member.awaitError("twice").code()).isEqualTo("check_in_not_found");
            moderator.send(new ClientMessage.ReadAudit("a", 100));
            assertThat(((ServerMessage.AuditEntries) moderator.awaitReply("a")).entries())
                    .extracting(ServerMessage.AuditEntry::action)
                    .contains("check_in_offered", "check_in_accepted");
        }
    }

    @Test
    void aMemberWhoDeclinesIsLeftInPeaceAndTheModeratorIsTold() throws Exception {
        try (RawClient moderator = RawClient.signedIn(node.ws(), node.token("Jo", Role.MODERATOR));
                RawClient member = joined("Robin", Role.MEMBER)) {
            String alertId = alertTaken(member, moderator);
            ServerMessage.CheckInOffer offer = offered(member, moderator, alertId);

            member.send(new ClientMessage.AnswerCheckIn("no", offer.checkInId(), false));
            assertThat(member.awaitReply("no")).isInstanceOf(ServerMessage.Done.class);
            ServerMessage.CheckInDeclined declined = moderator.await(ServerMessage.CheckInDeclined.class, d -> true);
            assertThat(declined.checkInId()).isEqualTo(offer.checkInId());
            assertThat(declined.member().pseudonym()).isEqualTo("Robin");
            assertThat(member.received(ServerMessage.SessionStarted.class)).isEmpty();

            moderator.send(new ClientMessage.CheckIn("again", alertId));
            assertThat(moderator.awaitError("again").code()).isEqualTo("forbidden");
            assertThat(moderator.awaitError("again").message()).contains("declined");
        }
    }

    @Test
    void onlyTheModeratorWhoAcknowledgedTheAlertMayCheckIn() throws Exception {
        try (RawClient jo = RawClient.signedIn(node.ws(), node.token("Jo", Role.MODERATOR));
                RawClient kim = RawClient.signedIn(node.ws(), node.token("Kim", Role.MODERATOR));
                RawClient member = joined("Robin", Role.MEMBER)) {
            member.send("{\"type\":\"send\",\"ref\":\"m\",\"room\":\"depression\",\"clientMsgId\":\"m1\",\"text\":\""
                    + CRISIS + "\"}");
            ServerMessage.Alert alert = jo.await(ServerMessage.Alert.class, a -> true);

            jo.send(new ClientMessage.CheckIn("early", alert.alertId()));
            assertThat(jo.awaitError("early").message()).contains("acknowledge the alert");
            jo.send(new ClientMessage.AckAlert("ack", alert.alertId()));
            jo.awaitReply("ack");
            kim.send(new ClientMessage.CheckIn("notmine", alert.alertId()));
            ServerMessage.Error refused = kim.awaitError("notmine");
            assertThat(refused.code()).isEqualTo("forbidden");
            assertThat(refused.message()).contains("Jo took this alert");
            kim.send(new ClientMessage.CheckIn("unknown", "a-nothing"));
            assertThat(kim.awaitError("unknown").code()).isEqualTo("alert_not_found");
            assertThat(member.received(ServerMessage.CheckInOffer.class)).isEmpty();
        }
    }
}
