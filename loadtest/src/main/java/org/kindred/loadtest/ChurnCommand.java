package org.kindred.loadtest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "churn",
        mixinStandardHelpOptions = true,
        description = "One room: a publisher posts at --publish-rate while --members stay and --churners come and "
                + "go. At --rate N/s a connected churner leaves (a leave then a close, or a dropped connection), "
                + "stays away for --offline, then reconnects and resumes (join with since/epoch). Every member must "
                + "see every message exactly once and in order; lost/duplicated/out-of-order are also reported for "
                + "the resumed members alone.")
final class ChurnCommand extends ScenarioCommand {

    @Option(
            names = "--members",
            paramLabel = "M",
            defaultValue = "20",
            description = "Members that stay connected, the publisher included. Default: ${DEFAULT-VALUE}")
    int members;

    @Option(
            names = "--churners",
            paramLabel = "C",
            defaultValue = "20",
            description = "Members that come and go. Default: ${DEFAULT-VALUE}")
    int churners;

    @Option(
            names = "--rate",
            paramLabel = "N/s",
            defaultValue = "5",
            converter = CommonOptions.RateConverter.class,
            description = "Churn events (a churner leaving) per second. Default: ${DEFAULT-VALUE}/s")
    double rate;

    @Option(
            names = "--publish-rate",
            paramLabel = "X",
            defaultValue = "5",
            converter = CommonOptions.RateConverter.class,
            description = "Messages per second of the publisher. Default: ${DEFAULT-VALUE}")
    double publishRate;

    @Option(
            names = "--offline",
            paramLabel = "TIME",
            defaultValue = "1s",
            converter = CommonOptions.DurationConverter.class,
            description = "How long a churner stays away before resuming. Default: ${DEFAULT-VALUE}")
    Duration offline;

    @Option(
            names = "--drop-fraction",
            paramLabel = "F",
            defaultValue = "0.5",
            description = "Share of churn events that drop the connection without a word (the rest send leave, "
                    + "then close). Default: ${DEFAULT-VALUE}")
    double dropFraction;

    @Override
    String name() {
        return "churn";
    }

    @Override
    int plannedConnections() {
        return members + churners;
    }

    @Override
    void validate() {
        require(members >= 1, "--members: at least 1 (the publisher)");
        require(churners >= 1, "--churners: at least 1");
        require(rate > 0 && rate <= 10_000, "--rate: above 0, at most 10000/s");
        require(publishRate > 0, "--publish-rate: above 0");
        require(dropFraction >= 0 && dropFraction <= 1, "--drop-fraction: 0 to 1");
        require(offline.toSeconds() <= 60, "--offline: at most 60s");
    }

