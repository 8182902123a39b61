package org.kindred.server.safetyit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kindred.protocol.ClientMessage;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.AuditEntry;
import org.kindred.server.config.RoomConfig;
import org.kindred.server.config.RoomRule;
import org.kindred.server.identity.Role;
import org.kindred.server.testing.RawClient;
import org.kindred.server.testing.TestNode;

/**
 * Moderators work from queues: held messages, mentors' notes, low ratings, sanctions in force, a member's history
 * and appeals, each paged and refused to everyone else, each reading recorded in the audit log; a sanctioned member
 * appeals once and hears the decision; a reporter hears, neutrally, that its report was dealt with. Over real
 * sockets, on one node.
 */
class ModeratorQueuesIT {

    private TestNode node;

    @BeforeEach
    void start() throws Exception {
        List<RoomConfig> rooms = List.of(
                new RoomConfig("meds", "Medication questions", "", List.of(), Set.of(), Set.of(RoomRule.HOLD_DOSES)),
                new RoomConfig("talk", "Talk", "", List.of(), Set.of(), Set.of()));
        node = TestNode.start(c -> c.rooms(rooms).ratePerSecond(1000).rateBurst(1000));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private RawClient moderator() throws Exception {
        return RawClient.signedIn(node.ws(), node.token("Mod", Role.MODERATOR));
    }

    private RawClient joined(String pseudonym, Role role, String room) throws Exception {
        RawClient client = RawClient.signedIn(node.ws(), node.token(pseudonym, role));
        client.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"" + room + "\"}");
        client.await(ServerMessage.Joined.class, j -> true);
        return client;
    }

    @SuppressWarnings("unchecked")
    private static <T extends ServerMessage> T reply(RawClient client, ClientMessage command, Class<T> type) {
        client.send(command);
        ServerMessage reply = client.awaitReply(command.ref());
        assertThat(reply).as("reply to %s", command).isInstanceOf(type);
        return (T) reply;
    }

    private static List<AuditEntry> audit(RawClient moderator, String ref) {
        return reply(moderator, new ClientMessage.ReadAudit(ref, 1000), ServerMessage.AuditEntries.class)
                .entries();
    }

    @Test
    void everyQueueIsRefusedToAnyoneButAModerator() throws Exception {
        try (RawClient mentor = RawClient.signedIn(node.ws(), node.token("Mentor", Role.MENTOR))) {
            List<ClientMessage> moderatorsOnly = List.of(
                    new ClientMessage.ListHeld("1", null, null),
                    new ClientMessage.ListNotes("2", null, null),
                    new ClientMessage.ListRatings("3", null, null, null),
                    new ClientMessage.ListSanctions("4", null, null, null),
                    new ClientMessage.MemberHistory("5", "dev:someone", null, null, null, null, null),
                    new ClientMessage.ListAppeals("6", null, null),
                    new ClientMessage.DecideAppeal("7", "ap-1", true, null),
                    new ClientMessage.CheckIn("8", "a-1"));
            for (ClientMessage command : moderatorsOnly) {
                mentor.send(command);
                assertThat(mentor.awaitError(command.ref()).code())
                        .as("%s", command)
                        .isEqualTo("forbidden");
            }
        }
    }

