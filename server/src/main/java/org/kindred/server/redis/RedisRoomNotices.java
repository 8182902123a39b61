package org.kindred.server.redis;

import java.util.function.Consumer;
import org.kindred.server.room.RoomAdmin;
import org.kindred.server.runtime.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells every node that a room made at run time changed, on the channel {@code kindred:{rooms}:events}: each node,
 * the one that made the change too, reads the room again from SQL. At most once, like every pub/sub event: a node
 * that misses one (it was cut from Redis) has the room as it was until its next start or the next change of it.
 */
public final class RedisRoomNotices implements RoomAdmin.Notices {

    private static final Logger LOG = LoggerFactory.getLogger(RedisRoomNotices.class);
    static final String CHANNEL = "kindred:{rooms}:events";

    private final RedisConnections redis;
    private final Failures failures;

    /**
     * Subscribes at once.
     *
     * @param changed what this node does with a changed room (on Lettuce's thread: hand the work over)
     */
    public RedisRoomNotices(RedisConnections redis, Failures failures, Consumer<String> changed) {
        this.redis = redis;
        this.failures = failures;
        RedisConnections.await(redis.subscribe(CHANNEL, event -> {
            if (event instanceof ClusterEvent.RoomChanged room) {
                changed.accept(room.room());
            } else {
                LOG.warn("ignoring a {} event on {}", event.getClass().getSimpleName(), CHANNEL);
            }
        }));
    }

    @Override
    public void changed(String roomId) {
        failures.watch("room change publish", redis.publish(CHANNEL, new ClusterEvent.RoomChanged(roomId)));
    }
}
