package org.kindred.server.safety;

import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import org.kindred.protocol.ClientMessage;
import org.kindred.protocol.ErrorCode;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.AppealInfo;
import org.kindred.protocol.ServerMessage.AuditEntry;
import org.kindred.protocol.UserInfo;
import org.kindred.server.connection.Refusal;
import org.kindred.server.runtime.Failures;
import org.kindred.server.safety.ModerationRecords.CheckIn;
import org.kindred.server.safety.ModerationRecords.Page;

/**
 * What moderators work from once the moment has passed: paged queues of held messages, mentors' notes, low ratings,
 * sanctions in force and a member's history; appeals of sanctions; a private check-in with the author of a crisis
 * alert; the reporter's neutral outcome. Reading any queue is itself audited ({@code queue_read}): who read what, and
 * how many items, never the items.
 *
 * <p>Callers check that the user is a moderator (the session does, and the server API's keys are for operators).
 */
public final class ModeratorQueues {

    private final SafetyStore store;
    private final ModerationRecords records;
    private final Failures failures;
    private final Clock clock;
    private final boolean tellReporters;

    /**
     * @param tellReporters whether a reporter is told, in neutral words, that its report was dealt with
     */
    public ModeratorQueues(
            SafetyStore store, ModerationRecords records, Failures failures, Clock clock, boolean tellReporters) {
        this.store = store;
        this.records = records;
        this.failures = failures;
        this.clock = clock;
        this.tellReporters = tellReporters;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Paged lists

    public CompletableFuture<ServerMessage.HeldMessages> held(
            UserInfo moderator, String cursor, Integer limit, String ref) {
        return read(moderator, "list_held", null, cursor, limit, records::held)
                .thenApply(p -> new ServerMessage.HeldMessages(ref, p.items(), wire(p)));
    }

    public CompletableFuture<ServerMessage.MentorNotes> notes(
            UserInfo moderator, String cursor, Integer limit, String ref) {
        return read(moderator, "list_notes", null, cursor, limit, records::notes)
                .thenApply(p -> new ServerMessage.MentorNotes(ref, p.items(), wire(p)));
    }

    public CompletableFuture<ServerMessage.SessionRatings> ratings(
            UserInfo moderator, Integer maxRating, String cursor, Integer limit, String ref) {
        int max = maxRating == null ? 2 : maxRating;
        return read(moderator, "list_ratings", null, cursor, limit, (after, n) -> records.ratings(max, after, n))
                .thenApply(p -> new ServerMessage.SessionRatings(ref, p.items(), wire(p)));
    }

    public CompletableFuture<ServerMessage.Sanctions> sanctions(
            UserInfo moderator, String userId, String cursor, Integer limit, String ref) {
        long now = clock.millis();
        return read(
                        moderator,
                        "list_sanctions",
                        userId == null ? null : member(userId),
                        cursor,
                        limit,
                        (after, n) -> records.sanctionsInForce(userId, now, after, n))
                .thenApply(p -> new ServerMessage.Sanctions(ref, p.items(), wire(p)));
    }

    public CompletableFuture<ServerMessage.MemberHistoryPage> history(
            UserInfo moderator, ClientMessage.MemberHistory c) {
        List<String> actions = c.actions() == null ? List.of() : c.actions();
        return read(
                        moderator,
                        "member_history",
                        member(c.userId()),
                        c.cursor(),
                        c.limit(),
                        (after, n) -> records.history(c.userId(), actions, c.since(), c.until(), after, n))
                .thenApply(p -> new ServerMessage.MemberHistoryPage(c.ref(), c.userId(), p.items(), wire(p)));
    }

    public CompletableFuture<ServerMessage.Appeals> appeals(
            UserInfo moderator, String cursor, Integer limit, String ref) {
        return read(moderator, "list_appeals", null, cursor, limit, records::openAppeals)
                .thenApply(p -> new ServerMessage.Appeals(ref, p.items(), wire(p)));
    }

    /**
     * Records that a moderator read sensitive content outside the queues here (the open alerts, the open reports), then
     * hands the answer on.
     */
    public <T> CompletableFuture<T> recordReading(UserInfo moderator, String queue, T answer, int items) {
        return audit(moderator, queue, null, items).thenApply(ignored -> answer);
    }

    private <T> CompletableFuture<Page<T>> read(
            UserInfo moderator,
            String queue,
            UserInfo about,
            String cursor,
            Integer limit,
            BiFunction<Cursor, Integer, CompletableFuture<Page<T>>> query) {
        Cursor after = cursor == null ? null : Cursor.decode(cursor).orElse(null);
        if (cursor != null && after == null) {
            return CompletableFuture.failedFuture(
                    new Refusal(ErrorCode.INVALID_FIELD, "field 'cursor' is not a 'nextCursor' this server gave"));
        }
        int size = limit == null ? ClientMessage.DEFAULT_PAGE : limit;
        return query.apply(after, size)
                .thenCompose(page ->
                        audit(moderator, queue, about, page.items().size()).thenApply(ignored -> page));
    }

    private CompletableFuture<Void> audit(UserInfo moderator, String queue, UserInfo about, int items) {
        return store.audit(
                new AuditEntry(clock.millis(), moderator, "queue_read", about, null, queue, items + " item(s)"));
    }

    private static String wire(Page<?> page) {
        return page.next() == null ? null : page.next().encode();
    }

    /** A member named by id, as the audit log names a user it did not look up. */
    private static UserInfo member(String userId) {
        return new UserInfo(userId, userId, "member");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Appeals

    /**
     * A member appeals one of its sanctions that still stands, once. The caller screens the text (crisis language)
     * first, as for everything a member writes.
     */
    public CompletableFuture<ServerMessage.AppealReceived> appeal(
            UserInfo member, String sanctionId, String text, String ref) {
        long now = clock.millis();
        return records.standingSanction(sanctionId, now).thenCompose(found -> {
            if (found.isEmpty() || !found.get().userId().equals(member.id())) {
                return CompletableFuture.failedFuture(new Refusal(
                        ErrorCode.SANCTION_NOT_FOUND, "no sanction '" + sanctionId + "' of yours is in force"));
            }
            AppealInfo appeal = new AppealInfo(newId("ap-"), found.get(), text, now, "open", null, null, null);
            return records.fileAppeal(appeal).thenCompose(filed -> {
                if (!filed) {
                    return CompletableFuture.failedFuture(new Refusal(
                            ErrorCode.ALREADY_APPEALED,
                            "you appealed this sanction already; a moderator will decide and you will be told"));
                }
                return store.audit(new AuditEntry(
                                now, member, "appeal_filed", member, null, appeal.appealId(), sanctionId))
                        .thenApply(ignored -> {
                            failures.watch("appeal send", store.toModerators(new ServerMessage.AppealFiled(appeal)));
                            return new ServerMessage.AppealReceived(ref, appeal.appealId());
                        });
            });
        });
    }

    /**
     * A moderator decides an appeal: lifting the sanction (on every node) or upholding it. The member is told, and so
     * are the other moderators.
     */
    public CompletableFuture<ServerMessage.AppealDecided> decide(
            UserInfo moderator, String appealId, boolean lift, String note, String ref) {
        long now = clock.millis();
        return records.decideAppeal(appealId, moderator, lift, note, now).thenCompose(decided -> {
            if (decided.isEmpty()) {
                return CompletableFuture.failedFuture(
                        new Refusal(ErrorCode.APPEAL_NOT_FOUND, "no appeal '" + appealId + "' waits for a decision"));
            }
            AppealInfo appeal = decided.get();
            ServerMessage.SanctionInfo sanction = appeal.sanction();
            UserInfo member = member(sanction.userId());
            CompletableFuture<?> lifted = !lift
                    ? CompletableFuture.completedFuture(null)
                    : store.liftSanction(sanction.sanctionId())
                            .thenCompose(was -> was.isEmpty()
                                    ? CompletableFuture.completedFuture(null)
                                    : store.audit(new AuditEntry(
                                            now,
                                            moderator,
                                            "sanction_lifted",
                                            member,
                                            sanction.room(),
                                            sanction.sanctionId(),
                                            "appeal " + appealId)));
            return lifted.thenCompose(ignored -> store.audit(new AuditEntry(
                            now,
                            moderator,
                            "appeal_decided",
                            member,
                            null,
                            appealId,
                            appeal.status() + (note == null ? "" : ": " + note))))
                    .thenApply(ignored -> {
                        ServerMessage.AppealDecided event = new ServerMessage.AppealDecided(
                                null, appealId, sanction.sanctionId(), appeal.status(), note);
                        failures.watch("appeal decision send", store.toUser(sanction.userId(), event));
                        failures.watch("appeal decision send", store.toModerators(event));
                        return new ServerMessage.AppealDecided(
                                ref, appealId, sanction.sanctionId(), appeal.status(), note);
                    });
        });
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Check-ins

    /**
     * The moderator who acknowledged a crisis alert offers its author a private check-in. One check-in per alert:
     * offering it again while the member has not answered sends the offer again (the member may have reconnected).
     */
    public CompletableFuture<ServerMessage.CheckInSent> offerCheckIn(UserInfo moderator, String alertId, String ref) {
        return store.alert(alertId).thenCompose(found -> {
            if (found.isEmpty()) {
                return CompletableFuture.failedFuture(
                        new Refusal(ErrorCode.ALERT_NOT_FOUND, "no alert '" + alertId + "'"));
            }
            ServerMessage.Alert alert = found.get();
            UserInfo member = alert.message().author();
            return records.acknowledgedBy(alertId).thenCompose(ackedBy -> {
                if (ackedBy.isEmpty()) {
                    return CompletableFuture.failedFuture(
                            new Refusal(ErrorCode.FORBIDDEN, "acknowledge the alert (ack_alert) before checking in"));
                }
                if (!ackedBy.get().id().equals(moderator.id())) {
                    return CompletableFuture.failedFuture(new Refusal(
                            ErrorCode.FORBIDDEN,
                            ackedBy.get().pseudonym() + " took this alert; only they may check in"));
                }
                if (member.id().equals(moderator.id())) {
                    return CompletableFuture.failedFuture(
                            new Refusal(ErrorCode.FORBIDDEN, "you cannot check in with yourself"));
                }
                CheckIn checkIn = new CheckIn(
                        newId("ci-"),
                        alertId,
                        moderator,
                        member,
                        // Written in the language the member reads, else the one it wrote in.
                        MemberLanguage.priorities(alert.authorLanguage(), alert.language()),
                        clock.millis(),
                        CheckIn.OFFERED);
                return records.offerCheckIn(checkIn)
                        .thenCompose(isNew -> isNew
                                ? offered(checkIn)
                                : records.checkInOf(alertId).thenCompose(earlier -> again(earlier.orElseThrow())))
                        .thenApply(sent -> new ServerMessage.CheckInSent(ref, sent.checkInId(), alertId, member));
            });
        });
    }

    private CompletableFuture<CheckIn> offered(CheckIn checkIn) {
        return store.audit(new AuditEntry(
                        checkIn.offeredAt(),
                        checkIn.moderator(),
                        "check_in_offered",
                        checkIn.member(),
                        null,
                        checkIn.checkInId(),
                        checkIn.alertId()))
                .thenApply(ignored -> {
                    send(checkIn);
                    return checkIn;
                });
    }

    private CompletableFuture<CheckIn> again(CheckIn earlier) {
        if (!earlier.status().equals(CheckIn.OFFERED)) {
            return CompletableFuture.failedFuture(new Refusal(
                    ErrorCode.FORBIDDEN,
                    earlier.member().pseudonym() + " has " + earlier.status() + " this check-in already"));
        }
        send(earlier);
        return CompletableFuture.completedFuture(earlier);
    }

    private void send(CheckIn checkIn) {
        String words = CrisisTexts.text(
                checkIn.language(), "check_in.offer", checkIn.moderator().pseudonym());
        failures.watch(
                "check-in send",
                store.toUser(
                        checkIn.member().id(),
                        new ServerMessage.CheckInOffer(checkIn.checkInId(), checkIn.moderator(), words)));
    }

    /**
     * The member answers a check-in offered to it; the caller opens the session when it accepts. A declined check-in
     * is told to its moderator.
     */
    public CompletableFuture<CheckIn> answerCheckIn(UserInfo member, String checkInId, boolean accept) {
        return records.answerCheckIn(checkInId, member.id(), accept).thenCompose(answered -> {
            if (answered.isEmpty()) {
                return CompletableFuture.failedFuture(new Refusal(
                        ErrorCode.CHECK_IN_NOT_FOUND, "no check-in '" + checkInId + "' waits for your answer"));
            }
            CheckIn checkIn = answered.get();
            return store.audit(new AuditEntry(
                            clock.millis(),
                            member,
                            accept ? "check_in_accepted" : "check_in_declined",
                            member,
                            null,
                            checkInId,
                            null))
                    .thenApply(ignored -> {
                        if (!accept) {
                            failures.watch(
                                    "check-in answer send",
                                    store.toUser(
                                            checkIn.moderator().id(),
                                            new ServerMessage.CheckInDeclined(checkInId, member)));
                        }
                        return checkIn;
                    });
        });
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Reporters

    /**
     * A report was resolved: its reporter is told, in neutral words and in the language it reported in (kept with the
     * report, so any node, after any restart, tells it alike), when the deployment says so.
     */
    public void reportResolved(ServerMessage.ReportInfo report) {
        if (!tellReporters || report.reporter() == null) {
            return;
        }
        failures.watch(
                "report outcome send",
                store.toUser(
                        report.reporter().id(),
                        new ServerMessage.ReportOutcome(
                                report.reportId(), CrisisTexts.text(report.reporterLanguage(), "report.outcome"))));
    }

    private static String newId(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "");
    }
}