    @Test
    void heldMessagesAreListedOldestFirstOnePageAtATimeAndTheReadingIsAudited() throws Exception {
        try (RawClient moderator = moderator();
                RawClient author = joined("Asker", Role.MEMBER, "meds")) {
            for (int i = 1; i <= 3; i++) {
                author.send("{\"type\":\"send\",\"ref\":\"s" + i + "\",\"room\":\"meds\",\"clientMsgId\":\"dose-" + i
                        + "\",\"text\":\"I take " + i + "00 mg of metformin\"}");
                assertThat(author.awaitError("s" + i).code()).isEqualTo("held_for_review");
            }

            ServerMessage.HeldMessages first =
                    reply(moderator, new ClientMessage.ListHeld("p1", null, 2), ServerMessage.HeldMessages.class);
            assertThat(first.held())
                    .extracting(ServerMessage.HeldMessage::clientMsgId)
                    .containsExactly("dose-1", "dose-2");
            assertThat(first.nextCursor()).isNotNull();
            ServerMessage.HeldMessages second = reply(
                    moderator,
                    new ClientMessage.ListHeld("p2", first.nextCursor(), 2),
                    ServerMessage.HeldMessages.class);
            assertThat(second.held())
                    .extracting(ServerMessage.HeldMessage::clientMsgId)
                    .containsExactly("dose-3");
            assertThat(second.nextCursor()).isNull();

            moderator.send(new ClientMessage.ReviewHeld("r", first.held().get(0).heldId(), false, null));
            moderator.awaitReply("r");
            assertThat(reply(moderator, new ClientMessage.ListHeld("p3", null, null), ServerMessage.HeldMessages.class)
                            .held())
                    .as("a reviewed message leaves the queue")
                    .extracting(ServerMessage.HeldMessage::clientMsgId)
                    .containsExactly("dose-2", "dose-3");

            assertThat(audit(moderator, "a"))
                    .filteredOn(e -> e.action().equals("queue_read"))
                    .extracting(AuditEntry::subject, AuditEntry::reason)
                    .contains(
                            org.assertj.core.groups.Tuple.tuple("list_held", "2 item(s)"),
                            org.assertj.core.groups.Tuple.tuple("list_held", "1 item(s)"));
        }
    }

    @Test
    void aCursorTheServerDidNotGiveIsRefused() throws Exception {
        try (RawClient moderator = moderator()) {
            moderator.send(new ClientMessage.ListHeld("bad", "not-a-cursor", null));
            ServerMessage.Error error = moderator.awaitError("bad");
            assertThat(error.code()).isEqualTo("invalid_field");
            assertThat(error.message()).contains("cursor");
        }
    }

    @Test
    void sanctionsInForceAreListedPagedAndALiftedOneIsGone() throws Exception {
        try (RawClient moderator = moderator()) {
            for (String who : List.of("one", "two", "three")) {
                reply(
                        moderator,
                        new ClientMessage.Sanction("s-" + who, "dev:" + who, "timeout", null, "cool down", 600L),
                        ServerMessage.Sanctioned.class);
            }
            reply(
                    moderator,
                    new ClientMessage.Sanction("w", "dev:one", "warn", null, "be kind", null),
                    ServerMessage.Sanctioned.class);

            ServerMessage.Sanctions page = reply(
                    moderator, new ClientMessage.ListSanctions("l1", null, null, 2), ServerMessage.Sanctions.class);
            assertThat(page.sanctions())
                    .extracting(ServerMessage.SanctionInfo::userId)
                    .containsExactly("dev:one", "dev:two");
            ServerMessage.Sanctions rest = reply(
                    moderator,
                    new ClientMessage.ListSanctions("l2", null, page.nextCursor(), 2),
                    ServerMessage.Sanctions.class);
            assertThat(rest.sanctions())
                    .extracting(ServerMessage.SanctionInfo::userId)
                    .containsExactly("dev:three");
            assertThat(rest.nextCursor()).isNull();

            reply(
                    moderator,
                    new ClientMessage.LiftSanction(
                            "lift", page.sanctions().get(1).sanctionId(), null),
                    ServerMessage.SanctionLifted.class);
            assertThat(reply(
                                    moderator,
                                    new ClientMessage.ListSanctions("l3", null, null, null),
                                    ServerMessage.Sanctions.class)
                            .sanctions())
                    .extracting(ServerMessage.SanctionInfo::userId)
                    .containsExactly("dev:one", "dev:three");
            assertThat(reply(
                                    moderator,
                                    new ClientMessage.ListSanctions("l4", "dev:one", null, null),
                                    ServerMessage.Sanctions.class)
                            .sanctions())
                    .as("one member's, warnings not in force")
                    .extracting(ServerMessage.SanctionInfo::kind)
                    .containsExactly("timeout");
        }
    }

