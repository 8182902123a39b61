package org.kindred.loadtest;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Runs one scenario and prints its report: the human summary, and with --json one JSON line, with --html a file. */
abstract class ScenarioCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common = new CommonOptions();

    @Spec
    CommandSpec spec;

    /** The last report (for tests). */
    Report report;

    abstract String name();

    /** Connections the scenario opens at most (checked against --max-connections and ulimit -n). */
    abstract int plannedConnections();

    abstract void validate();

    abstract Report execute(Run run);

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            validate();
            try (Run run = new Run(name(), common, plannedConnections(), err)) {
                report = execute(run);
            }
        } catch (CommonOptions.UsageException e) {
            err.println("kindred-loadtest " + name() + ": " + e.getMessage());
            err.flush();
            return 2;
        }
        out.print(report.human());
        if (common.html != null) {
            try {
                Files.writeString(common.html, HtmlReport.render(report), StandardCharsets.UTF_8);
                out.println("HTML report   " + common.html.toAbsolutePath());
            } catch (IOException e) {
                err.println("cannot write " + common.html + ": " + e.getMessage());
            }
        }
        if (common.json) {
            out.println(report.jsonLine());
        }
        out.flush();
        return report.ok() ? 0 : 1;
    }

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new CommonOptions.UsageException(message);
        }
    }

    /**
     * A run that published and got no ack measured nothing but refusals (a read-only room, a new member's rules, a
     * wrong role): it fails, naming what the server answered instead.
     */
    static void failIfNothingAcknowledged(Report r, Stats s) {
        long sends = s.sends.sum();
        if (s.acks.sum() > 0) {
            return;
        }
        if (sends == 0) {
            r.fail("no message was sent");
            return;
        }
        Map<String, Long> refusals = s.refusals();
        r.fail("nothing was acknowledged: " + sends + " sends, "
                + (refusals.isEmpty() ? "none answered" : s.refused.sum() + " refused " + refusals));
    }

    /** Marks the usual problems of a run that publishes. */
    static void judge(Report r, Run run, Accounting.Result a) {
        Stats s = run.stats();
        if (s.connectFailed.sum() > 0) {
            r.fail(s.connectFailed.sum() + " connection(s) failed");
        }
        if (s.closedByServer.sum() > 0) {
            r.fail(s.closedByServer.sum() + " connection(s) ended by the server " + s.closeCodes());
        }
        if (a != null) {
            failIfNothingAcknowledged(r, s);
            if (a.lost() > 0) {
                r.fail(a.lost() + " deliveries lost (" + a.membersWithLoss() + " members missed messages)");
            }
            if (a.duplicated() > 0) {
                r.fail(a.duplicated() + " duplicate deliveries");
            }
            if (a.outOfOrder() > 0) {
                r.fail(a.outOfOrder() + " deliveries out of order");
            }
            long unacked = run.unacked();
            if (unacked > 0) {
                r.fail(unacked + " sends never acknowledged");
            }
        }
        Map<String, Long> errors = s.errors();
        if (errors.containsKey("rate_limited")) {
            r.note("the server refused sends with rate_limited: it allows ratePerSecond commands/s per connection "
                    + "(10 by default). Start it with e.g. KINDRED_RATE_PER_SECOND=100000 KINDRED_RATE_BURST=100000, "
                    + "or use more publishers at a lower --rate.");
        }
        if (s.throttled.sum() > 0) {
            r.note(s.throttled.sum() + " sends skipped because a connection's outbound buffer was full");
        }
        if (s.badFrames.sum() > 0) {
            r.fail(s.badFrames.sum() + " frames from the server could not be parsed");
        }
    }
}
