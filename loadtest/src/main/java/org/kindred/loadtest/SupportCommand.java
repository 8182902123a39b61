package org.kindred.loadtest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "support",
        mixinStandardHelpOptions = true,
        description = "Many one-to-one sessions: --mentors members with the mentor role declare themselves available "
                + "(one session each) and accept every offer; --sessions members ask for support at --request-rate. "
                + "Once a session starts, both sides join its room and each posts one message every --interval "
                + "(random phase) until --duration is over; then the member ends the session. Reports the time to "
                + "match (request_support sent to session_started received by the member), sessions started and "
                + "ended, and delivery latency, loss, duplicates and order inside the sessions.")
final class SupportCommand extends ScenarioCommand {

    @Option(
            names = "--sessions",
            paramLabel = "S",
            defaultValue = "200",
            description = "Members asking for support, one session each. Default: ${DEFAULT-VALUE}")
    int sessions;

    @Option(
            names = "--mentors",
            paramLabel = "M",
            description = "Mentors, each holding one session at a time; at least --sessions. Default: --sessions")
    Integer mentors;

    @Option(
            names = "--interval",
            paramLabel = "TIME",
            defaultValue = "5s",
            converter = CommonOptions.DurationConverter.class,
            description = "Time between two messages of one participant. Default: ${DEFAULT-VALUE}")
    Duration interval;

    @Option(
            names = "--request-rate",
            paramLabel = "N/s",
            defaultValue = "100",
            converter = CommonOptions.RateConverter.class,
            description = "Support requests sent per second. Default: ${DEFAULT-VALUE}/s")
    double requestRate;

    @Option(
            names = "--condition",
            paramLabel = "TAG",
            defaultValue = "metabolic",
            description = "The condition of every request, covered by every mentor. Default: ${DEFAULT-VALUE}")
    String condition;

    @Option(
            names = "--language",
            paramLabel = "CODE",
            defaultValue = "en",
            description = "The language of every request, spoken by every mentor. Default: ${DEFAULT-VALUE}")
    String language;

    /** Time to match, µs: request_support sent → session_started received by the member. */
    private final Recorder matchTime = new Recorder(1, Stats.MAX_MICROS, 3);
    /** Where the time to match goes, µs: request_support sent → its support_queued reply. */
    private final Recorder queuedTime = new Recorder(1, Stats.MAX_MICROS, 3);
    /** request_support sent → support_offer received by a mentor. */
    private final Recorder offerTime = new Recorder(1, Stats.MAX_MICROS, 3);
    /** support_offer received by the mentor → session_started received by the member. */
    private final Recorder acceptTime = new Recorder(1, Stats.MAX_MICROS, 3);
    /** When each request was first offered, by request id (System.nanoTime). */
    private final Map<String, Long> offeredAt = new ConcurrentHashMap<>();

    private final LongAdder available = new LongAdder();
    private final LongAdder queued = new LongAdder();
    private final LongAdder requestsRefused = new LongAdder();
    private final LongAdder offers = new LongAdder();
    private final LongAdder acceptsRefused = new LongAdder();
    private final LongAdder started = new LongAdder();
    private final LongAdder mentorStarted = new LongAdder();
    private final LongAdder sessionJoins = new LongAdder();
    private final LongAdder endsDone = new LongAdder();
    private final LongAdder ended = new LongAdder();
    private final ConcurrentLinkedQueue<Accounting.ReceiverLog> sessionLogs = new ConcurrentLinkedQueue<>();
    private AtomicLongArray requestSent;
    private String[] sessionOf;
    private double rate;
    /** Whether a session that starts now still publishes (not once the measured window is over). */
    private volatile boolean publishing = true;

    @Override
    String name() {
        return "support";
    }

    private int mentorCount() {
        return mentors != null ? mentors : sessions;
    }

    @Override
    int plannedConnections() {
        return sessions + mentorCount();
    }

    @Override
    void validate() {
        require(sessions >= 1, "--sessions: at least 1");
        require(
                mentorCount() >= sessions,
                "--mentors: at least --sessions (" + sessions + "): each mentor holds one " + "session at a time");
        require(interval.toMillis() >= 1, "--interval: at least 1ms");
        require(requestRate > 0 && requestRate <= 10_000, "--request-rate: above 0, at most 10000/s");
        require(!condition.isBlank() && !language.isBlank(), "--condition and --language: not blank");
    }

