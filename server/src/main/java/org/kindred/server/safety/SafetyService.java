package org.kindred.server.safety;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.kindred.protocol.ClientMessage;
import org.kindred.protocol.ErrorCode;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.AuditEntry;
import org.kindred.protocol.ServerMessage.ChatMessage;
import org.kindred.protocol.ServerMessage.ReportInfo;
import org.kindred.protocol.ServerMessage.SanctionInfo;
import org.kindred.protocol.UserInfo;
import org.kindred.server.config.RoomRule;
import org.kindred.server.connection.Refusal;
import org.kindred.server.identity.Identity;
import org.kindred.server.metrics.KindredMetrics;
import org.kindred.server.room.RoomPolicy;
import org.kindred.server.runtime.Failures;

/**
 * Crisis alerts, reports and the audit log. Plain Java: the store decides what must be atomic, and carries events to
 * moderators wherever they are connected.
 */
public final class SafetyService {

    private final SafetyStore store;
    private final CrisisAlerts crisis;
    private final ModeratorQueues queues;
    private final KindredMetrics metrics;
    private final Failures failures;
    private final Clock clock;

    public SafetyService(
            CrisisDetector detector,
            SafetyStore store,
            ModerationRecords records,
            CrisisLines lines,
            KindredMetrics metrics,
            Clock clock) {
        this(
                detector,
                store,
                records,
                lines,
                metrics,
                clock,
                org.kindred.server.config.KindredConfig.DEFAULT_ESCALATE_AFTER,
                org.kindred.server.config.KindredConfig.DEFAULT_ESCALATE_AGAIN_AFTER,
                true);
    }

    /**
     * @param records            the durable records moderators' queues read, appeals and check-ins
     * @param escalateAfter      how long an alert waits for an acknowledgement before it escalates
     * @param escalateAgainAfter how long after that it escalates again
     * @param tellReporters      whether a reporter is told, in neutral words, that its report was dealt with
     */
    public SafetyService(
            CrisisDetector detector,
            SafetyStore store,
            ModerationRecords records,
            CrisisLines lines,
            KindredMetrics metrics,
            Clock clock,
            java.time.Duration escalateAfter,
            java.time.Duration escalateAgainAfter,
            boolean tellReporters) {
        this.store = store;
        this.metrics = metrics;
        this.failures = new Failures(metrics);
        this.crisis =
                new CrisisAlerts(detector, store, lines, metrics, failures, clock, escalateAfter, escalateAgainAfter);
        this.queues = new ModeratorQueues(store, records, failures, clock, tellReporters);
        this.clock = clock;
    }

    /** Moderators' queues, appeals and check-ins. */
    public ModeratorQueues queues() {
        return queues;
    }

    /** Someone who can help connected to this node or left it. */
    public void helpersChanged() {
        store.helpersChanged();
    }

    /** Crisis support and alerts. */
    public CrisisAlerts crisis() {
        return crisis;
    }

