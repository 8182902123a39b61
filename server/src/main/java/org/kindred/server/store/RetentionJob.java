package org.kindred.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kindred.server.metrics.KindredMetrics;

/**
 * Deletes the records that are past their retention ({@code storage.retention}, see {@code docs/data.md}), on one node
 * of a cluster at a time. A node runs it only while it holds the job's lease in {@code job_leases}; taking the lease
 * bumps its fencing token, and the deletions run in one transaction that first locks the lease row and checks the
 * token, so a node whose lease expired while it was paused (a long GC, a frozen VM) deletes nothing. The holder keeps
 * the lease for its whole length and runs again on its next turn; another node takes over once a lease runs out (its
 * holder stopped).
 *
 * <p>What is deleted, older than the retention: alerts (with their acknowledgements), reports that are no longer
 * open, audit entries, sanctions lifted or ended, held messages never reviewed, closed meetings, ended sessions and
 * mentors' notes. Open reports, sanctions in force and groups are never purged.
 */
public final class RetentionJob {

    static final String JOB = "retention";

    /** What was deleted, by kind, in one run; empty when another node holds the lease. */
    public record Purged(Map<String, Long> counts) {
        public long total() {
            return counts.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private record Purge(String kind, String sql, int cutoffs) {}

    private static final List<Purge> PURGES = List.of(
            new Purge(
                    "alert_acks",
                    "DELETE FROM alert_acks WHERE alert_id IN"
                            + " (SELECT alert_id FROM crisis_alerts WHERE created_at < ?)",
                    1),
            new Purge("alerts", "DELETE FROM crisis_alerts WHERE created_at < ?", 1),
            new Purge("reports", "DELETE FROM reports WHERE status <> 'open' AND created_at < ?", 1),
            new Purge("audit_entries", "DELETE FROM audit_log WHERE logged_at < ?", 1),
            new Purge(
                    "sanctions",
                    "DELETE FROM sanctions WHERE (lifted_at IS NOT NULL AND lifted_at < ?)"
                            + " OR (ends_at IS NOT NULL AND ends_at < ?)",
                    2),
            new Purge("held_messages", "DELETE FROM held_messages WHERE held_at < ?", 1),
            new Purge("meetings", "DELETE FROM meeting_archive WHERE closed_at < ?", 1),
            new Purge("sessions", "DELETE FROM support_sessions WHERE ended_at < ?", 1),
            new Purge("mentor_notes", "DELETE FROM mentor_notes WHERE written_at < ?", 1),
            new Purge("appeals", "DELETE FROM appeals WHERE status <> 'open' AND created_at < ?", 1),
            new Purge("check_ins", "DELETE FROM check_ins WHERE offered_at < ?", 1));

    private final Database db;
    private final String holder;
    private final Clock clock;
    private final Duration retention;
    private final Duration lease;
    private final KindredMetrics metrics;

    /**
     * @param holder this node's name, unique in the deployment
     * @param lease  how long a run may take before another node may take the job over
     */
    public RetentionJob(
            Database db, String holder, Clock clock, Duration retention, Duration lease, KindredMetrics metrics) {
        this.db = db;
        this.holder = holder;
        this.clock = clock;
        this.retention = retention;
        this.lease = lease;
        this.metrics = metrics;
    }

    /** Runs once if this node can take the lease; returns what it deleted. */
    public Purged runOnce() throws SQLException {
        long now = clock.millis();
        long fence = db.now(c -> takeLease(c, now));
        if (fence < 0) {
            return new Purged(Map.of());
        }
        long cutoff = now - retention.toMillis();
        Map<String, Long> counts = db.now(c -> {
            if (!stillHeld(c, fence)) {
                return null;
            }
            Map<String, Long> deleted = new LinkedHashMap<>();
            for (Purge purge : PURGES) {
                try (PreparedStatement s = c.prepareStatement(purge.sql())) {
                    for (int i = 1; i <= purge.cutoffs(); i++) {
                        s.setLong(i, cutoff);
                    }
                    deleted.put(purge.kind(), (long) s.executeUpdate());
                }
            }
            return deleted;
        });
        if (counts == null) {
            return new Purged(Map.of());
        }
        counts.forEach((kind, count) -> {
            if (count > 0) {
                metrics.recordsPurged(kind, count);
            }
        });
        metrics.retentionRun();
        return new Purged(counts);
    }

    /** Takes the lease when free, expired or already ours; returns its new fencing token, or -1. */
    private long takeLease(Connection c, long now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO job_leases (job_name, holder, until_ms, fence)"
                + " VALUES (?, ?, ?, 1) ON CONFLICT DO NOTHING")) {
            s.setString(1, JOB);
            s.setString(2, holder);
            s.setLong(3, now + lease.toMillis());
            if (s.executeUpdate() == 1) {
                return 1;
            }
        }
        try (PreparedStatement s = c.prepareStatement("UPDATE job_leases SET holder = ?, until_ms = ?,"
                + " fence = fence + 1 WHERE job_name = ? AND (until_ms < ? OR holder = ?)")) {
            s.setString(1, holder);
            s.setLong(2, now + lease.toMillis());
            s.setString(3, JOB);
            s.setLong(4, now);
            s.setString(5, holder);
            if (s.executeUpdate() == 0) {
                return -1;
            }
        }
        return Long.parseLong(
                SqlSafetyStore.one(c, "SELECT CAST(fence AS VARCHAR) FROM job_leases WHERE job_name = ?", JOB)
                        .orElseThrow());
    }

    /** Locks the lease row for this transaction and checks that nobody took the job since. */
    private boolean stillHeld(Connection c, long fence) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement("SELECT holder, fence FROM job_leases WHERE job_name = ? FOR UPDATE")) {
            s.setString(1, JOB);
            try (ResultSet r = s.executeQuery()) {
                return r.next() && holder.equals(r.getString(1)) && r.getLong(2) == fence;
            }
        }
    }
}
