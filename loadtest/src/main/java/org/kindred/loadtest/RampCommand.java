package org.kindred.loadtest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "ramp",
        mixinStandardHelpOptions = true,
        description = "Raises the total publish rate step by step (--start, then + --step every --step-duration) "
                + "over R rooms x M members with P publishers per room, until a step's p99 passes --max-p99, a "
                + "message is lost, the server refuses sends, or the publishers cannot reach the target rate. "
                + "Between steps publishing pauses and drains. Reports the highest sustained deliveries/s.")
final class RampCommand extends ScenarioCommand {

    @Option(names = "--rooms", paramLabel = "R", defaultValue = "1", description = "Rooms. Default: ${DEFAULT-VALUE}")
    int rooms;

    @Option(
            names = "--members",
            paramLabel = "M",
            defaultValue = "50",
            description = "Members per room. Default: ${DEFAULT-VALUE}")
    int members;

    @Option(
            names = "--publishers",
            paramLabel = "P",
            defaultValue = "1",
            description = "Publishers per room. Default: ${DEFAULT-VALUE}")
    int publishers;

    @Option(
            names = "--start",
            paramLabel = "MSG/s",
            defaultValue = "50",
            converter = CommonOptions.RateConverter.class,
            description = "Total publish rate of the first step (all publishers together). Default: ${DEFAULT-VALUE}")
    double start;

    @Option(
            names = "--step",
            paramLabel = "MSG/s",
            defaultValue = "50",
            converter = CommonOptions.RateConverter.class,
            description = "Added to the total publish rate at each step. Default: ${DEFAULT-VALUE}")
    double step;

    @Option(
            names = "--step-duration",
            paramLabel = "TIME",
            defaultValue = "5s",
            converter = CommonOptions.DurationConverter.class,
            description = "Length of one step. Default: ${DEFAULT-VALUE}")
    Duration stepDuration;

    @Option(
            names = "--max-p99",
            paramLabel = "TIME",
            defaultValue = "50ms",
            converter = CommonOptions.DurationConverter.class,
            description =
                    "A step whose p99 end-to-end latency is above this is not sustained. Default: ${DEFAULT-VALUE}")
    Duration maxP99;

    @Option(
            names = "--max-steps",
            paramLabel = "N",
            defaultValue = "50",
            description = "Stop after this many steps. Default: ${DEFAULT-VALUE}")
    int maxSteps;

    @Option(
            names = "--step-drain",
            paramLabel = "TIME",
            defaultValue = "2s",
            converter = CommonOptions.DurationConverter.class,
            description = "Pause after each step for its deliveries to arrive. Default: ${DEFAULT-VALUE}")
    Duration stepDrain;

    /** One step's window (stamps) and counters. */
    private static final class Step {
        final long startStamp;
        volatile long endStamp = Long.MAX_VALUE;
        final LongAdder delivered = new LongAdder();
        final StripedRecorder latency = new StripedRecorder(1, Stats.MAX_MICROS, 3);

        Step(long startStamp) {
            this.startStamp = startStamp;
        }
    }

    @Override
    String name() {
        return "ramp";
    }

    @Override
    int plannedConnections() {
        return rooms * members;
    }

    @Override
    void validate() {
        require(rooms >= 1 && members >= 1, "--rooms and --members: at least 1");
        require(publishers >= 1 && publishers <= members, "--publishers: 1 to --members (" + members + ")");
        require(start > 0 && step >= 0, "--start above 0, --step at least 0");
        require(stepDuration.toMillis() >= 500, "--step-duration: at least 500ms");
        require(maxSteps >= 1 && maxSteps <= 1000, "--max-steps: 1 to 1000");
        require(stepDrain.toSeconds() <= 30, "--step-drain: at most 30s");
    }

