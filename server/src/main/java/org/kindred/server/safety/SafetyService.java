package org.kindred.server.safety;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.kindred.protocol.ClientMessage;
import org.kindred.protocol.CrisisResource;
import org.kindred.protocol.ErrorCode;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.AuditEntry;
import org.kindred.protocol.ServerMessage.ChatMessage;
import org.kindred.protocol.ServerMessage.ReportInfo;
import org.kindred.protocol.ServerMessage.SanctionInfo;
import org.kindred.protocol.UserInfo;
import org.kindred.server.metrics.KindredMetrics;
import org.kindred.server.safety.CrisisDetector.CrisisHit;

/**
 * Crisis alerts, reports and the audit log. Plain Java: the store decides what must be atomic, and carries events to
 * moderators wherever they are connected.
 */
public final class SafetyService {

    /**
     * Who else must hear of a crisis in a room, besides moderators: the mentor of a one-to-one session when the author
     * is its member; the facilitators of a group meeting.
     */
    @FunctionalInterface
    public interface Helpers {
        List<String> toAlert(String room, String authorId);
    }

    /** The words sent with crisis resources. */
    static final String CRISIS_WORDS = "It sounds like you are going through something very hard right now. You are "
            + "not alone: people here have been told and will reach out. If you are in danger, please contact one of "
            + "these now.";

    private final CrisisDetector detector;
    private final SafetyStore store;
    private final Function<String, List<CrisisResource>> resourcesFor;
    private final Helpers helpers;
    private final KindredMetrics metrics;
    private final Clock clock;

