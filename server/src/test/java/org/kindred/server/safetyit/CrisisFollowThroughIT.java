package org.kindred.server.safetyit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kindred.protocol.CrisisResource;
import org.kindred.protocol.ServerMessage;
import org.kindred.server.identity.Role;
import org.kindred.server.testing.FakeTime;
import org.kindred.server.testing.RawClient;
import org.kindred.server.testing.TestNode;

/**
 * Everything a member writes is screened, whatever happens to it next: a refused message, a support request's note,
 * a report's comment, a mentor's note that reads like a crisis sends its author the crisis lines and alerts the
 * people who can help, and the refusal stands. Over real sockets, on one node.
 */
class CrisisFollowThroughIT {

    private static final String CRISIS = "I want to kill myself";

    private TestNode node;

    @BeforeEach
    void start() throws Exception {
        node = TestNode.start(c -> c.ratePerSecond(1000).rateBurst(1000).maxTextLength(200));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private RawClient joined(TestNode on, String pseudonym, Role role, String room) throws Exception {
        RawClient client = RawClient.signedIn(on.ws(), on.token(pseudonym, role));
        client.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"" + room + "\"}");
        client.await(ServerMessage.Joined.class, j -> true);
        return client;
    }

    private static void send(RawClient client, String room, String ref, String text) {
        client.send("{\"type\":\"send\",\"ref\":\"" + ref + "\",\"room\":\"" + room + "\",\"clientMsgId\":\"" + ref
                + "\",\"text\":\"" + text + "\"}");
    }

    /** The author hears first (crisis support, then the refusal); the moderator is alerted about the unposted text. */
    private static ServerMessage.Alert refusedButAlerted(
            RawClient author, RawClient moderator, String ref, String code) {
        ServerMessage.Error refused = author.awaitError(ref);
        assertThat(refused.code()).isEqualTo(code);
        List<ServerMessage> toAuthor = author.received();
        int support = indexOf(toAuthor, ServerMessage.CrisisSupport.class);
        assertThat(support).as("crisis support before the refusal").isBetween(0, toAuthor.indexOf(refused) - 1);
        ServerMessage.CrisisSupport help = (ServerMessage.CrisisSupport) toAuthor.get(support);
        assertThat(help.source()).isEqualTo("refused");
        assertThat(help.told()).contains("moderators");
        assertThat(help.resources()).extracting(CrisisResource::contact).anyMatch(c -> c.contains("988"));
        ServerMessage.Alert alert = moderator.await(ServerMessage.Alert.class, a -> true);
        assertThat(alert.source()).isEqualTo("refused");
        assertThat(alert.message().seq()).isZero();
        assertThat(alert.message().text()).startsWith(CRISIS);
        return alert;
    }

    @Test
    void aTimedOutMemberWritingACrisisIsRefusedButGetsTheLinesAndModeratorsAreAlerted() throws Exception {
        try (RawClient moderator = RawClient.signedIn(node.ws(), node.token("Mod", Role.MODERATOR));
                RawClient member = joined(node, "Loud", Role.MEMBER, "depression")) {
            moderator.send("{\"type\":\"sanction\",\"ref\":\"x\",\"userId\":\"" + member.userId()
                    + "\",\"kind\":\"timeout\"," + "\"reason\":\"cool down\",\"durationSeconds\":600}");
            member.await(ServerMessage.Sanctioned.class, s -> true);

            send(member, "depression", "s1", CRISIS);

            refusedButAlerted(member, moderator, "s1", "sanctioned");
            member.send("{\"type\":\"history\",\"ref\":\"h\",\"room\":\"depression\"}");
            assertThat(member.await(ServerMessage.History.class, h -> "h".equals(h.ref()))
                            .messages())
                    .as("the refusal stands: nothing was posted")
                    .isEmpty();
        }
    }

