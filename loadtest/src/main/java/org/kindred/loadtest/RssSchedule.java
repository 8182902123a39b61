package org.kindred.loadtest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Samples the servers' resident memory at fixed offsets after a moment (the idle scenario: after the last member
 * joined), so that memory per connection can be read at, say, 5 s and 60 s: the first shows what joining left
 * behind, the second what the server settles at while its members stay quiet.
 */
final class RssSchedule {

    private final Run run;
    private final List<Duration> offsets;
    private final long startNanos;
    private final Map<Duration, Long> sampledKb = new LinkedHashMap<>();

    RssSchedule(Run run, List<Duration> offsets, long startNanos) {
        this.run = run;
        this.offsets = new ArrayList<>(offsets);
        this.offsets.sort(null);
        this.startNanos = startNanos;
    }

    /** Samples every offset that is due and not sampled yet; called about once a second. */
    void due() {
        long elapsed = System.nanoTime() - startNanos;
        for (Duration at : offsets) {
            if (!sampledKb.containsKey(at) && elapsed >= at.toNanos()) {
                sampledKb.put(at, Run.sumRss(run.sampleServers()));
            }
        }
    }

    /** Adds {@code rssAt}: per offset, the RSS and the KB per connection beyond the RSS before connecting. */
    void report(Report r, long connections) {
        if (offsets.isEmpty()) {
            return;
        }
        long before = run.baselineRssKb();
        Map<String, Object> out = new LinkedHashMap<>();
        for (Duration at : offsets) {
            Long kb = sampledKb.get(at);
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("rssKb", kb == null ? -1 : kb);
            if (kb != null && kb >= 0 && before >= 0 && connections > 0) {
                double perConnection = (kb - before) / (double) connections;
                one.put("perConnectionKb", Report.round(perConnection, 2));
                r.note("RSS " + at.toMillis() / 1000.0 + " s after the last join: " + Report.round(perConnection, 2)
                        + " KiB per connection");
            }
            out.put(at.toMillis() + "ms", one);
        }
        r.put("rssAt", out);
    }
}
