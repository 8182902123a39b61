package org.kindred.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kindred.client.KindredClient;
import org.kindred.client.ReconnectPolicy;
import org.kindred.protocol.CloseCode;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.Ack;
import org.kindred.server.config.RedisConfig;
import org.kindred.server.redis.RedisSentinels;
import org.kindred.server.testing.TestCluster;
import org.kindred.server.testing.Timeline;

/**
 * Nodes find their Redis through Sentinel ({@code redis-sentinel://…#master}); a master, a replica and three Sentinels
 * run on loopback, and the master fails over under traffic. Connected clients must see no acknowledged message lost,
 * doubled or reordered; writes the old master acknowledged but never replicated may be lost only with an epoch change
 * every client is told of (close 4004), after which every message of the new history arrives once, in order.
 */
class SentinelFailoverIT {

    private static final String ROOM = "caregivers";

    private RedisSentinels redis;
    private TestCluster cluster;
    private final List<KindredClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        redis = RedisSentinels.start();
        cluster = TestCluster.start(
                2,
                RedisConfig.standalone(redis.uri()).withNodeTimeout(Duration.ofSeconds(5)),
                c -> c.ratePerSecond(1000).rateBurst(1000).joinHistory(200));
    }

    @AfterEach
    void stop() {
        clients.forEach(KindredClient::close);
        if (cluster != null) {
            cluster.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private KindredClient client(String pseudonym, Timeline timeline, int node) throws Exception {
        KindredClient client = KindredClient.builder()
                .url(cluster.ws(node))
                .token(TestCluster.token(pseudonym))
                .listener(timeline)
                .maxSendAttempts(500)
                .reconnect(ReconnectPolicy.builder()
                        .initialDelay(Duration.ofMillis(50))
                        .maxDelay(Duration.ofMillis(300))
                        .build())
                .build();
        clients.add(client);
        client.connect().get(10, TimeUnit.SECONDS);
        client.join(ROOM).get(10, TimeUnit.SECONDS);
        return client;
    }

    private static int number(String text) {
        return Integer.parseInt(text.substring(1));
    }

    @Test
    void aFailoverUnderTrafficLosesDoublesOrReordersNothingClientsAreNotToldOf() throws Exception {
        failsOverUnderTraffic(() -> redis.failover());
    }

    @Test
    void aMasterKilledUnderTrafficIsReplacedAndClientsAreToldOfAnythingItTookWithIt() throws Exception {
        failsOverUnderTraffic(() -> redis.killMaster());
    }

    @Test
    void aReplicaThatLaggedIsPromotedAndEveryClientIsToldOnceThenSeesTheNewHistoryInOrder() throws Exception {
        Timeline onNode0 = new Timeline();
        Timeline onNode1 = new Timeline();
        client("Watcher0", onNode0, 0);
        client("Watcher1", onNode1, 1);
        KindredClient writer = client("Writer", new Timeline(), 0);
        for (int i = 1; i <= 20; i++) {
            writer.send(ROOM, "m" + i).get(10, TimeUnit.SECONDS);
        }
        redis.freezeReplica();
        for (int i = 21; i <= 30; i++) {
            writer.send(ROOM, "m" + i).get(10, TimeUnit.SECONDS); // acknowledged by a master that dies with them
        }
        for (Timeline seen : List.of(onNode0, onNode1)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.texts().size() == 30);
        }

        redis.killMasterAndThawReplica();
        for (int i = 31; i <= 40; i++) {
            writer.send(ROOM, "m" + i).get(30, TimeUnit.SECONDS);
        }

        List<String> survivors = IntStream.concat(IntStream.rangeClosed(1, 20), IntStream.rangeClosed(31, 40))
                .mapToObj(i -> "m" + i)
                .toList();
        for (Timeline seen : List.of(onNode0, onNode1)) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> seen.afterLastReset().equals(survivors));
            assertThat(seen.disconnects()).containsOnlyOnce(CloseCode.ROOM_RESET.code());
            assertThat(seen.resumed()).contains(ROOM + ":false");
            assertThat(seen.seqsAfterLastReset()).isSorted().doesNotHaveDuplicates();
        }
    }

    private void failsOverUnderTraffic(java.util.function.IntSupplier failover) throws Exception {
        Timeline onNode0 = new Timeline();
        Timeline onNode1 = new Timeline();
        client("Watcher0", onNode0, 0);
        client("Watcher1", onNode1, 1);
        KindredClient writer = client("Writer", new Timeline(), 0);
        for (int i = 1; i <= 20; i++) {
            writer.send(ROOM, "m" + i).get(10, TimeUnit.SECONDS);
        }

        int oldMaster = redis.masterPort();
        List<CompletableFuture<Ack>> duringFailover = new ArrayList<>();
        for (int i = 21; i <= 40; i++) {
            duringFailover.add(writer.send(ROOM, "m" + i));
        }
        assertThat(failover.getAsInt()).isNotEqualTo(oldMaster);
        CompletableFuture.allOf(duringFailover.toArray(CompletableFuture[]::new))
                .get(60, TimeUnit.SECONDS);
        for (int i = 41; i <= 50; i++) {
            writer.send(ROOM, "m" + i).get(30, TimeUnit.SECONDS); // through the new master
        }

        List<String> after =
                IntStream.rangeClosed(41, 50).mapToObj(i -> "m" + i).toList();
        for (Timeline seen : List.of(onNode0, onNode1)) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> seen.afterLastReset().containsAll(after));
            List<String> texts = seen.afterLastReset();
            assertThat(texts).as("in order, once each").isSortedAccordingTo((a, b) -> number(a) - number(b));
            assertThat(texts).doesNotHaveDuplicates();
            assertThat(seen.seqsAfterLastReset()).isSorted().doesNotHaveDuplicates();
            if (seen.disconnects().contains(CloseCode.ROOM_RESET.code())) {
                assertThat(seen.resumed()).contains(ROOM + ":false");
            } else {
                // No epoch change: nothing acknowledged may be missing.
                assertThat(texts)
                        .containsExactlyElementsOf(IntStream.rangeClosed(1, 50)
                                .mapToObj(i -> "m" + i)
                                .toList());
            }
        }
        // What the clients were left with is exactly what the new master holds.
        KindredClient newcomer = client("Newcomer", new Timeline(), 1);
        List<String> stored = newcomer.history(ROOM, null, 200).get(10, TimeUnit.SECONDS).messages().stream()
                .map(ServerMessage.ChatMessage::text)
                .toList();
        assertThat(onNode0.afterLastReset()).isEqualTo(stored);
        assertThat(onNode1.afterLastReset()).isEqualTo(stored);
    }
}
