package org.kindred.server.safetyit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kindred.protocol.ServerMessage;
import org.kindred.server.identity.Role;
import org.kindred.server.testing.RawClient;
import org.kindred.server.testing.TestNode;

/** Moderators' sanctions are told to the member, enforced by the server, audited, and can be lifted. */
class SanctionsIT {

    private TestNode node;

    @BeforeEach
    void start() throws Exception {
        node = TestNode.start(c -> c.ratePerSecond(1000).rateBurst(1000));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private RawClient joined(String pseudonym, Role role, String room) throws Exception {
        RawClient client = RawClient.signedIn(node.ws(), node.token(pseudonym, role));
        client.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"" + room + "\"}");
        client.await(ServerMessage.Joined.class, j -> true);
        return client;
    }

    private static String send(RawClient client, String room, String ref) {
        client.send("{\"type\":\"send\",\"ref\":\"" + ref + "\",\"room\":\"" + room + "\",\"clientMsgId\":\"" + ref
                + "\",\"text\":\"hello\"}");
        return ref;
    }

    private static ServerMessage.SanctionInfo sanction(RawClient moderator, String json) {
        moderator.send(json);
        return moderator
                .await(ServerMessage.Sanctioned.class, s -> "x".equals(s.ref()))
                .sanction();
    }

    @Test
    void aTimeoutMakesTheMemberReadOnlyUntilLifted() throws Exception {
        try (RawClient moderator = RawClient.signedIn(node.ws(), node.token("Mod", Role.MODERATOR));
                RawClient member = joined("Loud", Role.MEMBER, "diabetes")) {
            ServerMessage.SanctionInfo timeout = sanction(
                    moderator,
                    "{\"type\":\"sanction\",\"ref\":\"x\",\"userId\":" + "\"" + member.userId()
                            + "\",\"kind\":\"timeout\",\"reason\":\"please cool down\",\"durationSeconds\":600}");

            ServerMessage.Sanctioned told = member.await(ServerMessage.Sanctioned.class, s -> true);
            assertThat(told.sanction().reason()).isEqualTo("please cool down");
            assertThat(told.sanction().until()).isNotNull();
            ServerMessage.Error refused = member.awaitError(send(member, "diabetes", "s1"));
            assertThat(refused.code()).isEqualTo("sanctioned");
            assertThat(refused.message()).contains("please cool down");

            moderator.send("{\"type\":\"lift_sanction\",\"ref\":\"l\",\"sanctionId\":\"" + timeout.sanctionId()
                    + "\",\"reason\":\"apologised\"}");
            moderator.await(ServerMessage.SanctionLifted.class, l -> "l".equals(l.ref()));
            member.await(ServerMessage.SanctionLifted.class, l -> true);
            String again = send(member, "diabetes", "s2");
            member.await(ServerMessage.Ack.class, a -> again.equals(a.ref()));

            moderator.send("{\"type\":\"audit_log\",\"ref\":\"log\"}");
            assertThat(moderator
                            .await(ServerMessage.AuditEntries.class, e -> "log".equals(e.ref()))
                            .entries())
                    .extracting(ServerMessage.AuditEntry::action)
                    .contains("sanction_applied", "sanction_lifted");
        }
    }

    @Test
    void aRoomBanTakesTheMemberOutOfTheRoomAndKeepsItOut() throws Exception {
        try (RawClient moderator = RawClient.signedIn(node.ws(), node.token("Mod", Role.MODERATOR));
                RawClient member = joined("Troll", Role.MEMBER, "anxiety");
                RawClient other = joined("Kind", Role.MEMBER, "anxiety")) {
            sanction(
                    moderator,
                    "{\"type\":\"sanction\",\"ref\":\"x\",\"userId\":\"" + member.userId() + "\",\"kind\":\"room_ban\","
                            + "\"room\":\"anxiety\",\"reason\":\"harassment\"}");
            member.await(ServerMessage.Sanctioned.class, s -> true);
            other.await(
                    ServerMessage.PresenceLeft.class, p -> p.user().pseudonym().equals("Troll"));

            send(other, "anxiety", "o1");
            other.await(ServerMessage.Ack.class, a -> "o1".equals(a.ref()));
            await().during(Duration.ofMillis(300))
                    .until(() ->
                            member.received(ServerMessage.ChatMessage.class).isEmpty());
            member.send("{\"type\":\"join\",\"ref\":\"again\",\"room\":\"anxiety\"}");
            assertThat(member.awaitError("again").code()).isEqualTo("sanctioned");
            member.send("{\"type\":\"join\",\"ref\":\"elsewhere\",\"room\":\"diabetes\"}");
            member.await(ServerMessage.Joined.class, j -> "elsewhere".equals(j.ref()));
        }
    }

    @Test
    void aServiceBanClosesTheMembersConnectionsAndRefusesItsReturn() throws Exception {
        try (RawClient moderator = RawClient.signedIn(node.ws(), node.token("Mod", Role.MODERATOR));
                RawClient phone = RawClient.signedIn(node.ws(), node.token("Banned"));
                RawClient laptop = RawClient.signedIn(node.ws(), node.token("Banned"))) {
            sanction(
                    moderator,
                    "{\"type\":\"sanction\",\"ref\":\"x\",\"userId\":\"" + phone.userId()
                            + "\",\"kind\":\"service_ban\"," + "\"reason\":\"repeated threats\"}");

            assertThat(phone.awaitClose()).isEqualTo(4102);
            assertThat(laptop.awaitClose()).isEqualTo(4102);
            assertThat(phone.received(ServerMessage.Sanctioned.class)).hasSize(1);
            try (RawClient back = RawClient.connect(node.ws())) {
                back.send("{\"type\":\"hello\",\"ref\":\"h\",\"token\":\"" + node.token("Banned") + "\"}");
                assertThat(back.awaitError("h").code()).isEqualTo("sanctioned");
                assertThat(back.awaitClose()).isEqualTo(4102);
            }
        }
    }

    @Test
    void aRestrictedMemberReadsRoomsButCannotPost() throws Exception {
        try (RawClient moderator = RawClient.signedIn(node.ws(), node.token("Mod", Role.MODERATOR));
                RawClient member = joined("New", Role.MEMBER, "caregivers")) {
            sanction(
                    moderator,
                    "{\"type\":\"sanction\",\"ref\":\"x\",\"userId\":\"" + member.userId() + "\",\"kind\":\"restrict\","
                            + "\"reason\":\"spam links\",\"durationSeconds\":3600}");
            member.await(ServerMessage.Sanctioned.class, s -> true);

            assertThat(member.awaitError(send(member, "caregivers", "s1")).code())
                    .isEqualTo("sanctioned");
            member.send("{\"type\":\"history\",\"ref\":\"h\",\"room\":\"caregivers\"}");
            member.await(ServerMessage.History.class, h -> "h".equals(h.ref()));
        }
    }

    @Test
    void onlyModeratorsSanction() throws Exception {
        try (RawClient member = RawClient.signedIn(node.ws(), node.token("Vigilante"))) {
            member.send("{\"type\":\"sanction\",\"ref\":\"x\",\"userId\":\"dev:someone\",\"kind\":\"warn\","
                    + "\"reason\":\"I said so\"}");
            assertThat(member.awaitError("x").code()).isEqualTo("forbidden");
        }
    }
}