    @Test
    void aCrisisOverTheLengthLimitIsRefusedButGetsTheLines() throws Exception {
        try (RawClient moderator = RawClient.signedIn(node.ws(), node.token("Mod", Role.MODERATOR));
                RawClient member = joined(node, "Long", Role.MEMBER, "depression")) {
            send(member, "depression", "long", CRISIS + " " + "and nobody listens ".repeat(20));

            refusedButAlerted(member, moderator, "long", "text_too_long");
        }
    }

    @Test
    void aNewMemberPostingALinkWithACrisisIsRefusedButAlertedAndARetryRaisesNothingMore() throws Exception {
        try (TestNode strict = TestNode.start(c -> c.newMemberPeriod(Duration.ofDays(7)));
                RawClient moderator = RawClient.signedIn(strict.ws(), strict.token("Mod", Role.MODERATOR));
                RawClient newcomer = joined(strict, "Newcomer", Role.MEMBER, "depression")) {
            send(newcomer, "depression", "link", CRISIS + ", read www.my-goodbye.example");

            ServerMessage.Alert alert = refusedButAlerted(newcomer, moderator, "link", "forbidden");

            send(newcomer, "depression", "link", CRISIS + ", read www.my-goodbye.example");
            await().until(() -> newcomer.received(ServerMessage.Error.class).size() == 2);
            assertThat(newcomer.received(ServerMessage.CrisisSupport.class)).hasSize(1);
            assertThat(moderator.received(ServerMessage.Alert.class))
                    .extracting(ServerMessage.Alert::alertId)
                    .containsExactly(alert.alertId());
        }
    }

    @Test
    void aCrisisWrittenWhileNobodyWhoCanHelpIsConnectedSaysSoAndGivesTheLinesFirst() throws Exception {
        try (RawClient member = joined(node, "Alone", Role.MEMBER, "depression")) {
            send(member, "depression", "m1", CRISIS);

            ServerMessage.CrisisSupport help = member.await(ServerMessage.CrisisSupport.class, s -> true);
            assertThat(help.told()).isEmpty();
            assertThat(help.message()).startsWith("Please contact one of these lines now");
            member.await(ServerMessage.Ack.class, a -> "m1".equals(a.ref()));

            try (RawClient moderator = RawClient.signedIn(node.ws(), node.token("Mod", Role.MODERATOR))) {
                moderator.send("{\"type\":\"list_alerts\",\"ref\":\"l\"}");
                assertThat(moderator
                                .await(ServerMessage.Alerts.class, a -> "l".equals(a.ref()))
                                .alerts())
                        .as("the alert waits for the first moderator")
                        .hasSize(1);
            }
        }
    }

    @Test
    void aSupportRequestWithACrisisNoteGetsTheLinesAtOnceAnAlertAndAnUrgentOffer() throws Exception {
        try (RawClient moderator = RawClient.signedIn(node.ws(), node.token("Mod", Role.MODERATOR));
                RawClient mentor = RawClient.signedIn(node.ws(), node.token("Sam", Role.MENTOR));
                RawClient member = RawClient.signedIn(node.ws(), node.token("Robin"))) {
            mentor.send("{\"type\":\"set_availability\",\"ref\":\"a\",\"available\":true,"
                    + "\"conditions\":[\"diabetes\"],\"languages\":[\"en\"]}");
            mentor.await(ServerMessage.Availability.class, a -> true);

            member.send("{\"type\":\"request_support\",\"ref\":\"q\",\"condition\":\"diabetes\",\"language\":\"en\","
                    + "\"note\":\"" + CRISIS + "\"}");

            member.await(ServerMessage.SupportQueued.class, q -> "q".equals(q.ref()));
            List<ServerMessage> toMember = member.received();
            int help = indexOf(toMember, ServerMessage.CrisisSupport.class);
            assertThat(help)
                    .as("crisis support before support_queued")
                    .isBetween(0, indexOf(toMember, ServerMessage.SupportQueued.class) - 1);
            assertThat(((ServerMessage.CrisisSupport) toMember.get(help)).source())
                    .isEqualTo("support_request");
            ServerMessage.Alert alert = moderator.await(ServerMessage.Alert.class, a -> true);
            assertThat(alert.source()).isEqualTo("support_request");
            assertThat(alert.message().author().pseudonym()).isEqualTo("Robin");
            assertThat(mentor.await(ServerMessage.SupportOffer.class, o -> true).urgent())
                    .isTrue();
        }
    }

