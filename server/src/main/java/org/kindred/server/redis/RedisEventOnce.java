package org.kindred.server.redis;

import io.lettuce.core.SetArgs;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.kindred.server.webhook.EventOnce;

/**
 * The cluster's claims of webhook events: one {@code SET NX} key per event, kept a day, so that of the nodes that see
 * one event (a session announced again on another node) one sends it. A claim is one round trip, made only for the
 * support, session and group events a backend hears of.
 */
public final class RedisEventOnce implements EventOnce {

    private static final long KEPT_MILLIS = Duration.ofDays(1).toMillis();

    private final RedisConnections redis;

    public RedisEventOnce(RedisConnections redis) {
        this.redis = redis;
    }

    @Override
    public CompletableFuture<Boolean> claim(String key) {
        return redis.commands()
                .set(
                        RedisKeys.webhookSent(key),
                        redis.nodeId(),
                        SetArgs.Builder.nx().px(KEPT_MILLIS))
                .toCompletableFuture()
                .thenApply("OK"::equals);
    }
}
