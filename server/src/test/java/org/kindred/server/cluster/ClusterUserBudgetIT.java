package org.kindred.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kindred.protocol.ServerMessage;
import org.kindred.server.config.RedisConfig;
import org.kindred.server.redis.RedisExtension;
import org.kindred.server.testing.RawClient;
import org.kindred.server.testing.TestCluster;

/** A user's send budget is one budget across its connections on every node. */
class ClusterUserBudgetIT {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    private static final int BURST = 10;
    private static final double RATE = 0.5;

    private TestCluster cluster;

    @BeforeEach
    void start() throws Exception {
        REDIS.flushAll();
        cluster = TestCluster.start(
                2,
                RedisConfig.standalone(REDIS.uri()).withNodeTimeout(Duration.ofSeconds(3)),
                c -> c.ratePerSecond(RATE).rateBurst(BURST));
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private RawClient client(int node, String pseudonym) throws Exception {
        return cluster.signedIn(node, pseudonym, false);
    }

    /** Sends {@code count} pings and counts the ones answered with {@code pong} (the others are rate limited). */
    private static int pongs(RawClient client, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            client.send("{\"type\":\"ping\",\"ref\":\"" + prefix + i + "\"}");
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> client.received(ServerMessage.Pong.class).size()
                                + client.received(ServerMessage.Error.class).size()
                        >= count);
        return client.received(ServerMessage.Pong.class).size();
    }

    @Test
    void aSecondConnectionOfTheSameUserOnAnotherNodeCannotExceedTheUsersBudget() throws Exception {
        long started = System.nanoTime();
        RawClient phone = client(0, "Robin");
        RawClient laptop = client(1, "Robin");

        int granted = pongs(phone, "p", 3 * BURST) + pongs(laptop, "l", 3 * BURST);

        double seconds = (System.nanoTime() - started) / 1e9;
        // Two hellos and the commands granted come out of one budget: the burst, plus what refilled meanwhile.
        assertThat(granted + 2).isLessThanOrEqualTo(BURST + (int) Math.ceil(seconds * RATE));
        assertThat(laptop.received(ServerMessage.Error.class))
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e.code()).isEqualTo("rate_limited"));
    }

    @Test
    void anotherUserHasItsOwnBudget() throws Exception {
        RawClient robin = client(0, "Robin");
        pongs(robin, "r", 2 * BURST);
        RawClient sam = client(1, "Sam");

        // Robin used up its own budget, not Sam's: Sam gets at least the slice its node leased at sign-in (half the
        // burst, less its hello) even when its commands come faster than the next slice can arrive from Redis.
        assertThat(pongs(sam, "s", BURST - 1)).isGreaterThanOrEqualTo(BURST / 2 - 1);
    }
}