    @Test
    void aMembersHistoryIsFilteredByActionAndTimeNewestFirst() throws Exception {
        try (RawClient moderator = moderator()) {
            reply(
                    moderator,
                    new ClientMessage.Sanction("w", "dev:casey", "warn", null, "be kind", null),
                    ServerMessage.Sanctioned.class);
            ServerMessage.SanctionInfo timeout = reply(
                            moderator,
                            new ClientMessage.Sanction("t", "dev:casey", "timeout", null, "cool down", 600L),
                            ServerMessage.Sanctioned.class)
                    .sanction();
            reply(
                    moderator,
                    new ClientMessage.LiftSanction("l", timeout.sanctionId(), "apologised"),
                    ServerMessage.SanctionLifted.class);
            reply(
                    moderator,
                    new ClientMessage.Sanction("o", "dev:other", "warn", null, "be kind", null),
                    ServerMessage.Sanctioned.class);

            ServerMessage.MemberHistoryPage all = reply(
                    moderator,
                    new ClientMessage.MemberHistory("h1", "dev:casey", null, null, null, null, 2),
                    ServerMessage.MemberHistoryPage.class);
            assertThat(all.entries())
                    .extracting(AuditEntry::action)
                    .containsExactly("sanction_lifted", "sanction_applied");
            ServerMessage.MemberHistoryPage older = reply(
                    moderator,
                    new ClientMessage.MemberHistory("h2", "dev:casey", null, null, null, all.nextCursor(), 2),
                    ServerMessage.MemberHistoryPage.class);
            assertThat(older.entries()).extracting(AuditEntry::action).containsExactly("sanction_applied");
            assertThat(older.entries().get(0).reason()).startsWith("warn");
            assertThat(older.nextCursor()).isNull();

            assertThat(reply(
                                    moderator,
                                    new ClientMessage.MemberHistory(
                                            "h3", "dev:casey", List.of("sanction_lifted"), null, null, null, null),
                                    ServerMessage.MemberHistoryPage.class)
                            .entries())
                    .extracting(AuditEntry::reason)
                    .containsExactly("apologised");
            long later = System.currentTimeMillis() + 60_000;
            assertThat(reply(
                                    moderator,
                                    new ClientMessage.MemberHistory("h4", "dev:casey", null, later, null, null, null),
                                    ServerMessage.MemberHistoryPage.class)
                            .entries())
                    .isEmpty();
            assertThat(audit(moderator, "a"))
                    .filteredOn(e -> e.action().equals("queue_read") && "member_history".equals(e.subject()))
                    .extracting(e -> e.target().id())
                    .containsOnly("dev:casey");
        }
    }

