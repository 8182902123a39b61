package org.kindred.server.room;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import org.kindred.protocol.ServerMessage.Ack;

/**
 * The acks of recent sends, by room, user and client message id, so that a resent message is acknowledged again
 * rather than posted twice. Entries live for the idempotency window.
 */
final class IdempotencyCache {

    private record Key(String room, String userId, String clientMsgId) {
    }

    private final Cache<Key, Ack> acks;

    IdempotencyCache(Duration window, long maximumSize, Ticker ticker) {
        this.acks = Caffeine.newBuilder()
                .expireAfterWrite(window)
                .maximumSize(maximumSize)
                .ticker(ticker)
                .build();
    }

    Ack find(String room, String userId, String clientMsgId) {
        return acks.getIfPresent(new Key(room, userId, clientMsgId));
    }

    void remember(String userId, Ack ack) {
        acks.put(new Key(ack.room(), userId, ack.clientMsgId()), ack);
    }
}
