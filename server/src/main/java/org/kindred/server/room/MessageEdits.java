package org.kindred.server.room;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.kindred.protocol.ErrorCode;
import org.kindred.protocol.ServerMessage.ChatMessage;
import org.kindred.server.broker.Broker;
import org.kindred.server.config.Durations;
import org.kindred.server.connection.Refusal;

/**
 * Authors editing their own messages, within a window from when they posted: the new text takes the message's place
 * in the room's history on every node, marked edited, and the old text is gone from it. The change is a compare-and-set
 * on the stored message ({@link Broker#edit}), so an edit never brings back a message deleted meanwhile. Screening the
 * new text is the caller's business (the post pipeline's).
 */
public final class MessageEdits {

    /** How often an edit is tried when the message changes between reading and replacing it (another edit). */
    private static final int ATTEMPTS = 3;

    private final Broker broker;
    private final Clock clock;
    private final Duration window;

    /**
     * @param window how long after posting an author may edit; zero turns edits off
     */
    MessageEdits(Broker broker, Clock clock, Duration window) {
        this.broker = broker;
        this.clock = clock;
        this.window = window;
    }

    /**
     * Replaces the text of the author's message. Completes with the edited message, or fails with a {@link Refusal}:
     * {@code message_not_found} (not kept, or deleted), {@code forbidden} (someone else's), {@code edit_window_closed}.
     */
    public CompletableFuture<ChatMessage> edit(String roomId, long seq, String authorId, String text) {
        return edit(roomId, seq, authorId, text, ATTEMPTS);
    }

    /** Whether a message posted at {@code postedAt} may still be edited now. */
    private boolean open(long postedAt) {
        return !window.isZero() && clock.millis() - postedAt <= window.toMillis();
    }

    private CompletableFuture<ChatMessage> edit(String roomId, long seq, String authorId, String text, int attempts) {
        return broker.readAfter(roomId, seq - 1, 1).thenCompose(slice -> {
            ChatMessage message = slice.messages().stream()
                    .filter(m -> m.seq() == seq)
                    .findFirst()
                    .orElse(null);
            if (message == null || message.isDeleted()) {
                return CompletableFuture.failedFuture(
                        new Refusal(ErrorCode.MESSAGE_NOT_FOUND, "no message " + seq + " is kept in that room"));
            }
            if (!message.author().id().equals(authorId)) {
                return CompletableFuture.failedFuture(
                        new Refusal(ErrorCode.FORBIDDEN, "only its author may edit a message"));
            }
            if (!open(message.ts())) {
                return CompletableFuture.failedFuture(new Refusal(
                        ErrorCode.EDIT_WINDOW_CLOSED,
                        window.isZero()
                                ? "this server does not allow edits; delete the message instead"
                                : "messages can be edited for " + Durations.format(window)
                                        + " after posting; delete it instead"));
            }
            ChatMessage edited = message.edited(text, clock.millis());
            return broker.edit(message, edited).thenCompose(replaced -> {
                if (replaced) {
                    return CompletableFuture.completedFuture(edited);
                }
                return attempts > 1
                        ? edit(roomId, seq, authorId, text, attempts - 1)
                        : CompletableFuture.failedFuture(new Refusal(
                                ErrorCode.MESSAGE_NOT_FOUND, "message " + seq + " changed meanwhile; read it again"));
            });
        });
    }
}
