package org.kindred.server.redis;

import java.io.IOException;
import java.time.Duration;

/** A Redis this JVM did not start ({@code REDIS_URL}, or a node of {@code REDIS_CLUSTER_URL}): usable, not killable. */
final class ExternalRedis implements RedisServer {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final String uri;
    private final Resp.Endpoint endpoint;

    ExternalRedis(String uri) {
        this.uri = uri.trim();
        this.endpoint = Resp.Endpoint.parse(this.uri);
    }

    @Override
    public String uri() {
        return uri;
    }

    @Override
    public String host() {
        return endpoint.host();
    }

    @Override
    public int port() {
        return endpoint.port();
    }

    @Override
    public boolean isManaged() {
        return false;
    }

    @Override
    public boolean isRunning() {
        return Resp.ping(endpoint, TIMEOUT);
    }

    @Override
    public void flushAll() {
        call("FLUSHALL");
    }

    @Override
    public void kill() {
        throw new UnmanagedRedisException("kill", uri);
    }

    @Override
    public void restart() {
        throw new UnmanagedRedisException("restart", uri);
    }

    @Override
    public void stop() {
        throw new UnmanagedRedisException("stop", uri);
    }

    @Override
    public void close() {
        // not ours to stop
    }

    @Override
    public String toString() {
        return "provided Redis " + endpoint.address();
    }

    String call(String... command) {
        try {
            return Resp.call(endpoint, TIMEOUT, command);
        } catch (IOException e) {
            throw new IllegalStateException(
                    String.join(" ", command) + " failed on " + this + ": " + e.getMessage(), e);
        }
    }

    /** Throws a clear error when the provided Redis does not answer (a wrong REDIS_URL should not look like a bug). */
    ExternalRedis verifyReachable(String variable) {
        try {
            String pong = Resp.call(endpoint, TIMEOUT, "PING");
            if (!"PONG".equals(pong)) {
                throw new IllegalStateException(variable + "=" + uri + " answered PING with " + pong);
            }
        } catch (IOException e) {
            throw new IllegalStateException(variable + "=" + uri + " does not answer PING: " + e.getMessage(), e);
        }
        return this;
    }
}
