package org.kindred.client;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import org.kindred.protocol.ClientMessage;
import org.kindred.protocol.InvalidMessageException;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.AlertAcked;
import org.kindred.protocol.ServerMessage.AuditEntries;
import org.kindred.protocol.ServerMessage.AuditEntry;
import org.kindred.protocol.ServerMessage.ReportInfo;
import org.kindred.protocol.ServerMessage.ReportReceived;
import org.kindred.protocol.ServerMessage.ReportResolved;
import org.kindred.protocol.ServerMessage.Reports;
import org.kindred.protocol.ServerMessage.SanctionInfo;
import org.kindred.protocol.ServerMessage.SanctionLifted;
import org.kindred.protocol.ServerMessage.Sanctioned;

/**
 * The safety commands behind {@link KindredClient}: reporting a message, blocking a user, and the moderators' alerts,
 * reports, audit log, sanctions, deletions and reviews of held messages. Validates and builds them (argument errors throw {@link IllegalArgumentException} on the calling thread) and
 * hands them to a {@link Channel}. Stateless, so thread-safe.
 */
final class SafetyCommands {

    /** How the commands reach the server. */
    @FunctionalInterface
    interface Channel {
        /**
         * Sends the command when a session is open and completes with {@code result} applied to its typed reply;
         * otherwise fails with {@link KindredException#NOT_CONNECTED}.
         */
        <T extends ServerMessage, R> CompletableFuture<R> call(
                ClientMessage command, Class<T> replyType, Function<T, R> result);
    }

    /** The report categories, sorted, for error messages (the protocol's set has no stable order). */
    private static final String CATEGORIES =
            String.join(", ", ClientMessage.REPORT_CATEGORIES.stream().sorted().toList());

    private final Supplier<String> refs;
    private final Channel channel;

    SafetyCommands(Supplier<String> refs, Channel channel) {
        this.refs = refs;
        this.channel = channel;
    }

    CompletableFuture<ReportReceived> report(String room, long seq, String category, String comment) {
        // A missing or blank category is left to the protocol's own message ("missing field 'category'"...).
        if (category != null && !category.isBlank() && !ClientMessage.REPORT_CATEGORIES.contains(category)) {
            throw new IllegalArgumentException("field 'category' must be one of " + CATEGORIES);
        }
        return call(
                validate(() -> new ClientMessage.Report(refs.get(), room, seq, category, comment)),
                ReportReceived.class);
    }

    CompletableFuture<AlertAcked> ackAlert(String alertId) {
        return call(validate(() -> new ClientMessage.AckAlert(refs.get(), alertId)), AlertAcked.class);
    }

    CompletableFuture<List<ServerMessage.Alert>> listAlerts() {
        return channel.call(
                new ClientMessage.ListAlerts(refs.get()), ServerMessage.Alerts.class, ServerMessage.Alerts::alerts);
    }

    CompletableFuture<List<ReportInfo>> listReports() {
        return channel.call(new ClientMessage.ListReports(refs.get()), Reports.class, Reports::reports);
    }

    CompletableFuture<ReportResolved> resolveReport(String reportId, String resolution) {
        return call(
                validate(() -> new ClientMessage.ResolveReport(refs.get(), reportId, resolution)),
                ReportResolved.class);
    }

    CompletableFuture<List<AuditEntry>> auditLog(Integer limit) {
        return channel.call(
                validate(() -> new ClientMessage.ReadAudit(refs.get(), limit)),
                AuditEntries.class,
                AuditEntries::entries);
    }

    CompletableFuture<SanctionInfo> sanction(
            String userId, String kind, String room, String reason, Long durationSeconds) {
        return channel.call(
                validate(() -> new ClientMessage.Sanction(refs.get(), userId, kind, room, reason, durationSeconds)),
                Sanctioned.class,
                Sanctioned::sanction);
    }

    CompletableFuture<Void> liftSanction(String sanctionId, String reason) {
        return channel.call(
                validate(() -> new ClientMessage.LiftSanction(refs.get(), sanctionId, reason)),
                SanctionLifted.class,
                lifted -> null);
    }

    CompletableFuture<Void> deleteMessage(String room, long seq, String reason) {
        return done(validate(() -> new ClientMessage.DeleteMessage(refs.get(), room, seq, reason)));
    }

