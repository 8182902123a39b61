package org.kindred.server.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisClusterExtensionIT {

    @RegisterExtension
    static RedisExtension redis = RedisExtension.cluster();

    private static RedisClusterClient client;

    @BeforeAll
    static void createClient() {
        RedisURI seed = RedisURI.create(redis.clusterUri());
        seed.setTimeout(Duration.ofSeconds(1));
        client = RedisClusterClient.create(seed);
    }

    @AfterAll
    static void shutdownClient() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    @BeforeEach
    void clean() {
        redis.flushAll();
    }

    /** One hash tag per master, e.g. {@code {room-0}}, keyed by the master's port. */
    private static Map<Integer, String> oneHashTagPerMaster(StatefulRedisClusterConnection<String, String> connection) {
        Map<Integer, String> tags = new LinkedHashMap<>();
        for (int i = 0; tags.size() < RedisCluster.MASTERS && i < 10_000; i++) {
            String tag = "{room-" + i + "}";
            RedisClusterNode owner = connection.getPartitions().getPartitionBySlot(SlotHash.getSlot(tag));
            tags.putIfAbsent(owner.getUri().getPort(), tag);
        }
        return tags;
    }

    @Test
    void clusterHasThreeMastersAndEveryNodeSaysOk() {
        assertThat(redis.uris()).hasSize(3).allSatisfy(uri -> assertThat(uri).startsWith("redis://127.0.0.1:"));
        assertThat(redis.isRunning()).isTrue();
    }

    @Test
    void keysWithDifferentHashTagsLandOnDifferentMasters() {
        try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
            Map<Integer, String> tags = oneHashTagPerMaster(connection);
            assertThat(tags).hasSize(3);

            tags.values().forEach(tag -> connection.sync().set(tag + ":messages", "x"));

            for (RedisServer node : redis.redisCluster().nodes()) {
                List<String> keysOnNode = connection
                        .getConnection(node.host(), node.port())
                        .sync()
                        .keys("*");
                assertThat(keysOnNode).containsExactly(tags.get(node.port()) + ":messages");
            }
        }
    }

    @Test
    void shardedPublishReachesTheShardedSubscriberOnEveryMaster() {
        Queue<String> received = new ConcurrentLinkedQueue<>();
        try (StatefulRedisClusterConnection<String, String> connection = client.connect();
                StatefulRedisClusterPubSubConnection<String, String> subscriber = client.connectPubSub()) {
            subscriber.addListener(new RedisClusterPubSubAdapter<>() {
                @Override
                public void smessage(RedisClusterNode node, String channel, String message) {
                    received.add(channel + "=" + message);
                }
            });
            List<String> channels = oneHashTagPerMaster(connection).values().stream()
                    .map(tag -> tag + ":events")
                    .toList();
            channels.forEach(channel -> subscriber.sync().ssubscribe(channel));

            for (String channel : channels) {
                assertThat(connection.sync().spublish(channel, "hello")).isEqualTo(1L);
            }

            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(received)
                            .containsExactlyInAnyOrderElementsOf(channels.stream()
                                    .map(channel -> channel + "=hello")
                                    .toList()));
        }
    }

    @Test
    void killedMasterRefusesWritesAndComesBackEmptyAfterRestart() {
        redis.assumeManaged();
        try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
            RedisServer victim = redis.redisCluster().nodes().getFirst();
            String key = oneHashTagPerMaster(connection).get(victim.port()) + ":state";
            connection.sync().set(key, "before");

            victim.kill();

            assertThat(victim.isRunning()).isFalse();
            assertThatThrownBy(() -> connection.sync().get(key)).isInstanceOf(RedisException.class);

            victim.restart();

            assertThat(redis.isRunning()).isTrue();
            await().atMost(Duration.ofSeconds(10))
                    .ignoreExceptions()
                    .untilAsserted(
                            () -> assertThat(connection.sync().exists(key)).isZero());
        }
    }
}
