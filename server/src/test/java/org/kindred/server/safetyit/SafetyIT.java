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
import org.kindred.server.testing.RawClient;
import org.kindred.server.testing.TestNode;

/** Crisis language reaches a human in seconds; reports reach moderators; everything is audited. */
class SafetyIT {

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

    private static void say(RawClient client, String room, String ref, String text) {
        client.send("{\"type\":\"send\",\"ref\":\"" + ref + "\",\"room\":\"" + room + "\",\"clientMsgId\":\"" + ref
                + "\",\"text\":\"" + text + "\"}");
        client.await(ServerMessage.Ack.class, a -> ref.equals(a.ref()));
    }

    @Test
    void crisisLanguageGivesTheAuthorHelpFirstThenAlertsModeratorsWhoAcknowledge() throws Exception {
        try (RawClient moderator = RawClient.signedIn(node.ws(), node.token("Mod", Role.MODERATOR));
                RawClient other = RawClient.signedIn(node.ws(), node.token("Other Mod", Role.MODERATOR));
                RawClient member = joined("Sam", Role.MEMBER, "depression")) {
            say(member, "depression", "m1", "I just want to end my life tonight");

            List<ServerMessage> toAuthor = member.received();
            int help = indexOf(toAuthor, ServerMessage.CrisisSupport.class);
            int ack = indexOf(toAuthor, ServerMessage.Ack.class);
            assertThat(help).as("crisis support before the ack").isBetween(0, ack - 1);
            ServerMessage.CrisisSupport support = (ServerMessage.CrisisSupport) toAuthor.get(help);
            assertThat(support.resources()).extracting(CrisisResource::contact).anyMatch(c -> c.contains("988"));

            ServerMessage.Alert alert = moderator.await(ServerMessage.Alert.class, a -> true);
            assertThat(alert.message().text()).isEqualTo("I just want to end my life tonight");
            assertThat(alert.message().author().pseudonym()).isEqualTo("Sam");
            assertThat(alert.language()).isEqualTo("en");
            other.await(ServerMessage.Alert.class, a -> a.alertId().equals(alert.alertId()));
            assertThat(member.received(ServerMessage.Alert.class)).isEmpty();

            moderator.send("{\"type\":\"ack_alert\",\"ref\":\"k\",\"alertId\":\"" + alert.alertId() + "\"}");
            ServerMessage.AlertAcked acked = moderator.await(ServerMessage.AlertAcked.class, a -> "k".equals(a.ref()));
            assertThat(acked.first()).isTrue();
            assertThat(acked.timeToAckMs()).isNotNegative();
            assertThat(other.await(ServerMessage.AlertAcked.class, a -> a.ref() == null)
                            .by()
                            .pseudonym())
                    .isEqualTo("Mod");
            other.send("{\"type\":\"ack_alert\",\"ref\":\"k2\",\"alertId\":\"" + alert.alertId() + "\"}");
            ServerMessage.AlertAcked late = other.await(ServerMessage.AlertAcked.class, a -> "k2".equals(a.ref()));
            assertThat(late.first()).isFalse();
            assertThat(late.by().pseudonym()).isEqualTo("Mod");

            moderator.send("{\"type\":\"audit_log\",\"ref\":\"log\"}");
            assertThat(moderator
                            .await(ServerMessage.AuditEntries.class, e -> "log".equals(e.ref()))
                            .entries())
                    .extracting(ServerMessage.AuditEntry::action)
                    .contains("alert_raised", "alert_acked");
            assertThat(node.management("/metrics").body())
                    .contains("kindred_safety_alerts_total{kind=\"crisis\"} 1.0")
                    .contains("kindred_safety_alert_ack_seconds_count 1");
        }
    }

