package org.kindred.server.redis;

import static org.kindred.server.redis.RedisLock.await;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import org.kindred.server.config.RedisConfig;
import org.kindred.server.connection.ConnectedUsers;
import org.kindred.server.connection.EncodedFrame;

/**
 * The Redis connections of a desk that keeps its state in Redis, with its events channel: one sharded channel every
 * node listens to. An event is a target and a payload: a user id and the frame for its connections on each node, or
 * one of the desk's own notices — the state changed (reload your copy), a user must leave a room.
 */
final class DeskChannel implements AutoCloseable {

    /** What a desk does with its notices. */
    interface Handler {
        /** Another node changed the state. Runs on Lettuce's thread: hand it over. */
        void changed();

        /** A user must leave a room on this node. */
        void evict(String room, String userId);
    }

    private static final String CHANGED = "*changed";
    private static final String EVICT = "*evict";
    private static final String OTHERS = "*others";

    private final String channel;
    private final String nodeId;
    private final ConnectedUsers users;
    private final Handler handler;
    private final RedisConnections redis;

    DeskChannel(RedisConfig config, String channel, ConnectedUsers users, Handler handler) {
        this.channel = channel;
        this.nodeId = config.nodeId();
        this.users = users;
        this.handler = handler;
        this.redis = RedisConnections.open(config, new Listener(), new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
                if (redis != null && redis.isPubSub(connection)) {
                    redis.pubSub().async().ssubscribe(channel);
                }
            }
        });
        await(redis.pubSub().async().ssubscribe(channel).toCompletableFuture());
    }

    RedisConnections redis() {
        return redis;
    }

    /** Sends a frame to a user's connections on every node. */
    void toUser(String userId, byte[] frame) {
        publish(userId, new String(frame, StandardCharsets.UTF_8));
    }

    /** Sends a frame to a user's connections on every node but one connection (node id, a slash, connection id). */
    void toUserExcept(String userId, String connectionKey, byte[] frame) {
        publish(OTHERS, userId + "\n" + connectionKey + "\n" + new String(frame, StandardCharsets.UTF_8));
    }

    /** Tells the other nodes to reload the state. */
    void changed() {
        publish(CHANGED, nodeId);
    }

    /** Takes a user out of a room on every node. */
    void evict(String room, String userId) {
        publish(EVICT, room + "\n" + userId);
    }

    private void publish(String target, String payload) {
        redis.commands().spublish(channel, target + "\n" + payload);
    }

    private final class Listener extends RedisPubSubAdapter<String, String> {
        @Override
        public void smessage(String from, String message) {
            int newline = message.indexOf('\n');
            if (newline < 0) {
                return;
            }
            String target = message.substring(0, newline);
            String payload = message.substring(newline + 1);
            switch (target) {
                case CHANGED -> {
                    if (!payload.equals(nodeId)) {
                        handler.changed();
                    }
                }
                case EVICT -> {
                    int split = payload.indexOf('\n');
                    handler.evict(payload.substring(0, split), payload.substring(split + 1));
                }
                case OTHERS -> {
                    String[] parts = payload.split("\n", 3);
                    String except = parts[1].startsWith(nodeId + "/") ? parts[1].substring(nodeId.length() + 1) : null;
                    users.sendExcept(parts[0], except, new EncodedFrame(parts[2].getBytes(StandardCharsets.UTF_8)));
                }
                default -> users.send(target, new EncodedFrame(payload.getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    @Override
    public void close() {
        redis.close();
    }
}