    @Test
    void aReportCommentAndAMentorNoteThatReadLikeACrisisAlertModerators() throws Exception {
        try (RawClient moderator = RawClient.signedIn(node.ws(), node.token("Mod", Role.MODERATOR));
                RawClient author = joined(node, "Quiet", Role.MEMBER, "depression");
                RawClient reporter = joined(node, "Friend", Role.MEMBER, "depression");
                RawClient mentor = RawClient.signedIn(node.ws(), node.token("Sam", Role.MENTOR))) {
            send(author, "depression", "a1", "goodbye everyone");
            author.await(ServerMessage.Ack.class, a -> true);

            reporter.send("{\"type\":\"report\",\"ref\":\"r\",\"room\":\"depression\",\"seq\":1,"
                    + "\"category\":\"other\",\"comment\":\"they told me: i want to kill myself\"}");
            reporter.await(ServerMessage.ReportReceived.class, r -> "r".equals(r.ref()));
            ServerMessage.CrisisSupport toReporter = reporter.await(ServerMessage.CrisisSupport.class, s -> true);
            assertThat(toReporter.source()).isEqualTo("report");
            assertThat(toReporter.message()).startsWith("If you, or someone you are talking with, may be in danger");
            assertThat(moderator
                            .await(ServerMessage.Alert.class, a -> "report".equals(a.source()))
                            .message()
                            .room())
                    .isEqualTo("depression");

            mentor.send("{\"type\":\"mentor_note\",\"ref\":\"n\",\"sessionId\":\"s-unknown\","
                    + "\"note\":\"she said: i want to end my life\"}");
            mentor.awaitReply("n");
            assertThat(moderator
                            .await(ServerMessage.Alert.class, a -> "mentor_note".equals(a.source()))
                            .message()
                            .author()
                            .pseudonym())
                    .isEqualTo("Sam");
        }
    }

    @Test
    void anAlertNobodyAcknowledgesEscalatesToModeratorsAndExperiencedMentorsOnTheFakeClock() throws Exception {
        FakeTime time = new FakeTime();
        try (TestNode timed = TestNode.start(c -> c.ratePerSecond(1000).rateBurst(1000), time);
                RawClient moderator = RawClient.signedIn(timed.ws(), timed.token("Mod", Role.MODERATOR));
                RawClient member = joined(timed, "Sad", Role.MEMBER, "depression")) {
            send(member, "depression", "m1", CRISIS);
            ServerMessage.Alert alert = moderator.await(ServerMessage.Alert.class, a -> true);

            time.advance(Duration.ofMinutes(2));

            ServerMessage.Alert escalated = moderator.await(
                    ServerMessage.Alert.class, a -> Integer.valueOf(1).equals(a.escalation()));
            assertThat(escalated.alertId()).isEqualTo(alert.alertId());
            moderator.send("{\"type\":\"audit_log\",\"ref\":\"log\"}");
            assertThat(moderator
                            .await(ServerMessage.AuditEntries.class, e -> "log".equals(e.ref()))
                            .entries())
                    .extracting(ServerMessage.AuditEntry::action)
                    .contains("alert_escalated");
            assertThat(timed.management("/metrics").body())
                    .contains("kindred_safety_alert_escalations_total{level=\"1\"} 1.0");
        }
    }

    private static int indexOf(List<ServerMessage> messages, Class<?> type) {
        for (int i = 0; i < messages.size(); i++) {
            if (type.isInstance(messages.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
