package org.kindred.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kindred.client.KindredClient;
import org.kindred.client.ReconnectPolicy;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.Ack;
import org.kindred.server.config.RedisConfig;
import org.kindred.server.redis.RedisExtension;
import org.kindred.server.redis.RedisProcess;
import org.kindred.server.testing.RawClient;
import org.kindred.server.testing.RecordingListener;
import org.kindred.server.testing.TestCluster;

/**
 * A send whose append timed out (issue 14, finding 6): Redis froze with the script on its socket and ran it when it
 * thawed, so the message was stored although the node could not know. The node answers {@code outcome_unknown}, not
 * {@code unavailable} ("not stored"); a resend with the same client message id is acknowledged as a duplicate; the
 * Java SDK keeps resending such a send, whatever {@code maxSendAttempts} says, until it is acknowledged.
 */
class OutcomeUnknownIT {

    private static final String ROOM = "long-covid";

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    private TestCluster cluster;

    @BeforeEach
    void start() throws Exception {
        REDIS.assumeManaged();
        REDIS.flushAll();
        cluster = TestCluster.start(2, RedisConfig.standalone(REDIS.uri()), c -> c);
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String send(String ref, String clientMsgId) {
        return "{\"type\":\"send\",\"ref\":\"" + ref + "\",\"room\":\"" + ROOM + "\",\"clientMsgId\":\"" + clientMsgId
                + "\",\"text\":\"hello\"}";
    }

    @Test
    void aTimedOutAppendIsAnsweredOutcomeUnknownAndItsResendIsAcknowledgedAsADuplicate() throws Exception {
        RedisProcess redis = REDIS.process();
        try (RawClient reader = RawClient.signedIn(cluster.node(1).webSocketUri(), TestCluster.token("Reader"));
                RawClient writer = RawClient.signedIn(cluster.node(0).webSocketUri(), TestCluster.token("Writer"))) {
            reader.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"" + ROOM + "\"}");
            reader.await(ServerMessage.Joined.class, j -> true);
            writer.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"" + ROOM + "\"}");
            writer.await(ServerMessage.Joined.class, j -> true);

            // A first message loads the append script into Redis, so that the frozen try runs when Redis thaws.
            writer.send(send("s0", "c0"));
            assertThat(writer.awaitReply("s0")).isInstanceOf(Ack.class);

            redis.freeze();
            ServerMessage.Error error;
            try {
                writer.send(send("s1", "c1"));
                error = writer.awaitError("s1"); // after the command timeout, Redis still frozen
            } finally {
                redis.thaw();
            }
            assertThat(error.code()).isEqualTo("outcome_unknown");
            assertThat(error.retryable()).isTrue();

            writer.send(send("s2", "c1"));
            ServerMessage reply = writer.awaitReply("s2");
            assertThat(reply).isInstanceOf(Ack.class);
            assertThat(((Ack) reply).duplicate())
                    .as("the first try was stored when Redis thawed")
                    .isTrue();
            await().atMost(Duration.ofSeconds(5))
                    .until(() ->
                            reader.received(ServerMessage.ChatMessage.class).size() >= 2);
            await().during(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> reader.received(ServerMessage.ChatMessage.class).stream()
                            .map(ServerMessage.ChatMessage::clientMsgId)
                            .toList()
                            .equals(java.util.List.of("c0", "c1")));
        }
    }

    @Test
    void theJavaClientKeepsResendingASendOfUnknownOutcomeUntilItIsAcknowledged() throws Exception {
        RedisProcess redis = REDIS.process();
        RecordingListener readerSees = new RecordingListener();
        try (KindredClient reader = KindredClient.builder()
                        .url(cluster.ws(1))
                        .token(TestCluster.token("Reader"))
                        .listener(readerSees)
                        .build();
                KindredClient writer = KindredClient.builder()
                        .url(cluster.ws(0))
                        .token(TestCluster.token("Writer"))
                        .listener(new RecordingListener())
                        .maxSendAttempts(1) // an unavailable send would fail at once; one of unknown outcome may not
                        .reconnect(ReconnectPolicy.builder()
                                .initialDelay(Duration.ofMillis(50))
                                .maxDelay(Duration.ofMillis(300))
                                .build())
                        .build()) {
            reader.connect().get(10, TimeUnit.SECONDS);
            reader.join(ROOM).get(10, TimeUnit.SECONDS);
            writer.connect().get(10, TimeUnit.SECONDS);
            writer.join(ROOM).get(10, TimeUnit.SECONDS);

            redis.freeze();
            CompletableFuture<Ack> sent;
            try {
                sent = writer.send(ROOM, "stored while Redis was frozen");
                // Past the command timeout (2 s) and more: answered outcome_unknown, and still not given up.
                await().during(Duration.ofSeconds(4))
                        .atMost(Duration.ofSeconds(6))
                        .until(() -> !sent.isDone());
            } finally {
                redis.thaw();
            }

            Ack ack = sent.get(15, TimeUnit.SECONDS);
            assertThat(ack.room()).isEqualTo(ROOM);
            await().atMost(Duration.ofSeconds(5)).until(() -> readerSees.messages.size() == 1);
            await().during(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> readerSees.texts(ROOM).equals(java.util.List.of("stored while Redis was frozen")));
        }
    }
}
