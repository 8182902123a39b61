package org.kindred.server.redis;

/**
 * What a test can do to the Redis it was given, standalone ({@link RedisServer}) or cluster ({@link RedisCluster}).
 *
 * <p>Only a <em>managed</em> Redis (one that {@link RedisExtension} started) can be killed, restarted or stopped. On
 * a Redis provided through {@code REDIS_URL} / {@code REDIS_CLUSTER_URL} those methods throw
 * {@link UnmanagedRedisException}; tests that need them call {@link RedisExtension#assumeManaged()} first, so they
 * are skipped in that case only.
 */
public interface RedisHandle extends AutoCloseable {

    /** True when {@link RedisExtension} started this Redis and can kill, restart and stop it. */
    boolean isManaged();

    /** True when every server answers PING (and, for a cluster, reports {@code cluster_state:ok}). */
    boolean isRunning();

    /** Removes every key ({@code FLUSHALL}, on every master of a cluster). Use it between tests. */
    void flushAll();

    /** SIGKILL, for outage tests: no shutdown, connections drop, the port stops answering. Returns once it is dead. */
    void kill();

    /**
     * Starts again on the same port(s), empty unless the extension was given arguments that persist data, and returns
     * once it answers (a cluster: once {@code cluster_state:ok} on every node). Stops it first if it is running.
     */
    void restart();

    /** Graceful shutdown without saving; {@link #restart()} can start it again. */
    void stop();

    /** Stops and forgets everything (processes, containers, temporary directories). Called by the extension. */
    @Override
    void close();

    /** Thrown by kill, restart and stop on a Redis the extension did not start. */
    final class UnmanagedRedisException extends UnsupportedOperationException {
        UnmanagedRedisException(String operation, String uri) {
            super(
                    "Cannot " + operation + " " + uri + ": it was provided through REDIS_URL/REDIS_CLUSTER_URL, so this"
                            + " test needs a managed Redis. Unset REDIS_URL (and REDIS_CLUSTER_URL) to let RedisExtension start one,"
                            + " or call redis.assumeManaged() at the start of the test so it is skipped against a provided Redis.");
        }
    }
}
