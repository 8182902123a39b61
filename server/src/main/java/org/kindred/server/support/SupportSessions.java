package org.kindred.server.support;

import java.util.List;
import java.util.Optional;
import org.kindred.protocol.ErrorCode;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.UserInfo;
import org.kindred.server.connection.Refusal;

/**
 * Sessions once matched: who may use their room, ending them, feedback (ratings, mentors' notes), hand-offs and the
 * deletion of a transcript.
 */
final class SupportSessions {

    private final SupportLedger ledger;
    private final Matchmaker matchmaker;

    SupportSessions(SupportLedger ledger, Matchmaker matchmaker) {
        this.ledger = ledger;
        this.matchmaker = matchmaker;
    }

    /** Whether this user may read and write the session's room now. */
    boolean canAccess(String userId, String sessionId) {
        ledger.lock.lock();
        try {
            SupportSession session = ledger.sessions.get(sessionId);
            return session != null && session.isParticipant(userId);
        } finally {
            ledger.lock.unlock();
        }
    }

    /** The session's mentor now, if it has one. */
    Optional<String> mentorOf(String sessionId) {
        ledger.lock.lock();
        try {
            SupportSession session = ledger.sessions.get(sessionId);
            return session == null || session.mentor == null ? Optional.empty() : Optional.of(session.mentor.id());
        } finally {
            ledger.lock.unlock();
        }
    }

    /** Whether the session takes messages (it exists and has not ended). */
    boolean isOpen(String sessionId) {
        ledger.lock.lock();
        try {
            SupportSession session = ledger.sessions.get(sessionId);
            return session != null && !session.ended();
        } finally {
            ledger.lock.unlock();
        }
    }

    /** A message was posted in the session: it is not idle. */
    boolean touched(String sessionId, long everyMillis) {
        return ledger.locked(() -> {
            SupportSession session = ledger.sessions.get(sessionId);
            if (session == null || session.ended()) {
                return true;
            }
            long now = ledger.clock.millis();
            if (now - session.lastActivity < everyMillis) {
                return false;
            }
            session.lastActivity = now;
            return true;
        });
    }

    /** Either participant ends the session. */
    ServerMessage.Done end(UserInfo user, String sessionId, String ref) {
        return ledger.locked(() -> {
            SupportSession session = participantSession(user, sessionId);
            if (!session.ended()) {
                matchmaker.end(session, user, "ended");
            }
            matchmaker.match();
            matchmaker.updateWaiting();
            return new ServerMessage.Done(ref, "end_session");
        });
    }

    /**
     * One participant blocked the other: their open sessions end now, for both, as if the blocker had ended them (the
     * other side sees {@code session_ended} by the blocker and is not told of the block); an offer of the blocker's
     * request to the blocked mentor, or the other way round, is withdrawn. The member may ask again; the two are never
     * matched again.
     */
    void blocked(UserInfo blocker, String blockedId) {
        ledger.locked(() -> {
            ledger.sessions.values().stream()
                    .filter(s -> !s.ended() && s.isParticipant(blocker.id()) && s.isParticipant(blockedId))
                    .toList()
                    .forEach(session -> matchmaker.end(session, blocker, "ended"));
            ledger.requests.values().stream()
                    .filter(r -> r.offeredTo != null
                            && (r.member.id().equals(blocker.id()) && r.offeredTo.equals(blockedId)
                                    || r.member.id().equals(blockedId) && r.offeredTo.equals(blocker.id())))
                    .toList()
                    .forEach(r -> {
                        Mentor mentor = ledger.mentors.get(r.offeredTo);
                        if (mentor != null) {
                            matchmaker.passOn(r, mentor);
                        }
                    });
            matchmaker.match();
            matchmaker.updateWaiting();
            return null;
        });
    }

    /**
     * A moderator's check-in that the member accepted: a one-to-one session like any other (the same room kind, the
     * same privacy: only the two of them read it, never logged, its transcript kept as support's), with the moderator
     * in the mentor's place and the check-in's id as its request. It is not matched by the desk and has no mentor
     * grace: it lasts until either of them ends it, or it idles out.
     */
    ServerMessage.SessionStarted openCheckIn(
            UserInfo member, UserInfo moderator, String checkInId, String language, String ref) {
        return ledger.locked(() -> {
            SupportSession session = new SupportSession(
                    SupportLedger.newId(SessionRoomPolicy.KIND.idPrefix()),
                    checkInId,
                    member,
                    CHECK_IN,
                    language,
                    ledger.clock.millis());
            session.mentor = moderator;
            session.mentorsEver.add(moderator.id());
            ledger.sessions.put(session.id, session);
            ledger.notifier.notify(
                    moderator.id(),
                    new ServerMessage.SessionStarted(
                            null, session.id, checkInId, member, moderator, CHECK_IN, language, false));
            return new ServerMessage.SessionStarted(
                    ref, session.id, checkInId, member, moderator, CHECK_IN, language, false);
        });
    }

    /** The {@code condition} of a check-in's session. */
    static final String CHECK_IN = "check_in";

