package org.kindred.server.support;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Predicate;
import org.kindred.protocol.ErrorCode;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.SessionStarted;
import org.kindred.protocol.ServerMessage.SupportQueued;
import org.kindred.protocol.UserInfo;
import org.kindred.server.metrics.KindredMetrics;

/**
 * One-to-one peer support on this node: mentors' availability, the queue of requests, offers, sessions and their
 * record. Every change happens under one lock; events go out through {@link Notifier} while it is held (sending never
 * blocks). Time comes from a clock and {@link #tick()} is called every second, so tests move time instead of waiting.
 *
 * <p>The matching rule ({@code docs/support.md}): requests are served in queue order — continuations of a session
 * (a hand-off, a mentor who dropped) first, then requests whose note reads like a crisis, then oldest first. Each request is offered to one mentor at a time: a
 * connected, available mentor who covers its condition and language, has a free place, holds no other offer and has
 * not passed on this request recently; among those, the one with the fewest sessions, then the one who was assigned
 * longest ago. An offer that is declined or not answered within the offer timeout moves on. Accepting is atomic: the
 * first mentor to accept gets the request, any other is told it was taken.
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

    private final SupportSettings settings;
    private final Notifier notifier;
    private final SessionRooms rooms;
    private final Function<String, List<String>> roomsForCondition;
    private final KindredMetrics metrics;
    private final Clock clock;
    private final Predicate<String> urgentNote;
    private final BiPredicate<String, String> hidden;
    private final ReentrantLock lock = new ReentrantLock();
    private final WaitEstimator estimator;

    private final Map<String, Mentor> mentors = new HashMap<>();
    /** Waiting requests by id, in arrival order; {@link #queue()} sorts continuations first. */
    private final Map<String, Request> requests = new LinkedHashMap<>();
    private final Map<String, SupportSession> sessions = new HashMap<>();
    /** Requests matched recently, by id, with their mentor: a late accept is told "taken", not "not found". */
    private final Map<String, String> matched = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > 10_000;
        }
    };

    /**
     * @param urgentNote tells whether a request's note reads like a crisis: such a request is served before every
     *                   other new request (crisis lines order by risk, not arrival)
     * @param hidden     whether two users blocked each other (either way): they are never matched
     */
    public SupportService(SupportSettings settings, Notifier notifier, SessionRooms rooms,
                          Function<String, List<String>> roomsForCondition, Predicate<String> urgentNote,
                          BiPredicate<String, String> hidden, KindredMetrics metrics, Clock clock) {
        this.settings = settings;
        this.notifier = notifier;
        this.rooms = rooms;
        this.roomsForCondition = roomsForCondition;
        this.metrics = metrics;
        this.clock = clock;
        this.urgentNote = urgentNote;
        this.hidden = hidden;
        this.estimator = new WaitEstimator(settings.unavailableAfter());
        metrics.bindActiveSessions(this::activeSessions);
    }

    private <T> T locked(SupportAction<T> action) throws SupportException {
        lock.lock();
        try {
            return action.run();
        } finally {
            lock.unlock();
        }
    }

    @FunctionalInterface
    private interface SupportAction<T> {
        T run() throws SupportException;
    }

    private void lockedQuietly(Runnable action) {
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Mentors

    /** A mentor sets itself available (with what it covers and how many sessions it holds) or away. */
    public ServerMessage.Availability setAvailability(UserInfo user, boolean experienced, boolean available,
                                                      List<String> conditions, List<String> languages,
                                                      Integer capacity, String ref) throws SupportException {
        return locked(() -> {
            Mentor mentor = mentors.computeIfAbsent(user.id(), id -> new Mentor(user));
            mentor.experienced = experienced;
            mentor.available = available;
            if (available) {
                mentor.conditions = List.copyOf(conditions);
                mentor.languages = List.copyOf(languages);
                mentor.capacity = Math.min(capacity == null ? settings.defaultCapacity() : capacity,
                        settings.maxCapacity());
            } else {
                withdrawOffer(mentor, "cancelled");
            }
            match();
            return availability(mentor, ref);
        });
    }

    private static ServerMessage.Availability availability(Mentor mentor, String ref) {
        return new ServerMessage.Availability(ref, mentor.available, mentor.conditions, mentor.languages,
                mentor.capacity, mentor.sessions.size());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Requests

    /** A member asks for support; the answer says where the request stands. One open request per member. */
    public SupportQueued request(UserInfo member, String condition, String language, String note, String ref)
            throws SupportException {
        return locked(() -> {
            if (requests.values().stream().anyMatch(r -> r.member.id().equals(member.id()))) {
                throw new SupportException(ErrorCode.ALREADY_REQUESTED,
                        "you already have an open request; cancel it before asking again");
            }
            Request request = new Request(newId("r-"), member, condition, language, note, clock.millis(), null);
            request.urgent = note != null && urgentNote.test(note);
            requests.put(request.id, request);
            metrics.supportRequested();
            match();
            SupportQueued status = status(request, ref);
            remember(request, status);
            updateWaiting();
            return status;
        });
    }

    /** A member withdraws its request; a session waiting for its next mentor ends with it. */
    public ServerMessage.SupportCancelled cancel(UserInfo member, String requestId, String ref) throws SupportException {
        return locked(() -> {
            Request request = requests.get(requestId);
            if (request == null || !request.member.id().equals(member.id())) {
                throw new SupportException(ErrorCode.REQUEST_NOT_FOUND, "no open request '" + requestId + "'");
            }
            close(request, "cancelled");
            metrics.supportCancelled();
            if (request.continuesSession()) {
                SupportSession session = sessions.get(request.sessionId);
                if (session != null && session.mentor == null) {
                    end(session, member, "ended");
                }
            }
            match();
            updateWaiting();
            return new ServerMessage.SupportCancelled(ref, requestId, "cancelled");
        });
    }

    /** The offered mentor (or one who let the offer pass) takes the request; the first to accept gets it. */
    public SessionStarted accept(UserInfo user, String requestId, String ref) throws SupportException {
        return locked(() -> {
            Request request = requests.get(requestId);
            Mentor mentor = mentors.get(user.id());
            if (request == null) {
                if (matched.containsKey(requestId) && !matched.get(requestId).equals(user.id())) {
                    throw new SupportException(ErrorCode.OFFER_TAKEN, "another mentor took this request first");
                }
                throw new SupportException(ErrorCode.REQUEST_NOT_FOUND, "no open request '" + requestId + "'");
            }
            boolean wasOffered = mentor != null
                    && (user.id().equals(request.offeredTo) || request.passedBy.containsKey(user.id()));
            if (!wasOffered) {
                throw new SupportException(ErrorCode.REQUEST_NOT_FOUND, "request '" + requestId
                        + "' was not offered to you");
            }
            if (!mentor.canTakeMore()) {
                throw new SupportException(ErrorCode.AT_CAPACITY, "you hold " + mentor.sessions.size()
                        + " sessions, your capacity");
            }
            SessionStarted started = startSession(request, mentor, ref);
            match();
            updateWaiting();
            return started;
        });
    }

    private SessionStarted startSession(Request request, Mentor mentor, String ref) {
        long now = clock.millis();
        close(request, "taken");
        matched.put(request.id, mentor.user.id());
        mentor.lastAssignedAt = now;
        SupportSession session;
        boolean continued = request.continuesSession() && sessions.containsKey(request.sessionId);
        if (continued) {
            session = sessions.get(request.sessionId);
            handOver(session);
        } else {
            session = new SupportSession(newId("s-"), request.id, request.member, request.condition, request.language, now);
            sessions.put(session.id, session);
            estimator.recordMatch(now - request.createdAt);
            metrics.supportMatched(now - request.createdAt);
        }
        session.mentor = mentor.user;
        session.mentorsEver.add(mentor.user.id());
        session.lastActivity = now;
        session.handoff = null;
        mentor.sessions.add(session.id);
        SessionStarted forMentor = new SessionStarted(ref, session.id, request.id, session.member, mentor.user,
                session.condition, session.language, continued);
        notifier.notify(session.member.id(), new SessionStarted(null, session.id, request.id, session.member,
                mentor.user, session.condition, session.language, continued));
        return forMentor;
    }

    /** The previous mentor of a continued session lets it go. */
    private void handOver(SupportSession session) {
        if (session.mentor != null) {
            Mentor previous = mentors.get(session.mentor.id());
            if (previous != null) {
                previous.sessions.remove(session.id);
            }
            notifier.notify(session.mentor.id(), new ServerMessage.SessionEnded(session.id, null, "handed_off"));
            rooms.evict(session.id, session.mentor.id());
        }
    }

    /** The offered mentor passes; the request moves on. */
    public ServerMessage.Done decline(UserInfo user, String requestId, String ref) throws SupportException {
        return locked(() -> {
            Request request = requests.get(requestId);
            Mentor mentor = mentors.get(user.id());
            if (request == null || mentor == null || !user.id().equals(request.offeredTo)) {
                throw new SupportException(ErrorCode.REQUEST_NOT_FOUND, "no offer '" + requestId + "' for you");
            }
            passOn(request, mentor);
            match();
            updateWaiting();
            return new ServerMessage.Done(ref, "decline_offer");
        });
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Sessions

    /** Whether this user may read and write the session's room now. */
    public boolean canAccess(String userId, String sessionId) {
        lock.lock();
        try {
            SupportSession session = sessions.get(sessionId);
            return session != null && session.isParticipant(userId);
        } finally {
            lock.unlock();
        }
    }

    /** The session's mentor now, if it has one. */
    public Optional<String> mentorOf(String sessionId) {
        lock.lock();
        try {
            SupportSession session = sessions.get(sessionId);
            return session == null || session.mentor == null ? Optional.empty() : Optional.of(session.mentor.id());
        } finally {
            lock.unlock();
        }
    }

    /** Whether the session takes messages (it exists and has not ended). */
    public boolean isOpen(String sessionId) {
        lock.lock();
        try {
            SupportSession session = sessions.get(sessionId);
            return session != null && !session.ended();
        } finally {
            lock.unlock();
        }
    }

    /** A message was posted in the session: it is not idle. */
    public void touched(String sessionId) {
        lockedQuietly(() -> {
            SupportSession session = sessions.get(sessionId);
            if (session != null) {
                session.lastActivity = clock.millis();
            }
        });
    }

    /** Either participant ends the session. */
    public ServerMessage.Done end(UserInfo user, String sessionId, String ref) throws SupportException {
        return locked(() -> {
            SupportSession session = participantSession(user, sessionId);
            if (!session.ended()) {
                end(session, user, "ended");
            }
            match();
            updateWaiting();
            return new ServerMessage.Done(ref, "end_session");
        });
    }

    private void end(SupportSession session, UserInfo endedBy, String reason) {
        long now = clock.millis();
        session.endedAt = now;
        if (session.mentor != null) {
            Mentor mentor = mentors.get(session.mentor.id());
            if (mentor != null) {
                mentor.sessions.remove(session.id);
            }
        }
        requests.values().stream().filter(r -> session.id.equals(r.sessionId)).toList()
                .forEach(r -> close(r, "cancelled"));
        ServerMessage.SessionEnded event = new ServerMessage.SessionEnded(session.id, endedBy, reason);
        notifier.notify(session.member.id(), event);
        if (session.mentor != null) {
            notifier.notify(session.mentor.id(), event);
        }
        metrics.sessionEnded(now - session.startedAt);
    }

    /** The member rates a session that ended, 1 to 5, with an optional comment. */
    public ServerMessage.Done rate(UserInfo user, String sessionId, int rating, String comment, String ref)
            throws SupportException {
        return locked(() -> {
            SupportSession session = sessions.get(sessionId);
            if (session == null || !session.member.id().equals(user.id())) {
                throw new SupportException(ErrorCode.SESSION_NOT_FOUND, "no session '" + sessionId + "' of yours");
            }
            if (!session.ended()) {
                throw new SupportException(ErrorCode.FORBIDDEN, "rate the session once it has ended");
            }
            session.rating = rating;
            session.comment = comment;
            metrics.sessionRated(rating);
            return new ServerMessage.Done(ref, "rate_session");
        });
    }

    /** A mentor of the session leaves a private note for moderators. */
    public ServerMessage.Done note(UserInfo user, String sessionId, String note, String ref) throws SupportException {
        return locked(() -> {
            SupportSession session = sessions.get(sessionId);
            if (session == null || !session.mentorsEver.contains(user.id())) {
                throw new SupportException(ErrorCode.SESSION_NOT_FOUND, "no session '" + sessionId + "' of yours");
            }
            session.mentorNotes.add(note);
            return new ServerMessage.Done(ref, "mentor_note");
        });
    }

    /** The session's mentor proposes to hand it to another mentor; the member decides. */
    public ServerMessage.Done proposeHandoff(UserInfo user, String sessionId, String toMentorId, String reason,
                                             String ref) throws SupportException {
        return locked(() -> {
            SupportSession session = participantSession(user, sessionId);
            if (session.mentor == null || !session.mentor.id().equals(user.id()) || session.ended()) {
                throw new SupportException(ErrorCode.FORBIDDEN, "only the session's mentor may hand it over");
            }
            if (session.handoff != null || requests.values().stream().anyMatch(r -> session.id.equals(r.sessionId))) {
                throw new SupportException(ErrorCode.FORBIDDEN, "a hand-off of this session is already under way");
            }
            UserInfo to = null;
            if (toMentorId != null) {
                Mentor target = mentors.get(toMentorId);
                if (target == null || !target.available || !target.connected() || toMentorId.equals(user.id())) {
                    throw new SupportException(ErrorCode.INVALID_FIELD, "no other available mentor '" + toMentorId + "'");
                }
                to = target.user;
            }
            session.handoff = new SupportSession.Handoff(user, to, reason);
            notifier.notify(session.member.id(), new ServerMessage.HandoffProposed(session.id, user, to, reason));
            return new ServerMessage.Done(ref, "propose_handoff");
        });
    }

    /**
     * The member consents to the hand-off (the session goes to the front of the queue, to the named mentor first,
     * and the current mentor stays until the next one takes it) or refuses it (nothing changes).
     */
    public ServerMessage.Done answerHandoff(UserInfo user, String sessionId, boolean consent, String ref)
            throws SupportException {
        return locked(() -> {
            SupportSession session = sessions.get(sessionId);
            if (session == null || !session.member.id().equals(user.id()) || session.handoff == null
                    || session.ended()) {
                throw new SupportException(ErrorCode.SESSION_NOT_FOUND, "no hand-off proposed in '" + sessionId + "'");
            }
            SupportSession.Handoff handoff = session.handoff;
            session.handoff = null;
            notifier.notify(handoff.from().id(), new ServerMessage.Done(null, consent ? "handoff_accepted"
                    : "handoff_refused", session.id));
            if (consent) {
                Request next = continuation(session);
                next.preferredMentorId = handoff.to() == null ? null : handoff.to().id();
                match();
                updateWaiting();
            }
            return new ServerMessage.Done(ref, "answer_handoff");
        });
    }

    private Request continuation(SupportSession session) {
        Request request = new Request(newId("r-"), session.member, session.condition, session.language, null,
                clock.millis(), session.id);
        requests.put(request.id, request);
        return request;
    }

    /** A participant deletes the session's stored messages now (for both participants). */
    public ServerMessage.Done deleteTranscript(UserInfo user, String sessionId, String ref) throws SupportException {
        return locked(() -> {
            SupportSession session = sessions.get(sessionId);
            if (session == null || !(session.member.id().equals(user.id()) || session.mentorsEver.contains(user.id()))) {
                throw new SupportException(ErrorCode.SESSION_NOT_FOUND, "no session '" + sessionId + "' of yours");
            }
            rooms.erase(sessionId);
            return new ServerMessage.Done(ref, "delete_transcript");
        });
    }

    private SupportSession participantSession(UserInfo user, String sessionId) throws SupportException {
        SupportSession session = sessions.get(sessionId);
        if (session == null || !session.isParticipant(user.id())) {
            throw new SupportException(ErrorCode.SESSION_NOT_FOUND, "no session '" + sessionId + "' of yours");
        }
        return session;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Connections

    /** A user's first connection on this node: it hears where its request and sessions stand. */
    public void connected(UserInfo user) {
        lockedQuietly(() -> {
            Mentor mentor = mentors.get(user.id());
            if (mentor != null) {
                mentor.disconnectedAt = -1;
            }
            for (Request request : requests.values()) {
                if (request.member.id().equals(user.id())) {
                    request.memberGoneAt = -1;
                    notifier.notify(user.id(), status(request, null));
                }
            }
            for (SupportSession session : sessions.values()) {
                if (!session.ended() && session.mentor != null && session.isParticipant(user.id())) {
                    // A session that had an earlier mentor is announced as continued, as it was when it started.
                    notifier.notify(user.id(), new SessionStarted(null, session.id, session.requestId, session.member,
                            session.mentor, session.condition, session.language, session.mentorsEver.size() > 1));
                }
            }
        });
    }

    /**
     * A user's last connection on this node is gone. A mentor's availability goes with it (offers move on); its
     * sessions and a member's request wait for the grace period.
     */
    public void disconnected(String userId) {
        lockedQuietly(() -> {
            long now = clock.millis();
            Mentor mentor = mentors.get(userId);
            if (mentor != null) {
                mentor.disconnectedAt = now;
                mentor.available = false;
                withdrawOffer(mentor, "cancelled");
            }
            requests.values().stream().filter(r -> r.member.id().equals(userId)).forEach(r -> r.memberGoneAt = now);
            match();
            updateWaiting();
        });
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Time

    /** Runs what is due: expired offers, members to tell, mentors gone too long, idle sessions, old transcripts. */
    public void tick() {
        lockedQuietly(() -> {
            long now = clock.millis();
            expireOffers(now);
            requeueSessionsOfGoneMentors(now);
            dropRequestsOfGoneMembers(now);
            endIdleSessions(now);
            forgetOldTranscripts(now);
            match();
            tellUnavailable(now);
            updateWaiting();
        });
    }

    private void expireOffers(long now) {
        for (Request request : List.copyOf(requests.values())) {
            if (request.offeredTo != null && now >= request.offerExpiresAt) {
                Mentor mentor = mentors.get(request.offeredTo);
                notifier.notify(request.offeredTo, new ServerMessage.OfferWithdrawn(request.id, "expired"));
                if (mentor != null) {
                    passOn(request, mentor);
                } else {
                    request.offeredTo = null;
                }
            }
        }
    }

    private void requeueSessionsOfGoneMentors(long now) {
        long grace = settings.mentorGrace().toMillis();
        for (Mentor mentor : mentors.values()) {
            if (!mentor.connected() && now - mentor.disconnectedAt >= grace && !mentor.sessions.isEmpty()) {
                for (String sessionId : List.copyOf(mentor.sessions)) {
                    SupportSession session = sessions.get(sessionId);
                    mentor.sessions.remove(sessionId);
                    if (session == null || session.ended()) {
                        continue;
                    }
                    rooms.evict(session.id, session.mentor.id());
                    session.mentor = null;
                    session.handoff = null;
                    Request next = continuation(session);
                    notifier.notify(session.member.id(), new ServerMessage.SessionInterrupted(session.id, next.id,
                            "your mentor lost their connection; you are first in line for the next mentor, and "
                                    + "your conversation stays"));
                }
            }
        }
    }

    private void dropRequestsOfGoneMembers(long now) {
        long grace = settings.mentorGrace().toMillis();
        for (Request request : List.copyOf(requests.values())) {
            if (request.memberGoneAt >= 0 && now - request.memberGoneAt >= grace) {
                close(request, "expired");
                metrics.supportAbandoned();
                if (request.continuesSession() && sessions.containsKey(request.sessionId)) {
                    SupportSession session = sessions.get(request.sessionId);
                    if (!session.ended() && session.mentor == null) {
                        end(session, null, "expired");
                    }
                }
            }
        }
    }

    private void endIdleSessions(long now) {
        long idle = settings.idleTimeout().toMillis();
        for (SupportSession session : sessions.values()) {
            if (!session.ended() && session.mentor != null && now - session.lastActivity >= idle) {
                end(session, null, "expired");
            }
        }
    }

    private void forgetOldTranscripts(long now) {
        long retention = settings.transcriptRetention().toMillis();
        for (Iterator<SupportSession> it = sessions.values().iterator(); it.hasNext(); ) {
            SupportSession session = it.next();
            if (session.ended() && now - session.endedAt >= retention) {
                rooms.forget(session.id);
                it.remove();
            }
        }
    }

    private void tellUnavailable(long now) {
        long wait = settings.unavailableAfter().toMillis();
        List<Request> queue = queue();
        for (int i = 0; i < queue.size(); i++) {
            Request request = queue.get(i);
            if (!request.toldUnavailable && request.offeredTo == null && now - request.createdAt >= wait
                    && !stillHasMentor(request)) {
                request.toldUnavailable = true;
                notifier.notify(request.member.id(), new ServerMessage.SupportUnavailable(request.id,
                        "No mentor is free to talk about this right now. You keep your place in the queue; meanwhile "
                                + "these rooms are open, and if you need help now, please reach out to one of these.",
                        i + 1, roomsForCondition.apply(request.condition), settings.resourcesFor(request.language)));
            }
        }
    }

    /** A hand-off in progress: the member still has its mentor, so nobody being free is no emergency. */
    private boolean stillHasMentor(Request request) {
        SupportSession session = request.continuesSession() ? sessions.get(request.sessionId) : null;
        return session != null && session.mentor != null;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Matching

    /**
     * Requests in the order they are served: continuations of sessions first, then requests whose note read like a
     * crisis, then oldest first.
     */
    private List<Request> queue() {
        List<Request> queue = new ArrayList<>(requests.values());
        queue.sort(Comparator.comparing((Request r) -> !r.continuesSession())
                .thenComparing(r -> !r.urgent)
                .thenComparingLong(r -> r.createdAt));
        return queue;
    }

    private void match() {
        long now = clock.millis();
        for (Request request : queue()) {
            if (request.offeredTo != null) {
                continue;
            }
            chooseMentor(request, now).ifPresent(mentor -> offer(request, mentor, now));
        }
    }

    private Optional<Mentor> chooseMentor(Request request, long now) {
        long passedFor = settings.offerTimeout().toMillis() * 4;
        List<Mentor> fitting = mentors.values().stream()
                .filter(m -> m.available && m.connected() && m.offeredRequest == null && m.canTakeMore())
                .filter(m -> m.fits(request) && !m.user.id().equals(request.member.id()))
                .filter(m -> !hidden.test(m.user.id(), request.member.id()))
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
    private boolean alreadyIn(Request request, Mentor mentor) {
        return request.continuesSession() && mentor.sessions.contains(request.sessionId);
    }

    private void offer(Request request, Mentor mentor, long now) {
        request.offeredTo = mentor.user.id();
        request.offerExpiresAt = now + settings.offerTimeout().toMillis();
        mentor.offeredRequest = request.id;
        notifier.notify(mentor.user.id(), new ServerMessage.SupportOffer(request.id, request.condition,
                request.language, request.member, request.note, request.sessionId, request.offerExpiresAt));
    }

    private void passOn(Request request, Mentor mentor) {
        request.passedBy.put(mentor.user.id(), clock.millis());
        request.offeredTo = null;
        if (request.id.equals(mentor.offeredRequest)) {
            mentor.offeredRequest = null;
        }
    }

    private void withdrawOffer(Mentor mentor, String reason) {
        if (mentor.offeredRequest != null) {
            Request request = requests.get(mentor.offeredRequest);
            notifier.notify(mentor.user.id(), new ServerMessage.OfferWithdrawn(mentor.offeredRequest, reason));
            mentor.offeredRequest = null;
            if (request != null) {
                request.offeredTo = null;
            }
        }
    }

    /** Removes a request from the queue, withdrawing its offer. */
    private void close(Request request, String reason) {
        requests.remove(request.id);
        if (request.offeredTo != null) {
            Mentor mentor = mentors.get(request.offeredTo);
            if (mentor != null && request.id.equals(mentor.offeredRequest)) {
                mentor.offeredRequest = null;
                if (!"taken".equals(reason) || !request.offeredTo.equals(matched.get(request.id))) {
                    notifier.notify(mentor.user.id(), new ServerMessage.OfferWithdrawn(request.id, reason));
                }
            }
        }
        if ("expired".equals(reason)) {
            notifier.notify(request.member.id(), new ServerMessage.SupportCancelled(null, request.id, "expired"));
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Queue status

    private SupportQueued status(Request request, String ref) {
        List<Request> queue = queue();
        int position = queue.indexOf(request) + 1;
        int free = (int) mentors.values().stream()
                .filter(m -> m.available && m.connected() && m.canTakeMore() && m.fits(request)).count();
        return new SupportQueued(ref, request.id, request.condition, request.language, position,
                estimator.estimateSeconds(position, free), request.offeredTo != null);
    }

    /** Tells waiting members whose position, estimate or offer state changed. */
    private void updateWaiting() {
        for (Request request : requests.values()) {
            SupportQueued status = status(request, null);
            if (status.position() != request.sentPosition || status.estimatedWaitSeconds() != request.sentEstimate
                    || status.offered() != request.sentOffered) {
                remember(request, status);
                notifier.notify(request.member.id(), status);
            }
        }
    }

    private static void remember(Request request, SupportQueued status) {
        request.sentPosition = status.position();
        request.sentEstimate = status.estimatedWaitSeconds();
        request.sentOffered = status.offered();
    }

    private int activeSessions() {
        lock.lock();
        try {
            return (int) sessions.values().stream().filter(s -> !s.ended()).count();
        } finally {
            lock.unlock();
        }
    }

    private static String newId(String prefix) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return prefix + Long.toHexString(random.nextLong() | Long.MIN_VALUE) + Long.toHexString(random.nextLong() | Long.MIN_VALUE);
    }

    /** Everything this service holds, as values; {@code online} is left to the caller (a cluster's bookkeeping). */
    public SupportState snapshot(Map<String, List<String>> online) {
        lock.lock();
        try {
            List<SupportState.MentorState> mentorStates = mentors.values().stream()
                    .map(m -> new SupportState.MentorState(m.user, m.experienced, m.available, m.conditions, m.languages,
                            m.capacity,
                            List.copyOf(m.sessions), m.offeredRequest, m.lastAssignedAt, m.disconnectedAt))
                    .toList();
            List<SupportState.RequestState> requestStates = requests.values().stream()
                    .map(r -> new SupportState.RequestState(r.id, r.member, r.condition, r.language, r.note,
                            r.createdAt, r.sessionId, r.urgent, r.preferredMentorId, r.offeredTo, r.offerExpiresAt,
                            Map.copyOf(r.passedBy), r.toldUnavailable, r.memberGoneAt, r.sentPosition,
                            r.sentEstimate, r.sentOffered))
                    .toList();
            List<SupportState.SessionState> sessionStates = sessions.values().stream()
                    .map(x -> new SupportState.SessionState(x.id, x.requestId, x.member, x.condition, x.language,
                            x.startedAt, x.mentor, List.copyOf(x.mentorsEver), x.lastActivity, x.endedAt,
                            x.handoff == null ? null : x.handoff.from(), x.handoff == null ? null : x.handoff.to(),
                            x.handoff == null ? null : x.handoff.reason(), x.rating, x.comment,
                            List.copyOf(x.mentorNotes)))
                    .toList();
            return new SupportState(mentorStates, requestStates, sessionStates, new LinkedHashMap<>(matched),
                    estimator.averageSeconds(), online);
        } finally {
            lock.unlock();
        }
    }

    /** Replaces everything this service holds with a snapshot (taken here or on another node). */
    public void restore(SupportState state) {
        lock.lock();
        try {
            mentors.clear();
            for (SupportState.MentorState m : state.mentors()) {
                Mentor mentor = new Mentor(m.user());
                mentor.experienced = m.experienced();
                mentor.available = m.available();
                mentor.conditions = m.conditions();
                mentor.languages = m.languages();
                mentor.capacity = m.capacity();
                mentor.sessions.addAll(m.sessions());
                mentor.offeredRequest = m.offeredRequest();
                mentor.lastAssignedAt = m.lastAssignedAt();
                mentor.disconnectedAt = m.disconnectedAt();
                mentors.put(m.user().id(), mentor);
            }
            requests.clear();
            for (SupportState.RequestState r : state.requests()) {
                Request request = new Request(r.id(), r.member(), r.condition(), r.language(), r.note(), r.createdAt(),
                        r.sessionId());
                request.urgent = r.urgent();
                request.preferredMentorId = r.preferredMentorId();
                request.offeredTo = r.offeredTo();
                request.offerExpiresAt = r.offerExpiresAt();
                request.passedBy.putAll(r.passedBy());
                request.toldUnavailable = r.toldUnavailable();
                request.memberGoneAt = r.memberGoneAt();
                request.sentPosition = r.sentPosition();
                request.sentEstimate = r.sentEstimate();
                request.sentOffered = r.sentOffered();
                requests.put(request.id, request);
            }
            sessions.clear();
            for (SupportState.SessionState x : state.sessions()) {
                SupportSession session = new SupportSession(x.id(), x.requestId(), x.member(), x.condition(),
                        x.language(), x.startedAt());
                session.mentor = x.mentor();
                session.mentorsEver.addAll(x.mentorsEver());
                session.lastActivity = x.lastActivity();
                session.endedAt = x.endedAt();
                session.handoff = x.handoffFrom() == null ? null
                        : new SupportSession.Handoff(x.handoffFrom(), x.handoffTo(), x.handoffReason());
                session.rating = x.rating();
                session.comment = x.comment();
                session.mentorNotes.addAll(x.mentorNotes());
                sessions.put(session.id, session);
            }
            matched.clear();
            matched.putAll(state.matched());
            estimator.restore(state.averageWaitSeconds());
        } finally {
            lock.unlock();
        }
    }

    /** The record of a session (for moderators and tests): who, when, the rating and the mentors' notes. */
    public Optional<SessionRecord> record(String sessionId) {
        lock.lock();
        try {
            SupportSession session = sessions.get(sessionId);
            return Optional.ofNullable(session).map(s -> new SessionRecord(s.id, s.member, List.copyOf(s.mentorsEver),
                    s.startedAt, s.endedAt, s.rating, s.comment, List.copyOf(s.mentorNotes)));
        } finally {
            lock.unlock();
        }
    }

    /**
     * What is kept of a session: never its messages (they are the transcript, kept apart and for less long).
     *
     * @param endedAt -1 while the session goes on
     * @param rating  null until the member rates it
     */
    public record SessionRecord(String id, UserInfo member, List<String> mentorIds, long startedAt, long endedAt,
                                Integer rating, String comment, List<String> mentorNotes) {
    }
}
