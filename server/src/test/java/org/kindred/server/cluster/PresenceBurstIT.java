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

    private static final int ROOMS = 16;
    private static final int USERS_PER_NODE = 6;

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
    void joinsAndLeavesMissedWhilePubSubWasDownAreCaughtUpAfterTheReconnect() throws Exception {
        String room = "burst-0";
        RawClient watcher = signedIn(0, "Watcher");
        RawClient stayer = signedIn(1, "Stayer");
        RawClient leaver = signedIn(1, "Leaver");
        RawClient arriver = signedIn(1, "Arriver");
        for (RawClient client : List.of(watcher, stayer, leaver)) {
            client.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"" + room + "\"}");
            client.await(org.kindred.protocol.ServerMessage.Joined.class, j -> true);
        }
        Room onNode0 = cluster.node(0).rooms().find(room).orElseThrow();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> pseudonyms(onNode0).equals(Set.of("Watcher", "Stayer", "Leaver")));

        try (io.lettuce.core.RedisClient admin = io.lettuce.core.RedisClient.create(REDIS.uri());
                io.lettuce.core.api.StatefulRedisConnection<String, String> connection = admin.connect()) {
            connection.sync().clientKill(io.lettuce.core.KillArgs.Builder.typePubsub());
        }
        // Published while every node's pub/sub connection is down: nobody hears these two.
        arriver.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"" + room + "\"}");
        leaver.send("{\"type\":\"leave\",\"ref\":\"l\",\"room\":\"" + room + "\"}");

        await().atMost(Duration.ofSeconds(15))
                .until(() -> pseudonyms(onNode0).equals(Set.of("Watcher", "Stayer", "Arriver")));
        watcher.await(
                org.kindred.protocol.ServerMessage.PresenceJoined.class,
                e -> e.user().pseudonym().equals("Arriver"));
        watcher.await(
                org.kindred.protocol.ServerMessage.PresenceLeft.class,
                e -> e.user().pseudonym().equals("Leaver"));
    }

    private static void joinedEventually(RawClient client, String room) {
        for (int attempt = 0; attempt < 10; attempt++) {
            if (attempt > 0) {
                client.send("{\"type\":\"join\",\"ref\":\"" + room + "#" + attempt + "\",\"room\":\"" + room + "\"}");
            }
            if (client.awaitReply(room + "#" + attempt) instanceof org.kindred.protocol.ServerMessage.Joined) {
                return;
            }
        }
        throw new AssertionError("could not join " + room + " in ten attempts");
    }

    private RawClient signedIn(int node, String pseudonym) throws Exception {
        RawClient client = RawClient.signedIn(cluster.node(node).webSocketUri(), TestCluster.token(pseudonym));
        clients.add(client);
        return client;
    }

    private static Set<String> pseudonyms(Room room) {
        return room.present().stream().map(UserInfo::pseudonym).collect(Collectors.toSet());
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
                client.send("{\"type\":\"join\",\"ref\":\"" + room + "#0\",\"room\":\"" + room + "\"}");
            }
        }
        // A join refused under load (unavailable: a Redis command timed out on a busy machine) is retried, as an app
        // would: everyone ends up in every room.
        for (RawClient client : clients) {
            for (String room : roomIds()) {
                joinedEventually(client, room);
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
