package org.kindred.server.session;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.kindred.protocol.ClientMessage;
import org.kindred.protocol.ErrorCode;
import org.kindred.protocol.ServerMessage;
import org.kindred.server.connection.Refusal;
import org.kindred.server.identity.Role;
import org.kindred.server.room.RoomPolicy;
import org.kindred.server.room.RoomRegistry;
import org.kindred.server.safety.CrisisAlerts;
import org.kindred.server.safety.SafetyService;
import org.kindred.server.support.SupportStore;

/**
 * The safety commands of a session: any member reports and blocks; moderators handle alerts, reports, sanctions,
 * deletions, held messages and the audit log.
 */
final class SafetyCommands {

    private final SafetyService safety;
    private final SupportStore support;
    private final RoomRegistry rooms;
    private final RoomAccess access;

    SafetyCommands(SafetyService safety, SupportStore support, RoomRegistry rooms, RoomAccess access) {
        this.safety = safety;
        this.support = support;
        this.rooms = rooms;
        this.access = access;
    }

    /** Reports a message of a room this user may use, with its neighbours as they are now. */
    void report(Client client, ClientMessage.Report c) {
        safety.crisis()
                .screenUnposted(
                        client.user(),
                        client.language(),
                        c.room(),
                        c.comment(),
                        null,
                        CrisisAlerts.Source.REPORT,
                        CrisisAlerts.Helpers.NONE,
                        client::reply);
        access.whenAdmitted(
                client,
                c.room(),
                c.ref(),
                policy -> client.answer(
                        c.ref(),
                        rooms.around(c.room(), c.seq(), 2)
                                .thenCompose(around -> safety.report(
                                        client.user(),
                                        client.language(),
                                        c.seq(),
                                        around,
                                        c.category(),
                                        c.comment(),
                                        c.ref()))));
    }

    /**
     * Blocks another user; a session between the two ends for both (the blocked side sees it ended by the other, and
     * is not told of the block).
     */
    void block(Client client, ClientMessage.Block c) {
        safety.crisis()
                .screenUnposted(
                        client.user(),
                        client.language(),
                        "block",
                        c.comment(),
                        null,
                        CrisisAlerts.Source.REPORT,
                        CrisisAlerts.Helpers.NONE,
                        client::reply);
        client.answer(
                c.ref(),
                safety.block(client.user(), client.language(), c.userId(), c.comment(), c.ref())
                        .thenCompose(done -> support.execute(s -> {
                                    s.blocked(client.user(), c.userId());
                                    return done;
                                })
                                .thenApply(ignored -> done)));
    }

    void unblock(Client client, ClientMessage.Unblock c) {
        client.answer(c.ref(), safety.unblock(client.user(), c.userId(), c.ref()));
    }

    void ackAlert(Client client, ClientMessage.AckAlert c) {
        moderate(client, c.ref(), () -> safety.crisis().acknowledge(client.user(), c.alertId(), c.ref()));
    }

    void listAlerts(Client client, ClientMessage.ListAlerts c) {
        moderate(
                client,
                c.ref(),
                () -> safety.crisis()
                        .openAlerts(c.ref())
                        .thenCompose(a -> safety.queues()
                                .recordReading(
                                        client.user(),
                                        "list_alerts",
                                        a,
                                        a.alerts().size())));
    }

    void listReports(Client client, ClientMessage.ListReports c) {
        moderate(
                client,
                c.ref(),
                () -> safety.openReports(c.ref())
                        .thenCompose(r -> safety.queues()
                                .recordReading(
                                        client.user(),
                                        "list_reports",
                                        r,
                                        r.reports().size())));
    }

    void resolveReport(Client client, ClientMessage.ResolveReport c) {
        moderate(client, c.ref(), () -> safety.resolve(client.user(), c.reportId(), c.resolution(), c.ref()));
    }

    void readAudit(Client client, ClientMessage.ReadAudit c) {
        moderate(client, c.ref(), () -> safety.auditLog(c.limit(), c.ref()));
    }

