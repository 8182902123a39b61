package org.kindred.server.webhook;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.AuditEntry;
import org.kindred.protocol.ServerMessage.ReportInfo;
import org.kindred.protocol.UserInfo;
import org.kindred.server.safety.Blocks;
import org.kindred.server.safety.HelpersOnline;
import org.kindred.server.safety.SafetyStore;
import org.kindred.server.safety.Sanctions;

/**
 * The safety store, publishing a webhook event once a safety record is stored: {@code crisis_alert.raised},
 * {@code crisis_alert.escalated} (each level, by the node that claimed it), {@code crisis_alert.acknowledged} (the
 * first acknowledgement only), {@code report.filed}, {@code message.held}. The node that stores the record publishes
 * it, so each event leaves the cluster once. Events carry ids, rooms, users
 * and times, never the text of a message: the backend reads it through the server API if it must.
 */
public final class PublishingSafetyStore implements SafetyStore {

    private final SafetyStore store;
    private final Webhooks webhooks;

    public PublishingSafetyStore(SafetyStore store, Webhooks webhooks) {
        this.store = store;
        this.webhooks = webhooks;
    }

    @Override
    public CompletableFuture<Void> recordAlert(ServerMessage.Alert alert) {
        return store.recordAlert(alert).thenRun(() -> {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("alertId", alert.alertId());
            data.put("kind", alert.kind());
            data.put("room", alert.message().room());
            data.put("seq", alert.message().seq());
            data.put("userId", alert.message().author().id());
            data.put("language", alert.language());
            data.put("createdAt", alert.createdAt());
            webhooks.publish("crisis_alert.raised", data);
        });
    }

    @Override
    public CompletableFuture<Acknowledgement> acknowledge(String alertId, UserInfo by, long at) {
        return store.acknowledge(alertId, by, at).thenApply(ack -> {
            if (ack.first()) {
                webhooks.publish(
                        "crisis_alert.acknowledged",
                        Map.of("alertId", alertId, "by", ack.by().id(), "at", ack.at()));
            }
            return ack;
        });
    }

    @Override
    public CompletableFuture<Void> fileReport(ReportInfo report) {
        return store.fileReport(report).thenRun(() -> {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("reportId", report.reportId());
            data.put("category", report.category());
            data.put("reporterId", report.reporter().id());
            if (report.message() != null) {
                data.put("room", report.message().room());
                data.put("seq", report.message().seq());
                data.put("userId", report.message().author().id());
            }
            data.put("createdAt", report.createdAt());
            webhooks.publish("report.filed", data);
        });
    }

    @Override
    public CompletableFuture<Boolean> hold(ServerMessage.HeldMessage held) {
        return store.hold(held).thenApply(stored -> {
            if (stored) {
                webhooks.publish(
                        "message.held",
                        Map.of(
                                "heldId", held.heldId(),
                                "room", held.room(),
                                "userId", held.author().id(),
                                "rule", held.rule(),
                                "heldAt", held.heldAt()));
            }
            return stored;
        });
    }

    /** The node that wins an escalation (one per alert and level in a cluster) tells the backend: on-call is paged. */
    @Override
    public CompletableFuture<Boolean> claimEscalation(String alertId, int level) {
        return store.claimEscalation(alertId, level).thenApply(mine -> {
            if (mine) {
                webhooks.publish("crisis_alert.escalated", Map.of("alertId", alertId, "level", level));
            }
            return mine;
        });
    }

    // ---- the rest as the store does it ---------------------------------------------------------------------------

    @Override
    public CompletableFuture<Optional<ServerMessage.Alert>> alert(String alertId) {
        return store.alert(alertId);
    }

    @Override
    public CompletableFuture<List<ServerMessage.Alert>> openAlerts() {
        return store.openAlerts();
    }

    @Override
    public HelpersOnline helpersOnline() {
        return store.helpersOnline();
    }

    @Override
    public void helpersChanged() {
        store.helpersChanged();
    }

    @Override
    public CompletableFuture<List<ReportInfo>> openReports() {
        return store.openReports();
    }

    @Override
    public CompletableFuture<Optional<ReportInfo>> resolve(String reportId, UserInfo by, String resolution) {
        return store.resolve(reportId, by, resolution);
    }

    @Override
    public CompletableFuture<Void> audit(AuditEntry entry) {
        return store.audit(entry);
    }

    @Override
    public CompletableFuture<List<AuditEntry>> auditLog(int limit) {
        return store.auditLog(limit);
    }

    @Override
    public CompletableFuture<Void> applySanction(ServerMessage.SanctionInfo sanction) {
        return store.applySanction(sanction);
    }

    @Override
    public CompletableFuture<Optional<ServerMessage.SanctionInfo>> liftSanction(String sanctionId) {
        return store.liftSanction(sanctionId);
    }

    @Override
    public CompletableFuture<Optional<ServerMessage.HeldMessage>> takeHeld(String heldId) {
        return store.takeHeld(heldId);
    }

    @Override
    public CompletableFuture<Void> block(String blocker, String blocked) {
        return store.block(blocker, blocked);
    }

    @Override
    public CompletableFuture<Void> unblock(String blocker, String blocked) {
        return store.unblock(blocker, blocked);
    }

    @Override
    public Blocks blocks() {
        return store.blocks();
    }

    @Override
    public Sanctions sanctions() {
        return store.sanctions();
    }

    @Override
    public CompletableFuture<Long> firstSeen(String userId, long now) {
        return store.firstSeen(userId, now);
    }

    @Override
    public CompletableFuture<Void> toModerators(ServerMessage event) {
        return store.toModerators(event);
    }

    @Override
    public CompletableFuture<Void> toUser(String userId, ServerMessage event) {
        return store.toUser(userId, event);
    }

    @Override
    public void close() {
        store.close();
    }
}
