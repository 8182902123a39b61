package org.kindred.server.safety;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.kindred.protocol.ErrorCode;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.AuditEntry;
import org.kindred.protocol.ServerMessage.ChatMessage;
import org.kindred.protocol.UserInfo;
import org.kindred.server.connection.Refusal;
import org.kindred.server.metrics.KindredMetrics;
import org.kindred.server.runtime.Failures;
import org.kindred.server.safety.CrisisDetector.CrisisHit;

/**
 * What happens when a message reads like a crisis ({@code docs/safety.md}). Its author is sent crisis resources in its
 * language at once, privately; then an alert is recorded and, once recorded, sent to the moderators connected to any
 * node and to the helpers of the room (a session's mentor, a meeting's facilitators); a moderator acknowledges it.
 *
 * <p>Nothing here ever blocks the message. Every failure on the way (recording, sending, auditing) is logged, never
 * with the message's text, and counted in {@code kindred_failures_total}. An alert that could not be recorded is still
 * sent: a person must hear of the crisis, even if acknowledging that alert then fails.
 */
public final class CrisisAlerts {

    /** The words sent with crisis resources. */
    static final String CRISIS_WORDS = "It sounds like you are going through something very hard right now. You are "
            + "not alone: people here have been told and will reach out. If you are in danger, please contact one of "
            + "these now.";

    private final CrisisDetector detector;
    private final SafetyStore store;
    private final CrisisLines lines;
    private final KindredMetrics metrics;
    private final Failures failures;
    private final Clock clock;

    public CrisisAlerts(
            CrisisDetector detector,
            SafetyStore store,
            CrisisLines lines,
            KindredMetrics metrics,
            Failures failures,
            Clock clock) {
        this.detector = detector;
        this.store = store;
        this.lines = lines;
        this.metrics = metrics;
        this.failures = failures;
        this.clock = clock;
    }

    /** Reads a message about to be posted (or held); a hit never stops it. */
    public Optional<CrisisHit> screen(String text) {
        return detector.detect(text);
    }

    /** Reads a message already normalised for the content rules; a hit never stops it. */
    public Optional<CrisisHit> screen(NormalizedText text) {
        return detector.detect(text);
    }

    /** What the author of a message that reads like a crisis is sent, privately, before anything else about it. */
    public ServerMessage.CrisisSupport supportFor(ChatMessage message, CrisisHit hit) {
        return new ServerMessage.CrisisSupport(
                message.room(), message.seq(), CRISIS_WORDS, lines.lookup(hit.language()));
    }

    /** A message held for review as its alert carries it: not posted yet (seq 0), its held id as its id. */
    public static ChatMessage pending(ServerMessage.HeldMessage held) {
        return new ChatMessage(
                held.room(), 0, held.heldId(), held.author(), held.text(), held.heldAt(), held.clientMsgId());
    }

    /**
     * Raises the alert of a message that reads like a crisis: records it, then sends it to the moderators on every node
     * and to these helpers, then writes the audit entry.
     *
     * @param helpers who else must hear of it (never the author)
     */
    public void raise(ChatMessage message, CrisisHit hit, List<String> helpers) {
        ServerMessage.Alert alert =
                new ServerMessage.Alert(newId(), "crisis", message, hit.language(), hit.rule(), clock.millis());
        metrics.crisisAlert();
        CompletableFuture<Void> recorded = store.recordAlert(alert).exceptionally(error -> {
            failures.record("crisis alert record", error);
            return null;
        });
        failures.watch("crisis alert send", recorded.thenCompose(ignored -> send(alert, helpers)));
        failures.watch(
                "crisis alert audit",
                recorded.thenCompose(ignored -> store.audit(new AuditEntry(
                        alert.createdAt(),
                        null,
                        "alert_raised",
                        message.author(),
                        message.room(),
                        alert.alertId(),
                        "crisis: " + hit.rule()))));
    }

    private CompletableFuture<Void> send(ServerMessage.Alert alert, List<String> helpers) {
        CompletableFuture<?>[] sent = new CompletableFuture<?>[helpers.size() + 1];
        sent[0] = store.toModerators(alert);
        for (int i = 0; i < helpers.size(); i++) {
            sent[i + 1] = store.toUser(helpers.get(i), alert);
        }
        return CompletableFuture.allOf(sent);
    }

    /** The alerts nobody has acknowledged yet, oldest first: what a moderator signing in must see. */
    public CompletableFuture<ServerMessage.Alerts> openAlerts(String ref) {
        return store.openAlerts().thenApply(alerts -> new ServerMessage.Alerts(ref, alerts));
    }

    /** A moderator takes charge of an alert; the first to do so is the one every moderator is told of. */
    public CompletableFuture<ServerMessage.AlertAcked> acknowledge(UserInfo moderator, String alertId, String ref) {
        long now = clock.millis();
        return store.alert(alertId).thenCompose(found -> {
            if (found.isEmpty()) {
                return CompletableFuture.failedFuture(
                        new Refusal(ErrorCode.ALERT_NOT_FOUND, "no alert '" + alertId + "'"));
            }
            ServerMessage.Alert alert = found.get();
            return store.acknowledge(alertId, moderator, now).thenCompose(ack -> {
                long waited = ack.at() - alert.createdAt();
                ServerMessage.AlertAcked acked =
                        new ServerMessage.AlertAcked(ref, alertId, ack.by(), ack.at(), waited, ack.first());
                if (!ack.first()) {
                    return CompletableFuture.completedFuture(acked);
                }
                metrics.alertAcknowledged(waited);
                failures.watch(
                        "alert acknowledgement send",
                        store.toModerators(
                                new ServerMessage.AlertAcked(null, alertId, ack.by(), ack.at(), waited, true)));
                return store.audit(new AuditEntry(
                                now,
                                moderator,
                                "alert_acked",
                                alert.message().author(),
                                alert.message().room(),
                                alertId,
                                null))
                        .thenApply(ignored -> acked);
            });
        });
    }

    private static String newId() {
        return "a-" + UUID.randomUUID().toString().replace("-", "");
    }
}