    void sanction(Client client, ClientMessage.Sanction c) {
        moderate(client, c.ref(), () -> safety.sanction(client.user(), c));
    }

    void liftSanction(Client client, ClientMessage.LiftSanction c) {
        moderate(client, c.ref(), () -> safety.lift(client.user(), c.sanctionId(), c.reason(), c.ref()));
    }

    /**
     * A moderator deletes a message in any room, or in a session (acting on a report); an author deletes its own
     * message (members overshare and must be able to take it back at once). Both leave the same tombstone; only a
     * moderator's deletion is audited, so that a member's taking back its words leaves no trace of it.
     */
    void deleteMessage(Client client, ClientMessage.DeleteMessage c) {
        boolean known = rooms.policyOf(c.room()).map(p -> p.known(c.room())).orElse(false);
        if (!client.identity().has(Role.MODERATOR)) {
            if (!known) {
                client.refuse(c.ref(), RoomPolicy.notFound(c.room()));
                return;
            }
            client.answer(c.ref(), deleteOwn(client, c));
            return;
        }
        moderate(client, c.ref(), () -> {
            if (!known) {
                return CompletableFuture.failedFuture(RoomPolicy.notFound(c.room()));
            }
            return rooms.redact(c.room(), c.seq(), c.reason())
                    .thenCompose(tombstone ->
                            safety.deleted(client.user(), c.room(), c.seq(), tombstone, c.reason(), c.ref()));
        });
    }

    private CompletableFuture<ServerMessage> deleteOwn(Client client, ClientMessage.DeleteMessage c) {
        return rooms.around(c.room(), c.seq(), 0).thenCompose(found -> {
            ServerMessage.ChatMessage message =
                    found.stream().filter(m -> m.seq() == c.seq()).findFirst().orElse(null);
            if (message != null && !message.author().id().equals(client.user().id())) {
                return CompletableFuture.failedFuture(
                        new Refusal(ErrorCode.FORBIDDEN, "only its author or a moderator may delete a message"));
            }
            if (message == null || message.isDeleted()) {
                return CompletableFuture.failedFuture(
                        new Refusal(ErrorCode.MESSAGE_NOT_FOUND, "no message " + c.seq() + " is kept in that room"));
            }
            // No reason goes to the room: the author's own business (the tombstone says only that it was removed).
            return rooms.redact(c.room(), c.seq(), null)
                    .thenApply(ignored -> new ServerMessage.Done(c.ref(), "delete_message"));
        });
    }

    /** A moderator approves a held message (it is posted as its author sent it) or rejects it. */
    void reviewHeld(Client client, ClientMessage.ReviewHeld c) {
        moderate(
                client,
                c.ref(),
                () -> safety.takeForReview(c.heldId())
                        .thenCompose(held -> (c.approve() ? postHeld(held) : CompletableFuture.completedFuture(null))
                                .thenCompose(ignored -> safety.reviewed(client.user(), held, c.approve(), c.note())))
                        .thenApply(ignored -> new ServerMessage.Done(c.ref(), "review_held")));
    }

    /** Posts an approved held message as its author sent it; puts it back on hold when that fails. */
    private CompletableFuture<?> postHeld(ServerMessage.HeldMessage held) {
        return rooms.find(held.room())
                .<CompletableFuture<?>>map(room -> room.publish(held.author(), held.clientMsgId(), held.text())
                        .exceptionallyCompose(error ->
                                safety.putBack(held).thenCompose(ignored -> CompletableFuture.failedFuture(error))))
                .orElseGet(() -> CompletableFuture.completedFuture(null));
    }

    /** Runs a moderator's command, or refuses it ({@code forbidden}) to anyone else. */
    static void moderate(Client client, String ref, Supplier<CompletableFuture<? extends ServerMessage>> command) {
        if (client.identity().has(Role.MODERATOR)) {
            client.answer(ref, command.get());
        } else {
            client.refuse(ref, new Refusal(ErrorCode.FORBIDDEN, "only a moderator may do this"));
        }
    }
}
