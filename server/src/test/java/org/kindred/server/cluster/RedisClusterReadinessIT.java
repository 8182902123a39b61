package org.kindred.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kindred.client.KindredClient;
import org.kindred.protocol.CloseCode;
import org.kindred.server.config.RedisConfig;
import org.kindred.server.config.RoomConfig;
import org.kindred.server.redis.RedisExtension;
import org.kindred.server.testing.ClusterClients;
import org.kindred.server.testing.RecordingListener;
import org.kindred.server.testing.TestCluster;

/**
 * A Redis Cluster with members in rooms on many slots (issue 14, finding 2): every node subscribes its rooms' sharded
 * channels one slot at a time, so {@code /readyz} stays 200 with no fault at all (one SSUBSCRIBE of channels of
 * several slots failed with CROSSSLOT, for ever), and when one master's connections drop, its rooms' channels are
 * subscribed again on it and the node is ready again. A busy room's slot moved to another master under traffic keeps
 * its history, and its members see every message once, in order.
 */
class RedisClusterReadinessIT {

    private static final List<String> ROOMS =
            IntStream.range(0, 12).mapToObj(i -> "room-" + i).toList();

    private static final Duration POLL = Duration.ofMillis(50);

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.cluster();

    private final ClusterClients members = new ClusterClients();
    private final List<KindredClient> clients = new ArrayList<>();
    private final List<RecordingListener> seen = new ArrayList<>();
    private TestCluster cluster;

    @BeforeEach
    void start() throws Exception {
        REDIS.flushAll();
        cluster = TestCluster.start(
                3,
                RedisConfig.cluster(REDIS.clusterUri()),
                c -> c.ratePerSecond(1000)
                        .rateBurst(1000)
                        .rooms(ROOMS.stream()
                                .map(room -> RoomConfig.of(room, room, "a room of its own slot"))
                                .toList()));
        for (int i = 0; i < 3; i++) {
            RecordingListener listener = new RecordingListener();
            clients.add(members.join(cluster.ws(i), "Member" + i, listener, ROOMS.toArray(String[]::new)));
            seen.add(listener);
        }
    }

    @AfterEach
    void stop() {
        members.close();
        if (cluster != null) {
            cluster.close();
        }
    }

    private boolean allReady() throws Exception {
        return cluster.readyz(0) == 200 && cluster.readyz(1) == 200 && cluster.readyz(2) == 200;
    }

    /** Each member sends once in every room; every member sees every message of every room. */
    private void everyRoomCarriesMessagesAcrossNodes(String round) throws Exception {
        List<CompletableFuture<?>> acks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            for (String room : ROOMS) {
                acks.add(clients.get(i).send(room, round + " from " + i));
            }
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        for (RecordingListener listener : seen) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> ROOMS.stream()
                            .allMatch(room -> listener.texts(room).stream()
                                            .filter(text -> text.startsWith(round + " "))
                                            .count()
                                    == 3));
        }
    }

    @Test
    void theRoomsSpreadOverEveryMaster() {
        assertThat(ROOMS.stream()
                        .map(room -> SlotHash.getSlot("kindred:{" + room + "}:events") * 3 / SlotHash.SLOT_COUNT)
                        .distinct())
                .as("rooms on each third of the slots, so on each of the three masters")
                .hasSize(3);
    }

    @Test
    void everyNodeStaysReadyWithMembersInRoomsOfManySlots() throws Exception {
        await().pollInterval(POLL)
                .during(Duration.ofSeconds(4))
                .atMost(Duration.ofSeconds(8))
                .until(this::allReady);
        everyRoomCarriesMessagesAcrossNodes("first");
        for (int i = 0; i < 3; i++) {
            assertThat(cluster.metrics(i))
                    .as("node %d: no failed (CROSSSLOT) resubscription", i)
                    .doesNotContain("task=\"redis resubscribe\"");
        }
    }

    @Test
    void aBusyRoomsSlotMovedToAnotherMasterKeepsItsHistoryAndLosesDoublesOrReordersNothing() throws Exception {
        await().pollInterval(POLL).atMost(Duration.ofSeconds(8)).until(this::allReady);
        REDIS.assumeManaged();
        String room = ROOMS.getFirst();
        int slot = SlotHash.getSlot("kindred:{" + room + "}:events");
        List<String> sent = IntStream.rangeClosed(1, 80).mapToObj(i -> "w" + i).toList();
        AtomicInteger acknowledged = new AtomicInteger();
        CompletableFuture<Void> traffic = CompletableFuture.runAsync(() -> {
            for (String text : sent) {
                clients.get(0).send(room, text).join(); // one at a time: each acknowledged before the next
                acknowledged.incrementAndGet();
            }
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> acknowledged.get() >= 20);

        REDIS.redisCluster().moveSlot(slot); // keys, stream and all, while the sends go on

        traffic.get(90, TimeUnit.SECONDS);
        await().pollInterval(POLL).atMost(Duration.ofSeconds(20)).until(this::allReady);
        await().pollInterval(POLL)
                .during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(6))
                .until(this::allReady);
        for (RecordingListener listener : seen) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> listener.texts(room).containsAll(sent));
            assertThat(listener.texts(room)).containsExactlyElementsOf(sent);
            assertThat(listener.seqs(room)).isSorted().doesNotHaveDuplicates();
            assertThat(listener.disconnects).doesNotContain(CloseCode.ROOM_RESET.code());
        }
        assertThat(ClusterClients.storedTexts(cluster.ws(2), room, 200)).containsExactlyElementsOf(sent);
        everyRoomCarriesMessagesAcrossNodes("after");
    }

    @Test
    void aMasterWhoseConnectionsDropGetsItsChannelsSubscribedAgain() throws Exception {
        await().pollInterval(POLL).atMost(Duration.ofSeconds(8)).until(this::allReady);
        REDIS.assumeManaged();

        // A restarted master keeps its slots (its cluster config file) and forgets its subscribers.
        REDIS.redisCluster().nodes().getFirst().restart();

        await().pollInterval(POLL).atMost(Duration.ofSeconds(20)).until(this::allReady);
        await().pollInterval(POLL)
                .during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(6))
                .until(this::allReady);
        everyRoomCarriesMessagesAcrossNodes("after");
    }
}