    @Test
    void mentorNotesAndLowRatingsAreListedForModerators() throws Exception {
        try (RawClient moderator = moderator();
                RawClient mentor = RawClient.signedIn(node.ws(), node.token("Mentor Mo", Role.MENTOR));
                RawClient member = RawClient.signedIn(node.ws(), node.token("Ana"))) {
            mentor.send("{\"type\":\"set_availability\",\"ref\":\"a\",\"available\":true,"
                    + "\"conditions\":[\"diabetes\"],\"languages\":[\"en\"],\"capacity\":2}");
            mentor.await(ServerMessage.Availability.class, a -> true);
            member.send("{\"type\":\"request_support\",\"ref\":\"q\",\"condition\":\"diabetes\",\"language\":\"en\"}");
            ServerMessage.SupportOffer offer = mentor.await(ServerMessage.SupportOffer.class, o -> true);
            mentor.send("{\"type\":\"accept_offer\",\"ref\":\"acc\",\"requestId\":\"" + offer.requestId() + "\"}");
            String session = mentor.await(ServerMessage.SessionStarted.class, s -> "acc".equals(s.ref()))
                    .sessionId();
            mentor.send(new ClientMessage.MentorNote("n", session, "Mentioned skipping insulin doses"));
            mentor.awaitReply("n");
            member.send(new ClientMessage.EndSession("e", session));
            member.awaitReply("e");
            member.send(new ClientMessage.RateSession("r", session, 1, "Felt rushed"));
            member.awaitReply("r");

            org.awaitility.Awaitility.await()
                    .until(() -> !reply(
                                    moderator,
                                    new ClientMessage.ListNotes("n" + System.nanoTime(), null, null),
                                    ServerMessage.MentorNotes.class)
                            .notes()
                            .isEmpty());
            ServerMessage.MentorNotes notes =
                    reply(moderator, new ClientMessage.ListNotes("notes", null, 10), ServerMessage.MentorNotes.class);
            assertThat(notes.notes()).singleElement().satisfies(n -> {
                assertThat(n.sessionId()).isEqualTo(session);
                // Moderators see the mentor by its opaque id (privacy), the one its welcome gave.
                assertThat(n.mentorId()).isEqualTo(mentor.userId());
                assertThat(n.note()).isEqualTo("Mentioned skipping insulin doses");
            });
            org.awaitility.Awaitility.await()
                    .until(() -> !reply(
                                    moderator,
                                    new ClientMessage.ListRatings("r" + System.nanoTime(), null, null, null),
                                    ServerMessage.SessionRatings.class)
                            .ratings()
                            .isEmpty());
            ServerMessage.RatingInfo rating = reply(
                            moderator,
                            new ClientMessage.ListRatings("ratings", 2, null, null),
                            ServerMessage.SessionRatings.class)
                    .ratings()
                    .get(0);
            assertThat(rating.rating()).isEqualTo(1);
            assertThat(rating.comment()).isEqualTo("Felt rushed");
            assertThat(rating.memberId()).isEqualTo(member.userId());
            assertThat(reply(
                                    moderator,
                                    new ClientMessage.ListRatings("none", 0 + 1, null, null),
                                    ServerMessage.SessionRatings.class)
                            .ratings())
                    .hasSize(1);
        }
    }

    @Test
    void aSanctionedMemberAppealsOnceAndIsToldTheModeratorsDecision() throws Exception {
        try (RawClient moderator = moderator();
                RawClient member = RawClient.signedIn(node.ws(), node.token("Loud"))) {
            // The moderator sanctions the member by the id it sees (the opaque one, privacy): an appeal is matched
            // against the signed-in member's own id.
            String loud = member.userId();
            ServerMessage.SanctionInfo timeout = reply(
                            moderator,
                            new ClientMessage.Sanction("t", loud, "timeout", null, "cool down", 600L),
                            ServerMessage.Sanctioned.class)
                    .sanction();

            String appealId = reply(
                            member,
                            new ClientMessage.Appeal("ap", timeout.sanctionId(), "I was quoting my doctor"),
                            ServerMessage.AppealReceived.class)
                    .appealId();
            ServerMessage.AppealFiled filed = moderator.await(ServerMessage.AppealFiled.class, a -> true);
            assertThat(filed.appeal().appealId()).isEqualTo(appealId);
            assertThat(filed.appeal().text()).isEqualTo("I was quoting my doctor");
            member.send(new ClientMessage.Appeal("again", timeout.sanctionId(), "please"));
            assertThat(member.awaitError("again").code()).isEqualTo("already_appealed");
            member.send(new ClientMessage.Appeal("other", "sn-not-mine", "please"));
            assertThat(member.awaitError("other").code()).isEqualTo("sanction_not_found");

            ServerMessage.Appeals open =
                    reply(moderator, new ClientMessage.ListAppeals("la", null, null), ServerMessage.Appeals.class);
            assertThat(open.appeals())
                    .extracting(ServerMessage.AppealInfo::appealId)
                    .containsExactly(appealId);

            ServerMessage.AppealDecided decided = reply(
                    moderator,
                    new ClientMessage.DecideAppeal("d", appealId, true, "Thanks for explaining"),
                    ServerMessage.AppealDecided.class);
            assertThat(decided.outcome()).isEqualTo("lifted");
            ServerMessage.AppealDecided told = member.await(ServerMessage.AppealDecided.class, a -> true);
            assertThat(told.outcome()).isEqualTo("lifted");
            assertThat(told.note()).isEqualTo("Thanks for explaining");
            member.await(ServerMessage.SanctionLifted.class, l -> true);
            moderator.send(new ClientMessage.DecideAppeal("d2", appealId, false, null));
            assertThat(moderator.awaitError("d2").code()).isEqualTo("appeal_not_found");
            assertThat(reply(moderator, new ClientMessage.ListAppeals("la2", null, null), ServerMessage.Appeals.class)
                            .appeals())
                    .isEmpty();
            assertThat(reply(
                                    moderator,
                                    new ClientMessage.ListSanctions("ls", loud, null, null),
                                    ServerMessage.Sanctions.class)
                            .sanctions())
                    .isEmpty();
            assertThat(audit(moderator, "a"))
                    .extracting(AuditEntry::action)
                    .contains("appeal_filed", "appeal_decided", "sanction_lifted");
        }
    }

