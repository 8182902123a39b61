package org.kindred.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import org.kindred.client.ReconnectPolicy;
import org.kindred.protocol.ServerMessage.Ack;
import org.kindred.server.config.RedisConfig;
import org.kindred.server.redis.RedisExtension;
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
    private final List<KindredClient> clients = new ArrayList<>();

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
        clients.forEach(KindredClient::close);
        cluster.close();
    }

    private KindredClient client(String pseudonym, RecordingListener listener, URI url) throws Exception {
        KindredClient client = KindredClient.builder()
                .url(url)
                .token(TestCluster.token(pseudonym))
                .listener(listener)
                .maxSendAttempts(100)
                .reconnect(ReconnectPolicy.builder()
                        .initialDelay(Duration.ofMillis(50))
                        .maxDelay(Duration.ofMillis(300))
                        .build())
                .build();
        clients.add(client);
        client.connect().get(10, TimeUnit.SECONDS);
        return client;
    }

    private int readyz(int node) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(cluster.node(node).httpUri() + "/readyz"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    void anOutageIsRetriedThroughAndNothingIsLostOrDoubled() throws Exception {
        RecordingListener readerSees = new RecordingListener();
        KindredClient reader = client("Reader", readerSees, cluster.ws(1));
        KindredClient writer = client("Writer", new RecordingListener(), cluster.ws(0));
        reader.join(ROOM).get(10, TimeUnit.SECONDS);
        writer.join(ROOM).get(10, TimeUnit.SECONDS);
        for (int i = 1; i <= 10; i++) {
            writer.send(ROOM, "m" + i).get(10, TimeUnit.SECONDS);
        }
        assertThat(readyz(0)).isEqualTo(200);

        REDIS.kill();
        await().atMost(Duration.ofSeconds(10)).until(() -> readyz(0) == 503 && readyz(1) == 503);
        List<CompletableFuture<Ack>> duringOutage = new ArrayList<>();
        for (int i = 11; i <= 30; i++) {
            duringOutage.add(writer.send(ROOM, "m" + i));
        }
        await().during(Duration.ofMillis(500)).until(() -> duringOutage.stream().noneMatch(CompletableFuture::isDone));
        REDIS.restart();

        CompletableFuture.allOf(duringOutage.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> readyz(0) == 200 && readyz(1) == 200);
        await().atMost(Duration.ofSeconds(15)).until(() -> readerSees.messages.size() >= 30);
        assertThat(readerSees.seqs(ROOM))
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 30).boxed().toList());
        assertThat(readerSees.texts(ROOM))
                .containsExactlyElementsOf(
                        IntStream.rangeClosed(1, 30).mapToObj(i -> "m" + i).toList());
    }

    @Test
    void anOutageShowsInTheMetricsAndItsEndCountsAReconnect() throws Exception {
        assertThat(metrics(0)).contains("kindred_redis_up 1.0").contains("kindred_ready 1.0");

        REDIS.kill();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> metrics(0).contains("kindred_redis_up 0.0")
                        && metrics(0).contains("kindred_ready 0.0"));
        REDIS.restart();

        await().atMost(Duration.ofSeconds(20))
                .until(() -> metrics(0).contains("kindred_redis_up 1.0")
                        && metrics(0).contains("kindred_redis_reconnects_total 1.0"));
        assertThat(metrics(0)).contains("kindred_redis_command_seconds_count{command=\"SET\"}");
    }

    private String metrics(int node) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(cluster.node(node).managementUri() + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
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
