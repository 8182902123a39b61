package org.kindred.server.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

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
    private final RedisScript unlock = RedisScript.load("unlock");

    RedisLock(RedisConnections redis, String key, String nodeId) {
        this.redis = redis;
        this.key = key;
        this.nodeId = nodeId;
    }

    /** Waits for the lock; returns the token that releases it. */
    String acquire() {
        String token = nodeId + ":" + UUID.randomUUID();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (true) {
            String ok = await(redis.commands()
                    .set(key, token, SetArgs.Builder.nx().px(HOLD_MILLIS))
                    .toCompletableFuture());
            if ("OK".equals(ok)) {
                return token;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(key + " stayed locked for " + WAIT_MILLIS + " ms");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // another node is running a command
        }
    }

    void release(String token) {
        unlock.run(redis.commands(), ScriptOutputType.INTEGER, new String[] {key}, token);
    }

    /** Waits for a Redis reply on a store's own thread, a little longer than the command timeout. */
    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(RedisConnections.COMMAND_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Redis did not answer: " + e.getMessage(), e);
        }
    }
}
