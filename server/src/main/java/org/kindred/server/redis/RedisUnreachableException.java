package org.kindred.server.redis;

/** A node could not connect to Redis when it started: the configured address, and the cause underneath. */
public final class RedisUnreachableException extends RuntimeException {

    RedisUnreachableException(String url, Throwable cause) {
        super("cannot connect to Redis at " + url, cause);
    }
}
