package org.kindred.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.AuditEntry;
import org.kindred.protocol.ServerMessage.ReportInfo;
import org.kindred.protocol.ServerMessage.SanctionInfo;
import org.kindred.protocol.UserInfo;
import org.kindred.protocol.WireCodec;
import org.kindred.server.safety.Blocks;
import org.kindred.server.safety.HelpersOnline;
import org.kindred.server.safety.LiveSafety;
import org.kindred.server.safety.RecordJson;
import org.kindred.server.safety.Reports;
import org.kindred.server.safety.SafetyStore;
import org.kindred.server.safety.SanctionKind;
import org.kindred.server.safety.Sanctions;

/**
 * The safety records in SQL, in front of the store that carries live safety state between nodes ({@code live}: in
 * memory on one node, Redis in a cluster). Alerts, acknowledgements, reports, the audit log, held messages, first
 * sign-ins live only here. Sanctions and blocks are written here first (their history and the truth after any
 * restart) and then handed to {@code live}, which keeps those in force in every node's memory and enforces them; at
 * start, those in force here that {@code live} does not know are handed to it again, so a ban outlives a restart of a
 * node, of Redis, or of both.
 *
 * <p>Decisions are single statements the database orders: the first acknowledgement of an alert is an insert on its
 * key, the resolution of a report an update conditioned on its status, the review of a held message a delete.
 */
public final class SqlSafetyStore implements SafetyStore {

    private final Database db;
    private final LiveSafety live;
    private final RecordJson json;
    private final Clock clock;
    private final long retentionMillis;

    /**
     * @param retention how long alerts and held messages stay actionable (the audit retention)
     */
    public SqlSafetyStore(Database db, LiveSafety live, WireCodec codec, Clock clock, java.time.Duration retention) {
        this.db = db;
        this.live = live;
        this.json = new RecordJson(codec, "the database");
        this.clock = clock;
        this.retentionMillis = retention.toMillis();
        restoreLiveState();
    }

