package org.kindred.server.support;

import java.util.Iterator;
import java.util.List;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.SessionStarted;
import org.kindred.protocol.UserInfo;
import org.kindred.server.safety.ServerTexts;

/**
 * What happens without a command: users connecting and going, and every second expired offers, mentors and members
 * gone past the grace period (forgotten once they hold nothing), idle sessions, old transcripts and members to tell that nobody is free.
 */
final class SupportUpkeep {

    private final SupportLedger ledger;
    private final Matchmaker matchmaker;

    SupportUpkeep(SupportLedger ledger, Matchmaker matchmaker) {
        this.ledger = ledger;
        this.matchmaker = matchmaker;
    }

    /** A user's first connection on this node: it hears where its request and sessions stand. */
    void connected(UserInfo user) {
        ledger.lockedQuietly(() -> {
            Mentor mentor = ledger.mentors.get(user.id());
            if (mentor != null) {
                mentor.disconnectedAt = -1;
            }
            for (Request request : ledger.requests.values()) {
                if (request.member.id().equals(user.id())) {
                    request.memberGoneAt = -1;
                    ledger.notifier.notify(user.id(), matchmaker.status(request, null));
                }
            }
            SupportState.ExpiredRequest expired = ledger.expiredWhileAway.remove(user.id());
            if (expired != null) {
                // It was away when its request was dropped: it hears of it now, and may ask again.
                ledger.notifier.notify(
                        user.id(), new ServerMessage.SupportCancelled(null, expired.requestId(), "expired"));
            }
            for (SupportSession session : ledger.sessions.values()) {
                if (!session.ended() && session.mentor != null && session.isParticipant(user.id())) {
                    // A session that had an earlier mentor is announced as continued, as it was when it started.
                    ledger.notifier.notify(
                            user.id(),
                            new SessionStarted(
                                    null,
                                    session.id,
                                    session.requestId,
                                    session.member,
                                    session.mentor,
                                    session.condition,
                                    session.language,
                                    session.mentorsEver.size() > 1));
                }
            }
        });
    }

    /**
     * A user's last connection on this node is gone. A mentor's availability goes with it (offers move on); its
     * sessions and a member's request wait for the grace period.
     */
    void disconnected(String userId) {
        ledger.lockedQuietly(() -> {
            long now = ledger.clock.millis();
            Mentor mentor = ledger.mentors.get(userId);
            if (mentor != null) {
                mentor.disconnectedAt = now;
                mentor.available = false;
                matchmaker.withdrawOffer(mentor, "cancelled");
            }
            ledger.requests.values().stream()
                    .filter(r -> r.member.id().equals(userId))
                    .forEach(r -> r.memberGoneAt = now);
            matchmaker.match();
            matchmaker.updateWaiting();
        });
    }

    /** Runs what is due: expired offers, members to tell, mentors gone too long, idle sessions, old transcripts. */
    void tick() {
        ledger.lockedQuietly(() -> {
            long now = ledger.clock.millis();
            expireOffers(now);
            requeueSessionsOfGoneMentors(now);
            forgetGoneMentors(now);
            dropRequestsOfGoneMembers(now);
            endIdleSessions(now);
            forgetOldTranscripts(now);
            matchmaker.match();
            tellUnavailable(now);
            matchmaker.updateWaiting();
        });
    }

    void expireOffers(long now) {
        for (Request request : List.copyOf(ledger.requests.values())) {
            if (request.offeredTo != null && now >= request.offerExpiresAt) {
                Mentor mentor = ledger.mentors.get(request.offeredTo);
                ledger.notifier.notify(request.offeredTo, new ServerMessage.OfferWithdrawn(request.id, "expired"));
                if (mentor != null) {
                    matchmaker.passOn(request, mentor);
                } else {
                    request.offeredTo = null;
                }
            }
        }
    }

