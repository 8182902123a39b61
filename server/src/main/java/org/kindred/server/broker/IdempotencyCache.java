package org.kindred.server.broker;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import org.kindred.protocol.ServerMessage.ChatMessage;

/**
 * Recent messages by room, author and client message id, so that a resent message is acknowledged again rather than
 * posted twice. Entries live for the idempotency window.
 */
final class IdempotencyCache {

    private record Key(String room, String userId, String clientMsgId) {}

    private final Cache<Key, ChatMessage> sent;

    IdempotencyCache(Duration window, long maximumSize, Ticker ticker) {
        this.sent = Caffeine.newBuilder()
                .expireAfterWrite(window)
                .maximumSize(maximumSize)
                .ticker(ticker)
                .build();
    }

    ChatMessage find(String room, String userId, String clientMsgId) {
        return sent.getIfPresent(new Key(room, userId, clientMsgId));
    }

    void remember(ChatMessage message) {
        sent.put(new Key(message.room(), message.author().id(), message.clientMsgId()), message);
    }

    /**
     * Puts the message's new form (edited, or its tombstone) in place of the one remembered, if any: a resend answers
     * with what the room now holds, and the old text is not kept here either.
     */
    void replace(ChatMessage message) {
        if (message.clientMsgId() != null) {
            sent.asMap()
                    .computeIfPresent(
                            new Key(message.room(), message.author().id(), message.clientMsgId()),
                            (key, earlier) -> message);
        }
    }
}
