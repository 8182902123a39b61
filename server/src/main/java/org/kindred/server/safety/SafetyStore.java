package org.kindred.server.safety;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.AuditEntry;
import org.kindred.protocol.ServerMessage.ReportInfo;
import org.kindred.protocol.UserInfo;

/**
 * Where alerts, reports and the audit log are kept, and how safety events reach moderators on every node. In memory
 * on a single node ({@link LocalSafetyStore}); in Redis for a cluster ({@code RedisSafetyStore}). Every operation that
 * decides something (the first acknowledgement of an alert, the resolution of a report) is atomic in the store.
 */
public interface SafetyStore extends AutoCloseable {

    CompletableFuture<Void> recordAlert(ServerMessage.Alert alert);

    CompletableFuture<Optional<ServerMessage.Alert>> alert(String alertId);

    /**
     * Marks the alert acknowledged unless a moderator already did; returns the acknowledgement that stands: this one
     * ({@code first} true) or the earlier one.
     */
    CompletableFuture<Acknowledgement> acknowledge(String alertId, UserInfo by, long at);

    /** Alerts nobody acknowledged yet and still within the retention, oldest first. */
    CompletableFuture<List<ServerMessage.Alert>> openAlerts();

    /**
     * Claims an alert's escalation to this level; true for the one node (of all) that claims it first, which then
     * escalates it.
     */
    CompletableFuture<Boolean> claimEscalation(String alertId, int level);

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

    /** Records a sanction and has it carried out on every node (see {@link SanctionEnforcer}). */
    CompletableFuture<Void> applySanction(ServerMessage.SanctionInfo sanction);

    /** Lifts a sanction in force on every node; empty when it is unknown or over. */
    CompletableFuture<Optional<ServerMessage.SanctionInfo>> liftSanction(String sanctionId);

    /** Keeps a message held for review; false when one with that id is held already. */
    CompletableFuture<Boolean> hold(ServerMessage.HeldMessage held);

    /** Takes a held message out for review; empty when it is unknown or another moderator took it. */
    CompletableFuture<Optional<ServerMessage.HeldMessage>> takeHeld(String heldId);

    /** Records that a user blocks another, on every node. */
    CompletableFuture<Void> block(String blocker, String blocked);

    /** Lifts a block, on every node. */
    CompletableFuture<Void> unblock(String blocker, String blocked);

    /** The blocks, as this node knows them. */
    Blocks blocks();

    /** The sanctions in force, as this node knows them. */
    Sanctions sanctions();

    /** When the user first signed in anywhere (recording now if never), milliseconds since the epoch. */
    CompletableFuture<Long> firstSeen(String userId, long now);

    /**
     * The people who can help connected now: this node's at once, other nodes' as last heard (within seconds, see
     * {@link #helpersChanged()}).
     */
    HelpersOnline helpersOnline();

    /** Someone who can help connected to this node or left it: other nodes hear of it now rather than later. */
    default void helpersChanged() {}

    /** Delivers an event to the moderators connected to any node; completes once it is on its way. */
    CompletableFuture<Void> toModerators(ServerMessage event);

    /** Delivers an event to one user's connections on any node; completes once it is on its way. */
    CompletableFuture<Void> toUser(String userId, ServerMessage event);

    @Override
    void close();
}