    CompletableFuture<Void> editMessage(String room, long seq, String text) {
        return done(validate(() -> new ClientMessage.EditMessage(refs.get(), room, seq, text)));
    }

    CompletableFuture<Void> block(String userId, String comment) {
        return done(validate(() -> new ClientMessage.Block(refs.get(), userId, comment)));
    }

    CompletableFuture<Void> unblock(String userId) {
        return done(validate(() -> new ClientMessage.Unblock(refs.get(), userId)));
    }

    CompletableFuture<Void> reviewHeld(String heldId, boolean approve, String note) {
        return done(validate(() -> new ClientMessage.ReviewHeld(refs.get(), heldId, approve, note)));
    }

    // Moderator queues, appeals and check-ins: pages come back whole, with their nextCursor.

    CompletableFuture<ServerMessage.HeldMessages> listHeld(String cursor, Integer limit) {
        return call(
                validate(() -> new ClientMessage.ListHeld(refs.get(), cursor, limit)),
                ServerMessage.HeldMessages.class);
    }

    CompletableFuture<ServerMessage.MentorNotes> listNotes(String cursor, Integer limit) {
        return call(
                validate(() -> new ClientMessage.ListNotes(refs.get(), cursor, limit)),
                ServerMessage.MentorNotes.class);
    }

    CompletableFuture<ServerMessage.SessionRatings> listRatings(Integer maxRating, String cursor, Integer limit) {
        return call(
                validate(() -> new ClientMessage.ListRatings(refs.get(), maxRating, cursor, limit)),
                ServerMessage.SessionRatings.class);
    }

    CompletableFuture<ServerMessage.Sanctions> listSanctions(String userId, String cursor, Integer limit) {
        return call(
                validate(() -> new ClientMessage.ListSanctions(refs.get(), userId, cursor, limit)),
                ServerMessage.Sanctions.class);
    }

    CompletableFuture<ServerMessage.MemberHistoryPage> memberHistory(
            String userId, List<String> actions, Long since, Long until, String cursor, Integer limit) {
        return call(
                validate(() ->
                        new ClientMessage.MemberHistory(refs.get(), userId, actions, since, until, cursor, limit)),
                ServerMessage.MemberHistoryPage.class);
    }

    CompletableFuture<String> appeal(String sanctionId, String text) {
        return channel.call(
                validate(() -> new ClientMessage.Appeal(refs.get(), sanctionId, text)),
                ServerMessage.AppealReceived.class,
                ServerMessage.AppealReceived::appealId);
    }

    CompletableFuture<ServerMessage.Appeals> listAppeals(String cursor, Integer limit) {
        return call(
                validate(() -> new ClientMessage.ListAppeals(refs.get(), cursor, limit)), ServerMessage.Appeals.class);
    }

    CompletableFuture<ServerMessage.AppealDecided> decideAppeal(String appealId, boolean lift, String note) {
        return call(
                validate(() -> new ClientMessage.DecideAppeal(refs.get(), appealId, lift, note)),
                ServerMessage.AppealDecided.class);
    }

    CompletableFuture<ServerMessage.CheckInSent> checkIn(String alertId) {
        return call(validate(() -> new ClientMessage.CheckIn(refs.get(), alertId)), ServerMessage.CheckInSent.class);
    }

    /** Accepted: the session that starts; declined: empty. */
    CompletableFuture<java.util.Optional<ServerMessage.SessionStarted>> answerCheckIn(
            String checkInId, boolean accept) {
        return channel.call(
                validate(() -> new ClientMessage.AnswerCheckIn(refs.get(), checkInId, accept)),
                ServerMessage.class,
                reply -> reply instanceof ServerMessage.SessionStarted started
                        ? java.util.Optional.of(started)
                        : java.util.Optional.empty());
    }

    /** A command answered {@code done}: completes with null. */
    private CompletableFuture<Void> done(ClientMessage command) {
        return channel.call(command, ServerMessage.Done.class, done -> null);
    }

    private <T extends ServerMessage> CompletableFuture<T> call(ClientMessage command, Class<T> replyType) {
        return channel.call(command, replyType, Function.identity());
    }

    private static <T extends ClientMessage> T validate(Supplier<T> command) {
        try {
            return command.get();
        } catch (InvalidMessageException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
