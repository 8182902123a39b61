package org.kindred.server.safety;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.kindred.protocol.ServerMessage.AppealInfo;
import org.kindred.protocol.ServerMessage.AuditEntry;
import org.kindred.protocol.ServerMessage.HeldMessage;
import org.kindred.protocol.ServerMessage.NoteInfo;
import org.kindred.protocol.ServerMessage.RatingInfo;
import org.kindred.protocol.ServerMessage.SanctionInfo;
import org.kindred.protocol.UserInfo;

/**
 * The durable records moderators work from, read a page at a time in a stable order, and the two records of their
 * own that queues add: appeals and check-ins. They live in SQL (one database for every node of a cluster), so every
 * list is the same whichever node reads it. Each decision (an appeal decided, a check-in answered) is one conditional
 * statement: of two at once, one wins.
 *
 * <p>Pages are read by key, never by offset: a {@link Cursor} names the last item of the page before, and the next
 * page starts after it, so items arriving or leaving meanwhile neither repeat nor skip.
 */
public interface ModerationRecords {

    /** One page of a list, and where the next one starts (null on the last page). */
    record Page<T>(List<T> items, Cursor next) {
        public Page {
            items = List.copyOf(items);
        }
    }

    /** Messages held for review within the retention, oldest first. */
    CompletableFuture<Page<HeldMessage>> held(Cursor after, int limit);

    /** Mentors' notes, oldest first. */
    CompletableFuture<Page<NoteInfo>> notes(Cursor after, int limit);

    /** Ratings of ended sessions at or below {@code maxRating}, oldest first. */
    CompletableFuture<Page<RatingInfo>> ratings(int maxRating, Cursor after, int limit);

    /** Sanctions in force at {@code now} (warnings excluded), oldest first; only this user's when not null. */
    CompletableFuture<Page<SanctionInfo>> sanctionsInForce(String userId, long now, Cursor after, int limit);

    /**
     * Audit entries about one user, newest first.
     *
     * @param actions only these actions; empty for all
     * @param since   at or after, or null
     * @param until   before, or null
     */
    CompletableFuture<Page<AuditEntry>> history(
            String userId, List<String> actions, Long since, Long until, Cursor after, int limit);

    /** A sanction that still stands at {@code now}: not lifted, and not over (a warning always stands). */
    CompletableFuture<Optional<SanctionInfo>> standingSanction(String sanctionId, long now);

    /** Files an appeal; false when its sanction was appealed already. */
    CompletableFuture<Boolean> fileAppeal(AppealInfo appeal);

    /** Appeals waiting for a decision, oldest first. */
    CompletableFuture<Page<AppealInfo>> openAppeals(Cursor after, int limit);

    /**
     * Decides an open appeal: the sanction is lifted ({@code lift}) or upheld; empty when the appeal is unknown or was
     * decided already.
     */
    CompletableFuture<Optional<AppealInfo>> decideAppeal(
            String appealId, UserInfo by, boolean lift, String note, long at);

    /** Who acknowledged an alert first, if anyone did. */
    CompletableFuture<Optional<UserInfo>> acknowledgedBy(String alertId);

    /** A moderator's offer of a private check-in to the author of an alert. */
    record CheckIn(
            String checkInId,
            String alertId,
            UserInfo moderator,
            UserInfo member,
            String language,
            long offeredAt,
            String status) {

        public static final String OFFERED = "offered";

        public CheckIn answered(boolean accepted) {
            return new CheckIn(
                    checkInId, alertId, moderator, member, language, offeredAt, accepted ? "accepted" : "declined");
        }
    }

    /** Records a check-in; false when its alert had one already. */
    CompletableFuture<Boolean> offerCheckIn(CheckIn checkIn);

    /** The check-in of an alert, if one was offered. */
    CompletableFuture<Optional<CheckIn>> checkInOf(String alertId);

    /** The member answers a check-in still offered to it; empty when there is none by that id. */
    CompletableFuture<Optional<CheckIn>> answerCheckIn(String checkInId, String memberId, boolean accept);
}
