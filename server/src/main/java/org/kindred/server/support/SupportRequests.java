package org.kindred.server.support;

import java.util.List;
import org.kindred.protocol.ErrorCode;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.SessionStarted;
import org.kindred.protocol.ServerMessage.SupportQueued;
import org.kindred.protocol.UserInfo;
import org.kindred.server.connection.Refusal;

/** Mentors' availability and members' requests: asking, withdrawing, and the offer a mentor accepts or declines. */
final class SupportRequests {

    private final SupportLedger ledger;
    private final Matchmaker matchmaker;

    SupportRequests(SupportLedger ledger, Matchmaker matchmaker) {
        this.ledger = ledger;
        this.matchmaker = matchmaker;
    }

    /** A mentor sets itself available (with what it covers and how many sessions it holds) or away. */
    ServerMessage.Availability setAvailability(
            UserInfo user,
            boolean experienced,
            boolean available,
            List<String> conditions,
            List<String> languages,
            Integer capacity,
            String ref) {
        return ledger.locked(() -> {
            Mentor mentor = ledger.mentors.computeIfAbsent(user.id(), id -> new Mentor(user));
            mentor.experienced = experienced;
            mentor.available = available;
            if (available) {
                mentor.conditions = List.copyOf(conditions);
                mentor.languages = List.copyOf(languages);
                mentor.capacity = Math.min(
                        capacity == null ? ledger.settings.defaultCapacity() : capacity, ledger.settings.maxCapacity());
            } else {
                matchmaker.withdrawOffer(mentor, "cancelled");
            }
            matchmaker.match();
            return availability(mentor, ref);
        });
    }

    static ServerMessage.Availability availability(Mentor mentor, String ref) {
        return new ServerMessage.Availability(
                ref, mentor.available, mentor.conditions, mentor.languages, mentor.capacity, mentor.sessions.size());
    }

    /** A member asks for support; the answer says where the request stands. One open request per member. */
    SupportQueued request(UserInfo member, String condition, String language, String note, String ref) {
        return ledger.locked(() -> {
            if (ledger.requests.values().stream().anyMatch(r -> r.member.id().equals(member.id()))) {
                throw new Refusal(
                        ErrorCode.ALREADY_REQUESTED, "you already have an open request; cancel it before asking again");
            }
            Request request = new Request(
                    SupportLedger.newId("r-"), member, condition, language, note, ledger.clock.millis(), null);
            request.urgent =
                    note != null && ledger.safeguards.crisis().detect(note).isPresent();
            ledger.requests.put(request.id, request);
            ledger.metrics.supportRequested();
            matchmaker.match();
            SupportQueued status = matchmaker.status(request, ref);
            matchmaker.remember(request, status);
            matchmaker.updateWaiting();
            return status;
        });
    }

    /** A member withdraws its request; a session waiting for its next mentor ends with it. */
    ServerMessage.SupportCancelled cancel(UserInfo member, String requestId, String ref) {
        return ledger.locked(() -> {
            Request request = ledger.requests.get(requestId);
            if (request == null || !request.member.id().equals(member.id())) {
                throw new Refusal(ErrorCode.REQUEST_NOT_FOUND, "no open request '" + requestId + "'");
            }
            matchmaker.close(request, "cancelled");
            ledger.metrics.supportCancelled();
            if (request.continuesSession()) {
                SupportSession session = ledger.sessions.get(request.sessionId);
                if (session != null && session.mentor == null) {
                    matchmaker.end(session, member, "ended");
                }
            }
            matchmaker.match();
            matchmaker.updateWaiting();
            return new ServerMessage.SupportCancelled(ref, requestId, "cancelled");
        });
    }

    /** The offered mentor (or one who let the offer pass) takes the request; the first to accept gets it. */
    SessionStarted accept(UserInfo user, String requestId, String ref) {
        return ledger.locked(() -> {
            Request request = ledger.requests.get(requestId);
            Mentor mentor = ledger.mentors.get(user.id());
            if (request == null) {
                if (ledger.matched.containsKey(requestId)
                        && !ledger.matched.get(requestId).equals(user.id())) {
                    throw new Refusal(ErrorCode.OFFER_TAKEN, "another mentor took this request first");
                }
                throw new Refusal(ErrorCode.REQUEST_NOT_FOUND, "no open request '" + requestId + "'");
            }
            boolean wasOffered =
                    mentor != null && (user.id().equals(request.offeredTo) || request.passedBy.containsKey(user.id()));
            if (!wasOffered) {
                throw new Refusal(ErrorCode.REQUEST_NOT_FOUND, "request '" + requestId + "' was not offered to you");
            }
            if (!mentor.canTakeMore()) {
                throw new Refusal(
                        ErrorCode.AT_CAPACITY, "you hold " + mentor.sessions.size() + " sessions, your capacity");
            }
            SessionStarted started = startSession(request, mentor, ref);
            matchmaker.match();
            matchmaker.updateWaiting();
            return started;
        });
    }

    SessionStarted startSession(Request request, Mentor mentor, String ref) {
        long now = ledger.clock.millis();
        matchmaker.close(request, "taken");
        ledger.matched.put(request.id, mentor.user.id());
        mentor.lastAssignedAt = now;
        SupportSession session;
        boolean continued = request.continuesSession() && ledger.sessions.containsKey(request.sessionId);
        if (continued) {
            session = ledger.sessions.get(request.sessionId);
            handOver(session);
        } else {
            session = new SupportSession(
                    SupportLedger.newId(SessionRoomPolicy.KIND.idPrefix()),
                    request.id,
                    request.member,
                    request.condition,
                    request.language,
                    now);
            ledger.sessions.put(session.id, session);
            ledger.estimator.recordMatch(now - request.createdAt);
            ledger.metrics.supportMatched(now - request.createdAt);
        }
        session.mentor = mentor.user;
        session.mentorsEver.add(mentor.user.id());
        session.lastActivity = now;
        session.handoff = null;
        mentor.sessions.add(session.id);
        SessionStarted forMentor = new SessionStarted(
                ref,
                session.id,
                request.id,
                session.member,
                mentor.user,
                session.condition,
                session.language,
                continued);
        ledger.notifier.notify(
                session.member.id(),
                new SessionStarted(
                        null,
                        session.id,
                        request.id,
                        session.member,
                        mentor.user,
                        session.condition,
                        session.language,
                        continued));
        return forMentor;
    }

    /** The previous mentor of a continued session lets it go. */
    void handOver(SupportSession session) {
        if (session.mentor != null) {
            Mentor previous = ledger.mentors.get(session.mentor.id());
            if (previous != null) {
                previous.sessions.remove(session.id);
            }
            ledger.notifier.notify(session.mentor.id(), new ServerMessage.SessionEnded(session.id, null, "handed_off"));
            ledger.rooms.evict(session.id, session.mentor.id());
        }
    }

    /** The offered mentor passes; the request moves on. */
    ServerMessage.Done decline(UserInfo user, String requestId, String ref) {
        return ledger.locked(() -> {
            Request request = ledger.requests.get(requestId);
            Mentor mentor = ledger.mentors.get(user.id());
            if (request == null || mentor == null || !user.id().equals(request.offeredTo)) {
                throw new Refusal(ErrorCode.REQUEST_NOT_FOUND, "no offer '" + requestId + "' for you");
            }
            matchmaker.passOn(request, mentor);
            matchmaker.match();
            matchmaker.updateWaiting();
            return new ServerMessage.Done(ref, "decline_offer");
        });
    }
}
