package org.kindred.server.room;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.kindred.protocol.ServerMessage.ChatMessage;

/**
 * A room's recent messages, bounded by count and by age. Not thread-safe: its {@link Room} guards it.
 *
 * <p>Sequence numbers are contiguous, so the message with seq {@code s} sits at index {@code s - oldestSeq}.
 */
final class RoomHistory {

    private final ArrayDeque<ChatMessage> messages = new ArrayDeque<>();
    private final int maxSize;
    private final long maxAgeMillis;
    private final Clock clock;

    RoomHistory(int maxSize, Duration maxAge, Clock clock) {
        this.maxSize = maxSize;
        this.maxAgeMillis = maxAge.toMillis();
        this.clock = clock;
    }

    void append(ChatMessage message) {
        messages.addLast(message);
        if (messages.size() > maxSize) {
            messages.removeFirst();
        }
        trimExpired();
    }

    /**
     * Every message after {@code since}, if the history still reaches back that far; empty when a gap would be left.
     */
    Optional<List<ChatMessage>> after(long since, long lastSeq) {
        trimExpired();
        if (since > lastSeq) {
            return Optional.empty(); // the client saw messages this room never had: its history was reset
        }
        if (since == lastSeq) {
            return Optional.of(List.of());
        }
        if (messages.isEmpty() || messages.peekFirst().seq() > since + 1) {
            return Optional.empty();
        }
        List<ChatMessage> result = new ArrayList<>((int) (lastSeq - since));
        for (ChatMessage m : messages) {
            if (m.seq() > since) {
                result.add(m);
            }
        }
        return Optional.of(result);
    }

    /** Up to {@code limit} newest messages with a seq below {@code before}, oldest first. */
    List<ChatMessage> before(long before, int limit) {
        trimExpired();
        ArrayDeque<ChatMessage> page = new ArrayDeque<>(Math.min(limit, messages.size()));
        Iterator<ChatMessage> newestFirst = messages.descendingIterator();
        while (newestFirst.hasNext() && page.size() < limit) {
            ChatMessage m = newestFirst.next();
            if (m.seq() < before) {
                page.addFirst(m);
            }
        }
        return List.copyOf(page);
    }

    /** Whether a message older than {@code seq} is still kept. */
    boolean hasOlderThan(long seq) {
        return !messages.isEmpty() && messages.peekFirst().seq() < seq;
    }

    private void trimExpired() {
        long cutoff = clock.millis() - maxAgeMillis;
        while (!messages.isEmpty() && messages.peekFirst().ts() < cutoff) {
            messages.removeFirst();
        }
    }
}
