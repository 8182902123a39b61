package org.kindred.server.support;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.SupportQueued;
import org.kindred.protocol.UserInfo;

/**
 * The queue and the matching rule ({@code docs/support.md}): requests are served in queue order — continuations of a
 * session first, then requests whose note reads like a crisis, then oldest first — each offered to one mentor at a
 * time: a connected, available mentor who covers its condition and language, has a free place, holds no other offer
 * and has not passed on it recently; among those, the fewest sessions, then the longest since its last assignment.
 * Also what the queue tells waiting members, and how requests and sessions end. Called under the ledger's lock.
 */
final class Matchmaker {

    private final SupportLedger ledger;

    Matchmaker(SupportLedger ledger) {
        this.ledger = ledger;
    }

    /** A hand-off in progress: the member still has its mentor, so nobody being free is no emergency. */
    boolean stillHasMentor(Request request) {
        SupportSession session = request.continuesSession() ? ledger.sessions.get(request.sessionId) : null;
        return session != null && session.mentor != null;
    }

    /**
     * Requests in the order they are served: continuations of sessions first, then requests whose note read like a
     * crisis, then oldest first.
     */
    List<Request> queue() {
        List<Request> queue = new ArrayList<>(ledger.requests.values());
        queue.sort(Comparator.comparing((Request r) -> !r.continuesSession())
                .thenComparing(r -> !r.urgent)
                .thenComparingLong(r -> r.createdAt));
        return queue;
    }

    void match() {
        long now = ledger.clock.millis();
        for (Request request : queue()) {
            if (request.offeredTo != null) {
                continue;
            }
            chooseMentor(request, now).ifPresent(mentor -> offer(request, mentor, now));
        }
    }

    Optional<Mentor> chooseMentor(Request request, long now) {
        long passedFor = ledger.settings.offerTimeout().toMillis() * 4;
        List<Mentor> fitting = ledger.mentors.values().stream()
                .filter(m -> m.available && m.connected() && m.offeredRequest == null && m.canTakeMore())
                .filter(m -> m.fits(request) && !m.user.id().equals(request.member.id()))
                .filter(m -> !ledger.hidden.test(m.user.id(), request.member.id()))
                .filter(m -> !alreadyIn(request, m))
                .filter(m -> now - request.passedBy.getOrDefault(m.user.id(), Long.MIN_VALUE / 2) >= passedFor)
                .toList();
        if (request.preferredMentorId != null) {
            Optional<Mentor> preferred = fitting.stream()
                    .filter(m -> m.user.id().equals(request.preferredMentorId)).findFirst();
            if (preferred.isPresent()) {
                return preferred;
            }
            // The named mentor cannot take it now (busy, away, passed): the next fitting mentor will.
            request.preferredMentorId = null;
        }
        // A request whose note read like a crisis goes to an experienced mentor when one can take it.
        return fitting.stream()
                .min(Comparator.comparing((Mentor m) -> !(request.urgent && m.experienced))
                        .thenComparingInt(m -> m.sessions.size())
                        .thenComparingLong(m -> m.lastAssignedAt));
    }

    /** A mentor who already holds the session a continuation is for cannot take it again. */
    boolean alreadyIn(Request request, Mentor mentor) {
        return request.continuesSession() && mentor.sessions.contains(request.sessionId);
    }

    void offer(Request request, Mentor mentor, long now) {
        request.offeredTo = mentor.user.id();
        request.offerExpiresAt = now + ledger.settings.offerTimeout().toMillis();
        mentor.offeredRequest = request.id;
        ledger.notifier.notify(mentor.user.id(), new ServerMessage.SupportOffer(request.id, request.condition,
                request.language, request.member, request.note, request.sessionId, request.offerExpiresAt));
    }

    void passOn(Request request, Mentor mentor) {
        request.passedBy.put(mentor.user.id(), ledger.clock.millis());
        request.offeredTo = null;
        if (request.id.equals(mentor.offeredRequest)) {
            mentor.offeredRequest = null;
        }
    }

    void withdrawOffer(Mentor mentor, String reason) {
        if (mentor.offeredRequest != null) {
            Request request = ledger.requests.get(mentor.offeredRequest);
            ledger.notifier.notify(mentor.user.id(), new ServerMessage.OfferWithdrawn(mentor.offeredRequest, reason));
            mentor.offeredRequest = null;
            if (request != null) {
                request.offeredTo = null;
            }
        }
    }

    /** Removes a request from the queue, withdrawing its offer. */
    void close(Request request, String reason) {
        ledger.requests.remove(request.id);
        if (request.offeredTo != null) {
            Mentor mentor = ledger.mentors.get(request.offeredTo);
            if (mentor != null && request.id.equals(mentor.offeredRequest)) {
                mentor.offeredRequest = null;
                if (!"taken".equals(reason) || !request.offeredTo.equals(ledger.matched.get(request.id))) {
                    ledger.notifier.notify(mentor.user.id(), new ServerMessage.OfferWithdrawn(request.id, reason));
                }
            }
        }
        if ("expired".equals(reason)) {
            ledger.notifier.notify(request.member.id(),
                    new ServerMessage.SupportCancelled(null, request.id, "expired"));
        }
    }

    SupportQueued status(Request request, String ref) {
        List<Request> queue = queue();
        int position = queue.indexOf(request) + 1;
        int free = (int) ledger.mentors.values().stream()
                .filter(m -> m.available && m.connected() && m.canTakeMore() && m.fits(request)).count();
        return new SupportQueued(ref, request.id, request.condition, request.language, position,
                ledger.estimator.estimateSeconds(position, free), request.offeredTo != null);
    }

    /** Tells waiting members whose position, estimate or offer state changed. */
    void updateWaiting() {
        for (Request request : ledger.requests.values()) {
            SupportQueued status = status(request, null);
            if (status.position() != request.sentPosition || status.estimatedWaitSeconds() != request.sentEstimate
                    || status.offered() != request.sentOffered) {
                remember(request, status);
                ledger.notifier.notify(request.member.id(), status);
            }
        }
    }

    static void remember(Request request, SupportQueued status) {
        request.sentPosition = status.position();
        request.sentEstimate = status.estimatedWaitSeconds();
        request.sentOffered = status.offered();
    }

    void end(SupportSession session, UserInfo endedBy, String reason) {
        long now = ledger.clock.millis();
        session.endedAt = now;
        if (session.mentor != null) {
            Mentor mentor = ledger.mentors.get(session.mentor.id());
            if (mentor != null) {
                mentor.sessions.remove(session.id);
            }
        }
        ledger.requests.values().stream().filter(r -> session.id.equals(r.sessionId)).toList()
                .forEach(r -> close(r, "cancelled"));
        ServerMessage.SessionEnded event = new ServerMessage.SessionEnded(session.id, endedBy, reason);
        ledger.notifier.notify(session.member.id(), event);
        if (session.mentor != null) {
            ledger.notifier.notify(session.mentor.id(), event);
        }
        ledger.metrics.sessionEnded(now - session.startedAt);
    }

    Request continuation(SupportSession session) {
        Request request = new Request(SupportLedger.newId("r-"), session.member, session.condition,
                session.language, null,
                ledger.clock.millis(), session.id);
        ledger.requests.put(request.id, request);
        return request;
    }
}
