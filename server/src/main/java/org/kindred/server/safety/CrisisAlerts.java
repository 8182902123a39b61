package org.kindred.server.safety;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
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
 * What happens when something a member writes reads like a crisis ({@code docs/safety.md}), whatever happens to what
 * was written next: posted, held for review, refused, a support request's note, a report's comment, a mentor's note.
 * Its author is sent crisis resources in its language at once, privately, with words that say honestly who has been
 * told; then an alert is recorded and, once recorded, sent to the moderators connected to any node and to the helpers
 * of the room (a session's mentor, a meeting's facilitators); a moderator acknowledges it. An alert nobody acknowledges
 * escalates ({@link #escalate()}).
 *
 * <p>Nothing here ever blocks what was written, nor lifts its refusal. Every failure on the way (recording, sending,
 * auditing) is logged, never with the text, and counted in {@code kindred_failures_total}. An alert that could not be
 * recorded is still sent: a person must hear of the crisis, even if acknowledging that alert then fails.
 */
public final class CrisisAlerts {

    /** Where what was written went, when it was not posted (the {@code source} of alerts and crisis support). */
    public enum Source {
        POSTED(null, true),
        HELD("held", true),
        REFUSED("refused", true),
        SUPPORT_REQUEST("support_request", true),
        REPORT("report", false),
        MENTOR_NOTE("mentor_note", false),
        APPEAL("appeal", true);

        private final String wire;
        private final boolean aboutSelf;

        Source(String wire, boolean aboutSelf) {
            this.wire = wire;
            this.aboutSelf = aboutSelf;
        }

        /** The wire name; null for a posted message. */
        public String wire() {
            return wire;
        }

        /** False when the author may be writing about someone else (a report, a mentor's note). */
        boolean aboutSelf() {
            return aboutSelf;
        }
    }

    /**
     * The people of a room who hear of a crisis in it besides the moderators.
     *
     * @param ids  their user ids (never the author)
     * @param word how the author is told of them: {@code mentor} or {@code facilitator}
     */
    public record Helpers(List<String> ids, String word) {
        public static final Helpers NONE = new Helpers(List.of(), "mentor");

        public Helpers {
            ids = List.copyOf(ids);
        }
    }

    /** How long a refused message sent again (same client message id) raises nothing again on this node. */
    static final Duration REPEAT_WINDOW = Duration.ofMinutes(10);

    private final CrisisDetector detector;
    private final SafetyStore store;
    private final CrisisLines lines;
    private final KindredMetrics metrics;
    private final Failures failures;
    private final Clock clock;
    private final Duration escalateAfter;
    private final Duration escalateAgainAfter;
    /** Unposted messages already answered, by author and client message id: a retry raises nothing again. */
    private final Cache<String, Boolean> answered;

    public CrisisAlerts(
            CrisisDetector detector,
            SafetyStore store,
            CrisisLines lines,
            KindredMetrics metrics,
            Failures failures,
            Clock clock,
            Duration escalateAfter,
            Duration escalateAgainAfter) {
        this.detector = detector;
        this.store = store;
        this.lines = lines;
        this.metrics = metrics;
        this.failures = failures;
        this.clock = clock;
        this.escalateAfter = escalateAfter;
        this.escalateAgainAfter = escalateAgainAfter;
        this.answered = Caffeine.newBuilder()
                .expireAfterWrite(REPEAT_WINDOW)
                .maximumSize(100_000)
                .ticker(() -> clock.millis() * 1_000_000L)
                .build();
    }

    /** Reads a message about to be posted (or held); a hit never stops it. */
    public Optional<CrisisHit> screen(String text) {
        return text == null || text.isEmpty() ? Optional.empty() : detector.detect(text);
    }

    /** Reads a message already normalised for the content rules; a hit never stops it. */
    public Optional<CrisisHit> screen(NormalizedText text) {
        return detector.detect(text);
    }

    /** Who hears of a crisis now, besides the author: {@code moderators}, {@code mentor}, {@code facilitator}. */
    public List<String> told(Helpers helpers) {
        HelpersOnline online = store.helpersOnline();
        List<String> told = new ArrayList<>(2);
        if (helpers.ids().stream().anyMatch(online::online)) {
            told.add(helpers.word());
        }
        if (online.moderators()) {
            told.add("moderators");
        }
        return told;
    }

    /**
     * What the author of a message that reads like a crisis is sent, privately, before anything else about it: in the
     * language it reads ({@code reads}, a BCP 47 tag, null when it named none) with the lines of its region, else in
     * the language it wrote in ({@link MemberLanguage}).
     */
    public ServerMessage.CrisisSupport supportFor(
            ChatMessage message, CrisisHit hit, Source source, Helpers helpers, String reads) {
        List<String> told = told(helpers);
        String languages = MemberLanguage.priorities(reads, hit.language());
        return new ServerMessage.CrisisSupport(
                message.room(),
                message.seq(),
                CrisisTexts.words(languages, told, source.aboutSelf()),
                lines.lookup(languages),
                told,
                source.wire());
    }

    /** A message held for review as its alert carries it: not posted yet (seq 0), its held id as its id. */
    public static ChatMessage pending(ServerMessage.HeldMessage held) {
        return new ChatMessage(
                held.room(), 0, held.heldId(), held.author(), held.text(), held.heldAt(), held.clientMsgId());
    }

    /**
     * Screens something a member wrote that is not posted — a refused or held message, a support request's note, a
     * report's comment, a mentor's note — and, when it reads like a crisis, sends its author crisis support (through
     * {@code toAuthor}, at once) and raises the alert. What was written is refused, held or kept as it would be anyway.
     * A refused or held message sent again with the same client message id is answered once.
     *
     * @param reads       the language its author reads (a BCP 47 tag), null when it named none
     * @param room        where it was written (a room, a session, {@code support})
     * @param clientMsgId the message's client id, for a message; null otherwise
     * @return whether it read like a crisis
     */
    public boolean screenUnposted(
            UserInfo author,
            String reads,
            String room,
            String text,
            String clientMsgId,
            Source source,
            Helpers helpers,
            Consumer<ServerMessage> toAuthor) {
        Optional<CrisisHit> hit = screen(text);
        if (hit.isEmpty()) {
            return false;
        }
        if (clientMsgId != null && answered.asMap().putIfAbsent(author.id() + "\n" + clientMsgId, true) != null) {
            return true;
        }
        String id = clientMsgId == null ? "w-" + UUID.randomUUID().toString().replace("-", "") : clientMsgId;
        ChatMessage written = new ChatMessage(room, 0, id, author, text, clock.millis(), clientMsgId);
        return answer(written, hit.get(), source, helpers, reads, toAuthor);
    }

    /** Answers an unposted message that read like a crisis (a held one, whose held id is its id). */
    public boolean answer(
            ChatMessage written,
            CrisisHit hit,
            Source source,
            Helpers helpers,
            String reads,
            Consumer<ServerMessage> toAuthor) {
        if (source == Source.HELD
                && written.clientMsgId() != null
                && answered.asMap().putIfAbsent(written.author().id() + "\n" + written.clientMsgId(), true) != null) {
            return true;
        }
        toAuthor.accept(supportFor(written, hit, source, helpers, reads));
        raise(written, hit, source, helpers, reads);
        return true;
    }

    /**
     * Raises the alert of something that reads like a crisis: records it, then sends it to the moderators on every
     * node and to these helpers, then writes the audit entry.
     */
    public void raise(ChatMessage message, CrisisHit hit, Source source, Helpers helpers, String reads) {
        ServerMessage.Alert alert = new ServerMessage.Alert(
                newId(), "crisis", message, hit.language(), hit.rule(), clock.millis(), source.wire(), null, reads);
        metrics.crisisAlert();
        CompletableFuture<Void> recorded = store.recordAlert(alert).exceptionally(error -> {
            failures.record("crisis alert record", error);
            return null;
        });
        failures.watch("crisis alert send", recorded.thenCompose(ignored -> send(alert, helpers.ids())));
        failures.watch(
                "crisis alert audit",
                recorded.thenCompose(ignored -> store.audit(new AuditEntry(
                        alert.createdAt(),
                        null,
                        "alert_raised",
                        message.author(),
                        message.room(),
                        alert.alertId(),
                        "crisis: " + hit.rule() + (source.wire() == null ? "" : " (" + source.wire() + ")")))));
    }

    private CompletableFuture<Void> send(ServerMessage.Alert alert, List<String> helpers) {
        CompletableFuture<?>[] sent = new CompletableFuture<?>[helpers.size() + 1];
        sent[0] = store.toModerators(alert);
        for (int i = 0; i < helpers.size(); i++) {
            sent[i + 1] = store.toUser(helpers.get(i), alert);
        }
        return CompletableFuture.allOf(sent);
    }

    /**
     * Escalates the alerts nobody acknowledged in time: {@code escalateAfter} after it was raised an alert goes again,
     * with {@code escalation} 1, to every moderator and experienced mentor connected anywhere; {@code
     * escalateAgainAfter} later, with 2. One node escalates each alert at each level (the store decides which); each
     * escalation is counted and audited. Called every second.
     */
    public CompletableFuture<Void> escalate() {
        long now = clock.millis();
        return store.openAlerts().thenCompose(open -> {
            List<CompletableFuture<?>> work = new ArrayList<>();
            for (ServerMessage.Alert alert : open) {
                long first = alert.createdAt() + escalateAfter.toMillis();
                int level = now >= first + escalateAgainAfter.toMillis() ? 2 : now >= first ? 1 : 0;
                for (int l = 1; l <= level; l++) {
                    int at = l;
                    work.add(store.claimEscalation(alert.alertId(), at)
                            .thenCompose(mine -> mine ? escalate(alert, at) : CompletableFuture.completedFuture(null)));
                }
            }
            return CompletableFuture.allOf(work.toArray(CompletableFuture[]::new));
        });
    }

    private CompletableFuture<Void> escalate(ServerMessage.Alert alert, int level) {
        ServerMessage.Alert escalated = alert.escalated(level);
        metrics.alertEscalated(level);
        List<String> mentors = store.helpersOnline().experiencedMentors();
        failures.watch("crisis alert escalation send", send(escalated, mentors));
        return store.audit(new AuditEntry(
                clock.millis(),
                null,
                "alert_escalated",
                alert.message().author(),
                alert.message().room(),
                alert.alertId(),
                "level " + level + ": not acknowledged; sent to every moderator and " + mentors.size()
                        + " experienced mentor(s) connected"));
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
