package org.kindred.server.safety;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.AuditEntry;
import org.kindred.protocol.ServerMessage.ReportInfo;
import org.kindred.protocol.UserInfo;

/**
 * Where alerts, reports, the audit log, held messages and first sign-ins are kept, beside the {@link LiveSafety live
 * state} every node shares (sanctions in force, blocks, delivery). In the database ({@code SqlSafetyStore}, in front of
 * the live state of memory or Redis); all in memory for tests ({@link LocalSafetyStore}). Every operation that decides
 * something (the first acknowledgement of an alert, the resolution of a report) is atomic in the store.
 */
public interface SafetyStore extends LiveSafety {

    CompletableFuture<Void> recordAlert(ServerMessage.Alert alert);

    CompletableFuture<Optional<ServerMessage.Alert>> alert(String alertId);

    /**
     * Marks the alert acknowledged unless a moderator already did; returns the acknowledgement that stands: this one
     * ({@code first} true) or the earlier one.
     */
    CompletableFuture<Acknowledgement> acknowledge(String alertId, UserInfo by, long at);

    /** Alerts nobody acknowledged yet and still within the retention, oldest first. */
    CompletableFuture<List<ServerMessage.Alert>> openAlerts();

    /** Who took an alert, and when. */
    record Acknowledgement(UserInfo by, long at, boolean first) {}

    CompletableFuture<Void> fileReport(ReportInfo report);

    /** Open reports, oldest first. */
    CompletableFuture<List<ReportInfo>> openReports();

    /** Closes an open report; empty when it is unknown or was closed already. */
    CompletableFuture<Optional<ReportInfo>> resolve(String reportId, UserInfo by, String resolution);

    CompletableFuture<Void> audit(AuditEntry entry);

    /** The newest entries first. */
    CompletableFuture<List<AuditEntry>> auditLog(int limit);

    /** Keeps a message held for review; false when one with that id is held already. */
    CompletableFuture<Boolean> hold(ServerMessage.HeldMessage held);

    /** Takes a held message out for review; empty when it is unknown or another moderator took it. */
    CompletableFuture<Optional<ServerMessage.HeldMessage>> takeHeld(String heldId);

    /** When the user first signed in anywhere (recording now if never), milliseconds since the epoch. */
    CompletableFuture<Long> firstSeen(String userId, long now);
}
