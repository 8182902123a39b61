package org.kindred.client;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.kindred.protocol.ClientMessage;
import org.kindred.protocol.InvalidMessageException;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.Availability;
import org.kindred.protocol.ServerMessage.Done;
import org.kindred.protocol.ServerMessage.SessionStarted;
import org.kindred.protocol.ServerMessage.SupportCancelled;
import org.kindred.protocol.ServerMessage.SupportQueued;

/**
 * The one-to-one support commands behind {@link KindredClient}: validates and builds them, and remembers the
 * availability the mentor set so that the client can set it again after a reconnect (the server forgets a mentor's
 * availability when its last connection closes).
 *
 * <p>The memory holds the last {@code set_availability} with {@code available: true} that went out, until the app
 * sets itself unavailable, the server refuses it for good (a non-retryable error), or the session ends
 * ({@link #forgetAvailability()}). Thread-safe.
 */
final class SupportCommands {

    /** How the commands reach the server. */
    @FunctionalInterface
    interface Channel {
        /**
         * Sends the command when a session is open and completes with its typed reply; otherwise fails with
         * {@link KindredException#NOT_CONNECTED}. {@code beforeSend} runs first, on the client's thread, in the order
         * commands were made, told whether the command goes out.
         */
        <T extends ServerMessage> CompletableFuture<T> call(
                ClientMessage command, Class<T> replyType, Consumer<Boolean> beforeSend);
    }

    /** What is re-sent: the app's arguments (not the server's answer, so a null capacity stays the default). */
    private record Remembered(List<String> conditions, List<String> languages, Integer capacity) {
        static Remembered of(ClientMessage.SetAvailability command) {
            return new Remembered(command.conditions(), command.languages(), command.capacity());
        }
    }

    private static final Consumer<Boolean> NO_HOOK = sent -> {};

    private final Supplier<String> refs;
    private final Channel channel;
    private Remembered remembered; // guarded by this

    SupportCommands(Supplier<String> refs, Channel channel) {
        this.refs = refs;
        this.channel = channel;
    }

    CompletableFuture<Availability> setAvailability(
            boolean available, List<String> conditions, List<String> languages, Integer capacity) {
        requireEntries(conditions, "conditions");
        requireEntries(languages, "languages");
        var command = validate(
                () -> new ClientMessage.SetAvailability(refs.get(), available, conditions, languages, capacity));
        Remembered intent = available ? Remembered.of(command) : null;
        CompletableFuture<Availability> reply = channel.call(command, Availability.class, sent -> {
            if (intent == null) {
                forgetAvailability(); // even when not connected: never restore what the app turned off
            } else if (sent) {
                remember(intent);
            }
        });
        if (intent != null) {
            reply.whenComplete((availability, error) -> {
                if (error != null && isRefusal(error)) {
                    forget(intent);
                }
            });
        }
        return reply;
    }

    CompletableFuture<SupportQueued> requestSupport(String condition, String language, String note) {
        return call(
                validate(() -> new ClientMessage.RequestSupport(refs.get(), condition, language, note)),
                SupportQueued.class);
    }

    CompletableFuture<SupportCancelled> cancelSupport(String requestId) {
        return call(validate(() -> new ClientMessage.CancelSupport(refs.get(), requestId)), SupportCancelled.class);
    }

    CompletableFuture<SessionStarted> acceptOffer(String requestId) {
        return call(validate(() -> new ClientMessage.AcceptOffer(refs.get(), requestId)), SessionStarted.class);
    }

    CompletableFuture<Void> declineOffer(String requestId) {
        return done(validate(() -> new ClientMessage.DeclineOffer(refs.get(), requestId)));
    }

    CompletableFuture<Void> endSession(String sessionId) {
        return done(validate(() -> new ClientMessage.EndSession(refs.get(), sessionId)));
    }

    CompletableFuture<Void> rateSession(String sessionId, int rating, String comment) {
        return done(validate(() -> new ClientMessage.RateSession(refs.get(), sessionId, rating, comment)));
    }

    CompletableFuture<Void> mentorNote(String sessionId, String note) {
        return done(validate(() -> new ClientMessage.MentorNote(refs.get(), sessionId, note)));
    }

    CompletableFuture<Void> proposeHandoff(String sessionId, String toMentorId, String reason) {
        if (toMentorId != null && toMentorId.isBlank()) {
            throw new IllegalArgumentException("field 'toMentorId' must not be blank (null means any mentor)");
        }
        return done(validate(() -> new ClientMessage.ProposeHandoff(refs.get(), sessionId, toMentorId, reason)));
    }

    CompletableFuture<Void> answerHandoff(String sessionId, boolean consent) {
        return done(validate(() -> new ClientMessage.AnswerHandoff(refs.get(), sessionId, consent)));
    }

    CompletableFuture<Void> deleteTranscript(String sessionId) {
        return done(validate(() -> new ClientMessage.DeleteTranscript(refs.get(), sessionId)));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Availability memory

    /** The command that sets the remembered availability again, with this ref; empty when there is none. */
    synchronized Optional<ClientMessage.SetAvailability> availabilityToRestore(String ref) {
        return Optional.ofNullable(remembered)
                .map(r -> new ClientMessage.SetAvailability(ref, true, r.conditions(), r.languages(), r.capacity()));
    }

    /** The server refused a restored availability for good: stop re-sending it (unless the app set another since). */
    void restoreRefused(ClientMessage.SetAvailability command) {
        forget(Remembered.of(command));
    }

    /** Forgets the availability: the app turned it off, or the session ended. */
    synchronized void forgetAvailability() {
        remembered = null;
    }

    private synchronized void remember(Remembered intent) {
        remembered = intent;
    }

    private synchronized void forget(Remembered intent) {
        if (intent.equals(remembered)) {
            remembered = null;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    private <T extends ServerMessage> CompletableFuture<T> call(ClientMessage command, Class<T> replyType) {
        return channel.call(command, replyType, NO_HOOK);
    }

    private CompletableFuture<Void> done(ClientMessage command) {
        return call(command, Done.class).thenApply(done -> null);
    }

    /** Whether the error is the server's refusal that repeating cannot change. */
    static boolean isRefusal(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof KindredException k && k.serverError().isPresent() && !k.retryable();
    }

    private static void requireEntries(List<String> values, String field) {
        if (values != null && values.stream().anyMatch(v -> v == null || v.isBlank())) {
            throw new IllegalArgumentException("field '" + field + "' must not contain null or blank entries");
        }
    }

    private static <T extends ClientMessage> T validate(Supplier<T> command) {
        try {
            return command.get();
        } catch (InvalidMessageException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