    @Override
    Report execute(Run run) {
        List<Member> patients = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            Member m = run.newMember(List.of());
            m.support = this::onPatientFrame;
            patients.add(m);
        }
        List<Member> mentoring = new ArrayList<>();
        for (int i = 0; i < mentorCount(); i++) {
            Member m = run.newMember(List.of());
            m.role = "mentor";
            m.support = this::onMentorFrame;
            mentoring.add(m);
        }
        requestSent = new AtomicLongArray(sessions);
        sessionOf = new String[sessions];
        rate = 1e9 / interval.toNanos();
        run.sampleBaseline();
        run.startProgress();
        List<Member> connected = run.connectAll(run.members());
        List<Member> onlineMentors =
                mentoring.stream().filter(connected::contains).toList();
        onlineMentors.forEach(m -> m.client().send(Commands.setAvailability(condition, language, 1)));
        waitFor(() -> available.sum() >= onlineMentors.size(), TimeUnit.SECONDS.toNanos(10));
        long requested = 0;
        long t0 = System.nanoTime();
        long spacing = (long) (1e9 / requestRate);
        for (int i = 0; i < sessions; i++) {
            Member p = patients.get(i);
            if (!connected.contains(p) || !p.isOpen()) {
                continue;
            }
            Run.parkUntil(t0 + i * spacing);
            requestSent.set(i, System.nanoTime());
            p.client().send(Commands.requestSupport(condition, language));
            requested++;
        }
        run.runMeasured(null);
        publishing = false;
        run.pausePublishers();
        run.drain(null);
        Accounting.Result a = Accounting.compute(publisherLogs(run), List.copyOf(sessionLogs));
        for (int i = 0; i < sessions; i++) {
            String session;
            synchronized (sessionOf) {
                session = sessionOf[i];
            }
            if (session != null && patients.get(i).isOpen()) {
                patients.get(i).client().send(Commands.endSession(session));
            }
        }
        long startedSessions = started.sum();
        waitFor(
                () -> ended.sum() >= startedSessions && endsDone.sum() >= startedSessions,
                TimeUnit.SECONDS.toNanos(10));
        run.closeAll();
        run.stopProgress();
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("sessions", sessions);
        params.put("mentors", mentorCount());
        params.put("intervalS", interval.toMillis() / 1000.0);
        params.put("requestRate", requestRate);
        params.put("condition", condition);
        params.put("language", language);
        Report r = run.report(
                sessions + " one-to-one sessions with " + mentorCount() + " mentors, each side posting " + "every "
                        + Report.fmtDuration(interval),
                params);
        run.addDeliveryFigures(r, a);
        run.addServerFigures(r, run.measuredDeliveries(), connected.size());
        Histogram match = matchTime.getIntervalHistogram();
        Map<String, Object> support = new LinkedHashMap<>();
        support.put("mentorsAvailable", available.sum());
        support.put("requested", requested);
        support.put("queued", queued.sum());
        support.put("requestsRefused", requestsRefused.sum());
        support.put("offers", offers.sum());
        support.put("acceptsRefused", acceptsRefused.sum());
        support.put("started", startedSessions);
        support.put("startedForMentors", mentorStarted.sum());
        support.put("failed", sessions - startedSessions);
        support.put("sessionJoins", sessionJoins.sum());
        support.put("endedDone", endsDone.sum());
        support.put("ended", ended.sum());
        support.put("matchMs", Report.percentiles(match));
        Histogram queuedH = queuedTime.getIntervalHistogram();
        Histogram offerH = offerTime.getIntervalHistogram();
        Histogram acceptH = acceptTime.getIntervalHistogram();
        support.put("queuedReplyMs", Report.percentiles(queuedH));
        support.put("requestToOfferMs", Report.percentiles(offerH));
        support.put("offerToStartedMs", Report.percentiles(acceptH));
        r.put("support", support);
        r.note("support: " + requested + " requested, " + startedSessions + " sessions started (" + offers.sum()
                + " offers), " + ended.sum() + " ended; time to match p50 " + pct(match, 50) + ", p99 "
                + pct(match, 99) + ", max "
                + (match.getTotalCount() == 0 ? "-" : Report.fmtMs(match.getMaxValue() / 1000.0)));
        r.note("support: where the time to match goes (p50 / p99): request to its support_queued reply "
                + pct(queuedH, 50) + " / " + pct(queuedH, 99) + "; request to the mentor's offer " + pct(offerH, 50)
                + " / " + pct(offerH, 99) + "; offer to the member's session_started " + pct(acceptH, 50) + " / "
                + pct(acceptH, 99));
        judge(r, run, a);
        if (available.sum() < mentorCount()) {
            r.fail((mentorCount() - available.sum()) + " mentor(s) never became available");
        }
        if (startedSessions < sessions) {
            r.fail((sessions - startedSessions) + " of " + sessions + " sessions never started");
        }
        if (sessionJoins.sum() < 2 * startedSessions) {
            r.fail((2 * startedSessions - sessionJoins.sum()) + " session room joins failed");
        }
        if (ended.sum() < startedSessions) {
            r.fail((startedSessions - ended.sum()) + " sessions not ended after end_session");
        }
        if (a.expected() == 0) {
            r.fail("no message was delivered inside a session");
        }
        return r;
    }

    private static String pct(Histogram h, double p) {
        return h.getTotalCount() == 0 ? "-" : Report.fmtMs(h.getValueAtPercentile(p) / 1000.0);
    }

    private static Map<Integer, Accounting.PublisherLog> publisherLogs(Run run) {
        Map<Integer, Accounting.PublisherLog> logs = new LinkedHashMap<>();
        run.publishers().forEach(p -> logs.put(p.id, p.log));
        return logs;
    }

    private static void waitFor(BooleanSupplier done, long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            Run.parkUntil(System.nanoTime() + 20_000_000L);
        }
    }

    /** Counts a reply to this member's own command (by its ref), not the events that share its type. */
    private static void countReply(Frame f, String ref, LongAdder counter) {
        if (ref.equals(f.ref)) {
            counter.increment();
        }
    }

    /** A member who asked for support: times the match, joins the session and publishes in it. */
    private void onPatientFrame(Member m, WsClient c, Frame f) {
        switch (f.type) {
            case SUPPORT_QUEUED -> {
                if ("q".equals(f.ref)) {
                    queued.increment();
                    long sent = m.index < sessions ? requestSent.get(m.index) : 0;
                    if (sent > 0) {
                        Stats.record(queuedTime, (System.nanoTime() - sent) / 1000);
                    }
                }
            }
            case SESSION_STARTED -> {
                long now = System.nanoTime();
                long sent = m.index < sessions ? requestSent.get(m.index) : 0;
                if (sent > 0) {
                    Stats.record(matchTime, (now - sent) / 1000);
                    Long offered = f.requestId == null ? null : offeredAt.get(f.requestId);
                    if (offered != null) {
                        Stats.record(offerTime, Math.max(0, offered - sent) / 1000);
                        Stats.record(acceptTime, Math.max(0, now - offered) / 1000);
                    }
                }
                started.increment();
                synchronized (sessionOf) {
                    sessionOf[m.index] = f.sessionId;
                }
                c.send(Commands.joinSession(f.sessionId));
            }
            case JOINED -> joinedSession(m, f);
            case DONE -> countReply(f, "e", endsDone);
            case SESSION_ENDED -> ended.increment();
            case ERROR -> countReply(f, "q", requestsRefused);
            default -> {
                // support_unavailable, session_interrupted: counted nowhere, the session then fails to start
            }
        }
    }

    /** A mentor: accepts every offer, joins the session and publishes in it. */
    private void onMentorFrame(Member m, WsClient c, Frame f) {
        switch (f.type) {
            case AVAILABILITY -> countReply(f, "v", available);
            case SUPPORT_OFFER -> {
                offers.increment();
                if (f.requestId != null) {
                    offeredAt.putIfAbsent(f.requestId, System.nanoTime());
                }
                c.send(Commands.acceptOffer(f.requestId));
            }
            case SESSION_STARTED -> {
                mentorStarted.increment();
                c.send(Commands.joinSession(f.sessionId));
            }
            case JOINED -> joinedSession(m, f);
            case ERROR -> countReply(f, "a", acceptsRefused);
            default -> {
                // offer_withdrawn, session_ended, done: nothing to do
            }
        }
    }

    /** The session room is joined: count from here on, and publish in it. */
    private void joinedSession(Member m, Frame f) {
        if (f.room == null || m.publisher != null) {
            return;
        }
        sessionJoins.increment();
        Accounting.ReceiverLog log = new Accounting.ReceiverLog(f.room);
        log.joined(f.lastSeq, f.epoch);
        sessionLogs.add(log);
        m.sessionLog = log;
        Publisher p = m.run.newPublisher(m, f.room);
        if (publishing) {
            p.setRate(rate, true);
        }
    }
}
