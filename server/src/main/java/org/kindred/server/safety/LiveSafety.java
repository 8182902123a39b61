package org.kindred.server.safety;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.kindred.protocol.ServerMessage;

/**
 * The safety state every node must share at once: sanctions in force and blocks (each node enforces them from its
 * memory), which node escalates an alert, who can help right now, and delivery to moderators and users on any node. In
 * memory on a single node ({@link LocalSafetyStore}); in Redis for a cluster ({@code RedisSafetyStore}). The records
 * behind it (sanctions' history, reports, alerts, the audit log) are the {@link SafetyStore}'s, in the database, which
 * hands each sanction and block to this.
 */
public interface LiveSafety extends AutoCloseable {

    /** Records a sanction and has it carried out on every node (see {@link SanctionEnforcer}). */
    CompletableFuture<Void> applySanction(ServerMessage.SanctionInfo sanction);

    /** Lifts a sanction in force on every node; empty when it is unknown or over. */
    CompletableFuture<Optional<ServerMessage.SanctionInfo>> liftSanction(String sanctionId);

    /** Records that a user blocks another, on every node. */
    CompletableFuture<Void> block(String blocker, String blocked);

    /** Lifts a block, on every node. */
    CompletableFuture<Void> unblock(String blocker, String blocked);

    /** The blocks, as this node knows them. */
    Blocks blocks();

    /** The sanctions in force, as this node knows them. */
    Sanctions sanctions();

    /**
     * Claims an alert's escalation to this level; true for the one node (of all) that claims it first, which then
     * escalates it.
     */
    CompletableFuture<Boolean> claimEscalation(String alertId, int level);

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