    /** The member rates a session that ended, 1 to 5, with an optional comment. */
    ServerMessage.Done rate(UserInfo user, String sessionId, int rating, String comment, String ref) {
        return ledger.locked(() -> {
            SupportSession session = ledger.sessions.get(sessionId);
            if (session == null || !session.member.id().equals(user.id())) {
                throw new Refusal(ErrorCode.SESSION_NOT_FOUND, "no session '" + sessionId + "' of yours");
            }
            if (!session.ended()) {
                throw new Refusal(ErrorCode.FORBIDDEN, "rate the session once it has ended");
            }
            session.rating = rating;
            session.comment = comment;
            ledger.metrics.sessionRated(rating);
            ledger.records.rated(recordOf(session));
            return new ServerMessage.Done(ref, "rate_session");
        });
    }

    /** A mentor of the session leaves a private note for moderators. */
    ServerMessage.Done note(UserInfo user, String sessionId, String note, String ref) {
        return ledger.locked(() -> {
            SupportSession session = ledger.sessions.get(sessionId);
            if (session == null || !session.mentorsEver.contains(user.id())) {
                throw new Refusal(ErrorCode.SESSION_NOT_FOUND, "no session '" + sessionId + "' of yours");
            }
            session.mentorNotes.add(note);
            ledger.records.noted(session.id, user.id(), note, ledger.clock.millis());
            return new ServerMessage.Done(ref, "mentor_note");
        });
    }

    /** The session's mentor proposes to hand it to another mentor; the member decides. */
    ServerMessage.Done proposeHandoff(UserInfo user, String sessionId, String toMentorId, String reason, String ref) {
        return ledger.locked(() -> {
            SupportSession session = participantSession(user, sessionId);
            if (session.mentor == null || !session.mentor.id().equals(user.id()) || session.ended()) {
                throw new Refusal(ErrorCode.FORBIDDEN, "only the session's mentor may hand it over");
            }
            if (session.handoff != null
                    || ledger.requests.values().stream().anyMatch(r -> session.id.equals(r.sessionId))) {
                throw new Refusal(ErrorCode.FORBIDDEN, "a hand-off of this session is already under way");
            }
            UserInfo to = null;
            if (toMentorId != null) {
                Mentor target = ledger.mentors.get(toMentorId);
                if (target == null || !target.available || !target.connected() || toMentorId.equals(user.id())) {
                    throw new Refusal(ErrorCode.INVALID_FIELD, "no other available mentor '" + toMentorId + "'");
                }
                to = target.user;
            }
            session.handoff = new SupportSession.Handoff(user, to, reason);
            ledger.notifier.notify(
                    session.member.id(), new ServerMessage.HandoffProposed(session.id, user, to, reason));
            return new ServerMessage.Done(ref, "propose_handoff");
        });
    }

    /**
     * The member consents to the hand-off (the session goes to the front of the queue, to the named mentor first,
     * and the current mentor stays until the next one takes it) or refuses it (nothing changes).
     */
    ServerMessage.Done answerHandoff(UserInfo user, String sessionId, boolean consent, String ref) {
        return ledger.locked(() -> {
            SupportSession session = ledger.sessions.get(sessionId);
            if (session == null
                    || !session.member.id().equals(user.id())
                    || session.handoff == null
                    || session.ended()) {
                throw new Refusal(ErrorCode.SESSION_NOT_FOUND, "no hand-off proposed in '" + sessionId + "'");
            }
            SupportSession.Handoff handoff = session.handoff;
            session.handoff = null;
            ledger.notifier.notify(
                    handoff.from().id(),
                    new ServerMessage.Done(null, consent ? "handoff_accepted" : "handoff_refused", session.id));
            if (consent) {
                Request next = matchmaker.continuation(session);
                next.preferredMentorId =
                        handoff.to() == null ? null : handoff.to().id();
                matchmaker.match();
                matchmaker.updateWaiting();
            }
            return new ServerMessage.Done(ref, "answer_handoff");
        });
    }

    /** A participant deletes the session's stored messages now (for both participants). */
    ServerMessage.Done deleteTranscript(UserInfo user, String sessionId, String ref) {
        return ledger.locked(() -> {
            SupportSession session = ledger.sessions.get(sessionId);
            if (session == null
                    || !(session.member.id().equals(user.id()) || session.mentorsEver.contains(user.id()))) {
                throw new Refusal(ErrorCode.SESSION_NOT_FOUND, "no session '" + sessionId + "' of yours");
            }
            ledger.rooms.erase(sessionId);
            return new ServerMessage.Done(ref, "delete_transcript");
        });
    }

    static SupportService.SessionRecord recordOf(SupportSession s) {
        return new SupportService.SessionRecord(
                s.id,
                s.member,
                List.copyOf(s.mentorsEver),
                s.startedAt,
                s.endedAt,
                s.rating,
                s.comment,
                List.copyOf(s.mentorNotes));
    }

    SupportSession participantSession(UserInfo user, String sessionId) {
        SupportSession session = ledger.sessions.get(sessionId);
        if (session == null || !session.isParticipant(user.id())) {
            throw new Refusal(ErrorCode.SESSION_NOT_FOUND, "no session '" + sessionId + "' of yours");
        }
        return session;
    }

    /** The record of a session (for moderators and tests): who, when, the rating and the mentors' notes. */
    Optional<SupportService.SessionRecord> record(String sessionId) {
        ledger.lock.lock();
        try {
            SupportSession session = ledger.sessions.get(sessionId);
            return Optional.ofNullable(session).map(SupportSessions::recordOf);
        } finally {
            ledger.lock.unlock();
        }
    }
}