    @Test
    void spanishAndGermanCrisisLanguageGetTheirOwnResources() throws Exception {
        try (RawClient lucia = joined("Lucía", Role.MEMBER, "anxiety");
                RawClient jonas = joined("Jonas", Role.MEMBER, "anxiety")) {
            say(lucia, "anxiety", "es1", "ya no quiero vivir");
            say(jonas, "anxiety", "de1", "ich will nicht mehr leben");

            assertThat(lucia.await(ServerMessage.CrisisSupport.class, s -> true).resources())
                    .extracting(CrisisResource::contact)
                    .contains("024");
            assertThat(jonas.await(ServerMessage.CrisisSupport.class, s -> true).resources())
                    .extracting(CrisisResource::name)
                    .anyMatch(name -> name.contains("TelefonSeelsorge"));
        }
    }

    @Test
    void aCrisisWrittenWithLookAlikeLettersStillReachesModerators() throws Exception {
        try (RawClient moderator = RawClient.signedIn(node.ws(), node.token("Mod", Role.MODERATOR));
                RawClient member = joined("Sam", Role.MEMBER, "depression")) {
            // Cyrillic "і" and "е", letters spelled apart, stretched letters.
            say(member, "depression", "m1", "i want to k.і.l.l mysеееelf");

            member.await(ServerMessage.CrisisSupport.class, s -> true);
            assertThat(moderator.await(ServerMessage.Alert.class, a -> true).rule())
                    .isEqualTo("kill myself");
        }
    }

    @Test
    void frenchCrisisLanguageGetsFrenchResources() throws Exception {
        try (RawClient member = joined("Léa", Role.MEMBER, "anxiety")) {
            say(member, "anxiety", "m1", "je veux mourir, je n'en peux plus");

            ServerMessage.CrisisSupport support = member.await(ServerMessage.CrisisSupport.class, s -> true);
            assertThat(support.resources()).extracting(CrisisResource::contact).contains("3114");
        }
    }

    @Test
    void anOrdinaryMessageWithANearMissRaisesNothing() throws Exception {
        try (RawClient moderator = RawClient.signedIn(node.ws(), node.token("Mod", Role.MODERATOR));
                RawClient member = joined("Sam", Role.MEMBER, "diabetes")) {
            say(member, "diabetes", "m1", "I'm killing it at work since my new insulin plan");
            say(member, "diabetes", "m2", "ping");

            await().during(Duration.ofMillis(300))
                    .until(() -> moderator.received(ServerMessage.Alert.class).isEmpty());
            assertThat(member.received(ServerMessage.CrisisSupport.class)).isEmpty();
        }
    }

    @Test
    void aReportReachesModeratorsWithASnapshotWhileTheReportedMemberHearsNothing() throws Exception {
        try (RawClient moderator = RawClient.signedIn(node.ws(), node.token("Mod", Role.MODERATOR));
                RawClient author = joined("Troll", Role.MEMBER, "long-covid");
                RawClient reporter = joined("Kind", Role.MEMBER, "long-covid")) {
            say(author, "long-covid", "a1", "first");
            say(author, "long-covid", "a2", "drink bleach, it cures everything");
            say(author, "long-covid", "a3", "third");

            reporter.send("{\"type\":\"report\",\"ref\":\"r\",\"room\":\"long-covid\",\"seq\":2,"
                    + "\"category\":\"misinformation\",\"comment\":\"dangerous advice\"}");
            String reportId = reporter.await(ServerMessage.ReportReceived.class, r -> "r".equals(r.ref()))
                    .reportId();

            ServerMessage.ReportInfo filed =
                    moderator.await(ServerMessage.ReportFiled.class, f -> true).report();
            assertThat(filed.reportId()).isEqualTo(reportId);
            assertThat(filed.message().text()).isEqualTo("drink bleach, it cures everything");
            assertThat(filed.context())
                    .extracting(ServerMessage.ChatMessage::text)
                    .containsExactly("first", "third");
            assertThat(filed.reporter().pseudonym()).isEqualTo("Kind");
            assertThat(author.received()).noneMatch(m -> m instanceof ServerMessage.ReportFiled);

            reporter.send("{\"type\":\"list_reports\",\"ref\":\"l\"}");
            assertThat(reporter.awaitError("l").code()).isEqualTo("forbidden");
            moderator.send("{\"type\":\"list_reports\",\"ref\":\"l\"}");
            assertThat(moderator
                            .await(ServerMessage.Reports.class, r -> "l".equals(r.ref()))
                            .reports())
                    .extracting(ServerMessage.ReportInfo::reportId)
                    .containsExactly(reportId);
            moderator.send("{\"type\":\"resolve_report\",\"ref\":\"res\",\"reportId\":\"" + reportId
                    + "\",\"resolution\":\"message deleted, member warned\"}");
            moderator.await(ServerMessage.ReportResolved.class, r -> "res".equals(r.ref()));
            moderator.send("{\"type\":\"resolve_report\",\"ref\":\"again\",\"reportId\":\"" + reportId
                    + "\",\"resolution\":\"twice\"}");
            assertThat(moderator.awaitError("again").code()).isEqualTo("report_not_found");
            moderator.send("{\"type\":\"audit_log\",\"ref\":\"log\",\"limit\":10}");
            List<ServerMessage.AuditEntry> log = moderator
                    .await(ServerMessage.AuditEntries.class, e -> "log".equals(e.ref()))
                    .entries();
            // Newest first: the resolution, then the moderator's reading of the open reports (audited as a queue
            // read since the moderator queues), then the report being filed.
            assertThat(log)
                    .extracting(ServerMessage.AuditEntry::action)
                    .startsWith("report_resolved", "queue_read", "report_filed");
            assertThat(log.get(1).subject()).isEqualTo("list_reports");
            assertThat(log.get(1).reason()).isEqualTo("1 item(s)");
            assertThat(log.getFirst().reason()).isEqualTo("message deleted, member warned");
            assertThat(log).allSatisfy(entry -> assertThat(entry.toString()).doesNotContain("bleach"));
        }
    }

