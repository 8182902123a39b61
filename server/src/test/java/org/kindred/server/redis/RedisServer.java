package org.kindred.server.redis;

/** One standalone Redis: a child process, a container, or the one {@code REDIS_URL} points at. */
public interface RedisServer extends RedisHandle {

    /** {@code redis://127.0.0.1:PORT} for a managed Redis; {@code REDIS_URL} as given otherwise. */
    String uri();

    String host();

    /** The port; {@link #restart()} keeps it. */
    int port();
}
