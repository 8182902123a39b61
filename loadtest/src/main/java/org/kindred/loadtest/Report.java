package org.kindred.loadtest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The result of a run: an ordered map (printed as one JSON line with {@code --json}), a human summary, and the
 * histograms the HTML report plots.
 *
 * <p>JSON fields (times in milliseconds unless the name says otherwise): {@code scenario}, {@code startedAt},
 * {@code urls}, {@code parameters}, {@code durationS}, {@code warmupS}, {@code measuredS}, {@code transport},
 * {@code clock}, {@code connections} {planned, established, failed, closedByServer, closeCodes}, {@code connectMs} and
 * {@code joinMs} {count, p50, p90, p99, p999, max, mean}, {@code errors} {code: count}; for scenarios that publish
 * {@code sends}, {@code acked}, {@code refused}, {@code refusals} {code: count}, {@code unacked}, {@code throttled}, {@code deliveries},
 * {@code sendsPerSec}, {@code deliveriesPerSec}, {@code latencyMs}, {@code expectedDeliveries}, {@code lost},
 * {@code duplicated}, {@code outOfOrder}, {@code accounting} {expected, received, lost, duplicated, outOfOrder,
 * unexpected, membersWithLoss, foreign}; with {@code --pid}, {@code server} {pids, clockTicksPerSec, cpuUserMs,
 * cpuSystemMs, cpuCoresUsed, cpuUserUsPerDelivery, cpuSystemUsPerDelivery, rssBeforeKb, rssAfterKb,
 * rssPerConnectionKb}; scenario details ({@code steps} and {@code maxSustainableDeliveriesPerSec} for ramp,
 * {@code churn} for churn); and {@code ok}.
 */
public final class Report {

    private static final ObjectMapper JSON = new ObjectMapper();

    final String scenario;
    final String title;
    private final Map<String, Object> data = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    Histogram latencyHistogram;
    Histogram connectHistogram;
    Accounting.Result accounting;
    boolean ok = true;

    Report(String scenario, String title) {
        this.scenario = scenario;
        this.title = title;
    }

    void put(String key, Object value) {
        data.put(key, value);
    }

    Object get(String key) {
        return data.get(key);
    }

    public Map<String, Object> data() {
        return data;
    }

    public boolean ok() {
        return ok;
    }

    void note(String line) {
        notes.add(line);
    }

    void fail(String why) {
        ok = false;
        notes.add("FAILED: " + why);
    }