    @Test
    void reportingAMessageThatIsNotKeptIsRefused() throws Exception {
        try (RawClient reporter = joined("Kind", Role.MEMBER, "caregivers")) {
            reporter.send(
                    "{\"type\":\"report\",\"ref\":\"r\",\"room\":\"caregivers\",\"seq\":42,\"category\":\"spam\"}");
            assertThat(reporter.awaitError("r").code()).isEqualTo("message_not_found");
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

    @Test
    void newMembersCannotPostLinksOrContactDetailsAndAreRateLimitedMoreStrictly() throws Exception {
        try (TestNode strict = TestNode.start(c -> c.newMemberPeriod(Duration.ofDays(7)));
                RawClient newcomer = RawClient.signedIn(strict.ws(), strict.token("Newcomer"));
                RawClient mentor = RawClient.signedIn(strict.ws(), strict.token("Mentor", Role.MENTOR))) {
            assertThat(newcomer.await(ServerMessage.Welcome.class, w -> true).limits())
                    .as("welcome announces the limits enforced on a new member")
                    .satisfies(limits -> {
                        assertThat(limits.ratePerSecond()).isEqualTo(2.0);
                        assertThat(limits.rateBurst()).isEqualTo(5);
                    });
            assertThat(mentor.await(ServerMessage.Welcome.class, w -> true)
                            .limits()
                            .rateBurst())
                    .isEqualTo(20);
            for (RawClient c : List.of(newcomer, mentor)) {
                c.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"diabetes\"}");
                c.await(ServerMessage.Joined.class, j -> true);
            }
            newcomer.send("{\"type\":\"send\",\"ref\":\"link\",\"room\":\"diabetes\",\"clientMsgId\":\"c1\","
                    + "\"text\":\"great deals at www.cheap-insulin.example\"}");
            newcomer.send("{\"type\":\"send\",\"ref\":\"phone\",\"room\":\"diabetes\",\"clientMsgId\":\"c2\","
                    + "\"text\":\"call me on +33 6 12 34 56 78\"}");
            assertThat(newcomer.awaitError("link").message()).contains("links");
            assertThat(newcomer.awaitError("phone").message()).contains("phone");
            mentor.send("{\"type\":\"send\",\"ref\":\"ok\",\"room\":\"diabetes\",\"clientMsgId\":\"c3\","
                    + "\"text\":\"the guide is at https://www.diabetes.org.uk\"}");
            mentor.await(ServerMessage.Ack.class, a -> "ok".equals(a.ref()));

            for (int i = 0; i < 12; i++) {
                newcomer.send("{\"type\":\"ping\",\"ref\":\"p" + i + "\"}");
            }
            assertThat(newcomer.await(ServerMessage.Error.class, e -> e.code().equals("rate_limited"))
                            .retryable())
                    .isTrue();
        }
    }

    @Test
    void aDeletedMessageBecomesATombstoneForEveryoneAndInHistory() throws Exception {
        try (RawClient moderator = joined("Mod", Role.MODERATOR, "chronic-pain");
                RawClient author = joined("Author", Role.MEMBER, "chronic-pain");
                RawClient reader = joined("Reader", Role.MEMBER, "chronic-pain")) {
            say(author, "chronic-pain", "a1", "take 20 of these pills, trust me");

            moderator.send("{\"type\":\"delete_message\",\"ref\":\"d\",\"room\":\"chronic-pain\",\"seq\":1,"
                    + "\"reason\":\"dangerous dosing advice\"}");
            moderator.await(ServerMessage.Done.class, d -> "d".equals(d.ref()));

            ServerMessage.MessageDeleted deleted = reader.await(ServerMessage.MessageDeleted.class, m -> true);
            assertThat(deleted.seq()).isEqualTo(1);
            author.await(ServerMessage.MessageDeleted.class, m -> true);
            reader.send("{\"type\":\"history\",\"ref\":\"h\",\"room\":\"chronic-pain\"}");
            ServerMessage.ChatMessage tombstone = reader.await(ServerMessage.History.class, h -> "h".equals(h.ref()))
                    .messages()
                    .getFirst();
            assertThat(tombstone.isDeleted()).isTrue();
            assertThat(tombstone.text()).isEmpty();
            reader.send("{\"type\":\"delete_message\",\"ref\":\"nope\",\"room\":\"chronic-pain\",\"seq\":1,"
                    + "\"reason\":\"me too\"}");
            assertThat(reader.awaitError("nope").code()).isEqualTo("forbidden");
        }
    }

    @Test
    void aBlockHidesMessagesPresenceAndTypingBothWaysAndFilesAReport() throws Exception {
        try (RawClient moderator = RawClient.signedIn(node.ws(), node.token("Mod", Role.MODERATOR));
                RawClient ana = joined("Ana", Role.MEMBER, "diabetes");
                RawClient pest = joined("Pest", Role.MEMBER, "diabetes");
                RawClient bystander = joined("Bystander", Role.MEMBER, "diabetes")) {
            ana.send("{\"type\":\"block\",\"ref\":\"b\",\"userId\":\"" + pest.userId()
                    + "\",\"comment\":\"keeps messaging me\"}");
            ana.await(ServerMessage.Done.class, d -> "b".equals(d.ref()));
            ServerMessage.ReportInfo filed =
                    moderator.await(ServerMessage.ReportFiled.class, f -> true).report();
            assertThat(filed.reportedUserId()).isEqualTo(pest.userId());
            assertThat(filed.message()).isNull();

            say(pest, "diabetes", "p1", "hey ana");
            say(ana, "diabetes", "a1", "hello everyone");
            pest.send("{\"type\":\"typing\",\"room\":\"diabetes\",\"active\":true}");
            bystander.await(ServerMessage.ChatMessage.class, m -> m.text().equals("hey ana"));
            bystander.await(ServerMessage.ChatMessage.class, m -> m.text().equals("hello everyone"));
            bystander.await(
                    ServerMessage.TypingEvent.class, t -> t.user().pseudonym().equals("Pest"));

            assertThat(ana.received(ServerMessage.ChatMessage.class))
                    .extracting(ServerMessage.ChatMessage::text)
                    .doesNotContain("hey ana");
            assertThat(pest.received(ServerMessage.ChatMessage.class))
                    .extracting(ServerMessage.ChatMessage::text)
                    .doesNotContain("hello everyone");
            assertThat(ana.received(ServerMessage.TypingEvent.class)).isEmpty();
            ana.send("{\"type\":\"history\",\"ref\":\"h\",\"room\":\"diabetes\"}");
            assertThat(ana.await(ServerMessage.History.class, h -> "h".equals(h.ref()))
                            .messages())
                    .extracting(ServerMessage.ChatMessage::text)
                    .containsExactly("hello everyone");

            try (RawClient pestAgain = RawClient.signedIn(node.ws(), node.token("Pest"))) {
                pestAgain.send("{\"type\":\"join\",\"ref\":\"j2\",\"room\":\"diabetes\"}");
                ServerMessage.Joined joined = pestAgain.await(ServerMessage.Joined.class, j -> true);
                assertThat(joined.presence()).extracting(u -> u.pseudonym()).doesNotContain("Ana");
                assertThat(joined.messages())
                        .extracting(ServerMessage.ChatMessage::text)
                        .containsExactly("hey ana");
            }
        }
    }

    @Test
    void aRoomThatHoldsDosesShowsSuchMessagesOnlyOnceAModeratorApproves() throws Exception {
        List<org.kindred.server.config.RoomConfig> rooms = List.of(new org.kindred.server.config.RoomConfig(
                "meds",
                "Medication questions",
                "",
                List.of(),
                java.util.Set.of(),
                java.util.Set.of(
                        org.kindred.server.config.RoomRule.HOLD_DOSES, org.kindred.server.config.RoomRule.NO_LINKS)));
        try (TestNode strict = TestNode.start(c -> c.rooms(rooms));
                RawClient moderator = RawClient.signedIn(strict.ws(), strict.token("Mod", Role.MODERATOR));
                RawClient author = RawClient.signedIn(strict.ws(), strict.token("Asker"));
                RawClient reader = RawClient.signedIn(strict.ws(), strict.token("Reader"));
                RawClient mentor = RawClient.signedIn(strict.ws(), strict.token("Mentor", Role.MENTOR))) {
            for (RawClient c : List.of(author, reader, mentor)) {
                c.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"meds\"}");
                c.await(ServerMessage.Joined.class, j -> true);
            }
            author.send("{\"type\":\"send\",\"ref\":\"s1\",\"room\":\"meds\",\"clientMsgId\":\"dose-1\","
                    + "\"text\":\"I take 500 mg of metformin twice a day\"}");
            assertThat(author.awaitError("s1").code()).isEqualTo("held_for_review");
            ServerMessage.HeldMessage held = moderator.await(ServerMessage.HeldMessage.class, h -> true);
            assertThat(held.rule()).isEqualTo("hold_doses");
            await().during(Duration.ofMillis(200))
                    .until(() ->
                            reader.received(ServerMessage.ChatMessage.class).isEmpty());

            moderator.send(
                    "{\"type\":\"review_held\",\"ref\":\"r\",\"heldId\":\"" + held.heldId() + "\",\"approve\":true}");
            moderator.await(ServerMessage.Done.class, d -> "r".equals(d.ref()));
            ServerMessage.ChatMessage posted = reader.await(ServerMessage.ChatMessage.class, m -> true);
            assertThat(posted.clientMsgId()).isEqualTo("dose-1");
            assertThat(posted.author().pseudonym()).isEqualTo("Asker");
            author.await(ServerMessage.ChatMessage.class, m -> "dose-1".equals(m.clientMsgId()));

            author.send("{\"type\":\"send\",\"ref\":\"s2\",\"room\":\"meds\",\"clientMsgId\":\"dose-2\","
                    + "\"text\":\"take 40 pills and sleep\"}");
            author.awaitError("s2");
            ServerMessage.HeldMessage second = moderator.await(
                    ServerMessage.HeldMessage.class, h -> h.clientMsgId().equals("dose-2"));
            moderator.send("{\"type\":\"review_held\",\"ref\":\"r2\",\"heldId\":\"" + second.heldId()
                    + "\",\"approve\":false,\"note\":\"dangerous\"}");
            assertThat(author.await(ServerMessage.MessageRejected.class, m -> true)
                            .clientMsgId())
                    .isEqualTo("dose-2");
            moderator.send("{\"type\":\"review_held\",\"ref\":\"r3\",\"heldId\":\"" + second.heldId()
                    + "\",\"approve\":true}");
            assertThat(moderator.awaitError("r3").code()).isEqualTo("held_not_found");

            author.send("{\"type\":\"send\",\"ref\":\"s4\",\"room\":\"meds\",\"clientMsgId\":\"c4\","
                    + "\"text\":\"I took 30 pills and I want to end it all\"}");
            assertThat(author.awaitError("s4").code()).isEqualTo("held_for_review");
            author.await(ServerMessage.CrisisSupport.class, c -> true);
            assertThat(moderator
                            .await(ServerMessage.Alert.class, a -> true)
                            .message()
                            .clientMsgId())
                    .isEqualTo("c4");
            author.send("{\"type\":\"send\",\"ref\":\"s4b\",\"room\":\"meds\",\"clientMsgId\":\"c4\","
                    + "\"text\":\"I took 30 pills and I want to end it all\"}");
            author.awaitError("s4b");
            await().during(Duration.ofMillis(200))
                    .until(() -> moderator.received(ServerMessage.HeldMessage.class).stream()
                                    .filter(h -> h.clientMsgId().equals("c4"))
                                    .count()
                            == 1);

            author.send("{\"type\":\"send\",\"ref\":\"s3\",\"room\":\"meds\",\"clientMsgId\":\"l1\","
                    + "\"text\":\"see https://example.org\"}");
            assertThat(author.awaitError("s3").code()).isEqualTo("forbidden");
            mentor.send("{\"type\":\"send\",\"ref\":\"m1\",\"room\":\"meds\",\"clientMsgId\":\"m1\","
                    + "\"text\":\"the leaflet: https://example.org, usual dose 500 mg\"}");
            mentor.await(ServerMessage.Ack.class, a -> "m1".equals(a.ref()));
        }
    }

