package org.kindred.loadtest;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * What all scenarios share: the checked options, the transport, tokens, members and publishers, pacing connections,
 * the measured window, the drain, accounting, server sampling and the live progress line.
 */
final class Run implements AutoCloseable {

    /** Called for each delivery of this run's messages (the ramp attributes them to steps). */
    interface DeliveryHook {
        void onDelivery(long sendStampNanos, long latencyMicros);
    }

    private final String scenario;
    final CommonOptions options;
    private final PrintWriter err;
    private final int runId = ThreadLocalRandom.current().nextInt(0x100000, 0x1000000);
    private final String runHex = Integer.toHexString(runId);
    private final Stats stats = new Stats();
    private final List<URI> urls = new ArrayList<>();
    private final List<InetAddress> sources = new ArrayList<>();
    private final boolean epochClock;
    private final Transport transport;
    private final Tokens tokens;
    private final List<Member> members = new ArrayList<>();
    /** Copy-on-write: the support scenario adds publishers from event loops as sessions start. */
    private final List<Publisher> publishers = new CopyOnWriteArrayList<>();

    private final Map<Integer, Accounting.PublisherLog> publisherLogs = new ConcurrentHashMap<>();
    private final int plannedConnections;
    private final Instant startedAt = Instant.now();
    private final long startNanos = System.nanoTime();
    private volatile DeliveryHook hook;
    private volatile long measureStartStamp = Long.MAX_VALUE;
    private volatile long measureEndStamp = Long.MAX_VALUE;
    private final LongAdder measuredDeliveries = new LongAdder();
    private long measureStartNanos;
    private long measureEndNanos;
    private long sendsAtStart;
    private long sendsAtEnd;
    private final Map<Long, ProcSampler.Sample> procStart = new LinkedHashMap<>();
    private final Map<Long, ProcSampler.Sample> procEnd = new LinkedHashMap<>();
    private final Map<Long, ProcSampler.Sample> procBaseline = new LinkedHashMap<>();
    private final long selfPid = ProcessHandle.current().pid();
    private ProcSampler.Sample selfStart;
    private ProcSampler.Sample selfEnd;
    private final Map<Long, Long> rssAfterGc = new LinkedHashMap<>();
    private final Histogram liveSoFar = Stats.newHistogram();
    private ScheduledExecutorService progress;
    private long lastSends;
    private long lastDeliveries;
    private volatile String phase = "starting";

