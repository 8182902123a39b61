package org.kindred.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.ChatMessage;
import org.kindred.server.testing.RawClient;
import org.kindred.server.testing.StalledClient;
import org.kindred.server.testing.TestNode;

/** Floods, slow readers and shutdown: one client's trouble never becomes the room's. */
class ProtectionIT {

    private static String join(String room) {
        return "{\"type\":\"join\",\"ref\":\"j\",\"room\":\"" + room + "\"}";
    }

    private static String send(String ref, String id, String text) {
        return "{\"type\":\"send\",\"ref\":\"" + ref + "\",\"room\":\"diabetes\",\"clientMsgId\":\"" + id
                + "\",\"text\":\"" + text + "\"}";
    }

    @Test
    void aFloodHitsTheRateLimitWithARetryableErrorWhileOthersAreServed() throws Exception {
        try (TestNode node = TestNode.start(c -> c.ratePerSecond(5).rateBurst(10));
                RawClient flooder = RawClient.signedIn(node.ws(), node.token("Flooder"));
                RawClient calm = RawClient.signedIn(node.ws(), node.token("Calm"))) {
            flooder.send(join("diabetes"));
            calm.send(join("diabetes"));
            calm.await(ServerMessage.Joined.class, j -> true);

            for (int i = 0; i < 60; i++) {
                flooder.send(send("f" + i, "f" + i, "spam"));
            }

            ServerMessage.Error limited =
                    flooder.await(ServerMessage.Error.class, e -> e.code().equals("rate_limited"));
            assertThat(limited.retryable()).isTrue();
            assertThat(limited.retryAfterMs()).isPositive();
            assertThat(limited.ref()).startsWith("f");
            assertThat(flooder.received(ServerMessage.Ack.class).size()).isLessThan(60);

            calm.send(send("c", "calm-1", "hello"));
            calm.await(ServerMessage.Ack.class, a -> "c".equals(a.ref()));
        }
    }

    @Test
    void aClientThatStopsReadingIsCutOffWhileTheRoomKeepsReceiving() throws Exception {
        try (TestNode node = TestNode.start(c -> c.outboundLowWaterMark(16 * 1024)
                        .outboundHighWaterMark(64 * 1024)
                        .ratePerSecond(100_000)
                        .rateBurst(100_000));
                StalledClient stuck = new StalledClient(node.node().port());
                RawClient reader = RawClient.signedIn(node.ws(), node.token("Reader"));
                RawClient poster = RawClient.signedIn(node.ws(), node.token("Poster"))) {
            stuck.send("{\"type\":\"hello\",\"token\":\"" + node.token("Stuck") + "\"}");
            stuck.send(join("diabetes"));
            reader.send(join("diabetes"));
            poster.send(join("diabetes"));
            poster.await(ServerMessage.Joined.class, j -> true);
            await().until(() ->
                    node.node().rooms().find("diabetes").orElseThrow().present().size() == 3);

            String text = "x".repeat(3000);
            int sent = 0;
            while (node.node().connectionCount() == 3 && sent < 20_000) {
                poster.send(send("p" + sent, "p" + sent, text));
                sent++;
                if (sent % 20 == 0) { // a live reader keeps up; only the stalled one falls behind
                    long caughtUp = sent;
                    reader.await(ChatMessage.class, m -> m.seq() == caughtUp);
                }
            }
            int total = sent;

            await().atMost(Duration.ofSeconds(10)).until(() -> node.node().connectionCount() == 2);
            assertThat(total).isLessThan(20_000);
            reader.await(ChatMessage.class, m -> m.seq() == total);
            assertThat(reader.received(ChatMessage.class))
                    .extracting(ChatMessage::seq)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, total)
                            .boxed()
                            .toList());
            assertThat(node.management("/metrics").body()).contains("kindred_slow_consumers_total 1.0");
        }
    }

    @Test
    void aFullNodeTurnsAwayTheNextConnectionWithTheOverloadedCode() throws Exception {
        try (TestNode node = TestNode.start(c -> c.maxConnections(2));
                RawClient first = RawClient.signedIn(node.ws(), node.token("One"));
                RawClient second = RawClient.signedIn(node.ws(), node.token("Two"));
                RawClient third = RawClient.connect(node.ws())) {
            assertThat(third.awaitClose()).isEqualTo(4001);
            assertThat(first.isClosed()).isFalse();
            assertThat(second.isClosed()).isFalse();
        }
    }

    @Test
    void gracefulShutdownTellsClientsToReconnect() throws Exception {
        TestNode node = TestNode.start();
        try (RawClient client = RawClient.signedIn(node.ws(), node.token("Leaving"))) {
            node.close();

            assertThat(client.awaitClose()).isEqualTo(4000);
        }
    }
}