    void requeueSessionsOfGoneMentors(long now) {
        long grace = ledger.settings.mentorGrace().toMillis();
        for (Mentor mentor : ledger.mentors.values()) {
            if (!mentor.connected() && now - mentor.disconnectedAt >= grace && !mentor.sessions.isEmpty()) {
                for (String sessionId : List.copyOf(mentor.sessions)) {
                    SupportSession session = ledger.sessions.get(sessionId);
                    mentor.sessions.remove(sessionId);
                    if (session == null || session.ended()) {
                        continue;
                    }
                    ledger.rooms.evict(session.id, session.mentor.id());
                    session.mentor = null;
                    session.handoff = null;
                    Request next = matchmaker.continuation(session);
                    ledger.notifier.notify(
                            session.member.id(),
                            new ServerMessage.SessionInterrupted(
                                    session.id,
                                    next.id,
                                    "your mentor lost their connection; you are first in line for the next mentor, and "
                                            + "your conversation stays"));
                }
            }
        }
    }

    /**
     * A mentor gone past the grace period, with no session and no offer left, is forgotten (it sets its availability
     * again when it comes back, as after any disconnection): the desk holds the mentors who are around, not every
     * mentor who ever was.
     */
    void forgetGoneMentors(long now) {
        long grace = ledger.settings.mentorGrace().toMillis();
        ledger.mentors
                .values()
                .removeIf(mentor -> !mentor.connected()
                        && now - mentor.disconnectedAt >= grace
                        && mentor.sessions.isEmpty()
                        && mentor.offeredRequest == null);
    }

    void dropRequestsOfGoneMembers(long now) {
        long grace = ledger.settings.mentorGrace().toMillis();
        ledger.expiredWhileAway
                .values()
                .removeIf(e -> now - e.at() > java.time.Duration.ofDays(1).toMillis());
        for (Request request : List.copyOf(ledger.requests.values())) {
            if (request.memberGoneAt >= 0 && now - request.memberGoneAt >= grace) {
                matchmaker.close(request, "expired");
                ledger.expiredWhileAway.put(request.member.id(), new SupportState.ExpiredRequest(request.id, now));
                ledger.metrics.supportAbandoned();
                if (request.continuesSession() && ledger.sessions.containsKey(request.sessionId)) {
                    SupportSession session = ledger.sessions.get(request.sessionId);
                    if (!session.ended() && session.mentor == null) {
                        matchmaker.end(session, null, "expired");
                    }
                }
            }
        }
    }

    void endIdleSessions(long now) {
        long idle = ledger.settings.idleTimeout().toMillis();
        for (SupportSession session : ledger.sessions.values()) {
            if (!session.ended() && session.mentor != null && now - session.lastActivity >= idle) {
                matchmaker.end(session, null, "expired");
            }
        }
    }

    void forgetOldTranscripts(long now) {
        long retention = ledger.settings.transcriptRetention().toMillis();
        for (Iterator<SupportSession> it = ledger.sessions.values().iterator(); it.hasNext(); ) {
            SupportSession session = it.next();
            if (session.ended() && now - session.endedAt >= retention) {
                ledger.rooms.forget(session.id);
                it.remove();
            }
        }
    }

    void tellUnavailable(long now) {
        long wait = ledger.settings.unavailableAfter().toMillis();
        List<Request> queue = matchmaker.queue();
        for (int i = 0; i < queue.size(); i++) {
            Request request = queue.get(i);
            if (!request.toldUnavailable
                    && request.offeredTo == null
                    && now - request.createdAt >= wait
                    && !matchmaker.stillHasMentor(request)) {
                request.toldUnavailable = true;
                ledger.notifier.notify(
                        request.member.id(),
                        new ServerMessage.SupportUnavailable(
                                request.id,
                                ServerTexts.text(request.language, "support.unavailable"),
                                i + 1,
                                ledger.roomsForCondition.apply(request.condition),
                                ledger.safeguards.lines().lookup(request.language)));
            }
        }
    }
}