    public SafetyService(
            CrisisDetector detector,
            SafetyStore store,
            Function<String, List<CrisisResource>> resourcesFor,
            Helpers helpers,
            KindredMetrics metrics,
            Clock clock) {
        this.detector = detector;
        this.store = store;
        this.resourcesFor = resourcesFor;
        this.helpers = helpers;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Reads a message about to be posted; a hit never stops it. */
    public Optional<CrisisHit> screen(String text) {
        return detector.detect(text);
    }

    /** Reads a message already normalised for the content rules; a hit never stops it. */
    public Optional<CrisisHit> screen(NormalizedText text) {
        return detector.detect(text);
    }

    /** What the author of a message that read like a crisis is sent, privately and at once. */
    public ServerMessage.CrisisSupport supportFor(ChatMessage message, CrisisHit hit) {
        return new ServerMessage.CrisisSupport(
                message.room(), message.seq(), CRISIS_WORDS, resourcesFor.apply(hit.language()));
    }

    /** Alerts moderators (and the session's mentor, the group's facilitators) of a posted message that read like a crisis, and records it. */
    public CompletableFuture<ServerMessage.Alert> raise(ChatMessage message, CrisisHit hit) {
        ServerMessage.Alert alert =
                new ServerMessage.Alert(newId("a-"), "crisis", message, hit.language(), hit.rule(), clock.millis());
        metrics.crisisAlert();
        store.toModerators(alert);
        helpers.toAlert(message.room(), message.author().id()).forEach(helper -> store.toUser(helper, alert));
        return store.recordAlert(alert)
                .thenCompose(ignored -> store.audit(new AuditEntry(
                        alert.createdAt(),
                        null,
                        "alert_raised",
                        message.author(),
                        message.room(),
                        alert.alertId(),
                        "crisis: " + hit.rule())))
                .thenApply(ignored -> alert);
    }

    /** The alerts nobody has acknowledged yet, oldest first: what a moderator signing in must see. */
    public CompletableFuture<ServerMessage.Alerts> openAlerts(String ref) {
        return store.openAlerts().thenApply(alerts -> new ServerMessage.Alerts(ref, alerts));
    }

    /** A moderator takes charge of an alert. */
    public CompletableFuture<ServerMessage.AlertAcked> acknowledge(UserInfo moderator, String alertId, String ref) {
        long now = clock.millis();
        return store.alert(alertId).thenCompose(found -> {
            if (found.isEmpty()) {
                return CompletableFuture.failedFuture(
                        new SafetyException(ErrorCode.ALERT_NOT_FOUND, "no alert '" + alertId + "'"));
            }
            ServerMessage.Alert alert = found.get();
            return store.acknowledge(alertId, moderator, now).thenCompose(ack -> {
                long waited = ack.at() - alert.createdAt();
                ServerMessage.AlertAcked acked =
                        new ServerMessage.AlertAcked(ref, alertId, ack.by(), ack.at(), waited, ack.first());
                if (!ack.first()) {
                    return CompletableFuture.completedFuture(acked);
                }
                metrics.alertAcknowledged(waited);
                store.toModerators(new ServerMessage.AlertAcked(null, alertId, ack.by(), ack.at(), waited, true));
                return store.audit(new AuditEntry(
                                now,
                                moderator,
                                "alert_acked",
                                alert.message().author(),
                                alert.message().room(),
                                alertId,
                                null))
                        .thenApply(ignored -> acked);
            });
        });
    }

    /**
     * Files a report of a message, with the message and its neighbours as they are now. The reported member is told
     * nothing; moderators see who reported.
     *
     * @param around the reported message's neighbours, oldest first, including it
     */
    public CompletableFuture<ServerMessage.ReportReceived> report(
            UserInfo reporter, long seq, List<ChatMessage> around, String category, String comment, String ref) {
        Optional<ChatMessage> reported =
                around.stream().filter(m -> m.seq() == seq).findFirst();
        if (reported.isEmpty()) {
            return CompletableFuture.failedFuture(
                    new SafetyException(ErrorCode.MESSAGE_NOT_FOUND, "no message " + seq + " is kept in that room"));
        }
        ChatMessage message = reported.get();
        List<ChatMessage> context = around.stream().filter(m -> m.seq() != seq).toList();
        ReportInfo report = new ReportInfo(
                newId("rp-"),
                category,
                comment,
                message,
                context,
                reporter,
                clock.millis(),
                "open",
                null,
                null,
                message.author().id());
        metrics.reportOpened();
        return store.fileReport(report)
                .thenCompose(ignored -> store.audit(new AuditEntry(
                        report.createdAt(),
                        reporter,
                        "report_filed",
                        message.author(),
                        message.room(),
                        report.reportId(),
                        category)))
                .thenApply(ignored -> {
                    store.toModerators(new ServerMessage.ReportFiled(report));
                    return new ServerMessage.ReportReceived(ref, report.reportId());
                });
    }

    public CompletableFuture<ServerMessage.Reports> openReports(String ref) {
        return store.openReports().thenApply(reports -> new ServerMessage.Reports(ref, reports));
    }

    /** A moderator closes a report. */
    public CompletableFuture<ServerMessage.ReportResolved> resolve(
            UserInfo moderator, String reportId, String resolution, String ref) {
        return store.resolve(reportId, moderator, resolution).thenCompose(resolved -> {
            if (resolved.isEmpty()) {
                return CompletableFuture.failedFuture(
                        new SafetyException(ErrorCode.REPORT_NOT_FOUND, "no open report '" + reportId + "'"));
            }
            ReportInfo report = resolved.get();
            metrics.reportResolved(clock.millis() - report.createdAt());
            store.toModerators(new ServerMessage.ReportResolved(null, reportId, moderator, resolution));
            return store.audit(new AuditEntry(
                            clock.millis(),
                            moderator,
                            "report_resolved",
                            reported(report),
                            report.message() == null ? null : report.message().room(),
                            reportId,
                            resolution))
                    .thenApply(ignored -> new ServerMessage.ReportResolved(ref, reportId, moderator, resolution));
        });
    }

    /** Whether a member who signs in now is still new: first seen less than {@code period} ago. */
    public CompletableFuture<Boolean> isNewMember(String userId, java.time.Duration period) {
        long now = clock.millis();
        return store.firstSeen(userId, now).thenApply(first -> now - first < period.toMillis());
    }

    /**
     * Holds a message a room's rules want reviewed: moderators are shown it; the author is told it waits (the caller
     * answers its send with {@code held_for_review}). The held id comes from the author and the client message id,
     * so a resend of the same message is held once.
     */
    public CompletableFuture<ServerMessage.HeldMessage> hold(
            UserInfo author, String room, String clientMsgId, String text, String rule) {
        ServerMessage.HeldMessage held = new ServerMessage.HeldMessage(
                heldId(author.id(), clientMsgId), room, author, text, clientMsgId, rule, clock.millis());
        return store.hold(held)
                .thenCompose(isNew -> !isNew
                        ? CompletableFuture.completedFuture(held)
                        : store.audit(new AuditEntry(
                                        held.heldAt(), null, "message_held", author, room, held.heldId(), rule))
                                .thenApply(ignored -> {
                                    store.toModerators(held);
                                    return held;
                                }));
    }

    private static String heldId(String authorId, String clientMsgId) {
        return "h-"
                + UUID.nameUUIDFromBytes(
                                (authorId + "\n" + clientMsgId).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .toString()
                        .replace("-", "");
    }

    /** Takes a held message out for review; the caller posts it (approval) and then records the review. */
    public CompletableFuture<ServerMessage.HeldMessage> takeForReview(String heldId) {
        return store.takeHeld(heldId)
                .thenCompose(taken -> taken.isPresent()
                        ? CompletableFuture.completedFuture(taken.get())
                        : CompletableFuture.failedFuture(new SafetyException(
                                ErrorCode.HELD_NOT_FOUND, "no held message '" + heldId + "' to review")));
    }

    /** Records a review; a rejected message's author is told. */
    public CompletableFuture<Void> reviewed(
            UserInfo moderator, ServerMessage.HeldMessage held, boolean approved, String note) {
        if (!approved) {
            store.toUser(
                    held.author().id(),
                    new ServerMessage.MessageRejected(
                            held.room(),
                            held.clientMsgId(),
                            note == null ? "a moderator did not approve this message" : note));
        }
        return store.audit(new AuditEntry(
                clock.millis(),
                moderator,
                approved ? "held_approved" : "held_rejected",
                held.author(),
                held.room(),
                held.heldId(),
                note));
    }

    /** Puts a held message back (its approval could not be posted). */
    public CompletableFuture<Void> putBack(ServerMessage.HeldMessage held) {
        return store.hold(held).thenAccept(ignored -> {});
    }

    /** A moderator deleted a message: it is recorded (never its text). */
    public CompletableFuture<ServerMessage.Done> deleted(
            UserInfo moderator, String room, long seq, Optional<ChatMessage> tombstone, String reason, String ref) {
        if (tombstone.isEmpty()) {
            return CompletableFuture.failedFuture(
                    new SafetyException(ErrorCode.MESSAGE_NOT_FOUND, "no message " + seq + " is kept in that room"));
        }
        return store.audit(new AuditEntry(
                        clock.millis(),
                        moderator,
                        "message_deleted",
                        tombstone.get().author(),
                        room,
                        tombstone.get().id(),
                        reason))
                .thenApply(ignored -> new ServerMessage.Done(ref, "delete_message"));
    }

    /**
     * A user blocks another: hidden both ways everywhere from now on, never matched one to one. The block also files
     * a report, so moderators see a pattern of blocks.
     */
    public CompletableFuture<ServerMessage.Done> block(UserInfo blocker, String blockedId, String comment, String ref) {
        if (blockedId.equals(blocker.id())) {
            return CompletableFuture.failedFuture(
                    new SafetyException(ErrorCode.INVALID_FIELD, "you cannot block yourself"));
        }
        long now = clock.millis();
        ReportInfo report = new ReportInfo(
                newId("rp-"),
                "other",
                "blocked" + (comment == null ? "" : ": " + comment),
                null,
                List.of(),
                blocker,
                now,
                "open",
                null,
                null,
                blockedId);
        metrics.reportOpened();
        return store.block(blocker.id(), blockedId)
                .thenCompose(ignored -> store.fileReport(report))
                .thenCompose(ignored -> store.audit(new AuditEntry(
                        now,
                        blocker,
                        "user_blocked",
                        new UserInfo(blockedId, blockedId, "member"),
                        null,
                        report.reportId(),
                        comment)))
                .thenApply(ignored -> {
                    store.toModerators(new ServerMessage.ReportFiled(report));
                    return new ServerMessage.Done(ref, "block");
                });
    }

    /** A user lifts its block. */
    public CompletableFuture<ServerMessage.Done> unblock(UserInfo blocker, String blockedId, String ref) {
        return store.unblock(blocker.id(), blockedId)
                .thenCompose(ignored -> store.audit(new AuditEntry(
                        clock.millis(),
                        blocker,
                        "user_unblocked",
                        new UserInfo(blockedId, blockedId, "member"),
                        null,
                        null,
                        null)))
                .thenApply(ignored -> new ServerMessage.Done(ref, "unblock"));
    }

    /** Whether either user blocked the other. */
    public boolean hidden(String a, String b) {
        return store.blocks().hidden(a, b);
    }

    /** The sanctions in force, checked on a sanctioned member's commands. */
    public Sanctions sanctions() {
        return store.sanctions();
    }

    /** A sanction of this kind in force now, by this service's clock, for this user (for room bans, in that room). */
    public Optional<SanctionInfo> sanctionInForce(String userId, String kind, String room) {
        return store.sanctions().find(userId, kind, room, clock.millis());
    }

    /** A moderator sanctions a member; it is carried out on every node and recorded. */
    public CompletableFuture<ServerMessage.Sanctioned> sanction(UserInfo moderator, ClientMessage.Sanction command) {
        long now = clock.millis();
        Long until = command.durationSeconds() == null || command.kind().equals("warn")
                ? null
                : now + command.durationSeconds() * 1000;
        ServerMessage.SanctionInfo sanction = new ServerMessage.SanctionInfo(
                newId("sn-"),
                command.userId(),
                command.kind(),
                command.kind().equals("room_ban") ? command.room() : null,
                command.reason(),
                moderator,
                now,
                until);
        metrics.sanction(command.kind());
        return store.applySanction(sanction)
                .thenCompose(ignored -> store.audit(new AuditEntry(
                        now,
                        moderator,
                        "sanction_applied",
                        new UserInfo(command.userId(), command.userId(), "member"),
                        sanction.room(),
                        sanction.sanctionId(),
                        command.kind() + ": " + command.reason())))
                .thenApply(ignored -> new ServerMessage.Sanctioned(command.ref(), sanction));
    }

    /** A moderator lifts a sanction early. */
    public CompletableFuture<ServerMessage.SanctionLifted> lift(
            UserInfo moderator, String sanctionId, String reason, String ref) {
        return store.liftSanction(sanctionId).thenCompose(lifted -> {
            if (lifted.isEmpty()) {
                return CompletableFuture.failedFuture(
                        new SafetyException(ErrorCode.SANCTION_NOT_FOUND, "no sanction '" + sanctionId + "' in force"));
            }
            ServerMessage.SanctionInfo sanction = lifted.get();
            return store.audit(new AuditEntry(
                            clock.millis(),
                            moderator,
                            "sanction_lifted",
                            new UserInfo(sanction.userId(), sanction.userId(), "member"),
                            sanction.room(),
                            sanctionId,
                            reason))
                    .thenApply(ignored -> new ServerMessage.SanctionLifted(ref, sanctionId, sanction.kind()));
        });
    }

    public CompletableFuture<ServerMessage.AuditEntries> auditLog(Integer limit, String ref) {
        return store.auditLog(limit == null ? 100 : limit)
                .thenApply(entries -> new ServerMessage.AuditEntries(ref, entries));
    }

    /** The user a report is about, as the audit log names it. */
    private static UserInfo reported(ReportInfo report) {
        return report.message() != null
                ? report.message().author()
                : new UserInfo(report.reportedUserId(), report.reportedUserId(), "member");
    }

    private static String newId(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "");
    }
}
