package org.kindred.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kindred.client.KindredClient;
import org.kindred.protocol.ProtocolVersion;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.UserInfo;
import org.kindred.server.config.RedisConfig;
import org.kindred.server.config.RoomConfig;
import org.kindred.server.redis.RedisExtension;
import org.kindred.server.testing.PresenceReplay;
import org.kindred.server.testing.RawClient;
import org.kindred.server.testing.RecordingListener;
import org.kindred.server.testing.TestCluster;

/**
 * Paged presence with members on three nodes sharing a Redis: each node pages and batches from its own mirror of the
 * room's presence, and what every client assembles converges to the users present on every node.
 */
class ClusterPresenceIT {

    private static final String ROOM = "crowd";

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    private TestCluster cluster;
    private final List<RawClient> raw = new ArrayList<>();
    private final List<KindredClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        REDIS.flushAll();
        cluster = TestCluster.start(
                3,
                RedisConfig.standalone(REDIS.uri()).withNodeTimeout(Duration.ofSeconds(15)),
                c -> c.rooms(List.of(RoomConfig.of(ROOM, "Crowd", "a busy room")))
                        .ratePerSecond(1000)
                        .rateBurst(1000)
                        .presenceJoinedListLimit(4)
                        .presencePageMax(6)
                        .presenceBatchAbove(8)
                        .presenceBatchInterval(Duration.ofMillis(100)));
    }

    @AfterEach
    void stop() {
        clients.forEach(KindredClient::close);
        raw.forEach(RawClient::close);
        if (cluster != null) {
            cluster.close();
        }
    }

    private RawClient joined(int node, String pseudonym) throws Exception {
        RawClient client = RawClient.signedIn(
                cluster.node(node).webSocketUri(), TestCluster.token(pseudonym), ProtocolVersion.CURRENT);
        raw.add(client);
        for (int attempt = 0; ; attempt++) {
            String ref = "j" + attempt;
            client.send("{\"type\":\"join\",\"ref\":\"" + ref + "\",\"room\":\"" + ROOM + "\"}");
            if (client.awaitReply(ref) instanceof ServerMessage.Joined) {
                return client;
            }
            assertThat(attempt).as("join attempts of " + pseudonym).isLessThan(10);
        }
    }

    /** Who is present, once every node's mirror agrees. */
    private Set<String> agreedTruth() {
        List<Set<String>> views = new ArrayList<>();
        for (int node = 0; node < 3; node++) {
            views.add(PresenceReplay.pseudonyms(
                    cluster.node(node).rooms().find(ROOM).orElseThrow().present()));
        }
        assertThat(views.get(1)).isEqualTo(views.get(0));
        assertThat(views.get(2)).isEqualTo(views.get(0));
        return views.get(0);
    }

    @Test
    void pagingOnAnyNodeListsEveryMemberOfEveryNodeExactlyOnce() throws Exception {
        Set<String> expected = new java.util.TreeSet<>();
        for (int i = 0; i < 18; i++) {
            joined(i % 3, "Member" + i);
            expected.add("Member" + i);
        }
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(agreedTruth()).isEqualTo(expected));

        for (int node = 0; node < 3; node++) {
            RawClient reader = joined(node, "Reader" + node);
            ServerMessage.Joined joined = reader.await(ServerMessage.Joined.class, j -> true);
            List<UserInfo> listed = new ArrayList<>(joined.presence());
            listed.addAll(PresenceReplay.pageAll(reader, ROOM, joined.presenceNext(), null));

            assertThat(joined.presence()).hasSize(4);
            assertThat(listed).doesNotHaveDuplicates();
            assertThat(PresenceReplay.pseudonyms(listed)).containsAll(expected).contains("Reader" + node);
        }
    }

    @Test
    void batchesOnEveryNodeConvergeToTheTruthAfterABurstAcrossNodes() throws Exception {
        List<RawClient> first = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            first.add(joined(i % 3, "Member" + i));
        }
        List<RawClient> watchers = new ArrayList<>();
        for (int node = 0; node < 3; node++) {
            RawClient watcher = joined(node, "Watcher" + node);
            ServerMessage.Joined joined = watcher.await(ServerMessage.Joined.class, j -> true);
            PresenceReplay.pageAll(watcher, ROOM, joined.presenceNext(), 3);
            watchers.add(watcher);
        }

        for (int i = 0; i < 15; i++) {
            joined(i % 3, "Burst" + i);
        }
        for (int i = 0; i < 5; i++) {
            first.get(i).send("{\"type\":\"leave\",\"ref\":\"l\",\"room\":\"" + ROOM + "\"}");
        }

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Set<String> truth = agreedTruth();
            assertThat(truth).hasSize(12 + 3 + 15 - 5);
            for (RawClient watcher : watchers) {
                assertThat(PresenceReplay.pseudonyms(ROOM, watcher.received())).isEqualTo(truth);
            }
        });
        for (RawClient watcher : watchers) {
            assertThat(watcher.received(ServerMessage.PresenceDiff.class)).isNotEmpty();
        }
    }

    @Test
    void anSdksExactListOnOneNodeEqualsTheRoomAfterAJoinBurstOnTheOthers() throws Exception {
        for (int i = 0; i < 10; i++) {
            joined(1 + i % 2, "Member" + i);
        }
        KindredClient exact = KindredClient.builder()
                .url(cluster.ws(0))
                .token(TestCluster.token("Exact"))
                .listener(new RecordingListener())
                .exactPresence(true)
                .build();
        clients.add(exact);
        exact.connect().get(10, TimeUnit.SECONDS);
        exact.join(ROOM).get(10, TimeUnit.SECONDS);

        for (int i = 0; i < 14; i++) {
            joined(1 + i % 2, "Burst" + i);
        }

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Set<String> truth = agreedTruth();
            assertThat(truth).hasSize(25);
            assertThat(PresenceReplay.pseudonyms(
                            exact.members(ROOM).orElseThrow().members()))
                    .isEqualTo(truth);
            assertThat(exact.members(ROOM).orElseThrow().online()).isEqualTo(25);
        });
    }
}