    @Override
    Report execute(Run run) {
        String room = common.rooms(1).get(0);
        run.checkRooms(List.of(room), true);
        Member publisher = run.newMember(List.of(room));
        run.newPublisher(publisher, room);
        for (int i = 1; i < members; i++) {
            run.newMember(List.of(room));
        }
        List<Member> churning = new ArrayList<>();
        for (int i = 0; i < churners; i++) {
            churning.add(run.newMember(List.of(room)));
        }
        run.sampleBaseline();
        run.startProgress();
        List<Member> connected = run.connectAll(run.members());
        ConcurrentLinkedQueue<Member> online = new ConcurrentLinkedQueue<>();
        churning.stream().filter(connected::contains).forEach(online::add);
        AtomicLong events = new AtomicLong();
        AtomicLong drops = new AtomicLong();
        AtomicLong leaves = new AtomicLong();
        AtomicLong reconnectFailures = new AtomicLong();
        AtomicLong away = new AtomicLong();
        run.publishers().forEach(p -> p.setRate(publishRate, false));
        ScheduledExecutorService driver = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lt-churn");
            t.setDaemon(true);
            return t;
        });
        long periodMicros = (long) Math.max(100, 1e6 / rate);
        driver.scheduleAtFixedRate(
                () -> {
                    Member m = online.poll();
                    if (m == null) {
                        return;
                    }
                    events.incrementAndGet();
                    away.incrementAndGet();
                    boolean drop = ThreadLocalRandom.current().nextDouble() < dropFraction;
                    CompletableFuture<Void> gone;
                    if (drop) {
                        drops.incrementAndGet();
                        m.close(true);
                        gone = CompletableFuture.completedFuture(null);
                    } else {
                        leaves.incrementAndGet();
                        gone = m.leaveAll().orTimeout(5, TimeUnit.SECONDS).handle((v, e) -> {
                            m.close(false);
                            return null;
                        });
                    }
                    // Come back only once the old connection is closed: a late close must not kill the new one.
                    gone.thenRunAsync(
                            () -> m.connect(true).whenComplete((x, e) -> {
                                away.decrementAndGet();
                                if (e == null) {
                                    online.add(m);
                                } else {
                                    reconnectFailures.incrementAndGet();
                                }
                            }),
                            CompletableFuture.delayedExecutor(offline.toMillis(), TimeUnit.MILLISECONDS));
                },
                periodMicros,
                periodMicros,
                TimeUnit.MICROSECONDS);
        run.runMeasured(null);
        driver.shutdown(); // no new churn events; scheduled reconnects still run
        try {
            driver.awaitTermination(offline.toMillis() + 20_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (away.get() > 0 && System.nanoTime() < deadline) {
            Run.parkUntil(System.nanoTime() + 20_000_000L);
        }
        run.pausePublishers();
        run.drain(null);
        Accounting.Result all = run.account();
        List<Accounting.ReceiverLog> churnLogs = new ArrayList<>();
        churning.forEach(m -> churnLogs.addAll(List.of(m.logs)));
        Map<Integer, Accounting.PublisherLog> pubs = new LinkedHashMap<>();
        run.publishers().forEach(p -> pubs.put(p.id, p.log));
        Accounting.Result resumed = Accounting.compute(pubs, churnLogs);
        run.closeAll();
        run.stopProgress();
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("members", members);
        params.put("churners", churners);
        params.put("rate", rate);
        params.put("publishRate", publishRate);
        params.put("offlineS", offline.toMillis() / 1000.0);
        params.put("dropFraction", dropFraction);
        Report r = run.report(
                members + " staying + " + churners + " churning members in '" + room + "', " + rate
                        + " churn events/s, publisher at " + publishRate + " msg/s",
                params);
        run.addDeliveryFigures(r, all);
        run.addServerFigures(r, run.measuredDeliveries(), connected.size());
        Map<String, Object> churn = new LinkedHashMap<>();
        churn.put("events", events.get());
        churn.put("drops", drops.get());
        churn.put("leaves", leaves.get());
        churn.put("resumes", run.stats().resumes.sum());
        churn.put("resumesNotRecovered", run.stats().resumesNotRecovered.sum());
        churn.put("recoveredMessages", run.stats().recoveredMessages.sum());
        churn.put("reconnectFailures", reconnectFailures.get());
        churn.put("stillAway", away.get());
        churn.put("resumedExpected", resumed.expected());
        churn.put("resumedLost", resumed.lost());
        churn.put("resumedDuplicated", resumed.duplicated());
        churn.put("resumedOutOfOrder", resumed.outOfOrder());
        r.put("churn", churn);
        r.note("churn: " + events.get() + " events (" + drops.get() + " drops, " + leaves.get() + " leaves), "
                + run.stats().resumes.sum() + " resumes ("
                + run.stats().resumesNotRecovered.sum()
                + " not recovered), " + run.stats().recoveredMessages.sum() + " messages recovered on resume; "
                + "resumed members: expected " + resumed.expected() + ", lost " + resumed.lost() + ", duplicated "
                + resumed.duplicated() + ", out of order " + resumed.outOfOrder());
        judge(r, run, all);
        if (run.stats().resumesNotRecovered.sum() > 0) {
            r.fail(run.stats().resumesNotRecovered.sum() + " resumes answered recovered: false");
        }
        if (reconnectFailures.get() > 0) {
            r.fail(reconnectFailures.get() + " reconnects failed");
        }
        return r;
    }
}