    public String jsonLine() {
        Map<String, Object> out = new LinkedHashMap<>(data);
        out.put("ok", ok);
        try {
            return JSON.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- human summary ----------------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    public String human() {
        StringBuilder sb = new StringBuilder();
        sb.append("Kindred load test: ")
                .append(scenario)
                .append(" - ")
                .append(title)
                .append('\n');
        line(
                sb,
                "Run",
                "%ss (%ss warmup, %ss measured), %s transport, %s",
                data.get("durationS"),
                data.get("warmupS"),
                data.get("measuredS"),
                data.get("transport"),
                data.get("urls"));
        Map<String, Object> c = (Map<String, Object>) data.get("connections");
        line(
                sb,
                "Connections",
                "%s established of %s planned, %s failed, %s ended by the server %s",
                c.get("established"),
                c.get("planned"),
                c.get("failed"),
                c.get("closedByServer"),
                ((Map<?, ?>) c.get("closeCodes")).isEmpty() ? "" : "(close codes " + c.get("closeCodes") + ")");
        line(sb, "Connect", "%s (TCP connect to welcome)", pct((Map<String, Object>) data.get("connectMs")));
        line(sb, "Join", "%s (join to joined)", pct((Map<String, Object>) data.get("joinMs")));
        if (data.containsKey("sends")) {
            line(
                    sb,
                    "Sends",
                    "%s (%s acked, %s refused%s, %s unacked, %s throttled); %s/s measured",
                    data.get("sends"),
                    data.get("acked"),
                    data.get("refused"),
                    ((Map<?, ?>) data.getOrDefault("refusals", Map.of())).isEmpty() ? "" : " " + data.get("refusals"),
                    data.get("unacked"),
                    data.get("throttled"),
                    data.get("sendsPerSec"));
            line(
                    sb,
                    "Deliveries",
                    "%s in all; %s/s measured (messages sent in the measured window)",
                    data.get("deliveries"),
                    data.get("deliveriesPerSec"));
            line(sb, "Latency", "%s (end to end, send to delivery, messages sent after warmup)", pct((Map<
                            String, Object>)
                    data.get("latencyMs")));
            Map<String, Object> a = (Map<String, Object>) data.get("accounting");
            line(
                    sb,
                    "Accounting",
                    "expected %s, received %s, lost %s, duplicated %s, out of order %s, " + "unexpected %s",
                    a.get("expected"),
                    a.get("received"),
                    a.get("lost"),
                    a.get("duplicated"),
                    a.get("outOfOrder"),
                    a.get("unexpected"));
            sb.append(
                    "              expected = for every member, the acknowledged messages posted in its room while it\n"
                            + "              was a member (acked count x members of the room at the time); lost = expected\n"
                            + "              minus received after the drain; duplicate / out of order by publisher sequence.\n");
        }
        Map<String, Long> errors = (Map<String, Long>) data.get("errors");
        line(sb, "Errors", "%s", errors.isEmpty() ? "none" : errors.toString());
        Map<String, Object> server = (Map<String, Object>) data.get("server");
        if (server != null) {
            StringBuilder s = new StringBuilder();
            s.append(String.format(
                    Locale.ROOT,
                    "pid %s: CPU user %s ms, system %s ms in the measured window (%s cores)",
                    server.get("pids"),
                    server.get("cpuUserMs"),
                    server.get("cpuSystemMs"),
                    server.get("cpuCoresUsed")));
            if (server.containsKey("cpuUserUsPerDelivery")) {
                s.append(String.format(
                        Locale.ROOT,
                        "; per delivery %s us user + %s us system",
                        server.get("cpuUserUsPerDelivery"),
                        server.get("cpuSystemUsPerDelivery")));
            }
            s.append(String.format(
                    Locale.ROOT, "; RSS %s -> %s KiB", server.get("rssBeforeKb"), server.get("rssAfterKb")));
            if (server.containsKey("rssPerConnectionKb")) {
                s.append(String.format(Locale.ROOT, " (%s KiB per connection)", server.get("rssPerConnectionKb")));
            }
            if (server.containsKey("rssAfterGcKb")) {
                s.append(String.format(
                        Locale.ROOT,
                        "; after a full GC %s KiB (%s KiB per connection)",
                        server.get("rssAfterGcKb"),
                        server.get("rssPerConnectionAfterGcKb")));
            }
            if (server.containsKey("generatorCoresUsed")) {
                s.append(String.format(
                        Locale.ROOT,
                        "; load generator itself %s ms user + %s ms system (%s cores)",
                        server.get("generatorCpuUserMs"),
                        server.get("generatorCpuSystemMs"),
                        server.get("generatorCoresUsed")));
            }
            line(sb, "Server", "%s", s);
        }
        for (String n : notes) {
            line(sb, "Note", "%s", n);
        }
        line(sb, "Result", "%s", ok ? "OK" : "PROBLEMS (see above)");
        return sb.toString();
    }

    private static void line(StringBuilder sb, String label, String format, Object... args) {
        sb.append(String.format(Locale.ROOT, "%-13s ", label))
                .append(String.format(Locale.ROOT, format, args))
                .append('\n');
    }

    static String pct(Map<String, Object> p) {
        if (p == null || ((Number) p.get("count")).longValue() == 0) {
            return "no samples";
        }
        return String.format(
                Locale.ROOT,
                "p50 %s  p90 %s  p99 %s  p99.9 %s  max %s ms  (n=%s)",
                p.get("p50"),
                p.get("p90"),
                p.get("p99"),
                p.get("p999"),
                p.get("max"),
                p.get("count"));
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    /** Percentiles of a histogram of microseconds, in milliseconds. */
    static Map<String, Object> percentiles(Histogram h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", h.getTotalCount());
        if (h.getTotalCount() == 0) {
            return m;
        }
        m.put("p50", ms(h.getValueAtPercentile(50)));
        m.put("p90", ms(h.getValueAtPercentile(90)));
        m.put("p99", ms(h.getValueAtPercentile(99)));
        m.put("p999", ms(h.getValueAtPercentile(99.9)));
        m.put("max", ms(h.getMaxValue()));
        m.put("mean", round(h.getMean() / 1000.0, 3));
        return m;
    }

    private static double ms(long micros) {
        return round(micros / 1000.0, 3);
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    static String fmtMs(double ms) {
        return ms >= 100 ? String.format(Locale.ROOT, "%.0fms", ms) : String.format(Locale.ROOT, "%.2fms", ms);
    }

    static String fmtDuration(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }
}
