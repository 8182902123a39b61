package org.kindred.server.support;

import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.kindred.server.config.SupportConfig;
import org.kindred.server.metrics.KindredMetrics;

/**
 * What one-to-one support holds — mentors, waiting requests, sessions, recent matches — and the one lock every change
 * takes; also its entities, which a cluster stores one by one, and the way back from them.
 */
final class SupportLedger {

    final SupportConfig settings;
    final SupportService.Safeguards safeguards;
    final SupportService.Notifier notifier;
    final SupportService.SessionRooms rooms;
    final Function<String, List<String>> roomsForCondition;
    final KindredMetrics metrics;
    final Clock clock;
    final ReentrantLock lock = new ReentrantLock();
    final WaitEstimator estimator;

    final Map<String, Mentor> mentors = new HashMap<>();
    /** Waiting requests by id, in arrival order; the matchmaker's queue sorts continuations first. */
    final Map<String, Request> requests = new LinkedHashMap<>();

    final Map<String, SupportSession> sessions = new HashMap<>();
    /** Requests matched recently, by id, with their mentor: a late accept is told "taken", not "not found". */
    final Map<String, String> matched = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > 10_000;
        }
    };

    final SessionRecords records;

    /**
     * Requests dropped while their member was away past the grace, by member: the member hears of it when it comes
     * back (it was not connected to hear {@code support_cancelled} then). Forgotten after a day.
     */
    final Map<String, SupportState.ExpiredRequest> expiredWhileAway = new HashMap<>();

    SupportLedger(
            SupportConfig settings,
            SupportService.Safeguards safeguards,
            SupportService.Notifier notifier,
            SupportService.SessionRooms rooms,
            Function<String, List<String>> roomsForCondition,
            KindredMetrics metrics,
            Clock clock,
            SessionRecords records) {
        this.records = records;
        this.settings = settings;
        this.safeguards = safeguards;
        this.notifier = notifier;
        this.rooms = rooms;
        this.roomsForCondition = roomsForCondition;
        this.metrics = metrics;
        this.clock = clock;
        this.estimator = new WaitEstimator(settings.unavailableAfter());
        metrics.bindActiveSessions(this::activeSessions);
    }

    @FunctionalInterface
    interface SupportAction<T> {
        T run();
    }

    <T> T locked(SupportAction<T> action) {
        lock.lock();
        try {
            return action.run();
        } finally {
            lock.unlock();
        }
    }

    void lockedQuietly(Runnable action) {
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }

    int activeSessions() {
        lock.lock();
        try {
            return (int) sessions.values().stream().filter(s -> !s.ended()).count();
        } finally {
            lock.unlock();
        }
    }

    static String newId(String prefix) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return prefix
                + Long.toHexString(random.nextLong() | Long.MIN_VALUE)
                + Long.toHexString(random.nextLong() | Long.MIN_VALUE);
    }

    /** Everything this service holds, as values; {@code online} is left to the caller (a cluster's bookkeeping). */
    SupportState snapshot(Map<String, List<String>> online) {
        lock.lock();
        try {
            return new SupportState(
                    mentors.values().stream().map(SupportLedger::state).toList(),
                    requests.values().stream().map(SupportLedger::state).toList(),
                    sessions.values().stream().map(SupportLedger::state).toList(),
                    new LinkedHashMap<>(matched),
                    estimator.averageSeconds(),
                    online,
                    expiredWhileAway);
        } finally {
            lock.unlock();
        }
    }

    /** Replaces everything this service holds with a snapshot (taken here or on another node). */
    void restore(SupportState state) {
        lock.lock();
        try {
            mentors.clear();
            state.mentors().forEach(m -> mentors.put(m.user().id(), mentor(m)));
            requests.clear();
            state.requests().forEach(r -> requests.put(r.id(), request(r)));
            sessions.clear();
            state.sessions().forEach(x -> sessions.put(x.id(), session(x)));
            matched.clear();
            matched.putAll(state.matched());
            expiredWhileAway.clear();
            expiredWhileAway.putAll(state.expiredWhileAway());
            estimator.restore(state.averageWaitSeconds());
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Entities: what a cluster keeps one by one (docs/cluster.md, "Support and groups")

    static final String MENTOR = "mentor:";
    static final String REQUEST = "request:";
    static final String SESSION = "session:";
    static final String MATCHED = "matched:";
    static final String WAIT = "wait";
    /** A request that expired while its member was away, by member. */
    static final String EXPIRED = "expired:";

    /**
     * Every entity, by key: {@code mentor:<user>}, {@code request:<id>}, {@code session:<id>} (records of {@link
     * SupportState}), {@code matched:<request>} (the mentor's id) and {@code wait} (the average wait, a double).
     */
    Map<String, Object> entities() {
        lock.lock();
        try {
            Map<String, Object> all =
                    new HashMap<>((mentors.size() + requests.size() + sessions.size() + matched.size()) * 2 + 4);
            mentors.values().forEach(m -> all.put(MENTOR + m.user.id(), state(m)));
            requests.values().forEach(r -> all.put(REQUEST + r.id, state(r)));
            sessions.values().forEach(x -> all.put(SESSION + x.id, state(x)));
            matched.forEach((request, mentor) -> all.put(MATCHED + request, mentor));
            expiredWhileAway.forEach((member, expired) -> all.put(EXPIRED + member, expired));
            all.put(WAIT, estimator.averageSeconds());
            return all;
        } finally {
            lock.unlock();
        }
    }

    /** Swaps entities in (a null value removes one), as {@link #entities()} names them; other keys are ignored. */
    void apply(Map<String, ?> changes) {
        lock.lock();
        try {
            changes.forEach((key, value) -> {
                if (key.startsWith(MENTOR)) {
                    String id = key.substring(MENTOR.length());
                    if (value == null) {
                        mentors.remove(id);
                    } else {
                        mentors.put(id, mentor((SupportState.MentorState) value));
                    }
                } else if (key.startsWith(REQUEST)) {
                    String id = key.substring(REQUEST.length());
                    if (value == null) {
                        requests.remove(id);
                    } else {
                        Request request = request((SupportState.RequestState) value);
                        Request known = requests.get(id);
                        if (known != null) {
                            // What this node told the member is its own, not what the writing node told.
                            Matchmaker.remember(request, known);
                        }
                        requests.put(id, request);
                    }
                } else if (key.startsWith(SESSION)) {
                    String id = key.substring(SESSION.length());
                    if (value == null) {
                        sessions.remove(id);
                    } else {
                        sessions.put(id, session((SupportState.SessionState) value));
                    }
                } else if (key.startsWith(MATCHED)) {
                    String id = key.substring(MATCHED.length());
                    if (value == null) {
                        matched.remove(id);
                    } else {
                        matched.put(id, (String) value);
                    }
                } else if (key.startsWith(EXPIRED)) {
                    String member = key.substring(EXPIRED.length());
                    if (value == null) {
                        expiredWhileAway.remove(member);
                    } else {
                        expiredWhileAway.put(member, (SupportState.ExpiredRequest) value);
                    }
                } else if (key.equals(WAIT) && value != null) {
                    estimator.restore((Double) value);
                }
            });
        } finally {
            lock.unlock();
        }
    }

    static SupportState.MentorState state(Mentor m) {
        return new SupportState.MentorState(
                m.user,
                m.experienced,
                m.available,
                m.conditions,
                m.languages,
                m.capacity,
                List.copyOf(m.sessions),
                m.offeredRequest,
                m.lastAssignedAt,
                m.disconnectedAt);
    }

    static SupportState.RequestState state(Request r) {
        return new SupportState.RequestState(
                r.id,
                r.member,
                r.condition,
                r.language,
                r.note,
                r.createdAt,
                r.sessionId,
                r.urgent,
                r.preferredMentorId,
                r.offeredTo,
                r.offerExpiresAt,
                Map.copyOf(r.passedBy),
                r.toldUnavailable,
                r.memberGoneAt,
                r.sentPosition,
                r.sentEstimate,
                r.sentOffered);
    }

    static SupportState.SessionState state(SupportSession x) {
        return new SupportState.SessionState(
                x.id,
                x.requestId,
                x.member,
                x.condition,
                x.language,
                x.startedAt,
                x.mentor,
                List.copyOf(x.mentorsEver),
                x.lastActivity,
                x.endedAt,
                x.handoff == null ? null : x.handoff.from(),
                x.handoff == null ? null : x.handoff.to(),
                x.handoff == null ? null : x.handoff.reason(),
                x.rating,
                x.comment,
                List.copyOf(x.mentorNotes));
    }

    static Mentor mentor(SupportState.MentorState m) {
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
        return mentor;
    }

    static Request request(SupportState.RequestState r) {
        Request request =
                new Request(r.id(), r.member(), r.condition(), r.language(), r.note(), r.createdAt(), r.sessionId());
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
        return request;
    }

    static SupportSession session(SupportState.SessionState x) {
        SupportSession session =
                new SupportSession(x.id(), x.requestId(), x.member(), x.condition(), x.language(), x.startedAt());
        session.mentor = x.mentor();
        session.mentorsEver.addAll(x.mentorsEver());
        session.lastActivity = x.lastActivity();
        session.endedAt = x.endedAt();
        session.handoff = x.handoffFrom() == null
                ? null
                : new SupportSession.Handoff(x.handoffFrom(), x.handoffTo(), x.handoffReason());
        session.rating = x.rating();
        session.comment = x.comment();
        session.mentorNotes.addAll(x.mentorNotes());
        return session;
    }
}
