package org.kindred.loadtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * A self-contained HTML report: the summary, the JSON, and the latency distributions plotted as inline SVG percentile
 * curves (x: percentile on a "nines" scale, y: milliseconds). No scripts, no external resources.
 */
final class HtmlReport {

    private static final int W = 720;
    private static final int H = 320;
    private static final int PAD_L = 64;
    private static final int PAD_B = 40;
    private static final int PAD_T = 20;
    private static final int PAD_R = 20;
    private static final double MAX_NINES = 5; // up to p99.999

    private HtmlReport() {}

    static String render(Report r) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Kindred load test: ")
                .append(esc(r.scenario))
                .append("</title>\n<style>body{font-family:system-ui,sans-serif;margin:2em;"
                        + "max-width:960px}pre{background:#f6f8fa;padding:1em;overflow-x:auto;font-size:12px}"
                        + "h2{margin-top:1.5em}.ok{color:#1a7f37}.bad{color:#cf222e}svg text{font-size:11px;"
                        + "font-family:system-ui,sans-serif}</style></head><body>\n");
        sb.append("<h1>Kindred load test: ")
                .append(esc(r.scenario))
                .append("</h1>\n<p>")
                .append(esc(r.title))
                .append(" &mdash; <b class=\"")
                .append(r.ok ? "ok\">OK" : "bad\">PROBLEMS")
                .append("</b></p>\n");
        sb.append("<h2>Summary</h2>\n<pre>").append(esc(r.human())).append("</pre>\n");
        if (r.latencyHistogram != null && r.latencyHistogram.getTotalCount() > 0) {
            sb.append("<h2>End-to-end latency (percentile distribution)</h2>\n");
            sb.append(percentilePlot(r.latencyHistogram, "#0969da"));
        }
        if (r.connectHistogram != null && r.connectHistogram.getTotalCount() > 0) {
            sb.append("<h2>Connect time, TCP connect to welcome (percentile distribution)</h2>\n");
            sb.append(percentilePlot(r.connectHistogram, "#8250df"));
        }
        Object steps = r.get("steps");
        if (steps instanceof List<?> list && !list.isEmpty()) {
            sb.append("<h2>Ramp: deliveries/s and p99 per step</h2>\n").append(rampPlot(list));
        }
        sb.append("<h2>JSON</h2>\n<pre>").append(esc(r.jsonLine())).append("</pre>\n</body></html>\n");
        return sb.toString();
    }

    /** The percentile curve: x = log10(1 / (1 - p)), so 90 %, 99 %, 99.9 % ... are evenly spaced. */
    static String percentilePlot(Histogram h, String color) {
        List<double[]> points = new ArrayList<>();
        for (HistogramIterationValue v : h.percentiles(5)) {
            double p = v.getPercentileLevelIteratedTo() / 100.0;
            double x = p >= 1 ? MAX_NINES : Math.min(MAX_NINES, Math.log10(1 / (1 - p)));
            points.add(new double[] {x, h.highestEquivalentValue(v.getValueIteratedTo()) / 1000.0});
        }
        double maxMs = Math.max(h.getMaxValue() / 1000.0, 0.001);
        double yMax = niceCeiling(maxMs);
        StringBuilder sb = svgOpen();
        axes(sb, yMax, "ms");
        String[] labels = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%"};
        for (int i = 0; i <= MAX_NINES; i++) {
            double x = xPix(i);
            sb.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>"
                            + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                    x,
                    PAD_T,
                    x,
                    H - PAD_B,
                    x,
                    H - PAD_B + 16,
                    labels[i]));
        }
        StringBuilder path = new StringBuilder();
        for (double[] pt : points) {
            path.append(path.isEmpty() ? "M" : " L")
                    .append(String.format(Locale.ROOT, "%.1f %.1f", xPix(pt[0]), yPix(pt[1], yMax)));
        }
        sb.append("<path d=\"")
                .append(path)
                .append("\" fill=\"none\" stroke=\"")
                .append(color)
                .append("\" stroke-width=\"2\"/>\n");
        sb.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">percentile</text>",
                (PAD_L + W - PAD_R) / 2,
                H - 6));
        return sb.append("</svg>\n").toString();
    }

    @SuppressWarnings("unchecked")
    private static String rampPlot(List<?> steps) {
        double maxRate = 1;
        double maxP99 = 0.001;
        for (Object o : steps) {
            Map<String, Object> s = (Map<String, Object>) o;
            maxRate = Math.max(maxRate, ((Number) s.get("deliveriesPerSec")).doubleValue());
            Object p = s.get("p99Ms");
            if (p instanceof Number n) {
                maxP99 = Math.max(maxP99, n.doubleValue());
            }
        }
        double yMax = niceCeiling(maxRate);
        double p99Max = niceCeiling(maxP99);
        StringBuilder sb = svgOpen();
        axes(sb, yMax, "deliveries/s");
        int n = steps.size();
        double slot = (W - PAD_L - PAD_R) / (double) n;
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < n; i++) {
            Map<String, Object> s = (Map<String, Object>) steps.get(i);
            double rate = ((Number) s.get("deliveriesPerSec")).doubleValue();
            double x = PAD_L + i * slot + slot * 0.15;
            double y = yPix(rate, yMax);
            boolean good = Boolean.TRUE.equals(s.get("sustained"));
            sb.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                            + "fill=\"%s\"/><text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                    x,
                    y,
                    slot * 0.7,
                    H - PAD_B - y,
                    good ? "#54aeff" : "#ff8182",
                    x + slot * 0.35,
                    H - PAD_B + 16,
                    s.get("step")));
            if (s.get("p99Ms") instanceof Number p) {
                line.append(line.isEmpty() ? "M" : " L")
                        .append(String.format(
                                Locale.ROOT, "%.1f %.1f", x + slot * 0.35, yPix(p.doubleValue(), p99Max)));
            }
        }
        sb.append("<path d=\"").append(line).append("\" fill=\"none\" stroke=\"#bf3989\" stroke-width=\"2\"/>\n");
        sb.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#bf3989\">p99 " + "(line, top = %s ms)</text>",
                W - PAD_R,
                PAD_T + 12,
                fmt(p99Max)));
        sb.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">step (blue: " + "sustained, red: not)</text>",
                (PAD_L + W - PAD_R) / 2,
                H - 6));
        return sb.append("</svg>\n").toString();
    }

    private static StringBuilder svgOpen() {
        return new StringBuilder(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
                        + "height=\"%d\" viewBox=\"0 0 %d %d\">\n<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n",
                W,
                H,
                W,
                H));
    }

    private static void axes(StringBuilder sb, double yMax, String unit) {
        for (int i = 0; i <= 4; i++) {
            double v = yMax * i / 4;
            double y = yPix(v, yMax);
            sb.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>"
                            + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                    PAD_L,
                    y,
                    W - PAD_R,
                    y,
                    PAD_L - 6,
                    y + 4,
                    fmt(v)));
        }
        sb.append(String.format(
                Locale.ROOT,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>"
                        + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>"
                        + "<text x=\"14\" y=\"%d\" transform=\"rotate(-90 14 %d)\" text-anchor=\"middle\">%s</text>\n",
                PAD_L,
                PAD_T,
                PAD_L,
                H - PAD_B,
                PAD_L,
                H - PAD_B,
                W - PAD_R,
                H - PAD_B,
                (H - PAD_B + PAD_T) / 2,
                (H - PAD_B + PAD_T) / 2,
                esc(unit)));
    }

    private static double xPix(double nines) {
        return PAD_L + nines / MAX_NINES * (W - PAD_L - PAD_R);
    }

    private static double yPix(double v, double yMax) {
        return H - PAD_B - Math.min(1, v / yMax) * (H - PAD_B - PAD_T);
    }

    static double niceCeiling(double v) {
        double exp = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * exp >= v) {
                return m * exp;
            }
        }
        return 10 * exp;
    }

    private static String fmt(double v) {
        if (v >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return v >= 1 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.3f", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
