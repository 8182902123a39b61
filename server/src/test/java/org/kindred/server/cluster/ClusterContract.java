package org.kindred.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kindred.client.KindredClient;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.Ack;
import org.kindred.server.config.RedisConfig;
import org.kindred.server.testing.ClusterClients;
import org.kindred.server.testing.RecordingListener;
import org.kindred.server.testing.TcpProxy;
import org.kindred.server.testing.TestCluster;

/**
 * What three nodes sharing a Redis must do as well as one node: the same order everywhere, history and resume across
 * nodes, nothing lost or doubled when a node dies or pub/sub drops, presence announced once and cleaned up after a
 * crash. Subclasses run it against a standalone Redis and against a Redis Cluster.
 */
abstract class ClusterContract {

    static final String ROOM = "diabetes";
    static final Duration NODE_TIMEOUT = Duration.ofSeconds(3);

    private final ClusterClients clients = new ClusterClients();
    TestCluster cluster;

    /** The Redis the nodes share, emptied for this test. */
    abstract RedisConfig freshRedis();

    /** URIs of every Redis server, to kill their pub/sub connections. */
    abstract List<String> redisServers();

    @BeforeEach
    void startCluster() throws Exception {
        cluster = TestCluster.start(
                3,
                freshRedis().withNodeTimeout(NODE_TIMEOUT),
                c -> c.ratePerSecond(1000).rateBurst(1000));
    }

    @AfterEach
    void stopCluster() {
        clients.close();
        cluster.close();
    }

    KindredClient client(String pseudonym, RecordingListener listener, URI... urls) throws Exception {
        return clients.connect(pseudonym, listener, urls);
    }

    static List<Long> oneTo(long n) {
        return LongStream.rangeClosed(1, n).boxed().toList();
    }

    @Test
    void everyMemberOnEveryNodeSeesTheSameOrder() throws Exception {
        List<RecordingListener> seen =
                List.of(new RecordingListener(), new RecordingListener(), new RecordingListener());
        List<KindredClient> members = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            KindredClient member = client("Member" + i, seen.get(i), cluster.ws(i));
            member.join(ROOM).get(10, TimeUnit.SECONDS);
            members.add(member);
        }

        List<CompletableFuture<Ack>> acks = new ArrayList<>();
        for (int n = 0; n < 20; n++) {
            for (int i = 0; i < 3; i++) {
                acks.add(members.get(i).send(ROOM, "node " + i + " #" + n));
            }
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        for (RecordingListener listener : seen) {
            await().atMost(Duration.ofSeconds(15)).until(() -> listener.messages.size() >= 60);
            assertThat(listener.seqs(ROOM)).containsExactlyElementsOf(oneTo(60));
            assertThat(listener.texts(ROOM)).isEqualTo(seen.getFirst().texts(ROOM));
        }
    }

    @Test
    void historyAndResumeWorkAcrossNodes() throws Exception {
        KindredClient writer = client("Writer", new RecordingListener(), cluster.ws(0));
        writer.join(ROOM).get(10, TimeUnit.SECONDS);
        for (int i = 1; i <= 10; i++) {
            writer.send(ROOM, "before " + i).get(10, TimeUnit.SECONDS);
        }

        try (TcpProxy toNode1 = new TcpProxy(cluster.node(1).port())) {
            RecordingListener readerSees = new RecordingListener();
            KindredClient reader = client("Reader", readerSees, URI.create(toNode1.ws()), cluster.ws(2));
            ServerMessage.Joined joined = reader.join(ROOM).get(10, TimeUnit.SECONDS);
            assertThat(joined.messages()).hasSize(10);
            assertThat(reader.history(ROOM, 6L, 3).get(10, TimeUnit.SECONDS).messages())
                    .extracting(ServerMessage.ChatMessage::seq)
                    .containsExactly(3L, 4L, 5L);

            toNode1.close(); // node 1 becomes unreachable for this client: it fails over to node 2
            for (int i = 1; i <= 5; i++) {
                writer.send(ROOM, "after " + i).get(10, TimeUnit.SECONDS);
            }

            await().atMost(Duration.ofSeconds(15)).until(() -> readerSees.messages.size() >= 15);
            assertThat(readerSees.seqs(ROOM)).containsExactlyElementsOf(oneTo(15));
            assertThat(readerSees.resumed).contains(ROOM + ":true");
        }
    }