    @Test
    void anOperatorsOwnCrisisRulesReplaceTheBuiltInListOfTheirLanguage() throws Exception {
        try (TestNode custom = TestNode.start(c -> c.crisisRules(
                        java.util.Map.of("en", List.of("running out of reasons", "re:\\bno way out\\b"))));
                RawClient member = RawClient.signedIn(custom.ws(), custom.token("Sam"))) {
            member.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"depression\"}");
            member.await(ServerMessage.Joined.class, j -> true);

            say(member, "depression", "m1", "I am running out of reasons, honestly");
            say(member, "depression", "m2", "there is no way out");
            say(member, "depression", "m3", "bonjour, je veux mourir");

            await().until(() ->
                    member.received(ServerMessage.CrisisSupport.class).size() == 3);
            assertThat(member.received(ServerMessage.CrisisSupport.class))
                    .extracting(ServerMessage.CrisisSupport::seq)
                    .containsExactly(1L, 2L, 3L);
        }
    }

    @Test
    void aModeratorWhoWasAwayListsTheAlertsNobodyAcknowledged() throws Exception {
        try (RawClient member = joined("Sam", Role.MEMBER, "depression")) {
            say(member, "depression", "m1", "I just want to end my life tonight");
            say(member, "depression", "m2", "i want to kill myself");
            try (RawClient moderator = RawClient.signedIn(node.ws(), node.token("Mod", Role.MODERATOR))) {
                moderator.send(new org.kindred.protocol.ClientMessage.ListAlerts("l1"));
                ServerMessage.Alerts missed = (ServerMessage.Alerts) moderator.awaitReply("l1");
                assertThat(missed.alerts())
                        .extracting(a -> a.message().text())
                        .containsExactly("I just want to end my life tonight", "i want to kill myself");
                moderator.send("{\"type\":\"ack_alert\",\"ref\":\"k\",\"alertId\":\""
                        + missed.alerts().get(0).alertId() + "\"}");
                moderator.await(ServerMessage.AlertAcked.class, a -> "k".equals(a.ref()));
                moderator.send(new org.kindred.protocol.ClientMessage.ListAlerts("l2"));
                assertThat(((ServerMessage.Alerts) moderator.awaitReply("l2")).alerts())
                        .extracting(a -> a.message().text())
                        .containsExactly("i want to kill myself");
            }
        }
    }
}
