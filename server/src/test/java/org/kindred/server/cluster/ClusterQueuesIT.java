package org.kindred.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kindred.protocol.ClientMessage;
import org.kindred.protocol.ServerMessage;
import org.kindred.server.config.KindredConfig;
import org.kindred.server.config.RedisConfig;
import org.kindred.server.config.RoomConfig;
import org.kindred.server.config.RoomRule;
import org.kindred.server.redis.RedisExtension;
import org.kindred.server.testing.RawClient;
import org.kindred.server.testing.TestCluster;

/**
 * The moderator queues, appeals and check-ins across nodes: what was held on one node is listed on another, an
 * appeal filed on one is decided on another, and a check-in crosses from the moderator's node to the member's.
 */
class ClusterQueuesIT {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    private TestCluster cluster;

    @BeforeEach
    void start() throws Exception {
        REDIS.flushAll();
        List<RoomConfig> rooms = new ArrayList<>(KindredConfig.defaults().rooms());
        rooms.add(new RoomConfig("meds", "Medication", "", List.of(), Set.of(), Set.of(RoomRule.HOLD_DOSES)));
        cluster = TestCluster.start(
                3,
                RedisConfig.standalone(REDIS.uri()).withNodeTimeout(Duration.ofSeconds(3)),
                c -> c.ratePerSecond(1000).rateBurst(1000).rooms(rooms));
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private RawClient client(int node, String pseudonym, String role) throws Exception {
        return cluster.signedIn(node, pseudonym, role);
    }

    private static RawClient joined(RawClient client, String room) {
        client.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"" + room + "\"}");
        client.await(ServerMessage.Joined.class, j -> true);
        return client;
    }

    @Test
    void aMessageHeldOnOneNodeIsListedToAModeratorOnAnotherAndRefusedToOthers() throws Exception {
        RawClient author = joined(client(0, "Asker", "member"), "meds");
        RawClient moderator = client(2, "Mod", "moderator");
        RawClient mentor = client(1, "Mentor", "mentor");
        author.send("{\"type\":\"send\",\"ref\":\"s\",\"room\":\"meds\",\"clientMsgId\":\"dose-1\","
                + "\"text\":\"I take 500 mg of metformin\"}");
        assertThat(author.awaitError("s").code()).isEqualTo("held_for_review");

        moderator.send(new ClientMessage.ListHeld("l", null, null));
        ServerMessage.HeldMessages page = (ServerMessage.HeldMessages) moderator.awaitReply("l");
        assertThat(page.held())
                .extracting(ServerMessage.HeldMessage::clientMsgId)
                .containsExactly("dose-1");
        mentor.send(new ClientMessage.ListHeld("l", null, null));
        assertThat(mentor.awaitError("l").code()).isEqualTo("forbidden");
    }

    @Test
    void anAppealFiledOnOneNodeIsDecidedOnAnotherAndTheMemberIsTold() throws Exception {
        RawClient moderator = client(1, "Mod", "moderator");
        RawClient member = client(0, "Loud", "member");
        // Sanctioned by the opaque id members are known by (privacy), which the appeal is matched against.
        moderator.send(new ClientMessage.Sanction("t", TestCluster.userId("Loud"), "timeout", null, "cool down", 600L));
        String sanctionId = ((ServerMessage.Sanctioned) moderator.awaitReply("t"))
                .sanction()
                .sanctionId();

        member.send(new ClientMessage.Appeal("ap", sanctionId, "I was quoting my doctor"));
        String appealId = ((ServerMessage.AppealReceived) member.awaitReply("ap")).appealId();
        moderator.await(
                ServerMessage.AppealFiled.class, a -> a.appeal().appealId().equals(appealId));
        moderator.send(new ClientMessage.DecideAppeal("d", appealId, true, "Thanks"));
        assertThat(((ServerMessage.AppealDecided) moderator.awaitReply("d")).outcome())
                .isEqualTo("lifted");

        assertThat(member.await(ServerMessage.AppealDecided.class, a -> true).outcome())
                .isEqualTo("lifted");
        member.await(ServerMessage.SanctionLifted.class, l -> true);
    }

    @Test
    void aCheckInOfferedOnOneNodeReachesTheMemberOnAnotherAndTheyTalk() throws Exception {
        RawClient moderator = client(1, "Jo", "moderator");
        RawClient member = joined(client(0, "Robin", "member"), "depression");
        member.send("{\"type\":\"send\",\"ref\":\"m\",\"room\":\"depression\",\"clientMsgId\":\"m1\","
                + "\"text\":\"i want to kill myself\"}");
        ServerMessage.Alert alert = moderator.await(ServerMessage.Alert.class, a -> true);
        moderator.send(new ClientMessage.AckAlert("ack", alert.alertId()));
        moderator.awaitReply("ack");

        moderator.send(new ClientMessage.CheckIn("ci", alert.alertId()));
        assertThat(moderator.awaitReply("ci")).isInstanceOf(ServerMessage.CheckInSent.class);
        ServerMessage.CheckInOffer offer = member.await(ServerMessage.CheckInOffer.class, o -> true);
        member.send(new ClientMessage.AnswerCheckIn("yes", offer.checkInId(), true));
        ServerMessage.SessionStarted started = (ServerMessage.SessionStarted) member.awaitReply("yes");
        moderator.await(ServerMessage.SessionStarted.class, s -> s.sessionId().equals(started.sessionId()));

        joined(moderator, started.sessionId());
        joined(member, started.sessionId());
        member.send("{\"type\":\"send\",\"ref\":\"t\",\"room\":\"" + started.sessionId()
                + "\",\"clientMsgId\":\"t1\",\"text\":\"thank you for asking\"}");
        moderator.await(ServerMessage.ChatMessage.class, m -> m.room().equals(started.sessionId()));
    }
}
