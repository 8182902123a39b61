package org.kindred.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kindred.client.KindredClient;
import org.kindred.protocol.CloseCode;
import org.kindred.protocol.ServerMessage.Ack;
import org.kindred.server.config.RedisConfig;
import org.kindred.server.redis.RedisExtension;
import org.kindred.server.redis.RedisProcess;
import org.kindred.server.testing.ClusterClients;
import org.kindred.server.testing.TestCluster;
import org.kindred.server.testing.Timeline;

/**
 * Redis comes back with older data than the nodes already delivered: restarted from a snapshot taken before the last
 * messages (as after a failover to a replica that lagged, or an {@code everysec} append-only file after an OS crash).
 * The room's counter went back under the same epoch; the room must move to a new epoch, every connected client must be
 * told (close 4004, then a resume with {@code recovered: false}), and then see every message acknowledged since,
 * exactly once and in order. On the old code the new messages reused sequence numbers the clients held and no
 * connected client ever saw them.
 */
class RedisRollbackIT {

    private static final String ROOM = "long-covid";

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    private TestCluster cluster;
    private final ClusterClients clients = new ClusterClients();

    @BeforeEach
    void start() throws Exception {
        REDIS.assumeManaged();
        assumeTrue(
                REDIS.server() instanceof RedisProcess, "needs a redis-server child process to restore its RDB file");
        REDIS.flushAll();
        cluster = TestCluster.start(
                2,
                RedisConfig.standalone(REDIS.uri()).withNodeTimeout(Duration.ofSeconds(3)),
                c -> c.ratePerSecond(1000).rateBurst(1000));
    }

    @AfterEach
    void stop() {
        clients.close();
        if (cluster != null) {
            cluster.close();
        }
    }

    private static List<String> texts(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "m" + i).toList();
    }

    @Test
    void aRoomWhoseRedisCameBackWithOlderDataMovesToANewEpochAndEveryClientSeesEveryNewMessage() throws Exception {
        ClusterClients.Watched watched = clients.watchersAndAWriter(cluster, ROOM, 10);
        Timeline onNode0 = watched.onNode0();
        Timeline onNode1 = watched.onNode1();
        KindredClient writer = watched.writer();
        Path dir = ((RedisProcess) REDIS.server()).dir();
        try (RedisClient admin = RedisClient.create(REDIS.uri());
                StatefulRedisConnection<String, String> connection = admin.connect()) {
            connection.sync().save();
        }
        Files.copy(dir.resolve("dump.rdb"), dir.resolve("snapshot.rdb"), StandardCopyOption.REPLACE_EXISTING);
        for (int i = 11; i <= 20; i++) {
            writer.send(ROOM, "m" + i).get(10, TimeUnit.SECONDS); // acknowledged, then lost with the snapshot
        }
        for (Timeline seen : List.of(onNode0, onNode1)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.texts().size() == 20);
        }

        REDIS.kill();
        Files.copy(dir.resolve("snapshot.rdb"), dir.resolve("dump.rdb"), StandardCopyOption.REPLACE_EXISTING);
        REDIS.restart(); // loads dump.rdb: the room's counter is back at 10 under the same epoch
        List<CompletableFuture<Ack>> acks = new ArrayList<>();
        for (int i = 21; i <= 30; i++) {
            acks.add(writer.send(ROOM, "m" + i));
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        for (Timeline seen : List.of(onNode0, onNode1)) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> seen.afterLastReset().containsAll(texts(21, 30)));
            assertThat(seen.disconnects()).containsOnlyOnce(CloseCode.ROOM_RESET.code());
            assertThat(seen.resumed()).contains(ROOM + ":false");
            // After the reset: what survived and what was acknowledged since, each once, in order.
            assertThat(seen.afterLastReset())
                    .containsExactlyElementsOf(Stream.concat(texts(1, 10).stream(), texts(21, 30).stream())
                            .toList());
            assertThat(seen.seqsAfterLastReset()).isSorted().doesNotHaveDuplicates();
        }
        String metrics = cluster.metrics(1);
        assertThat(metrics).contains("kindred_room_history_resets_total 1.0");
        assertThat(ClusterClients.storedTexts(cluster.ws(1), ROOM, 200))
                .containsExactlyElementsOf(Stream.concat(texts(1, 10).stream(), texts(21, 30).stream())
                        .toList());
    }
}
