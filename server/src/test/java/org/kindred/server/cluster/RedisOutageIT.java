package org.kindred.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kindred.client.KindredClient;
import org.kindred.protocol.ServerMessage.Ack;
import org.kindred.server.config.RedisConfig;
import org.kindred.server.redis.RedisExtension;
import org.kindred.server.testing.ClusterClients;
import org.kindred.server.testing.RawClient;
import org.kindred.server.testing.RecordingListener;
import org.kindred.server.testing.TestCluster;

/**
 * Redis goes away and comes back (with its append-only file, as a deployment should run it): nodes stay up, say they
 * are not ready, refuse sends with a retryable error, and recover by themselves; the app loses and doubles nothing.
 */
class RedisOutageIT {

    private static final String ROOM = "long-covid";

    @RegisterExtension
    static final RedisExtension REDIS =
            RedisExtension.standalone().withServerArgs("--appendonly", "yes", "--appendfsync", "always");

    private TestCluster cluster;
    private final ClusterClients clients = new ClusterClients();

    @BeforeEach
    void start() throws Exception {
        REDIS.assumeManaged();
        REDIS.flushAll();
        cluster = TestCluster.start(
                2,
                RedisConfig.standalone(REDIS.uri()).withNodeTimeout(Duration.ofSeconds(3)),
                c -> c.ratePerSecond(1000).rateBurst(1000));
    }

    @AfterEach
    void stop() {
        clients.close();
        cluster.close();
    }

    @Test
    void anOutageIsRetriedThroughAndNothingIsLostOrDoubled() throws Exception {
        RecordingListener readerSees = new RecordingListener();
        KindredClient reader = clients.join(cluster.ws(1), "Reader", readerSees);
        KindredClient writer = clients.join(cluster.ws(0), "Writer", new RecordingListener());
        reader.join(ROOM).get(10, TimeUnit.SECONDS);
        writer.join(ROOM).get(10, TimeUnit.SECONDS);
        for (int i = 1; i <= 10; i++) {
            writer.send(ROOM, "m" + i).get(10, TimeUnit.SECONDS);
        }
        assertThat(cluster.readyz(0)).isEqualTo(200);

        REDIS.kill();
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.readyz(0) == 503 && cluster.readyz(1) == 503);
        List<CompletableFuture<Ack>> duringOutage = new ArrayList<>();
        for (int i = 11; i <= 30; i++) {
            duringOutage.add(writer.send(ROOM, "m" + i));
        }
        await().during(Duration.ofMillis(500)).until(() -> duringOutage.stream().noneMatch(CompletableFuture::isDone));
        REDIS.restart();

        CompletableFuture.allOf(duringOutage.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.readyz(0) == 200 && cluster.readyz(1) == 200);
        await().atMost(Duration.ofSeconds(15)).until(() -> readerSees.messages.size() >= 30);
        assertThat(readerSees.seqs(ROOM))
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 30).boxed().toList());
        assertThat(readerSees.texts(ROOM))
                .containsExactlyElementsOf(
                        IntStream.rangeClosed(1, 30).mapToObj(i -> "m" + i).toList());
    }

    @Test
    void anOutageShowsInTheMetricsAndItsEndCountsAReconnect() throws Exception {
        assertThat(cluster.metrics(0)).contains("kindred_redis_up 1.0").contains("kindred_ready 1.0");

        REDIS.kill();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> cluster.metrics(0).contains("kindred_redis_up 0.0")
                        && cluster.metrics(0).contains("kindred_ready 0.0"));
        REDIS.restart();

        await().atMost(Duration.ofSeconds(20))
                .until(() -> cluster.metrics(0).contains("kindred_redis_up 1.0")
                        && cluster.metrics(0).contains("kindred_redis_reconnects_total 1.0"));
        assertThat(cluster.metrics(0)).contains("kindred_redis_command_seconds_count{command=\"SET\"}");
    }

    @Test
    void aSendDuringAnOutageIsAnsweredUnavailableAndRetryable() throws Exception {
        try (RawClient raw = RawClient.signedIn(cluster.node(0).webSocketUri(), TestCluster.token("Raw"))) {
            raw.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"" + ROOM + "\"}");
            raw.await(org.kindred.protocol.ServerMessage.Joined.class, j -> true);

            REDIS.kill();
            raw.send("{\"type\":\"send\",\"ref\":\"s\",\"room\":\"" + ROOM
                    + "\",\"clientMsgId\":\"c1\",\"text\":\"hi\"}");

            var error = raw.awaitError("s");
            assertThat(error.code()).isEqualTo("unavailable");
            assertThat(error.retryable()).isTrue();
            assertThat(raw.isClosed()).isFalse();
        }
    }
}
