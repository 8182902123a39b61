package org.kindred.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.kindred.server.testing.ClusterClients.assertOnceEachInOrderPerWriter;
import static org.kindred.server.testing.ClusterClients.joinsOf;
import static org.kindred.server.testing.ClusterClients.leavesOf;
import static org.kindred.server.testing.ClusterClients.presentAccordingTo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.kindred.client.KindredClient;
import org.kindred.protocol.CloseCode;
import org.kindred.protocol.ServerMessage.Ack;
import org.kindred.server.config.RedisConfig;
import org.kindred.server.redis.RedisExtension;
import org.kindred.server.testing.ClusterClients;
import org.kindred.server.testing.NodeProcess;
import org.kindred.server.testing.RecordingListener;
import org.kindred.server.testing.TestCluster;

/**
 * Issue 14, findings 3 and 4, with a real process: a node in a JVM of its own beside an in-JVM node, both on one
 * Redis. Frozen by SIGSTOP for longer than the node timeout, it is reaped no earlier than the node timeout, and once
 * SIGCONT wakes it and it finds it was reaped, it announces its members again; killed with {@code kill -9} and started
 * again under the same node id, it clears its predecessor's members at once. Presence converges to who is connected,
 * and connected clients see every acknowledged message once, in each writer's order.
 */
class NodeProcessFaultsIT {

    private static final String ROOM = "diabetes";
    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(3);

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    @TempDir
    Path dir;

    private final ClusterClients clients = new ClusterClients();
    private TestCluster cluster;
    private NodeProcess process;

    @BeforeEach
    void clean() {
        REDIS.flushAll();
    }

    @AfterEach
    void stop() {
        clients.close();
        if (process != null) {
            process.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private void start(Duration nodeTimeout) throws Exception {
        cluster = TestCluster.start(
                1,
                RedisConfig.standalone(REDIS.uri()).withNodeTimeout(nodeTimeout),
                c -> c.ratePerSecond(1000).rateBurst(1000).joinHistory(200));
        process = NodeProcess.start(dir, "process-" + ProcessHandle.current().pid(), REDIS.uri(), nodeTimeout);
    }

    private static List<CompletableFuture<Ack>> send(KindredClient writer, String prefix, int from, int to) {
        return IntStream.rangeClosed(from, to)
                .mapToObj(i -> writer.send(ROOM, prefix + i))
                .toList();
    }

    private static void acknowledged(List<CompletableFuture<Ack>> sends) throws Exception {
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }

    @Test
    void aNodeFrozenLongerThanTheNodeTimeoutIsReapedOnTimeThenAnnouncesItsMembersAgainAndLosesNothing()
            throws Exception {
        start(NODE_TIMEOUT);
        RecordingListener observer = new RecordingListener();
        RecordingListener aliceSees = new RecordingListener();
        clients.join(cluster.ws(0), "Observer", observer, ROOM);
        KindredClient writer = clients.join(cluster.ws(0), "Writer", new RecordingListener(), ROOM);
        KindredClient alice = clients.join(process.ws(), "Alice", aliceSees, ROOM);
        await().atMost(Duration.ofSeconds(5)).until(() -> joinsOf(observer, "Alice") == 1);
        acknowledged(send(writer, "w", 1, 10));
        acknowledged(send(alice, "a", 1, 3));

        List<CompletableFuture<Ack>> aliceWhileFrozen;
        process.freeze();
        try {
            aliceWhileFrozen = send(alice, "a", 4, 6); // to a node that does not answer: acknowledged after SIGCONT
            // Not reaped before the node timeout (less one heartbeat interval: its last beat may be that much older
            // than the freeze)...
            await().during(NODE_TIMEOUT.minus(NODE_TIMEOUT.dividedBy(5)).minusMillis(300))
                    .atMost(NODE_TIMEOUT.multipliedBy(2))
                    .until(() -> leavesOf(observer, "Alice") == 0);
            acknowledged(send(writer, "w", 11, 20)); // the live node goes on
            // ...and reaped soon after it.
            await().atMost(NODE_TIMEOUT.multipliedBy(3)).until(() -> leavesOf(observer, "Alice") == 1);
            assertThat(aliceWhileFrozen).noneMatch(CompletableFuture::isDone);
        } finally {
            process.thaw();
        }

        // It finds it was reaped and announces Alice again; what she sent while it was frozen is stored now.
        await().atMost(Duration.ofSeconds(10)).until(() -> joinsOf(observer, "Alice") == 2);
        acknowledged(aliceWhileFrozen);
        acknowledged(send(writer, "w", 21, 30));

        List<String> everything = Stream.concat(
                        IntStream.rangeClosed(1, 30).mapToObj(i -> "w" + i),
                        IntStream.rangeClosed(1, 6).mapToObj(i -> "a" + i))
                .toList();
        for (RecordingListener seen : List.of(observer, aliceSees)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> seen.texts(ROOM).containsAll(everything));
            assertOnceEachInOrderPerWriter(seen.texts(ROOM));
            assertThat(seen.texts(ROOM)).hasSameSizeAs(everything);
            assertThat(seen.seqs(ROOM)).isSorted().doesNotHaveDuplicates();
            assertThat(seen.disconnects).doesNotContain(CloseCode.ROOM_RESET.code());
        }
        assertThat(presentAccordingTo(cluster.ws(0), ROOM)).containsExactly("Alice", "Observer", "Writer");
        assertThat(presentAccordingTo(process.ws(), ROOM)).containsExactly("Alice", "Observer", "Writer");
    }

    @Test
    void aNodeKilledAndStartedAgainUnderTheSameIdClearsItsPredecessorsMembersAtOnce() throws Exception {
        // A node timeout far longer than the restart: the leave must come from the new incarnation, not from reaping.
        start(Duration.ofMinutes(2));
        RecordingListener observer = new RecordingListener();
        clients.join(cluster.ws(0), "Observer", observer, ROOM);
        clients.join(process.ws(), "Ghost", new RecordingListener(), ROOM);
        await().atMost(Duration.ofSeconds(5)).until(() -> joinsOf(observer, "Ghost") == 1);

        process.restart(); // kill -9, and a new process with the same node id (on a new port: Ghost is gone)

        await().atMost(Duration.ofSeconds(10)).until(() -> leavesOf(observer, "Ghost") == 1);
        assertThat(presentAccordingTo(cluster.ws(0), ROOM)).containsExactly("Observer");
        assertThat(presentAccordingTo(process.ws(), ROOM)).containsExactly("Observer");

        RecordingListener backSees = new RecordingListener();
        KindredClient back = clients.join(process.ws(), "Back", backSees, ROOM);
        await().atMost(Duration.ofSeconds(5)).until(() -> joinsOf(observer, "Back") == 1);
        back.send(ROOM, "b1").get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> observer.texts(ROOM).equals(List.of("b1")));
        assertThat(presentAccordingTo(cluster.ws(0), ROOM)).containsExactly("Back", "Observer");
    }
}
