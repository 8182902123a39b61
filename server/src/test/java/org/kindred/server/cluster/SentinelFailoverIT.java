package org.kindred.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kindred.client.KindredClient;
import org.kindred.protocol.CloseCode;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.Ack;
import org.kindred.server.config.RedisConfig;
import org.kindred.server.redis.RedisSentinels;
import org.kindred.server.testing.ClusterClients;
import org.kindred.server.testing.RawClient;
import org.kindred.server.testing.RecordingListener;
import org.kindred.server.testing.TestCluster;
import org.kindred.server.testing.Timeline;

/**
 * Nodes find their Redis through Sentinel ({@code redis-sentinel://…#master}); a master, a replica and three Sentinels
 * run on loopback, and the master fails over under traffic. Connected clients must see no acknowledged message lost,
 * doubled or reordered; writes the old master acknowledged but never replicated may be lost only with an epoch change
 * every client is told of (close 4004), after which every message of the new history arrives once, in order. With
 * {@code redis.waitReplicas: 1}, nothing acknowledged is lost at all.
 */
class SentinelFailoverIT {

    private static final String ROOM = "caregivers";

    private RedisSentinels redis;
    private TestCluster cluster;
    private final ClusterClients clients = new ClusterClients();

    @BeforeEach
    void startRedis() {
        redis = RedisSentinels.start();
    }

    private void startNodes(int count, UnaryOperator<RedisConfig> settings) throws Exception {
        cluster = TestCluster.start(
                count,
                settings.apply(RedisConfig.standalone(redis.uri()).withNodeTimeout(Duration.ofSeconds(5))),
                c -> c.ratePerSecond(1000).rateBurst(1000).joinHistory(200));
    }

    @AfterEach
    void stop() {
        clients.close();
        if (cluster != null) {
            cluster.close();
        }
        if (redis != null) {
            redis.close();
        }
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
        startNodes(2, UnaryOperator.identity());
        ClusterClients.Watched watched = clients.watchersAndAWriter(cluster, ROOM, 20);
        Timeline onNode0 = watched.onNode0();
        Timeline onNode1 = watched.onNode1();
        KindredClient writer = watched.writer();
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
        startNodes(2, UnaryOperator.identity());
        ClusterClients.Watched watched = clients.watchersAndAWriter(cluster, ROOM, 20);
        Timeline onNode0 = watched.onNode0();
        Timeline onNode1 = watched.onNode1();
        KindredClient writer = watched.writer();

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
            assertThat(texts)
                    .as("in order, once each")
                    .isSortedAccordingTo(Comparator.comparingInt(ClusterClients::number));
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
        KindredClient newcomer = clients.join(cluster.ws(1), "Newcomer", new Timeline(), ROOM);
        List<String> stored = newcomer.history(ROOM, null, 200).get(10, TimeUnit.SECONDS).messages().stream()
                .map(ServerMessage.ChatMessage::text)
                .toList();
        assertThat(onNode0.afterLastReset()).isEqualTo(stored);
        assertThat(onNode1.afterLastReset()).isEqualTo(stored);
    }

    // redis.waitReplicas: 1. A send is acknowledged only once the replica holds it, so a failover to that replica loses
    // nothing acknowledged, even when it had stopped taking writes; a send the replica does not confirm within
    // redis.waitTimeout is answered outcome_unknown, and its resend (same clientMsgId) is acknowledged once it does.

    private static final Duration WAIT_TIMEOUT = Duration.ofMillis(300);
    private final UnaryOperator<RedisConfig> waitingForOneReplica = redis -> redis.withWaitReplicas(1, WAIT_TIMEOUT);

    @Test
    void withWaitReplicasASendTheReplicaDoesNotConfirmInTimeIsOutcomeUnknownAndItsResendIsAcknowledgedOnceItDoes()
            throws Exception {
        startNodes(1, waitingForOneReplica);
        try (RawClient raw = RawClient.signedIn(cluster.node(0).webSocketUri(), TestCluster.token("Raw"))) {
            raw.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"" + ROOM + "\"}");
            raw.await(ServerMessage.Joined.class, j -> true);
            raw.send(send("s1", "c1"));
            assertThat(raw.await(Ack.class, a -> "s1".equals(a.ref())).duplicate())
                    .isFalse();

            redis.freezeReplica();
            raw.send(send("s2", "c2"));
            ServerMessage.Error unknown = raw.awaitError("s2");
            assertThat(unknown.code()).isEqualTo("outcome_unknown");
            assertThat(unknown.retryable()).isTrue();

            redis.thawReplica();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                String ref = "r" + System.nanoTime();
                raw.send(send(ref, "c2"));
                ServerMessage reply = raw.awaitReply(ref);
                return reply instanceof Ack ack && ack.duplicate();
            });
        }
    }

    private static String send(String ref, String clientMsgId) {
        return "{\"type\":\"send\",\"ref\":\"" + ref + "\",\"room\":\"" + ROOM + "\",\"clientMsgId\":\"" + clientMsgId
                + "\",\"text\":\"" + clientMsgId + "\"}";
    }

    @Test
    void withWaitReplicasAFailoverToAReplicaThatStoppedTakingWritesLosesNothingAcknowledged() throws Exception {
        startNodes(1, waitingForOneReplica);
        RecordingListener watcher = new RecordingListener();
        clients.join(cluster.ws(0), "Watcher", watcher, ROOM);
        KindredClient writer = clients.join(cluster.ws(0), "Writer", new RecordingListener(), ROOM);
        for (int i = 1; i <= 20; i++) {
            writer.send(ROOM, "m" + i).get(10, TimeUnit.SECONDS);
        }

        redis.freezeReplica();
        // Stored on the master, never on the replica: none of them may be acknowledged.
        List<CompletableFuture<Ack>> unconfirmed = IntStream.rangeClosed(21, 25)
                .mapToObj(i -> writer.send(ROOM, "m" + i))
                .toList();
        await().during(WAIT_TIMEOUT.multipliedBy(4))
                .atMost(WAIT_TIMEOUT.multipliedBy(8))
                .until(() -> unconfirmed.stream().noneMatch(CompletableFuture::isDone));

        redis.killMasterAndThawReplica();

        // Everything acknowledged is on the new master, once and in order.
        await().atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(() -> ClusterClients.storedTexts(cluster.ws(0), ROOM, 200)
                        .subList(0, 20)
                        .equals(IntStream.rangeClosed(1, 20)
                                .mapToObj(i -> "m" + i)
                                .toList()));
        ClusterClients.assertOnceEachInOrderPerWriter(ClusterClients.storedTexts(cluster.ws(0), ROOM, 200));
        // The new master has no replica: what is sent now is stored but never acknowledged (outcome_unknown, resent).
        assertThat(unconfirmed).noneMatch(send -> send.isDone() && !send.isCompletedExceptionally());
    }
}
