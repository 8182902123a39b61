package org.kindred.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kindred.protocol.ServerMessage;
import org.kindred.server.config.RedisConfig;
import org.kindred.server.redis.RedisExtension;
import org.kindred.server.testing.RawClient;
import org.kindred.server.testing.TestCluster;

/** Alerts and reports reach moderators on every node; the first acknowledgement wins cluster-wide. */
class ClusterSafetyIT {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    private TestCluster cluster;

    @BeforeEach
    void start() throws Exception {
        REDIS.flushAll();
        List<org.kindred.server.config.RoomConfig> rooms = new ArrayList<>(
                org.kindred.server.config.KindredConfig.defaults().rooms());
        rooms.add(new org.kindred.server.config.RoomConfig(
                "meds",
                "Medication",
                "",
                List.of(),
                java.util.Set.of(),
                java.util.Set.of(org.kindred.server.config.RoomRule.HOLD_DOSES)));
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

    @Test
    void aRefusedCrisisOnOneNodeAlertsAModeratorOnAnotherAndTheAuthorIsToldModeratorsKnow() throws Exception {
        RawClient moderator = client(1, "Mod", "moderator");
        RawClient member = client(0, "Loud", "member");
        member.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"depression\"}");
        member.await(ServerMessage.Joined.class, j -> true);
        moderator.send("{\"type\":\"sanction\",\"ref\":\"x\",\"userId\":\"" + TestCluster.userId("Loud")
                + "\",\"kind\":\"timeout\"," + "\"reason\":\"cool down\",\"durationSeconds\":600}");
        member.await(ServerMessage.Sanctioned.class, s -> true);

        // Node 0 hears of node 1's moderator within seconds; until then the words honestly say nobody is connected.
        int[] attempt = {0};
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    String id = "c" + attempt[0]++;
                    member.send("{\"type\":\"send\",\"ref\":\"" + id + "\",\"room\":\"depression\",\"clientMsgId\":\""
                            + id + "\",\"text\":\"i want to kill myself\"}");
                    assertThat(member.awaitError(id).code()).isEqualTo("sanctioned");
                    assertThat(member.received(ServerMessage.CrisisSupport.class)
                                    .getLast()
                                    .told())
                            .containsExactly("moderators");
                });

        ServerMessage.Alert alert = moderator.await(ServerMessage.Alert.class, a -> true);
        assertThat(alert.source()).isEqualTo("refused");
        assertThat(alert.message().author().pseudonym()).isEqualTo("Loud");
    }

    @Test
    void anUnacknowledgedAlertEscalatesOnceAcrossTheCluster() throws Exception {
        cluster.close();
        cluster = TestCluster.start(
                3,
                RedisConfig.standalone(REDIS.uri()).withNodeTimeout(Duration.ofSeconds(3)),
                c -> c.ratePerSecond(1000).rateBurst(1000).escalateAfter(Duration.ofSeconds(1)));
        RawClient moderator = client(1, "Mod", "moderator");
        RawClient member = client(0, "Sad", "member");
        member.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"depression\"}");
        member.await(ServerMessage.Joined.class, j -> true);

        member.send("{\"type\":\"send\",\"ref\":\"s\",\"room\":\"depression\",\"clientMsgId\":\"c1\","
                + "\"text\":\"i want to kill myself\"}");

        ServerMessage.Alert escalated = moderator.await(
                ServerMessage.Alert.class, a -> Integer.valueOf(1).equals(a.escalation()));
        org.awaitility.Awaitility.await()
                .during(Duration.ofMillis(2500))
                .atMost(Duration.ofSeconds(5))
                .until(() -> moderator.received(ServerMessage.Alert.class).stream()
                                .filter(a -> Integer.valueOf(1).equals(a.escalation()))
                                .count()
                        == 1);
        assertThat(escalated.message().author().pseudonym()).isEqualTo("Sad");
    }

    @Test
    void aCrisisOnOneNodeAlertsModeratorsOnOthersAndTheFirstAcknowledgementWins() throws Exception {
        RawClient first = client(1, "First Mod", "moderator");
        RawClient second = client(2, "Second Mod", "moderator");
        RawClient member = client(0, "Sam", "member");
        member.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"depression\"}");
        member.await(ServerMessage.Joined.class, j -> true);

        member.send("{\"type\":\"send\",\"ref\":\"s\",\"room\":\"depression\",\"clientMsgId\":\"c1\","
                + "\"text\":\"i want to kill myself\"}");

        member.await(ServerMessage.CrisisSupport.class, c -> true);
        ServerMessage.Alert alert = first.await(ServerMessage.Alert.class, a -> true);
        second.await(ServerMessage.Alert.class, a -> a.alertId().equals(alert.alertId()));
        String ack = "{\"type\":\"ack_alert\",\"ref\":\"k\",\"alertId\":\"" + alert.alertId() + "\"}";
        first.send(ack);
        second.send(ack);
        ServerMessage.AlertAcked byFirst = first.await(ServerMessage.AlertAcked.class, a -> "k".equals(a.ref()));
        ServerMessage.AlertAcked bySecond = second.await(ServerMessage.AlertAcked.class, a -> "k".equals(a.ref()));
        assertThat(List.of(byFirst.first(), bySecond.first())).containsExactlyInAnyOrder(true, false);
        assertThat(byFirst.by()).isEqualTo(bySecond.by());
    }

    @Test
    void aModeratorSigningInLaterListsTheAlertsNobodyAcknowledgedOnAnyNode() throws Exception {
        RawClient member = client(0, "Sam", "member");
        member.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"depression\"}");
        member.await(ServerMessage.Joined.class, j -> true);
        member.send("{\"type\":\"send\",\"ref\":\"s\",\"room\":\"depression\",\"clientMsgId\":\"c1\","
                + "\"text\":\"i want to kill myself\"}");
        member.await(ServerMessage.Ack.class, a -> "s".equals(a.ref()));

        RawClient late = client(1, "Late Mod", "moderator"); // nobody was there to hear the alert
        late.send(new org.kindred.protocol.ClientMessage.ListAlerts("l1"));
        ServerMessage.Alerts missed = (ServerMessage.Alerts) late.awaitReply("l1");
        assertThat(missed.alerts())
                .singleElement()
                .satisfies(alert ->
                        assertThat(alert.message().author().pseudonym()).isEqualTo("Sam"));

        RawClient other = client(2, "Other Mod", "moderator");
        other.send("{\"type\":\"ack_alert\",\"ref\":\"k\",\"alertId\":\""
                + missed.alerts().get(0).alertId() + "\"}");
        other.await(ServerMessage.AlertAcked.class, a -> "k".equals(a.ref()));
        late.send(new org.kindred.protocol.ClientMessage.ListAlerts("l2"));
        assertThat(((ServerMessage.Alerts) late.awaitReply("l2")).alerts()).isEmpty();
        member.send(new org.kindred.protocol.ClientMessage.ListAlerts("l3"));
        assertThat(member.awaitError("l3").code()).isEqualTo("forbidden");
    }

    @Test
    void aReportFiledOnOneNodeIsListedAndResolvedOnAnother() throws Exception {
        RawClient moderator = client(2, "Mod", "moderator");
        RawClient author = client(0, "Author", "member");
        RawClient reporter = client(1, "Reporter", "member");
        for (RawClient c : List.of(author, reporter)) {
            c.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"caregivers\"}");
            c.await(ServerMessage.Joined.class, j -> true);
        }
        author.send(
                "{\"type\":\"send\",\"ref\":\"s\",\"room\":\"caregivers\",\"clientMsgId\":\"c1\",\"text\":\"buy now\"}");
        author.await(ServerMessage.Ack.class, a -> true);

        reporter.send("{\"type\":\"report\",\"ref\":\"r\",\"room\":\"caregivers\",\"seq\":1,\"category\":\"spam\"}");
        String reportId =
                reporter.await(ServerMessage.ReportReceived.class, r -> true).reportId();

        assertThat(moderator
                        .await(ServerMessage.ReportFiled.class, f -> true)
                        .report()
                        .reportId())
                .isEqualTo(reportId);
        moderator.send("{\"type\":\"resolve_report\",\"ref\":\"res\",\"reportId\":\"" + reportId
                + "\",\"resolution\":\"removed\"}");
        moderator.await(ServerMessage.ReportResolved.class, r -> "res".equals(r.ref()));
        moderator.send("{\"type\":\"audit_log\",\"ref\":\"log\"}");
        assertThat(moderator
                        .await(ServerMessage.AuditEntries.class, e -> "log".equals(e.ref()))
                        .entries())
                .extracting(ServerMessage.AuditEntry::action)
                .contains("report_filed", "report_resolved");
    }

    @Test
    void sanctionsAppliedOnOneNodeAreEnforcedOnTheOthersWithinASecond() throws Exception {
        RawClient moderator = client(2, "Mod", "moderator");
        RawClient loud = client(0, "Loud", "member");
        RawClient banned = client(1, "Banned", "member");
        loud.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"diabetes\"}");
        loud.await(ServerMessage.Joined.class, j -> true);

        moderator.send("{\"type\":\"sanction\",\"ref\":\"t\",\"userId\":\"" + TestCluster.userId("Loud")
                + "\",\"kind\":\"timeout\"," + "\"reason\":\"cool down\",\"durationSeconds\":120}");
        moderator.send("{\"type\":\"sanction\",\"ref\":\"b\",\"userId\":\"" + TestCluster.userId("Banned")
                + "\",\"kind\":\"service_ban\"," + "\"reason\":\"threats\"}");
        moderator.await(ServerMessage.Sanctioned.class, s -> "t".equals(s.ref()));
        moderator.await(ServerMessage.Sanctioned.class, s -> "b".equals(s.ref()));

        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(1))
                .until(() -> !loud.received(ServerMessage.Sanctioned.class).isEmpty());
        loud.send("{\"type\":\"send\",\"ref\":\"s\",\"room\":\"diabetes\",\"clientMsgId\":\"c\",\"text\":\"x\"}");
        assertThat(loud.awaitError("s").code()).isEqualTo("sanctioned");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(1)).until(banned::isClosed);
        assertThat(banned.awaitClose()).isEqualTo(4102);

        try (RawClient back = RawClient.connect(cluster.node(0).webSocketUri())) {
            back.send("{\"type\":\"hello\",\"ref\":\"h\",\"token\":\"" + TestCluster.token("Banned") + "\"}");
            assertThat(back.awaitError("h").code()).isEqualTo("sanctioned");
        }
    }

    @Test
    void aBlockOnOneNodeHidesBothWaysOnTheOthersAndADeletionReachesEveryone() throws Exception {
        RawClient ana = client(0, "Ana", "member");
        RawClient pest = client(1, "Pest", "member");
        RawClient witness = client(2, "Witness", "member");
        RawClient moderator = client(2, "Mod", "moderator");
        for (RawClient c : List.of(ana, pest, witness)) {
            c.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"anxiety\"}");
            c.await(ServerMessage.Joined.class, j -> true);
        }
        ana.send("{\"type\":\"block\",\"ref\":\"b\",\"userId\":\"" + TestCluster.userId("Pest") + "\"}");
        ana.await(ServerMessage.Done.class, d -> "b".equals(d.ref()));
        moderator.await(ServerMessage.ReportFiled.class, f -> true);

        pest.send("{\"type\":\"send\",\"ref\":\"p\",\"room\":\"anxiety\",\"clientMsgId\":\"p1\",\"text\":\"psst\"}");
        ana.send("{\"type\":\"send\",\"ref\":\"a\",\"room\":\"anxiety\",\"clientMsgId\":\"a1\",\"text\":\"hi all\"}");
        witness.await(ServerMessage.ChatMessage.class, m -> m.text().equals("psst"));
        witness.await(ServerMessage.ChatMessage.class, m -> m.text().equals("hi all"));
        pest.await(ServerMessage.Ack.class, a -> "p".equals(a.ref()));
        ana.await(ServerMessage.Ack.class, a -> "a".equals(a.ref()));
        assertThat(ana.received(ServerMessage.ChatMessage.class))
                .extracting(ServerMessage.ChatMessage::text)
                .containsExactly("hi all");
        assertThat(pest.received(ServerMessage.ChatMessage.class))
                .extracting(ServerMessage.ChatMessage::text)
                .containsExactly("psst");

        moderator.send("{\"type\":\"delete_message\",\"ref\":\"d\",\"room\":\"anxiety\",\"seq\":1,"
                + "\"reason\":\"harassment\"}");
        moderator.await(ServerMessage.Done.class, d -> "d".equals(d.ref()));
        witness.await(ServerMessage.MessageDeleted.class, m -> m.seq() == 1);
        pest.await(ServerMessage.MessageDeleted.class, m -> m.seq() == 1);
        witness.send("{\"type\":\"history\",\"ref\":\"h\",\"room\":\"anxiety\"}");
        assertThat(witness.await(ServerMessage.History.class, h -> "h".equals(h.ref()))
                        .messages())
                .extracting(ServerMessage.ChatMessage::isDeleted)
                .containsExactly(true, false);
    }

    @Test
    void aMessageHeldOnOneNodeIsApprovedOnAnotherAndPostedForAll() throws Exception {
        RawClient author = client(0, "Asker", "member");
        RawClient moderator = client(1, "Mod", "moderator");
        RawClient reader = client(2, "Reader", "member");
        for (RawClient c : List.of(author, reader)) {
            c.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"meds\"}");
            c.await(ServerMessage.Joined.class, j -> true);
        }
        author.send("{\"type\":\"send\",\"ref\":\"s\",\"room\":\"meds\",\"clientMsgId\":\"d1\","
                + "\"text\":\"10 units of insulin before meals?\"}");
        assertThat(author.awaitError("s").code()).isEqualTo("held_for_review");
        ServerMessage.HeldMessage held = moderator.await(ServerMessage.HeldMessage.class, h -> true);

        moderator.send(
                "{\"type\":\"review_held\",\"ref\":\"r\",\"heldId\":\"" + held.heldId() + "\",\"approve\":true}");

        assertThat(reader.await(ServerMessage.ChatMessage.class, m -> true).clientMsgId())
                .isEqualTo("d1");
    }
}