    @Test
    void aNodeThatDiesMidTrafficLosesNoAcknowledgedMessage() throws Exception {
        RecordingListener readerSees = new RecordingListener();
        KindredClient reader = client("Reader", readerSees, cluster.ws(1), cluster.ws(2));
        KindredClient doomedWriter = client("Doomed", new RecordingListener(), cluster.ws(1), cluster.ws(0));
        KindredClient steadyWriter = client("Steady", new RecordingListener(), cluster.ws(0));
        reader.join(ROOM).get(10, TimeUnit.SECONDS);
        doomedWriter.join(ROOM).get(10, TimeUnit.SECONDS);
        steadyWriter.join(ROOM).get(10, TimeUnit.SECONDS);

        List<CompletableFuture<Ack>> acks = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            acks.add(doomedWriter.send(ROOM, "doomed " + i));
            acks.add(steadyWriter.send(ROOM, "steady " + i));
            if (i == 15) {
                cluster.halt(1);
            }
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(20)).until(() -> readerSees.messages.size() >= 80);
        assertThat(readerSees.seqs(ROOM)).containsExactlyElementsOf(oneTo(80));
        for (String writer : List.of("doomed", "steady")) {
            assertThat(readerSees.texts(ROOM).stream()
                            .filter(t -> t.startsWith(writer + " "))
                            .toList())
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, 40)
                            .mapToObj(i -> writer + " " + i)
                            .toList());
        }
    }

    @Test
    void messagesPublishedWhilePubSubWasDownAreBackfilled() throws Exception {
        RecordingListener readerSees = new RecordingListener();
        KindredClient reader = client("Reader", readerSees, cluster.ws(1));
        KindredClient writer = client("Writer", new RecordingListener(), cluster.ws(0));
        reader.join(ROOM).get(10, TimeUnit.SECONDS);
        writer.join(ROOM).get(10, TimeUnit.SECONDS);
        writer.send(ROOM, "first").get(10, TimeUnit.SECONDS);
        await().until(() -> readerSees.messages.size() == 1);

        killPubSubConnections();
        for (int i = 1; i <= 5; i++) {
            writer.send(ROOM, "while down " + i).get(10, TimeUnit.SECONDS);
        }

        // Nothing is published after these: only the node noticing its broken subscription can deliver them.
        await().atMost(Duration.ofSeconds(15)).until(() -> readerSees.messages.size() >= 6);
        assertThat(readerSees.seqs(ROOM)).containsExactlyElementsOf(oneTo(6));
    }

    private void killPubSubConnections() {
        for (String server : redisServers()) {
            RedisClient admin = RedisClient.create(server);
            try (StatefulRedisConnection<String, String> connection = admin.connect()) {
                connection.sync().clientKill(io.lettuce.core.KillArgs.Builder.typePubsub());
            } finally {
                admin.shutdown();
            }
        }
    }

    @Test
    void joinsAndLeavesAreAnnouncedOncePerUserAcrossNodes() throws Exception {
        RecordingListener onNode0 = new RecordingListener();
        RecordingListener onNode2 = new RecordingListener();
        client("Watcher0", onNode0, cluster.ws(0)).join(ROOM).get(10, TimeUnit.SECONDS);
        client("Watcher2", onNode2, cluster.ws(2)).join(ROOM).get(10, TimeUnit.SECONDS);
        await().until(() -> onNode0.joins.size() == 1); // Watcher2 arriving

        KindredClient phone = client("Robin", new RecordingListener(), cluster.ws(1));
        KindredClient laptop = client("Robin", new RecordingListener(), cluster.ws(2));
        phone.join(ROOM).get(10, TimeUnit.SECONDS);
        ServerMessage.Joined laptopJoined = laptop.join(ROOM).get(10, TimeUnit.SECONDS);
        assertThat(laptopJoined.presence())
                .extracting(u -> u.pseudonym())
                .containsExactlyInAnyOrder("Watcher0", "Watcher2", "Robin");

        await().until(() -> onNode0.joins.size() == 2 && onNode2.joins.size() == 1);
        phone.leave(ROOM).get(10, TimeUnit.SECONDS);
        await().during(Duration.ofMillis(500)).until(() -> onNode0.leaves.isEmpty() && onNode2.leaves.isEmpty());
        laptop.leave(ROOM).get(10, TimeUnit.SECONDS);

        await().until(() -> onNode0.leaves.size() == 1 && onNode2.leaves.size() == 1);
        assertThat(onNode0.joins.stream().filter(e -> e.user().pseudonym().equals("Robin")))
                .hasSize(1);
        assertThat(onNode2.joins.stream().filter(e -> e.user().pseudonym().equals("Robin")))
                .hasSize(1);
        assertThat(onNode0.leaves.getFirst().user().pseudonym()).isEqualTo("Robin");
    }

    @Test
    void theMembersOfANodeThatDiedLeaveWithinTheNodeTimeout() throws Exception {
        RecordingListener watcher = new RecordingListener();
        client("Watcher", watcher, cluster.ws(0)).join(ROOM).get(10, TimeUnit.SECONDS);
        client("Ghost", new RecordingListener(), cluster.ws(1)).join(ROOM).get(10, TimeUnit.SECONDS);
        await().until(() -> watcher.joins.size() == 1);

        cluster.halt(1);

        // Reaped between the node timeout and the timeout plus two heartbeat intervals (two fifths of it) after its
        // last heartbeat; and a little time for a busy machine.
        await().atMost(NODE_TIMEOUT.multipliedBy(7).dividedBy(5).plusSeconds(2))
                .until(() -> watcher.leaves.size() == 1);
        assertThat(watcher.leaves.getFirst().user().pseudonym()).isEqualTo("Ghost");
        assertThat(cluster.node(0).rooms().find(ROOM).orElseThrow().present())
                .extracting(u -> u.pseudonym())
                .containsExactly("Watcher");
    }
}