    Run(String scenario, CommonOptions options, int plannedConnections, PrintWriter err) {
        this.scenario = scenario;
        this.options = options;
        this.err = err;
        this.plannedConnections = plannedConnections;
        for (String url : options.urls.isEmpty() ? List.of("ws://127.0.0.1:8080/ws") : options.urls) {
            try {
                urls.add(LoopbackGuard.checkUrl(url));
            } catch (IllegalArgumentException e) {
                throw new CommonOptions.UsageException(e.getMessage());
            }
        }
        try {
            for (String s : options.sourceAddresses) {
                sources.add(LoopbackGuard.checkSourceAddress(s));
            }
            if (options.sourceIps != null) {
                if (options.sourceIps < 1 || options.sourceIps > 254) {
                    throw new CommonOptions.UsageException(
                            "--source-ips " + options.sourceIps + ": expected 1-254 (127.0.0.1 .. 127.0.0.N)");
                }
                for (int i = 1; i <= options.sourceIps; i++) {
                    sources.add(InetAddress.getByName("127.0.0." + i));
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new CommonOptions.UsageException(e.getMessage());
        }
        check();
        this.epochClock = switch (options.clock) {
            case "nano" -> false;
            case "epoch" -> true;
            default -> throw new CommonOptions.UsageException("--clock " + options.clock + ": expected nano or epoch");
        };
        this.tokens = options.jwtSecret != null
                ? new Tokens.Minted(options.jwtSecret, options.jwtIssuer, options.duration.plus(Duration.ofHours(1)))
                : new Tokens.DevSignIn();
        this.transport = new Transport(
                options.threads != null ? options.threads : Runtime.getRuntime().availableProcessors());
    }

    private void check() {
        if (options.duration.compareTo(CommonOptions.MAX_DURATION) > 0 || options.duration.isZero()) {
            throw new CommonOptions.UsageException(
                    "--duration " + Report.fmtDuration(options.duration) + ": expected more than 0 and at most 1h");
        }
        if (options.warmup.compareTo(options.duration) >= 0 && !options.warmup.isZero()) {
            throw new CommonOptions.UsageException("--warmup " + Report.fmtDuration(options.warmup)
                    + " must be shorter than --duration " + Report.fmtDuration(options.duration));
        }
        if (options.drain.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new CommonOptions.UsageException("--drain: at most 60s");
        }
        if (options.connectRate <= 0) {
            throw new CommonOptions.UsageException("--connect-rate: must be above 0");
        }
        if (plannedConnections > options.maxConnections) {
            throw new CommonOptions.UsageException("this scenario needs " + plannedConnections
                    + " connections, above --max-connections " + options.maxConnections);
        }
        long fdLimit = ProcSampler.openFilesLimit();
        if (fdLimit > 0 && plannedConnections + 256L > fdLimit) {
            throw new CommonOptions.UsageException("this scenario needs " + plannedConnections
                    + " connections but this process may open only " + fdLimit + " files (ulimit -n); keep "
                    + "connections below " + (fdLimit - 256) + " per process");
        }
        long perAddress = (plannedConnections + Math.max(1, sources.size()) - 1) / Math.max(1, sources.size());
        int ports = ProcSampler.ephemeralPorts();
        if (perAddress > ports - 512L) {
            throw new CommonOptions.UsageException(plannedConnections + " connections from "
                    + Math.max(1, sources.size()) + " source address(es) exceed the " + ports
                    + " ephemeral ports of each: add --source-ips " + (plannedConnections / (ports - 512) + 1));
        }
        for (Long pid : options.pids) {
            if (!ProcSampler.exists(pid)) {
                throw new CommonOptions.UsageException(
                        "--pid " + pid + ": no such process (or /proc/" + pid + "/stat is not readable)");
            }
        }
    }

    // ---- accessors --------------------------------------------------------------------------------------------

    Stats stats() {
        return stats;
    }

    Transport transport() {
        return transport;
    }

    Tokens tokens() {
        return tokens;
    }

    int runId() {
        return runId;
    }

    String runHex() {
        return runHex;
    }

    List<URI> urls() {
        return urls;
    }

    List<Member> members() {
        return members;
    }

    List<Publisher> publishers() {
        return publishers;
    }

    void hook(DeliveryHook h) {
        this.hook = h;
    }

    /** Now, in the time base of message stamps, in nanoseconds. */
    long stampNanos() {
        if (epochClock) {
            Instant now = Instant.now();
            return (now.getEpochSecond() * 1_000_000L + now.getNano() / 1000) * 1000L;
        }
        return System.nanoTime();
    }

    /** What goes into the text: nanoseconds, or epoch microseconds. */
    long textStamp(long stampNanos) {
        return epochClock ? stampNanos / 1000 : stampNanos;
    }

    private long stampFromText(long textValue) {
        return epochClock ? textValue * 1000 : textValue;
    }

    // ---- members ----------------------------------------------------------------------------------------------

    Member newMember(List<String> rooms) {
        int i = members.size();
        Member m = new Member(
                this, i, urls.get(i % urls.size()), sources.isEmpty() ? null : sources.get(i % sources.size()), rooms);
        members.add(m);
        return m;
    }

    synchronized Publisher newPublisher(Member m, String room) {
        Publisher p = new Publisher(publishers.size(), m, room);
        m.publisher = p;
        publishers.add(p);
        publisherLogs.put(p.id, p.log);
        return p;
    }

    /** A delivery of a load-test message to a member's room log. */
    void deliver(Accounting.ReceiverLog log, Frame.Msg msg, long nowStamp) {
        Payload.Parsed p = msg.payload;
        if (p.run != runId || p.publisher < 0 || p.publisher >= publishers.size()) {
            stats.foreignDeliveries.increment();
            return;
        }
        Accounting.Stream s = null;
        long before = 0;
        Accounting.Stream.Outcome outcome;
        synchronized (log) {
            s = log.stream(p.publisher);
            before = s == null ? 0 : s.maxSeen();
            outcome = log.receive(p.publisher, p.publisherSeq, msg.seq);
        }
        stats.deliveries.increment();
        switch (outcome) {
            case DUPLICATE -> {
                stats.duplicates.increment();
                return;
            }
            case OUT_OF_ORDER -> {
                stats.outOfOrder.increment();
                stats.gaps.decrement();
            }
            case IN_ORDER -> {
                if (before > 0 && p.publisherSeq > before + 1) {
                    stats.gaps.add(p.publisherSeq - before - 1);
                }
            }
        }
        long sent = stampFromText(p.time);
        long micros = (nowStamp - sent) / 1000;
        Stats.record(stats.liveLatency, micros);
        if (sent >= measureStartStamp && sent < measureEndStamp) {
            Stats.record(stats.latency, micros);
            measuredDeliveries.increment();
        }
        DeliveryHook h = hook;
        if (h != null) {
            h.onDelivery(sent, micros);
        }
    }

    // ---- phases -----------------------------------------------------------------------------------------------

    /** Connects a probe and checks that these rooms exist (and are writable when asked). */
    void checkRooms(Collection<String> needed, boolean writable) {
        phase = "checking rooms";
        Member probe = new Member(this, -1, urls.get(0), sources.isEmpty() ? null : sources.get(0), List.of());
        probe.probe = true;
        probe.roomList = new CompletableFuture<>();
        List<Frame.RoomInfo> rooms;
        try {
            probe.connect(false).exceptionally(e -> {
                probe.roomList.completeExceptionally(e);
                return null;
            });
            rooms = probe.roomList.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            throw new CommonOptions.UsageException("cannot use " + urls.get(0) + ": " + describe(cause));
        } finally {
            probe.close(false);
        }
        Map<String, Boolean> byId = new LinkedHashMap<>();
        rooms.forEach(r -> byId.put(r.id(), r.writable()));
        List<String> missing = needed.stream().filter(r -> !byId.containsKey(r)).toList();
        if (!missing.isEmpty()) {
            throw new CommonOptions.UsageException(missing.size() + " room(s) do not exist on " + urls.get(0) + ", "
                    + "for example '" + missing.get(0) + "' (the server has " + byId.size() + " rooms). "
                    + "Pick rooms it has with --room, or start it with --config loadtest/rooms-1000.yaml and use "
                    + "--room-prefix lt-");
        }
        if (writable) {
            List<String> readOnly = needed.stream().filter(r -> !byId.get(r)).toList();
            if (!readOnly.isEmpty()) {
                throw new CommonOptions.UsageException("members may not post in " + readOnly
                        + " (for example 'welcome' is for facilitators): pick writable rooms with --room");
            }
        }
    }

    static String describe(Throwable t) {
        if (t instanceof java.net.ConnectException
                || (t.getMessage() != null && t.getMessage().contains("Connection refused"))) {
            return "connection refused (is the server running?)";
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    /**
     * Connects members at {@code --connect-rate}, at most 512 handshakes at a time, and waits until they have joined
     * (or failed). Stops early on a failure every member would share (unknown room, refused sign-in).
     *
     * @return the members that are connected and joined
     */
    List<Member> connectAll(List<Member> toConnect) {
        phase = "connecting";
        long interval = (long) (1e9 / options.connectRate);
        long t0 = System.nanoTime();
        long deadline = t0 + (long) (toConnect.size() * 1e9 / options.connectRate) + TimeUnit.SECONDS.toNanos(30);
        java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(512);
        AtomicReference<Throwable> fatal = new AtomicReference<>();
        List<CompletableFuture<Member>> futures = new ArrayList<>();
        for (int i = 0; i < toConnect.size(); i++) {
            if (fatal.get() != null || System.nanoTime() > deadline) {
                break;
            }
            parkUntil(t0 + i * interval);
            try {
                if (!inFlight.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            CompletableFuture<Member> f = toConnect.get(i).connect(false);
            f.whenComplete((m, e) -> {
                inFlight.release();
                Throwable c = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                        ? e.getCause()
                        : e;
                if (c instanceof Member.FatalException) {
                    fatal.compareAndSet(null, c);
                }
            });
            futures.add(f);
        }
        try {
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                    .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (Exception e) {
            // failures are counted per member
        }
        if (fatal.get() != null) {
            throw new CommonOptions.UsageException(fatal.get().getMessage());
        }
        List<Member> ok = new ArrayList<>();
        for (CompletableFuture<Member> f : futures) {
            if (f.isDone() && !f.isCompletedExceptionally()) {
                ok.add(f.join());
            }
        }
        return ok;
    }

    static void parkUntil(long nanoTime) {
        long wait;
        while ((wait = nanoTime - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    static void sleep(Duration d) {
        parkUntil(System.nanoTime() + d.toNanos());
    }

    /** Samples the server processes now. */
    Map<Long, ProcSampler.Sample> sampleServers() {
        Map<Long, ProcSampler.Sample> out = new LinkedHashMap<>();
        for (Long pid : options.pids) {
            try {
                out.put(pid, ProcSampler.sample(pid));
            } catch (IOException | RuntimeException e) {
                err.println("\ncannot sample /proc/" + pid + ": " + e.getMessage());
            }
        }
        return out;
    }

    /** Server sample before anything connects (for RSS per connection). */
    void sampleBaseline() {
        gcServers();
        procBaseline.putAll(sampleServers());
    }

    /** With --server-gc: a full GC in every sampled server (jcmd PID GC.run), so RSS reflects live memory. */
    private void gcServers() {
        if (!options.serverGc) {
            return;
        }
        for (Long pid : options.pids) {
            try {
                Process p = new ProcessBuilder("jcmd", Long.toString(pid), "GC.run")
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (IOException e) {
                err.println("\n--server-gc: cannot run jcmd (" + e.getMessage() + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private ProcSampler.Sample sampleSelf() {
        try {
            return ProcSampler.sample(selfPid);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    void markMeasureStart() {
        phase = "measuring";
        procStart.putAll(sampleServers());
        selfStart = sampleSelf();
        sendsAtStart = stats.sends.sum();
        measureStartNanos = System.nanoTime();
        measureStartStamp = stampNanos();
    }

    void markMeasureEnd() {
        measureEndStamp = stampNanos();
        measureEndNanos = System.nanoTime();
        sendsAtEnd = stats.sends.sum();
        selfEnd = sampleSelf();
        procEnd.putAll(sampleServers());
        if (options.serverGc) {
            gcServers();
            sampleServers().forEach((pid, sample) -> rssAfterGc.put(pid, sample.rssKb()));
        }
    }

    double measuredSeconds() {
        return Math.max(1e-9, (measureEndNanos - measureStartNanos) / 1e9);
    }

    long measuredDeliveries() {
        return measuredDeliveries.sum();
    }

    /** Runs the load for {@code --duration}: warmup, then the measured window. */
    void runMeasured(Runnable everySecond) {
        long t0 = System.nanoTime();
        long warm = t0 + options.warmup.toNanos();
        long end = t0 + options.duration.toNanos();
        phase = options.warmup.isZero() ? "measuring" : "warmup";
        if (options.warmup.isZero()) {
            markMeasureStart();
        }
        boolean started = options.warmup.isZero();
        for (long next = t0 + 1_000_000_000L; ; next += 1_000_000_000L) {
            long stop = Math.min(next, end);
            if (!started && warm <= stop) {
                parkUntil(warm);
                markMeasureStart();
                started = true;
            }
            parkUntil(stop);
            if (stop >= end) {
                break;
            }
            if (everySecond != null) {
                everySecond.run();
            }
        }
        markMeasureEnd();
    }

    void pausePublishers() {
        List<java.util.concurrent.Future<?>> done = new ArrayList<>();
        publishers.forEach(p -> done.add(p.pause()));
        for (java.util.concurrent.Future<?> f : done) {
            try {
                f.get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                // a closed event loop or connection: nothing is sent from it any more
            }
        }
    }

    long unacked() {
        return publishers.stream().mapToLong(p -> p.log.unacked()).sum();
    }

    /**
     * Waits up to {@code --drain} for acks and deliveries: until nothing is unacknowledged and either
     * {@code expected} (if given) deliveries have arrived or none arrived for a second.
     */
    void drain(LongSupplier expected) {
        phase = "draining";
        long deadline = System.nanoTime() + options.drain.toNanos();
        long lastCount = -1;
        long lastChange = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long count = stats.deliveries.sum() - stats.duplicates.sum();
            long now = System.nanoTime();
            if (count != lastCount) {
                lastCount = count;
                lastChange = now;
            }
            if (unacked() == 0
                    && ((expected != null && count >= expected.getAsLong()) || now - lastChange > 1_000_000_000L)) {
                return;
            }
            parkUntil(now + 20_000_000L);
        }
    }

    /** Closes every member's connection politely and waits (at most 5 s) for them to go. */
    void closeAll() {
        phase = "closing";
        members.forEach(m -> m.close(false));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (stats.open.sum() > 0 && System.nanoTime() < deadline) {
            parkUntil(System.nanoTime() + 20_000_000L);
        }
    }

    /** Σ over rooms of acked messages × members joined: what a run with fixed membership expects. */
    long staticExpected() {
        Map<String, Long> joined = new java.util.HashMap<>();
        for (Member m : members) {
            for (Accounting.ReceiverLog l : m.logs) {
                if (l.started()) {
                    joined.merge(l.room, 1L, Long::sum);
                }
            }
        }
        long total = 0;
        for (Publisher p : publishers) {
            total += p.log.acked() * joined.getOrDefault(p.room, 0L);
        }
        return total;
    }

    Accounting.Result account() {
        List<Accounting.ReceiverLog> logs = new ArrayList<>();
        for (Member m : members) {
            logs.addAll(List.of(m.logs));
        }
        return Accounting.compute(publisherLogs, logs);
    }

    // ---- progress ---------------------------------------------------------------------------------------------

    void startProgress() {
        if (options.noProgress) {
            return;
        }
        progress = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lt-progress");
            t.setDaemon(true);
            return t;
        });
        progress.scheduleAtFixedRate(this::printProgress, 1, 1, TimeUnit.SECONDS);
    }

    private synchronized void printProgress() {
        try {
            long sends = stats.sends.sum();
            long deliveries = stats.deliveries.sum();
            liveSoFar.add(stats.liveLatency.getIntervalHistogram());
            String p99 =
                    liveSoFar.getTotalCount() == 0 ? "-" : Report.fmtMs(liveSoFar.getValueAtPercentile(99) / 1000.0);
            err.printf(
                    "\r[%s %4ds] conn %d/%d  sends/s %d  deliv/s %d  p99 %s  lost~ %d  dup %d  ooo %d  err %d   ",
                    phase,
                    (System.nanoTime() - startNanos) / 1_000_000_000L,
                    stats.open.sum(),
                    plannedConnections,
                    sends - lastSends,
                    deliveries - lastDeliveries,
                    p99,
                    Math.max(0, stats.gaps.sum()),
                    stats.duplicates.sum(),
                    stats.outOfOrder.sum(),
                    stats.errorCount());
            err.flush();
            lastSends = sends;
            lastDeliveries = deliveries;
        } catch (RuntimeException e) {
            // progress is best effort
        }
    }

    void stopProgress() {
        if (progress != null) {
            progress.shutdownNow();
            try {
                progress.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            printProgress();
            err.println();
            err.flush();
            progress = null;
        }
    }

    // ---- report -----------------------------------------------------------------------------------------------

    /** The figures every scenario reports; the scenario adds its own. */
    Report report(String title, Map<String, Object> parameters) {
        Report r = new Report(scenario, title);
        r.put("scenario", scenario);
        r.put("startedAt", startedAt.toString());
        r.put("urls", urls.stream().map(URI::toString).toList());
        r.put("parameters", parameters);
        r.put("durationS", options.duration.toMillis() / 1000.0);
        r.put("warmupS", options.warmup.toMillis() / 1000.0);
        r.put("measuredS", Report.round(measureEndNanos > 0 ? measuredSeconds() : 0, 3));
        r.put("transport", transport.epoll() ? "epoll" : "nio");
        r.put("clock", epochClock ? "epoch" : "nano");
        Map<String, Object> conn = new LinkedHashMap<>();
        conn.put("planned", plannedConnections);
        conn.put("established", stats.connected.sum());
        conn.put("failed", stats.connectFailed.sum());
        conn.put("closedByServer", stats.closedByServer.sum());
        conn.put("closeCodes", stats.closeCodes());
        r.put("connections", conn);
        Histogram connect = stats.connectTime.getIntervalHistogram();
        Histogram join = stats.joinTime.getIntervalHistogram();
        r.connectHistogram = connect;
        r.put("connectMs", Report.percentiles(connect));
        r.put("joinMs", Report.percentiles(join));
        r.put("joinRetries", stats.joinRetries.sum());
        r.put("errors", stats.errors());
        return r;
    }

    /** Adds sends, deliveries, latency, accounting and server figures for scenarios that publish. */
    void addDeliveryFigures(Report r, Accounting.Result a) {
        Histogram latency = stats.latency.getIntervalHistogram();
        r.latencyHistogram = latency;
        long sends = stats.sends.sum();
        r.put("sends", sends);
        r.put("acked", stats.acks.sum() - stats.duplicateAcks.sum());
        r.put("refused", stats.refused.sum());
        r.put("refusals", stats.refusals());
        r.put("unacked", unacked());
        r.put("throttled", stats.throttled.sum());
        r.put("deliveries", stats.deliveries.sum());
        r.put("sendsPerSec", Report.round((sendsAtEnd - sendsAtStart) / measuredSeconds(), 1));
        r.put("deliveriesPerSec", Report.round(measuredDeliveries() / measuredSeconds(), 1));
        r.put("latencyMs", Report.percentiles(latency));
        Map<String, Object> acc = new LinkedHashMap<>();
        acc.put("expected", a.expected());
        acc.put("received", a.received());
        acc.put("lost", a.lost());
        acc.put("duplicated", a.duplicated());
        acc.put("outOfOrder", a.outOfOrder());
        acc.put("unexpected", a.unexpected());
        acc.put("membersWithLoss", a.membersWithLoss());
        acc.put("foreign", stats.foreignDeliveries.sum());
        r.put("expectedDeliveries", a.expected());
        r.put("lost", a.lost());
        r.put("duplicated", a.duplicated());
        r.put("outOfOrder", a.outOfOrder());
        r.put("accounting", acc);
        r.accounting = a;
    }

    /** CPU (per delivery when there were deliveries) and RSS of the sampled server processes. */
    void addServerFigures(Report r, long deliveries, long connections) {
        if (options.pids.isEmpty()) {
            return;
        }
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("pids", options.pids);
        long user = 0;
        long system = 0;
        for (Long pid : options.pids) {
            ProcSampler.Sample a = procStart.get(pid);
            ProcSampler.Sample b = procEnd.get(pid);
            if (a != null && b != null) {
                user += b.userTicks() - a.userTicks();
                system += b.systemTicks() - a.systemTicks();
            }
        }
        double userMs = ProcSampler.ticksToMillis(user);
        double systemMs = ProcSampler.ticksToMillis(system);
        server.put("clockTicksPerSec", ProcSampler.clockTicksPerSecond());
        server.put("cpuUserMs", Report.round(userMs, 1));
        server.put("cpuSystemMs", Report.round(systemMs, 1));
        server.put("cpuCoresUsed", Report.round((userMs + systemMs) / 1000.0 / measuredSeconds(), 3));
        if (deliveries > 0) {
            server.put("cpuUserUsPerDelivery", Report.round(userMs * 1000.0 / deliveries, 3));
            server.put("cpuSystemUsPerDelivery", Report.round(systemMs * 1000.0 / deliveries, 3));
        }
        if (selfStart != null && selfEnd != null) {
            double genUser = ProcSampler.ticksToMillis(selfEnd.userTicks() - selfStart.userTicks());
            double genSystem = ProcSampler.ticksToMillis(selfEnd.systemTicks() - selfStart.systemTicks());
            server.put("generatorCpuUserMs", Report.round(genUser, 1));
            server.put("generatorCpuSystemMs", Report.round(genSystem, 1));
            server.put("generatorCoresUsed", Report.round((genUser + genSystem) / 1000.0 / measuredSeconds(), 3));
        }
        long rssBefore = sumRss(procBaseline.isEmpty() ? procStart : procBaseline);
        long rssAfter = sumRss(procEnd.isEmpty() ? sampleServers() : procEnd);
        if (!rssAfterGc.isEmpty()) {
            long afterGc =
                    rssAfterGc.values().stream().mapToLong(Long::longValue).sum();
            server.put("rssAfterGcKb", afterGc);
            if (connections > 0 && rssBefore >= 0) {
                server.put("rssPerConnectionAfterGcKb", Report.round((afterGc - rssBefore) / (double) connections, 2));
            }
        }
        server.put("rssBeforeKb", rssBefore);
        server.put("rssAfterKb", rssAfter);
        if (connections > 0 && rssBefore >= 0 && rssAfter >= 0) {
            server.put("rssPerConnectionKb", Report.round((rssAfter - rssBefore) / (double) connections, 2));
        }
        r.put("server", server);
    }

    /** The servers' summed RSS in KiB before any member connected; -1 without --pid. */
    long baselineRssKb() {
        return sumRss(procBaseline);
    }

    static long sumRss(Map<Long, ProcSampler.Sample> samples) {
        if (samples.isEmpty()) {
            return -1;
        }
        return samples.values().stream().mapToLong(ProcSampler.Sample::rssKb).sum();
    }

    @Override
    public void close() {
        stopProgress();
        if (stats.open.sum() > 0) {
            members.forEach(m -> m.close(true));
        }
        transport.close();
        tokens.close();
    }
}