    @Override
    Report execute(Run run) {
        List<String> roomIds = common.rooms(rooms);
        run.checkRooms(roomIds, true);
        for (String room : roomIds) {
            for (int m = 0; m < members; m++) {
                Member member = run.newMember(List.of(room));
                if (m < publishers) {
                    run.newPublisher(member, room);
                }
            }
        }
        run.sampleBaseline();
        run.startProgress();
        List<Member> connected = run.connectAll(run.members());
        List<Step> steps = new ArrayList<>();
        run.hook((sent, micros) -> {
            for (int i = steps.size() - 1; i >= 0; i--) {
                Step s = steps.get(i);
                if (sent >= s.startStamp) {
                    if (sent < s.endStamp) {
                        s.delivered.increment();
                        Stats.record(s.latency, micros);
                    }
                    return;
                }
            }
        });
        int totalPublishers = run.publishers().size();
        List<Map<String, Object>> results = new ArrayList<>();
        Map<String, Object> best = null;
        String stopReason = "--max-steps reached";
        long deadline = System.nanoTime() + common.duration.toNanos();
        if (!common.warmup.isZero()) {
            // Warm the JIT (ours and the server's) at the starting rate; nothing sent now belongs to a step.
            run.publishers().forEach(p -> p.setRate(start / totalPublishers, false));
            Run.sleep(common.warmup);
            run.pausePublishers();
            Run.sleep(java.time.Duration.ofSeconds(1));
        }
        run.markMeasureStart();
        for (int k = 0; k < maxSteps; k++) {
            if (System.nanoTime() + stepDuration.toNanos() > deadline) {
                stopReason = "--duration reached";
                break;
            }
            double target = start + k * step;
            long[] sentBefore =
                    run.publishers().stream().mapToLong(p -> p.log.sent()).toArray();
            long errorsBefore = run.stats().errorCount();
            long throttledBefore = run.stats().throttled.sum();
            Step s = new Step(run.stampNanos());
            synchronized (steps) {
                steps.add(s);
            }
            long t0 = System.nanoTime();
            run.publishers().forEach(p -> p.setRate(target / totalPublishers, false));
            Run.parkUntil(t0 + stepDuration.toNanos());
            run.pausePublishers();
            s.endStamp = run.stampNanos();
            double seconds = (System.nanoTime() - t0) / 1e9;
            long[] sentAfter =
                    run.publishers().stream().mapToLong(p -> p.log.sent()).toArray();
            // Wait for this step's acks and deliveries.
            long drainEnd = System.nanoTime() + stepDrain.toNanos();
            long expected = 0;
            long sent = 0;
            while (true) {
                expected = 0;
                sent = 0;
                for (int i = 0; i < totalPublishers; i++) {
                    Publisher p = run.publishers().get(i);
                    expected += p.log.ackedInRange(sentBefore[i], sentAfter[i]) * members;
                    sent += sentAfter[i] - sentBefore[i];
                }
                if ((run.unacked() == 0 && s.delivered.sum() >= expected) || System.nanoTime() > drainEnd) {
                    break;
                }
                Run.parkUntil(System.nanoTime() + 20_000_000L);
            }
            Histogram h = s.latency.getIntervalHistogram();
            long delivered = s.delivered.sum();
            long lost = Math.max(0, expected - delivered);
            long newErrors = run.stats().errorCount() - errorsBefore;
            long newThrottled = run.stats().throttled.sum() - throttledBefore;
            double sendRate = sent / seconds;
            double p99 = h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(99) / 1000.0;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("step", k + 1);
            m.put("targetMsgPerSec", Report.round(target, 1));
            m.put("sendsPerSec", Report.round(sendRate, 1));
            m.put("deliveriesPerSec", Report.round(delivered / seconds, 1));
            m.put("p50Ms", Report.round(h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(50) / 1000.0, 3));
            m.put("p99Ms", Report.round(p99, 3));
            m.put("maxMs", Report.round(h.getMaxValue() / 1000.0, 3));
            m.put("expected", expected);
            m.put("delivered", delivered);
            m.put("lost", lost);
            m.put("errors", newErrors);
            m.put("throttled", newThrottled);
            String why = null;
            if (p99 > maxP99.toNanos() / 1e6) {
                why = "p99 " + Report.round(p99, 3) + " ms above --max-p99 " + Report.fmtDuration(maxP99);
            } else if (lost > 0) {
                why = lost + " deliveries lost";
            } else if (newErrors > 0) {
                why = newErrors + " errors from the server " + run.stats().errors();
            } else if (newThrottled > 0 || sendRate < 0.95 * target) {
                why = "publishers reached only " + Report.round(sendRate, 1) + " of " + Report.round(target, 1)
                        + " msg/s";
            } else if (connected.size() < run.members().size()
                    || run.stats().closedByServer.sum() > 0) {
                why = "connections failed or were closed by the server";
            }
            m.put("sustained", why == null);
            if (why != null) {
                m.put("stopReason", why);
            }
            results.add(m);
            if (why != null) {
                stopReason = "step " + (k + 1) + ": " + why;
                break;
            }
            best = m;
        }
        run.markMeasureEnd();
        run.drain(run::staticExpected);
        Accounting.Result a = run.account();
        run.closeAll();
        run.stopProgress();
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("rooms", rooms);
        params.put("members", members);
        params.put("publishers", publishers);
        params.put("start", start);
        params.put("step", step);
        params.put("stepDurationS", stepDuration.toMillis() / 1000.0);
        params.put("maxP99Ms", maxP99.toMillis());
        Report r = run.report(
                rooms + " room(s) x " + members + " members, " + publishers + " publisher(s) per room, " + "total rate "
                        + start + " msg/s + " + step + " per " + Report.fmtDuration(stepDuration),
                params);
        run.addDeliveryFigures(r, a);
        run.addServerFigures(r, run.measuredDeliveries(), connected.size());
        r.put("steps", results);
        r.put("stopReason", stopReason);
        r.put("maxSustainableDeliveriesPerSec", best == null ? 0 : best.get("deliveriesPerSec"));
        r.put("maxSustainableMsgPerSec", best == null ? 0 : best.get("targetMsgPerSec"));
        for (Map<String, Object> m : results) {
            r.note(String.format(
                    java.util.Locale.ROOT,
                    "step %s: target %s msg/s, sent %s/s, %s deliveries/s, " + "p50 %s ms, p99 %s ms, lost %s%s",
                    m.get("step"),
                    m.get("targetMsgPerSec"),
                    m.get("sendsPerSec"),
                    m.get("deliveriesPerSec"),
                    m.get("p50Ms"),
                    m.get("p99Ms"),
                    m.get("lost"),
                    Boolean.TRUE.equals(m.get("sustained")) ? "" : "  <- " + m.get("stopReason")));
        }
        r.note("highest sustained: " + r.get("maxSustainableDeliveriesPerSec") + " deliveries/s ("
                + r.get("maxSustainableMsgPerSec") + " msg/s); stopped: " + stopReason);
        // A ramp ends by design at the first unsustainable step: only connection failures, duplicates or
        // reordering, and a run in which nothing was acknowledged make the run itself fail; loss is reported per step.
        ScenarioCommand.failIfNothingAcknowledged(r, run.stats());
        if (run.stats().connectFailed.sum() > 0) {
            r.fail(run.stats().connectFailed.sum() + " connection(s) failed");
        }
        if (a.duplicated() > 0 || a.outOfOrder() > 0) {
            r.fail(a.duplicated() + " duplicated, " + a.outOfOrder() + " out of order");
        }
        return r;
    }
}
