package org.kindred.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kindred.protocol.UserInfo;
import org.kindred.server.config.RedisConfig;
import org.kindred.server.config.RoomConfig;
import org.kindred.server.redis.RedisExtension;
import org.kindred.server.room.Room;
import org.kindred.server.testing.RawClient;
import org.kindred.server.testing.TestCluster;

/**
 * A burst of joins across three nodes (what a rolling restart or a deploy produces): every room's presence is first
 * loaded on a node while other nodes announce their users. A snapshot must never erase a join heard after it was taken;
 * on the old code a node's mirror could miss users for good.
 */
class PresenceBurstIT {

    private static final int ROOMS = 20;
    private static final int USERS_PER_NODE = 8;

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    private TestCluster cluster;
    private final List<RawClient> clients = new ArrayList<>();

    private static List<String> roomIds() {
        return IntStream.range(0, ROOMS).mapToObj(i -> "burst-" + i).toList();
    }

    @BeforeEach
    void start() throws Exception {
        REDIS.flushAll();
        List<RoomConfig> rooms = roomIds().stream()
                .map(id -> new RoomConfig(id, id, "a room for bursts", List.of(), Set.of()))
                .toList();
        cluster = TestCluster.start(
                3,
                RedisConfig.standalone(REDIS.uri()).withNodeTimeout(Duration.ofSeconds(15)),
                c -> c.rooms(rooms).ratePerSecond(1000).rateBurst(1000));
    }

    @AfterEach
    void stop() {
        clients.forEach(RawClient::close);
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aBurstOfJoinsAcrossNodesConvergesToEveryoneOnEveryNode() throws Exception {
        List<String> pseudonyms = new ArrayList<>();
        ExecutorService connecting = Executors.newFixedThreadPool(6);
        try {
            List<CompletableFuture<RawClient>> connected = new ArrayList<>();
            for (int node = 0; node < 3; node++) {
                for (int u = 0; u < USERS_PER_NODE; u++) {
                    String pseudonym = "Burst" + node + "x" + u;
                    pseudonyms.add(pseudonym);
                    String uri = cluster.node(node).webSocketUri();
                    connected.add(CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    return RawClient.signedIn(uri, TestCluster.token(pseudonym));
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                            },
                            connecting));
                }
            }
            for (CompletableFuture<RawClient> client : connected) {
                clients.add(client.join());
            }
        } finally {
            connecting.shutdown();
        }

        // Every user joins every room at once: each room's first join on a node loads its presence while the other
        // nodes' joins are being announced.
        for (String room : roomIds()) {
            for (RawClient client : clients) {
                client.send("{\"type\":\"join\",\"ref\":\"" + room + "\",\"room\":\"" + room + "\"}");
            }
        }

        Set<String> everyone = Set.copyOf(pseudonyms);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (int node = 0; node < 3; node++) {
                for (String room : roomIds()) {
                    Room served = cluster.node(node).rooms().find(room).orElseThrow();
                    assertThat(served.present().stream()
                                    .map(UserInfo::pseudonym)
                                    .collect(Collectors.toSet()))
                            .as("presence of %s on node %s", room, node)
                            .isEqualTo(everyone);
                }
            }
        });
    }
}