    /**
     * Files a report of a message, with the message and its neighbours as they are now. The reported member is told
     * nothing; moderators see who reported.
     *
     * @param reporterLanguage the language the reporter reads (a BCP 47 tag, null when it named none): its outcome
     *                         is told in it
     * @param around the reported message's neighbours, oldest first, including it
     */
    public CompletableFuture<ServerMessage.ReportReceived> report(
            UserInfo reporter,
            String reporterLanguage,
            long seq,
            List<ChatMessage> around,
            String category,
            String comment,
            String ref) {
        Optional<ChatMessage> reported =
                around.stream().filter(m -> m.seq() == seq).findFirst();
        if (reported.isEmpty()) {
            return CompletableFuture.failedFuture(
                    new Refusal(ErrorCode.MESSAGE_NOT_FOUND, "no message " + seq + " is kept in that room"));
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
                message.author().id(),
                reporterLanguage);
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
                    failures.watch("report send", store.toModerators(new ServerMessage.ReportFiled(report)));
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
                        new Refusal(ErrorCode.REPORT_NOT_FOUND, "no open report '" + reportId + "'"));
            }
            ReportInfo report = resolved.get();
            metrics.reportResolved(clock.millis() - report.createdAt());
            queues.reportResolved(report);
            failures.watch(
                    "report resolution send",
                    store.toModerators(new ServerMessage.ReportResolved(null, reportId, moderator, resolution)));
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
                                    failures.watch("held message send", store.toModerators(held));
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
                        : CompletableFuture.failedFuture(
                                new Refusal(ErrorCode.HELD_NOT_FOUND, "no held message '" + heldId + "' to review")));
    }

    /** Records a review; a rejected message's author is told. */
    public CompletableFuture<Void> reviewed(
            UserInfo moderator, ServerMessage.HeldMessage held, boolean approved, String note) {
        if (!approved) {
            failures.watch(
                    "rejection send",
                    store.toUser(
                            held.author().id(),
                            new ServerMessage.MessageRejected(
                                    held.room(),
                                    held.clientMsgId(),
                                    note == null ? "a moderator did not approve this message" : note)));
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
                    new Refusal(ErrorCode.MESSAGE_NOT_FOUND, "no message " + seq + " is kept in that room"));
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
    public CompletableFuture<ServerMessage.Done> block(
            UserInfo blocker, String blockerLanguage, String blockedId, String comment, String ref) {
        if (blockedId.equals(blocker.id())) {
            return CompletableFuture.failedFuture(new Refusal(ErrorCode.INVALID_FIELD, "you cannot block yourself"));
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
                blockedId,
                blockerLanguage);
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
                    failures.watch("report send", store.toModerators(new ServerMessage.ReportFiled(report)));
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
    public Optional<SanctionInfo> sanctionInForce(String userId, SanctionKind kind, String room) {
        return store.sanctions().find(userId, kind, room, clock.millis());
    }

    /**
     * The refusal of a post (or of typing) by this user in this room, when a sanction forbids it: a timeout anywhere,
     * a restriction in rooms its policy lets restrictions apply to, a ban from this room.
     */
    public Optional<Refusal> postingRefusal(String userId, String roomId, RoomPolicy policy) {
        return refusal(userId, SanctionKind.TIMEOUT, null)
                .or(() -> policy.restrictable() ? refusal(userId, SanctionKind.RESTRICT, null) : Optional.empty())
                .or(() -> refusal(userId, SanctionKind.ROOM_BAN, roomId));
    }

    /**
     * The first of a room's content rules that catches a post, with why; empty when none does. Only plain members'
     * posts are checked (mentors, facilitators and moderators are trusted), and rules for new members only theirs.
     */
    public Optional<Caught> contentCheck(Set<RoomRule> rules, Identity author, boolean newMember, String text) {
        if (!author.plainMember()) {
            return Optional.empty();
        }
        for (RoomRule rule : RoomRule.values()) {
            if (rules.contains(rule) && rule.appliesTo(newMember)) {
                Optional<String> why = ContentRules.caught(rule, text);
                if (why.isPresent()) {
                    return Optional.of(new Caught(rule, why.get()));
                }
            }
        }
        return Optional.empty();
    }

    /** A post a content rule caught: refused, or held for review when the rule holds. */
    public record Caught(RoomRule rule, String why) {}

    /**
     * The refusal of a command that a sanction of this kind in force forbids (for room bans, in that room): what the
     * member is told, until when and why.
     */
    public Optional<Refusal> refusal(String userId, SanctionKind kind, String room) {
        return sanctionInForce(userId, kind, room)
                .map(sanction -> new Refusal(
                        ErrorCode.SANCTIONED,
                        kind.toldMember()
                                + (sanction.until() == null ? "" : " until " + Instant.ofEpochMilli(sanction.until()))
                                + ", because: " + sanction.reason()));
    }

    /** A moderator sanctions a member; it is carried out on every node and recorded. */
    public CompletableFuture<ServerMessage.Sanctioned> sanction(UserInfo moderator, ClientMessage.Sanction command) {
        long now = clock.millis();
        SanctionKind kind = SanctionKind.fromWire(command.kind());
        Long until = command.durationSeconds() == null || !kind.lasts() ? null : now + command.durationSeconds() * 1000;
        ServerMessage.SanctionInfo sanction = new ServerMessage.SanctionInfo(
                newId("sn-"),
                command.userId(),
                command.kind(),
                kind.isAboutOneRoom() ? command.room() : null,
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
                        new Refusal(ErrorCode.SANCTION_NOT_FOUND, "no sanction '" + sanctionId + "' in force"));
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
