package org.kindred.server.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.kindred.server.config.RedisConfig;

/**
 * The two connections a node keeps to Redis, standalone or cluster alike: one for commands and scripts, one for
 * sharded pub/sub. Both reconnect by themselves; while disconnected, commands fail at once rather than queue, so a
 * client is told to retry instead of waiting on a send that may never be stored.
 */
final class RedisConnections implements AutoCloseable {

    /** How long a command may take before it fails. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

    private final ClientResources resources;
    private final AbstractRedisClient client;
    private final StatefulConnection<String, String> commandConnection;
    private final RedisClusterAsyncCommands<String, String> commands;
    private final StatefulRedisPubSubConnection<String, String> pubSub;

    private RedisConnections(
            ClientResources resources,
            AbstractRedisClient client,
            StatefulConnection<String, String> commandConnection,
            RedisClusterAsyncCommands<String, String> commands,
            StatefulRedisPubSubConnection<String, String> pubSub) {
        this.resources = resources;
        this.client = client;
        this.commandConnection = commandConnection;
        this.commands = commands;
        this.pubSub = pubSub;
    }

    static RedisConnections open(
            RedisConfig config,
            RedisPubSubListener<String, String> listener,
            RedisConnectionStateListener stateListener) {
        // Reconnect quickly: a node without Redis cannot take messages, and clients are retrying meanwhile.
        ClientResources resources = ClientResources.builder()
                .reconnectDelay(Delay.exponential(
                        Duration.ofMillis(100), Duration.ofSeconds(2), 2, java.util.concurrent.TimeUnit.MILLISECONDS))
                .build();
        TimeoutOptions timeouts = TimeoutOptions.enabled(COMMAND_TIMEOUT);
        if (config.cluster()) {
            List<RedisURI> seeds = Arrays.stream(config.url().split(","))
                    .map(String::strip)
                    .map(RedisURI::create)
                    .toList();
            RedisClusterClient client = RedisClusterClient.create(resources, seeds);
            client.setOptions(ClusterClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .timeoutOptions(timeouts)
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enablePeriodicRefresh(Duration.ofSeconds(30))
                            .enableAllAdaptiveRefreshTriggers()
                            .build())
                    .build());
            client.addListener(stateListener);
            StatefulRedisClusterConnection<String, String> connection = client.connect();
            StatefulRedisClusterPubSubConnection<String, String> pubSub = client.connectPubSub();
            pubSub.setNodeMessagePropagation(true); // shard channels live on the nodes that own their slots
            pubSub.addListener(listener);
            return new RedisConnections(resources, client, connection, connection.async(), pubSub);
        }
        RedisClient client =
                RedisClient.create(resources, RedisURI.create(config.url().strip()));
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(timeouts)
                .build());
        client.addListener(stateListener);
        StatefulRedisConnection<String, String> connection = client.connect();
        StatefulRedisPubSubConnection<String, String> pubSub = client.connectPubSub();
        pubSub.addListener(listener);
        return new RedisConnections(resources, client, connection, connection.async(), pubSub);
    }

    RedisClusterAsyncCommands<String, String> commands() {
        return commands;
    }

    StatefulRedisPubSubConnection<String, String> pubSub() {
        return pubSub;
    }

    boolean isPubSub(Object connection) {
        return connection == pubSub;
    }

    /** Whether both connections are up. */
    boolean isOpen() {
        return commandConnection.isOpen() && pubSub.isOpen();
    }

    @Override
    public void close() {
        pubSub.close();
        commandConnection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown();
    }
}
