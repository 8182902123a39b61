package org.kindred.server.safety;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.AuditEntry;
import org.kindred.protocol.ServerMessage.ReportInfo;
import org.kindred.protocol.UserInfo;
import org.kindred.protocol.WireCodec;
import org.kindred.server.connection.ConnectedUsers;
import org.kindred.server.connection.EncodedFrame;

/** Alerts, reports and the audit log in memory, for a single node. Everything is lost at restart. */
public final class LocalSafetyStore implements SafetyStore {

    private final ConnectedUsers users;
    private final WireCodec codec;
    private final Clock clock;
    private final long retentionMillis;
    private final Map<String, ServerMessage.Alert> alerts = new LinkedHashMap<>();
    private final Map<String, Acknowledgement> acks = new LinkedHashMap<>();
    private final Map<String, ReportInfo> reports = new LinkedHashMap<>();
    private final ArrayDeque<AuditEntry> audit = new ArrayDeque<>();
    private final Sanctions sanctions = new Sanctions();
    private final Map<String, Long> firstSeen = new java.util.concurrent.ConcurrentHashMap<>();
    private final SanctionEnforcer enforcer;
    private final Blocks blocks;
    private final Map<String, ServerMessage.HeldMessage> held = new LinkedHashMap<>();

    public LocalSafetyStore(
            ConnectedUsers users,
            SanctionEnforcer enforcer,
            Blocks blocks,
            WireCodec codec,
            Clock clock,
            Duration retention) {
        this.users = users;
        this.enforcer = enforcer;
        this.blocks = blocks;
        this.codec = codec;
        this.clock = clock;
        this.retentionMillis = retention.toMillis();
    }

    /** Forgets alerts and reports older than the retention, with the message snapshots in them. */
    private void prune() {
        long cutoff = clock.millis() - retentionMillis;
        alerts.values().removeIf(alert -> alert.createdAt() < cutoff);
        acks.keySet().retainAll(alerts.keySet());
        reports.values().removeIf(report -> report.createdAt() < cutoff);
    }

    @Override
    public synchronized CompletableFuture<Void> recordAlert(ServerMessage.Alert alert) {
        prune();
        alerts.put(alert.alertId(), alert);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<Optional<ServerMessage.Alert>> alert(String alertId) {
        return CompletableFuture.completedFuture(Optional.ofNullable(alerts.get(alertId)));
    }

    @Override
    public synchronized CompletableFuture<Acknowledgement> acknowledge(String alertId, UserInfo by, long at) {
        Acknowledgement earlier = acks.get(alertId);
        if (earlier != null) {
            return CompletableFuture.completedFuture(new Acknowledgement(earlier.by(), earlier.at(), false));
        }
        Acknowledgement ack = new Acknowledgement(by, at, true);
        acks.put(alertId, ack);
        return CompletableFuture.completedFuture(ack);
    }

    @Override
    public synchronized CompletableFuture<List<ServerMessage.Alert>> openAlerts() {
        prune();
        return CompletableFuture.completedFuture(alerts.values().stream()
                .filter(alert -> !acks.containsKey(alert.alertId()))
                .sorted(java.util.Comparator.comparingLong(ServerMessage.Alert::createdAt))
                .toList());
    }

    @Override
    public synchronized CompletableFuture<Void> fileReport(ReportInfo report) {
        prune();
        reports.put(report.reportId(), report);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<List<ReportInfo>> openReports() {
        return CompletableFuture.completedFuture(reports.values().stream()
                .filter(r -> r.status().equals("open"))
                .sorted(Comparator.comparingLong(ReportInfo::createdAt))
                .toList());
    }

    @Override
    public synchronized CompletableFuture<Optional<ReportInfo>> resolve(
            String reportId, UserInfo by, String resolution) {
        ReportInfo report = reports.get(reportId);
        if (report == null || !report.status().equals("open")) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        ReportInfo resolved = Reports.resolved(report, by, resolution);
        reports.put(reportId, resolved);
        return CompletableFuture.completedFuture(Optional.of(resolved));
    }

    @Override
    public synchronized CompletableFuture<Void> audit(AuditEntry entry) {
        audit.addLast(entry);
        long cutoff = clock.millis() - retentionMillis;
        while (!audit.isEmpty() && audit.peekFirst().at() < cutoff) {
            audit.removeFirst();
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<List<AuditEntry>> auditLog(int limit) {
        List<AuditEntry> newestFirst = new ArrayList<>(Math.min(limit, audit.size()));
        for (Iterator<AuditEntry> it = audit.descendingIterator(); it.hasNext() && newestFirst.size() < limit; ) {
            newestFirst.add(it.next());
        }
        return CompletableFuture.completedFuture(newestFirst);
    }

    @Override
    public CompletableFuture<Void> applySanction(ServerMessage.SanctionInfo sanction) {
        sanctions.put(sanction);
        enforcer.applied(sanction);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Optional<ServerMessage.SanctionInfo>> liftSanction(String sanctionId) {
        Optional<ServerMessage.SanctionInfo> lifted = sanctions.get(sanctionId).filter(s -> s.activeAt(clock.millis()));
        lifted.ifPresent(s -> {
            sanctions.remove(sanctionId);
            enforcer.lifted(s);
        });
        return CompletableFuture.completedFuture(lifted);
    }

    @Override
    public CompletableFuture<Long> firstSeen(String userId, long now) {
        return CompletableFuture.completedFuture(firstSeen.computeIfAbsent(userId, id -> now));
    }

    @Override
    public synchronized CompletableFuture<Boolean> hold(ServerMessage.HeldMessage message) {
        long cutoff = clock.millis() - retentionMillis;
        held.values().removeIf(h -> h.heldAt() < cutoff);
        return CompletableFuture.completedFuture(held.putIfAbsent(message.heldId(), message) == null);
    }

    @Override
    public synchronized CompletableFuture<Optional<ServerMessage.HeldMessage>> takeHeld(String heldId) {
        long cutoff = clock.millis() - retentionMillis;
        held.values().removeIf(h -> h.heldAt() < cutoff);
        return CompletableFuture.completedFuture(Optional.ofNullable(held.remove(heldId)));
    }

    @Override
    public CompletableFuture<Void> block(String blocker, String blocked) {
        blocks.add(blocker, blocked);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> unblock(String blocker, String blocked) {
        blocks.remove(blocker, blocked);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public Blocks blocks() {
        return blocks;
    }

    @Override
    public Sanctions sanctions() {
        return sanctions;
    }

    private final java.util.Set<String> escalations = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Override
    public CompletableFuture<Boolean> claimEscalation(String alertId, int level) {
        return CompletableFuture.completedFuture(escalations.add(alertId + "/" + level));
    }

    @Override
    public HelpersOnline helpersOnline() {
        return new HelpersOnline(users.helpers());
    }

    @Override
    public CompletableFuture<Void> toModerators(ServerMessage event) {
        users.sendToModerators(new EncodedFrame(codec.encode(event)));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> toUser(String userId, ServerMessage event) {
        users.send(userId, new EncodedFrame(codec.encode(event)));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {}
}