    /** Hands {@code live} the sanctions in force and the blocks it lost (a restarted node, a Redis emptied). */
    private void restoreLiveState() {
        long now = clock.millis();
        List<SanctionInfo> inForce = db.atStart(c -> {
            List<SanctionInfo> found = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT body FROM sanctions WHERE lifted_at IS NULL AND (ends_at IS NULL OR ends_at > ?)")) {
                s.setLong(1, now);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        found.add(read(r.getString(1), SanctionInfo.class));
                    }
                }
            }
            return found;
        });
        for (SanctionInfo sanction : inForce) {
            if (SanctionKind.fromWire(sanction.kind()).lasts()
                    && !live.sanctions().has(sanction.sanctionId())) {
                live.applySanction(sanction).join();
            }
        }
        List<String[]> blocks = db.atStart(c -> {
            List<String[]> found = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT blocker_id, blocked_id FROM blocks");
                    ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    found.add(new String[] {r.getString(1), r.getString(2)});
                }
            }
            return found;
        });
        for (String[] block : blocks) {
            live.block(block[0], block[1]).join();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Alerts

    @Override
    public CompletableFuture<Void> recordAlert(ServerMessage.Alert alert) {
        return db.call(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO crisis_alerts (alert_id, user_id, room, created_at, body) VALUES (?, ?, ?, ?, ?)")) {
                s.setString(1, alert.alertId());
                s.setString(2, alert.message().author().id());
                s.setString(3, alert.message().room());
                s.setLong(4, alert.createdAt());
                s.setString(5, frame(alert));
                s.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<Optional<ServerMessage.Alert>> alert(String alertId) {
        return db.call(c -> one(c, "SELECT body FROM crisis_alerts WHERE alert_id = ?", alertId)
                .map(body -> (ServerMessage.Alert) decodeFrame(body)));
    }

    @Override
    public CompletableFuture<Acknowledgement> acknowledge(String alertId, UserInfo by, long at) {
        return db.call(c -> {
            int inserted;
            try (PreparedStatement s = c.prepareStatement("INSERT INTO alert_acks (alert_id, by_id, acked_at, body)"
                    + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                s.setString(1, alertId);
                s.setString(2, by.id());
                s.setLong(3, at);
                s.setString(4, write(new Acknowledgement(by, at, true)));
                inserted = s.executeUpdate();
            }
            if (inserted == 1) {
                return new Acknowledgement(by, at, true);
            }
            Acknowledgement earlier = read(
                    one(c, "SELECT body FROM alert_acks WHERE alert_id = ?", alertId)
                            .orElseThrow(),
                    Acknowledgement.class);
            return new Acknowledgement(earlier.by(), earlier.at(), false);
        });
    }

    @Override
    public CompletableFuture<List<ServerMessage.Alert>> openAlerts() {
        long cutoff = clock.millis() - retentionMillis;
        return db.call(c -> {
            List<ServerMessage.Alert> open = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT a.body FROM crisis_alerts a"
                    + " LEFT JOIN alert_acks k ON k.alert_id = a.alert_id"
                    + " WHERE k.alert_id IS NULL AND a.created_at >= ? ORDER BY a.created_at, a.alert_id")) {
                s.setLong(1, cutoff);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        open.add((ServerMessage.Alert) decodeFrame(r.getString(1)));
                    }
                }
            }
            return open;
        });
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Reports

    @Override
    public CompletableFuture<Void> fileReport(ReportInfo report) {
        return db.call(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO reports"
                    + " (report_id, reporter_id, reported_id, created_at, status, body) VALUES (?, ?, ?, ?, ?, ?)")) {
                s.setString(1, report.reportId());
                s.setString(2, report.reporter().id());
                s.setString(3, report.reportedUserId());
                s.setLong(4, report.createdAt());
                s.setString(5, report.status());
                s.setString(6, write(report));
                s.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<List<ReportInfo>> openReports() {
        return db.call(c -> {
            List<ReportInfo> open = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(
                            "SELECT body FROM reports WHERE status = 'open' ORDER BY created_at, report_id");
                    ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    open.add(read(r.getString(1), ReportInfo.class));
                }
            }
            return open;
        });
    }

    @Override
    public CompletableFuture<Optional<ReportInfo>> resolve(String reportId, UserInfo by, String resolution) {
        return db.call(c -> {
            Optional<String> stored =
                    one(c, "SELECT body FROM reports WHERE report_id = ? AND status = 'open'", reportId);
            if (stored.isEmpty()) {
                return Optional.empty();
            }
            ReportInfo resolved = Reports.resolved(read(stored.get(), ReportInfo.class), by, resolution);
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE reports SET status = ?, body = ? WHERE report_id = ? AND status = 'open'")) {
                s.setString(1, resolved.status());
                s.setString(2, write(resolved));
                s.setString(3, reportId);
                // Of two moderators resolving at once, the one whose update finds it still open wins.
                return s.executeUpdate() == 1 ? Optional.of(resolved) : Optional.empty();
            }
        });
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Audit log

    @Override
    public CompletableFuture<Void> audit(AuditEntry entry) {
        return db.call(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO audit_log"
                    + " (logged_at, action, actor_id, target_id, body) VALUES (?, ?, ?, ?, ?)")) {
                s.setLong(1, entry.at());
                s.setString(2, entry.action());
                setNullable(s, 3, entry.actor() == null ? null : entry.actor().id());
                setNullable(s, 4, entry.target() == null ? null : entry.target().id());
                s.setString(5, write(entry));
                s.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<List<AuditEntry>> auditLog(int limit) {
        return db.call(c -> {
            List<AuditEntry> entries = new ArrayList<>();
            try (PreparedStatement s =
                    c.prepareStatement("SELECT body FROM audit_log ORDER BY logged_at DESC, seq DESC LIMIT ?")) {
                s.setInt(1, limit);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        entries.add(read(r.getString(1), AuditEntry.class));
                    }
                }
            }
            return entries;
        });
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Sanctions and blocks: recorded here, enforced by the live store

    @Override
    public CompletableFuture<Void> applySanction(SanctionInfo sanction) {
        return db.<Void>call(c -> {
                    try (PreparedStatement s = c.prepareStatement("INSERT INTO sanctions"
                            + " (sanction_id, user_id, kind, room, applied_at, ends_at, body)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                        s.setString(1, sanction.sanctionId());
                        s.setString(2, sanction.userId());
                        s.setString(3, sanction.kind());
                        setNullable(s, 4, sanction.room());
                        s.setLong(5, sanction.at());
                        if (sanction.until() == null) {
                            s.setNull(6, Types.BIGINT);
                        } else {
                            s.setLong(6, sanction.until());
                        }
                        s.setString(7, write(sanction));
                        s.executeUpdate();
                    }
                    return null;
                })
                .thenCompose(ignored -> live.applySanction(sanction));
    }

    @Override
    public CompletableFuture<Optional<SanctionInfo>> liftSanction(String sanctionId) {
        long now = clock.millis();
        return db.call(c -> {
                    Optional<String> stored = one(
                            c, "SELECT body FROM sanctions WHERE sanction_id = ? AND lifted_at IS NULL", sanctionId);
                    if (stored.isEmpty()) {
                        return Optional.<SanctionInfo>empty();
                    }
                    SanctionInfo sanction = read(stored.get(), SanctionInfo.class);
                    if (!sanction.activeAt(now)) {
                        return Optional.<SanctionInfo>empty();
                    }
                    try (PreparedStatement s = c.prepareStatement(
                            "UPDATE sanctions SET lifted_at = ? WHERE sanction_id = ? AND lifted_at IS NULL")) {
                        s.setLong(1, now);
                        s.setString(2, sanctionId);
                        return s.executeUpdate() == 1 ? Optional.of(sanction) : Optional.<SanctionInfo>empty();
                    }
                })
                .thenCompose(lifted ->
                        live.liftSanction(sanctionId).thenApply(fromLive -> lifted.isPresent() ? lifted : fromLive));
    }

    @Override
    public CompletableFuture<Void> block(String blocker, String blocked) {
        long now = clock.millis();
        return db.<Void>call(c -> {
                    try (PreparedStatement s = c.prepareStatement("INSERT INTO blocks (blocker_id, blocked_id,"
                            + " blocked_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
                        s.setString(1, blocker);
                        s.setString(2, blocked);
                        s.setLong(3, now);
                        s.executeUpdate();
                    }
                    return null;
                })
                .thenCompose(ignored -> live.block(blocker, blocked));
    }

    @Override
    public CompletableFuture<Void> unblock(String blocker, String blocked) {
        return db.<Void>call(c -> {
                    try (PreparedStatement s =
                            c.prepareStatement("DELETE FROM blocks WHERE blocker_id = ? AND blocked_id = ?")) {
                        s.setString(1, blocker);
                        s.setString(2, blocked);
                        s.executeUpdate();
                    }
                    return null;
                })
                .thenCompose(ignored -> live.unblock(blocker, blocked));
    }

    @Override
    public Blocks blocks() {
        return live.blocks();
    }

    @Override
    public Sanctions sanctions() {
        return live.sanctions();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Held messages and first sign-ins

    @Override
    public CompletableFuture<Boolean> hold(ServerMessage.HeldMessage held) {
        return db.call(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO held_messages (held_id, author_id, held_at,"
                    + " body) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                s.setString(1, held.heldId());
                s.setString(2, held.author().id());
                s.setLong(3, held.heldAt());
                s.setString(4, frame(held));
                return s.executeUpdate() == 1;
            }
        });
    }

    @Override
    public CompletableFuture<Optional<ServerMessage.HeldMessage>> takeHeld(String heldId) {
        long cutoff = clock.millis() - retentionMillis;
        return db.call(c -> {
            Optional<String> stored =
                    one(c, "SELECT body FROM held_messages WHERE held_id = ? AND held_at >= ?", heldId, cutoff);
            if (stored.isEmpty()) {
                return Optional.empty();
            }
            try (PreparedStatement s = c.prepareStatement("DELETE FROM held_messages WHERE held_id = ?")) {
                s.setString(1, heldId);
                // Of two moderators reviewing at once, the one whose delete removes it gets the message.
                return s.executeUpdate() == 1
                        ? Optional.of((ServerMessage.HeldMessage) decodeFrame(stored.get()))
                        : Optional.empty();
            }
        });
    }

    @Override
    public CompletableFuture<Long> firstSeen(String userId, long now) {
        return db.call(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO members (user_id, first_seen) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
                s.setString(1, userId);
                s.setLong(2, now);
                if (s.executeUpdate() == 1) {
                    return now;
                }
            }
            return Long.parseLong(one(c, "SELECT CAST(first_seen AS VARCHAR) FROM members WHERE user_id = ?", userId)
                    .orElseThrow());
        });
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Delivery and live coordination: the live store's (who is connected, which node escalates an alert)

    @Override
    public CompletableFuture<Boolean> claimEscalation(String alertId, int level) {
        return live.claimEscalation(alertId, level);
    }

    @Override
    public HelpersOnline helpersOnline() {
        return live.helpersOnline();
    }

    @Override
    public void helpersChanged() {
        live.helpersChanged();
    }

    @Override
    public CompletableFuture<Void> toModerators(ServerMessage event) {
        return live.toModerators(event);
    }

    @Override
    public CompletableFuture<Void> toUser(String userId, ServerMessage event) {
        return live.toUser(userId, event);
    }

    @Override
    public void close() {
        live.close();
    }

    // ---------------------------------------------------------------------------------------------------------------

    static Optional<String> one(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.ofNullable(r.getString(1)) : Optional.empty();
            }
        }
    }

    static void setNullable(PreparedStatement s, int index, String value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.VARCHAR);
        } else {
            s.setString(index, value);
        }
    }

    private String frame(ServerMessage message) {
        return json.frame(message);
    }

    private ServerMessage decodeFrame(String stored) {
        return json.decodeFrame(stored);
    }

    private String write(Object value) {
        return json.write(value);
    }

    private <T> T read(String stored, Class<T> type) {
        return json.read(stored, type);
    }
}
