package org.kindred.server.support;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.SessionStarted;
import org.kindred.protocol.ServerMessage.SupportQueued;
import org.kindred.protocol.UserInfo;
import org.kindred.server.config.SupportConfig;
import org.kindred.server.metrics.KindredMetrics;
import org.kindred.server.safety.Blocks;
import org.kindred.server.safety.CrisisDetector;
import org.kindred.server.safety.CrisisLines;

/**
 * One-to-one peer support on this node: mentors' availability, the queue of requests, offers, sessions and their
 * record. Every change happens under one lock; events go out through {@link Notifier} while it is held (sending never
 * blocks). Time comes from a clock and {@link #tick()} is called every second, so tests move time instead of waiting.
 *
 * <p>The parts: {@link SupportRequests} (availability, requests, offers), {@link SupportSessions} (sessions, feedback,
 * hand-offs), {@link SupportUpkeep} (connections and time), {@link Matchmaker} (the queue and the matching rule,
 * {@code docs/support.md}) around a {@link SupportLedger} (the state, its lock, its snapshot). An offer that is
 * declined or not answered within the offer timeout moves on. Accepting is atomic: the first mentor to accept gets the
 * request, any other is told it was taken.
 */
public final class SupportService {

    /** Delivers an event to every connection of a user. */
    @FunctionalInterface
    public interface Notifier {
        void notify(String userId, ServerMessage event);
    }

    /** What the service needs of a session's room and its stored messages. */
    public interface SessionRooms {
        /** Deletes the stored messages of a session now. */
        void erase(String sessionId);

        /** Forgets a session's room entirely, once its retention is over. */
        void forget(String sessionId);

        /** Takes a user who is no longer a participant (a mentor who handed over) out of the session's room. */
        void evict(String sessionId, String userId);
    }

    private final SupportLedger ledger;
    private final SupportRequests requests;
    private final SupportSessions sessions;
    private final SupportUpkeep upkeep;
    private final Matchmaker matchmaker;

    /**
     * What support takes from safety.
     *
     * @param crisis    reads a request's note: one that reads like a crisis is served before every other new request
     *                  (crisis lines order by risk, not arrival), by an experienced mentor when one is free
     * @param blocks    two users of whom one blocked the other are never matched
     * @param lines     where to get urgent help, shown to a member when no mentor is free
     */
    public record Safeguards(CrisisDetector crisis, Blocks blocks, CrisisLines lines) {}

    /**
     * @param roomsForCondition the configured rooms about a condition, shown to a member when no mentor is free
     */
    public SupportService(
            SupportConfig settings,
            Safeguards safeguards,
            Notifier notifier,
            SessionRooms rooms,
            Function<String, List<String>> roomsForCondition,
            KindredMetrics metrics,
            Clock clock) {
        this(settings, safeguards, notifier, rooms, roomsForCondition, metrics, clock, SessionRecords.NONE);
    }

    /**
     * @param roomsForCondition the configured rooms about a condition, shown to a member when no mentor is free
     * @param records           where ended sessions, ratings and mentors' notes are kept
     */
    public SupportService(
            SupportConfig settings,
            Safeguards safeguards,
            Notifier notifier,
            SessionRooms rooms,
            Function<String, List<String>> roomsForCondition,
            KindredMetrics metrics,
            Clock clock,
            SessionRecords records) {
        this(settings, safeguards, notifier, rooms, roomsForCondition, metrics, clock, records, userId -> true);
    }

