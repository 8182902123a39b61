package org.kindred.server.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * A cluster-wide mutex in one Redis key. It expires, so a node that dies holding it blocks the others for a few
 * seconds at most; only the holder's token releases it.
 */
final class RedisLock {

    private static final long HOLD_MILLIS = 5_000;
    private static final long WAIT_MILLIS = 3_000;

    private final RedisConnections redis;
    private final String key;
    private final String nodeId;
    private final LongSupplier nanoTime;
    private final RedisScript unlock = RedisScript.load("unlock");

    /** @param nanoTime monotonic time, for how long to wait for the lock */
    RedisLock(RedisConnections redis, String key, String nodeId, LongSupplier nanoTime) {
        this.redis = redis;
        this.key = key;
        this.nodeId = nodeId;
        this.nanoTime = nanoTime;
    }

    /** Waits for the lock; returns the token that releases it. */
    String acquire() {
        String token = nodeId + ":" + UUID.randomUUID();
        long deadline = nanoTime.getAsLong() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (true) {
            String ok = RedisConnections.await(redis.commands()
                    .set(key, token, SetArgs.Builder.nx().px(HOLD_MILLIS))
                    .toCompletableFuture());
            if ("OK".equals(ok)) {
                return token;
            }
            if (nanoTime.getAsLong() > deadline) {
                throw new IllegalStateException(key + " stayed locked for " + WAIT_MILLIS + " ms");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // another node is running a command
        }
    }

    /** Releases the lock if this token still holds it; completes once Redis answered. */
    CompletableFuture<Long> release(String token) {
        return unlock.run(redis.commands(), ScriptOutputType.INTEGER, new String[] {key}, token);
    }
}