    @Test
    void aReporterIsToldInNeutralWordsThatItsReportWasDealtWith() throws Exception {
        try (RawClient moderator = moderator();
                RawClient reporter = joined("Reporter", Role.MEMBER, "talk");
                RawClient author = joined("Author", Role.MEMBER, "talk")) {
            author.send("{\"type\":\"send\",\"ref\":\"s\",\"room\":\"talk\",\"clientMsgId\":\"c1\","
                    + "\"text\":\"skip your insulin\"}");
            long seq = ((ServerMessage.Ack) author.awaitReply("s")).seq();
            String reportId = reply(
                            reporter,
                            new ClientMessage.Report("rp", "talk", seq, "misinformation", null),
                            ServerMessage.ReportReceived.class)
                    .reportId();
            reply(
                    moderator,
                    new ClientMessage.ResolveReport("res", reportId, "Removed and warned"),
                    ServerMessage.ReportResolved.class);

            ServerMessage.ReportOutcome outcome = reporter.await(ServerMessage.ReportOutcome.class, o -> true);
            assertThat(outcome.reportId()).isEqualTo(reportId);
            assertThat(outcome.message())
                    .startsWith("Thank you for your report")
                    .doesNotContain("Removed", "warned");
            assertThat(author.received(ServerMessage.ReportOutcome.class)).isEmpty();
        }
    }

    @Test
    void aDeploymentMayKeepReportersWithoutNews() throws Exception {
        try (TestNode quiet = TestNode.start(c -> c.tellReporters(false));
                RawClient moderator = RawClient.signedIn(quiet.ws(), quiet.token("Mod", Role.MODERATOR));
                RawClient reporter = RawClient.signedIn(quiet.ws(), quiet.token("Reporter"))) {
            reporter.send(new ClientMessage.Block("b", "dev:someone", null));
            reporter.awaitReply("b");
            String reportId = moderator
                    .await(ServerMessage.ReportFiled.class, r -> true)
                    .report()
                    .reportId();
            reply(
                    moderator,
                    new ClientMessage.ResolveReport("res", reportId, "Looked at it"),
                    ServerMessage.ReportResolved.class);
            reporter.send(new ClientMessage.Ping("p"));
            reporter.awaitReply("p");
            assertThat(reporter.received(ServerMessage.ReportOutcome.class)).isEmpty();
        }
    }
}
