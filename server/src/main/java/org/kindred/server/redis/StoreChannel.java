package org.kindred.server.redis;

import java.nio.charset.StandardCharsets;
import org.kindred.server.connection.ConnectedUsers;
import org.kindred.server.connection.EncodedFrame;
import org.kindred.server.runtime.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events channel of a store that keeps its state in Redis ({@code kindred:{name}:events}), which every node
 * listens to: frames for a user's connections (each node delivers to its own), and the store's notices — the state
 * changed (with the entities and their versions), a user must leave a room, everyone must leave a room.
 */
final class StoreChannel {

    private static final Logger LOG = LoggerFactory.getLogger(StoreChannel.class);

    /** What a store does with its notices; called on Lettuce's thread, so each hands the work over. */
    interface Handler {
        /** A node committed changes to the store's entities (this one included: the handler tells them apart). */
        default void changed(String nodeId, String changes) {}

        /** A user must leave a room on this node. */
        default void evict(String room, String userId) {}

        /** Everyone must leave a room on this node. */
        default void closeRoom(String room) {}
    }

    private final RedisConnections redis;
    private final String channel;
    private final String nodeId;
    private final ConnectedUsers users;
    private final Failures failures;
    private final Handler handler;

    StoreChannel(RedisConnections redis, String name, ConnectedUsers users, Failures failures, Handler handler) {
        this.redis = redis;
        this.channel = "kindred:{" + name + "}:events";
        this.nodeId = redis.nodeId();
        this.users = users;
        this.failures = failures;
        this.handler = handler;
        RedisConnections.await(redis.subscribe(channel, this::onEvent));
    }

    /** Sends a frame to a user's connections on every node. */
    void toUser(String userId, byte[] frame) {
        publish(new ClusterEvent.ToUser(userId, new String(frame, StandardCharsets.UTF_8)));
    }

    /** Sends a frame to a user's connections on every node but one connection (node id, a slash, connection id). */
    void toUserExcept(String userId, String connectionKey, byte[] frame) {
        publish(new ClusterEvent.ToUserExcept(userId, connectionKey, new String(frame, StandardCharsets.UTF_8)));
    }

    /** Tells the other nodes what this one committed, before the events that follow from it. */
    void changed(String changes) {
        publish(new ClusterEvent.EntitiesChanged(nodeId, changes));
    }

    /** Takes a user out of a room on every node. */
    void evict(String room, String userId) {
        publish(new ClusterEvent.Evict(room, userId));
    }

    /** Takes everyone out of a room on every node. */
    void closeRoom(String room) {
        publish(new ClusterEvent.CloseRoom(room));
    }

    private void publish(ClusterEvent event) {
        failures.watch("store event publish", redis.publish(channel, event));
    }

    private void onEvent(ClusterEvent event) {
        switch (event) {
            case ClusterEvent.ToUser e -> users.send(e.userId(), frame(e.frame()));
            case ClusterEvent.ToUserExcept e -> {
                String except = e.except().startsWith(nodeId + "/") ? e.except().substring(nodeId.length() + 1) : null;
                users.sendExcept(e.userId(), except, frame(e.frame()));
            }
            case ClusterEvent.EntitiesChanged e -> handler.changed(e.nodeId(), e.changes());
            case ClusterEvent.Evict e -> handler.evict(e.room(), e.userId());
            case ClusterEvent.CloseRoom e -> handler.closeRoom(e.room());
            default -> LOG.warn("ignoring a {} event on {}", event.getClass().getSimpleName(), channel);
        }
    }

    private static EncodedFrame frame(String json) {
        return new EncodedFrame(json.getBytes(StandardCharsets.UTF_8));
    }
}
