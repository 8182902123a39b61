package org.kindred.server.broker;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.kindred.protocol.ServerMessage.ChatMessage;

/**
 * A room's recent messages in memory, bounded by count and by age. Not thread-safe: {@link LocalBroker} guards it.
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

    /** Up to {@code limit} oldest messages with a seq above {@code afterSeq}, oldest first. */
    List<ChatMessage> after(long afterSeq, int limit) {
        trimExpired();
        List<ChatMessage> page = new ArrayList<>(Math.min(limit, messages.size()));
        for (ChatMessage m : messages) {
            if (page.size() == limit) {
                break;
            }
            if (m.seq() > afterSeq) {
                page.add(m);
            }
        }
        return page;
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

    /** Replaces the message with this seq by its tombstone; returns the tombstone, or null when it is not kept. */
    ChatMessage redact(long seq) {
        ChatMessage kept = find(seq);
        return kept != null && replace(kept, kept.tombstone()) ? kept.tombstone() : null;
    }

    /** The kept message with this seq, or null. */
    ChatMessage find(long seq) {
        for (ChatMessage m : messages) {
            if (m.seq() == seq) {
                return m;
            }
        }
        return null;
    }

    /**
     * Puts {@code replacement} in the place of {@code current}, if the history still holds exactly that message there.
     */
    boolean replace(ChatMessage current, ChatMessage replacement) {
        List<ChatMessage> kept = new ArrayList<>(messages);
        for (int i = 0; i < kept.size(); i++) {
            if (kept.get(i).seq() == current.seq()) {
                if (!kept.get(i).equals(current)) {
                    return false;
                }
                kept.set(i, replacement);
                messages.clear();
                messages.addAll(kept);
                return true;
            }
        }
        return false;
    }

    void clear() {
        messages.clear();
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