    /**
     * @param roomsForCondition the configured rooms about a condition, shown to a member when no mentor is free
     * @param records           where ended sessions, ratings and mentors' notes are kept
     * @param nearby            the users connected through this node: among mentors the matching rule ranks equal,
     *                          they are offered first, so nodes of a cluster that match at the same moment offer
     *                          different mentors instead of racing for one; of the waiting members, they are the
     *                          ones this node tells where they stand
     */
    public SupportService(
            SupportConfig settings,
            Safeguards safeguards,
            Notifier notifier,
            SessionRooms rooms,
            Function<String, List<String>> roomsForCondition,
            KindredMetrics metrics,
            Clock clock,
            SessionRecords records,
            Predicate<String> nearby) {
        this.ledger =
                new SupportLedger(settings, safeguards, notifier, rooms, roomsForCondition, metrics, clock, records);
        this.matchmaker = new Matchmaker(ledger, nearby);
        this.requests = new SupportRequests(ledger, matchmaker);
        this.sessions = new SupportSessions(ledger, matchmaker);
        this.upkeep = new SupportUpkeep(ledger, matchmaker);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Mentors and requests

    /** A mentor sets itself available (with what it covers and how many sessions it holds) or away. */
    public ServerMessage.Availability setAvailability(
            UserInfo user,
            boolean experienced,
            boolean available,
            List<String> conditions,
            List<String> languages,
            Integer capacity,
            String ref) {
        return requests.setAvailability(user, experienced, available, conditions, languages, capacity, ref);
    }

    /** A member asks for support; the answer says where the request stands. One open request per member. */
    public SupportQueued request(UserInfo member, String condition, String language, String note, String ref) {
        return requests.request(member, condition, language, note, ref);
    }

    /** A member withdraws its request; a session waiting for its next mentor ends with it. */
    public ServerMessage.SupportCancelled cancel(UserInfo member, String requestId, String ref) {
        return requests.cancel(member, requestId, ref);
    }

    /** The offered mentor (or one who let the offer pass) takes the request; the first to accept gets it. */
    public SessionStarted accept(UserInfo user, String requestId, String ref) {
        return requests.accept(user, requestId, ref);
    }

    /** The offered mentor passes; the request moves on. */
    public ServerMessage.Done decline(UserInfo user, String requestId, String ref) {
        return requests.decline(user, requestId, ref);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Sessions

    /** Whether this user may read and write the session's room now. */
    public boolean canAccess(String userId, String sessionId) {
        return sessions.canAccess(userId, sessionId);
    }

    /** The session's mentor now, if it has one. */
    public Optional<String> mentorOf(String sessionId) {
        return sessions.mentorOf(sessionId);
    }

    /** Whether the session takes messages (it exists and has not ended). */
    public boolean isOpen(String sessionId) {
        return sessions.isOpen(sessionId);
    }

    /** A message was posted in the session: it is not idle. */
    public void touched(String sessionId) {
        sessions.touched(sessionId, 0);
    }

    /**
     * A message was posted in the session, told by a store that writes a session's last activity at most every
     * {@code everyMillis}: returns false, changing nothing, while the session's last activity is more recent than that
     * (the store keeps the touch and tells it again later, so a session ends at most that late, never early); true when
     * the touch is done (written, or the session is gone or over).
     */
    public boolean touched(String sessionId, long everyMillis) {
        return sessions.touched(sessionId, everyMillis);
    }

    /** Either participant ends the session. */
    public ServerMessage.Done end(UserInfo user, String sessionId, String ref) {
        return sessions.end(user, sessionId, ref);
    }

    /** One participant blocked the other: their sessions end for both, and no offer stays open between them. */
    public void blocked(UserInfo blocker, String blockedId) {
        sessions.blocked(blocker, blockedId);
    }

    /** The member rates a session that ended, 1 to 5, with an optional comment. */
    public ServerMessage.Done rate(UserInfo user, String sessionId, int rating, String comment, String ref) {
        return sessions.rate(user, sessionId, rating, comment, ref);
    }

    /** A mentor of the session leaves a private note for moderators. */
    /** A moderator's check-in that the member accepted becomes a session (see {@code SupportSessions}). */
    public SessionStarted openCheckIn(
            UserInfo member, UserInfo moderator, String checkInId, String language, String ref) {
        return sessions.openCheckIn(member, moderator, checkInId, language, ref);
    }

    public ServerMessage.Done note(UserInfo user, String sessionId, String note, String ref) {
        return sessions.note(user, sessionId, note, ref);
    }

    /** The session's mentor proposes to hand it to another mentor; the member decides. */
    public ServerMessage.Done proposeHandoff(
            UserInfo user, String sessionId, String toMentorId, String reason, String ref) {
        return sessions.proposeHandoff(user, sessionId, toMentorId, reason, ref);
    }

    /**
     * The member consents to the hand-off (the session goes to the front of the queue, to the named mentor first,
     * and the current mentor stays until the next one takes it) or refuses it (nothing changes).
     */
    public ServerMessage.Done answerHandoff(UserInfo user, String sessionId, boolean consent, String ref) {
        return sessions.answerHandoff(user, sessionId, consent, ref);
    }

    /** A participant deletes the session's stored messages now (for both participants). */
    public ServerMessage.Done deleteTranscript(UserInfo user, String sessionId, String ref) {
        return sessions.deleteTranscript(user, sessionId, ref);
    }

    /** The record of a session (for moderators and tests): who, when, the rating and the mentors' notes. */
    public Optional<SessionRecord> record(String sessionId) {
        return sessions.record(sessionId);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Connections and time

    /** A user's first connection on this node: it hears where its request and sessions stand. */
    public void connected(UserInfo user) {
        upkeep.connected(user);
    }

    /**
     * A user's last connection on this node is gone. A mentor's availability goes with it (offers move on); its
     * sessions and a member's request wait for the grace period.
     */
    public void disconnected(String userId) {
        upkeep.disconnected(userId);
    }

    /**
     * Tells the waiting members connected through this node whose position, estimate or offer changed: a cluster node
     * calls it once it took in another node's changes (its own commands do it themselves).
     */
    public void tellWaiting() {
        ledger.lockedQuietly(matchmaker::updateWaiting);
    }

    /** Runs what is due: expired offers, members to tell, mentors gone too long, idle sessions, old transcripts. */
    public void tick() {
        upkeep.tick();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The state a cluster stores

    /** Everything this service holds, as values; {@code online} is left to the caller (a cluster's bookkeeping). */
    public SupportState snapshot(Map<String, List<String>> online) {
        return ledger.snapshot(online);
    }

    /** Replaces everything this service holds with a snapshot (taken here or on another node). */
    public void restore(SupportState state) {
        ledger.restore(state);
    }

    /**
     * Every entity this service holds, by key ({@code mentor:<user>}, {@code request:<id>}, {@code session:<id>},
     * {@code matched:<request>}, {@code wait}): what a cluster keeps one by one and compares before and after a
     * command to know what it changed.
     */
    public Map<String, Object> entities() {
        return ledger.entities();
    }

    /** Swaps entities in, as {@link #entities()} names them (a null value removes one). */
    public void apply(Map<String, ?> changes) {
        ledger.apply(changes);
    }

    /** The type of an entity's value, by its key, for a store that reads it back. */
    public static Class<?> entityType(String key) {
        if (key.startsWith(SupportLedger.MENTOR)) {
            return SupportState.MentorState.class;
        } else if (key.startsWith(SupportLedger.REQUEST)) {
            return SupportState.RequestState.class;
        } else if (key.startsWith(SupportLedger.SESSION)) {
            return SupportState.SessionState.class;
        } else if (key.startsWith(SupportLedger.MATCHED)) {
            return String.class;
        } else if (key.equals(SupportLedger.WAIT)) {
            return Double.class;
        } else if (key.startsWith(SupportLedger.EXPIRED)) {
            return SupportState.ExpiredRequest.class;
        }
        throw new IllegalArgumentException("no support entity '" + key + "'");
    }

    /** A statistic every node may overwrite (the average wait): written without comparing versions. */
    public static boolean isStatistic(String key) {
        return key.equals(SupportLedger.WAIT);
    }

    /**
     * What is kept of a session: never its messages (they are the transcript, kept apart and for less long).
     *
     * @param endedAt -1 while the session goes on
     * @param rating  null until the member rates it
     */
    public record SessionRecord(
            String id,
            UserInfo member,
            List<String> mentorIds,
            long startedAt,
            long endedAt,
            Integer rating,
            String comment,
            List<String> mentorNotes) {}
}
