package org.kindred.loadtest;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** Counters and latency recorders of a run, written from every event loop. Latencies are in microseconds. */
public final class Stats {

    static final long MAX_MICROS = 3_600_000_000L; // one hour

    public final LongAdder connectsStarted = new LongAdder();
    public final LongAdder connected = new LongAdder();
    public final LongAdder connectFailed = new LongAdder();
    public final LongAdder open = new LongAdder();
    /** Connections the server ended (a close frame or a drop) that we did not ask to end. */
    public final LongAdder closedByServer = new LongAdder();

    public final LongAdder sends = new LongAdder();
    public final LongAdder acks = new LongAdder();
    public final LongAdder duplicateAcks = new LongAdder();
    public final LongAdder refused = new LongAdder();
    /** Sends skipped because the connection's outbound buffer was full (the server reads too slowly). */
    public final LongAdder throttled = new LongAdder();
    /** Every load-test message received from this run's publishers, live or recovered by a resume. */
    public final LongAdder deliveries = new LongAdder();

    public final LongAdder foreignDeliveries = new LongAdder();
    public final LongAdder duplicates = new LongAdder();
    public final LongAdder outOfOrder = new LongAdder();
    /** Live estimate of gaps: publisher sequence numbers skipped and not (yet) filled. */
    public final LongAdder gaps = new LongAdder();

    public final LongAdder badFrames = new LongAdder();
    /** Joins repeated after a retryable refusal ({@code unavailable}, {@code internal}, {@code rate_limited}). */
    public final LongAdder joinRetries = new LongAdder();

    public final LongAdder resumes = new LongAdder();
    public final LongAdder resumesNotRecovered = new LongAdder();
    public final LongAdder recoveredMessages = new LongAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    /** Sends refused, by the error code the server gave: why nothing was acknowledged, when nothing was. */
    private final Map<String, LongAdder> refusals = new ConcurrentHashMap<>();

    private final Map<Integer, LongAdder> closeCodes = new ConcurrentHashMap<>();

    /** Every delivery, for the live display. */
    public final StripedRecorder liveLatency = new StripedRecorder(1, MAX_MICROS, 3);
    /** Deliveries of messages sent inside the measured window. */
    public final StripedRecorder latency = new StripedRecorder(1, MAX_MICROS, 3);
    /** TCP connect start → {@code welcome}. */
    public final Recorder connectTime = new Recorder(1, MAX_MICROS, 3);
    /** {@code join} sent → {@code joined}. */
    public final Recorder joinTime = new Recorder(1, MAX_MICROS, 3);

    public void error(String code) {
        errors.computeIfAbsent(code == null ? "unknown" : code, k -> new LongAdder())
                .increment();
    }

    /** A send the server refused with an {@code error} of this code. */
    public void refusal(String code) {
        refused.increment();
        refusals.computeIfAbsent(code == null ? "unknown" : code, k -> new LongAdder())
                .increment();
    }

    /** Refused sends by error code, in code order. */
    public Map<String, Long> refusals() {
        Map<String, Long> out = new TreeMap<>();
        refusals.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public void closeCode(int code) {
        closeCodes.computeIfAbsent(code, k -> new LongAdder()).increment();
    }

    public Map<String, Long> errors() {
        Map<String, Long> out = new TreeMap<>();
        errors.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public long errorCount() {
        return errors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public Map<String, Long> closeCodes() {
        Map<String, Long> out = new TreeMap<>();
        closeCodes.forEach((k, v) -> out.put(k < 0 ? "none" : Integer.toString(k), v.sum()));
        return out;
    }

    public static void record(Recorder r, long micros) {
        r.recordValue(clamp(micros));
    }

    /** For the per-delivery latencies. */
    public static void record(StripedRecorder r, long micros) {
        r.recordValue(clamp(micros));
    }

    private static long clamp(long micros) {
        return Math.max(0, Math.min(MAX_MICROS, micros));
    }

    public static Histogram newHistogram() {
        return new Histogram(1, MAX_MICROS, 3);
    }
}
