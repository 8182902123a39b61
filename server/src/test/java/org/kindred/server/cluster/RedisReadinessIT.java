package org.kindred.server.cluster;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kindred.server.config.RedisConfig;
import org.kindred.server.redis.RedisExtension;
import org.kindred.server.redis.RedisProcess;
import org.kindred.server.testing.TestCluster;

/**
 * {@code /readyz} tells the truth about a Redis that keeps its sockets open but answers nothing (frozen by SIGSTOP, or
 * {@code CLIENT PAUSE}): 503 within a second, 200 again within a second of its recovery (issue 14, finding 5). The
 * node runs with the default 15 s node timeout, so a heartbeat that merely ages cannot be what turns it not ready.
 * {@code /readyz} is polled every 50 ms, the way a strict load balancer would.
 */
class RedisReadinessIT {

    /** The bound the issue names (one second), and as much again for a busy test machine. */
    private static final Duration WITHIN = Duration.ofSeconds(2);

    private static final Duration POLL = Duration.ofMillis(50);

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private TestCluster cluster;

    @BeforeEach
    void start() throws Exception {
        REDIS.assumeManaged();
        REDIS.flushAll();
        cluster = TestCluster.start(1, RedisConfig.standalone(REDIS.uri()), c -> c);
        await().pollInterval(POLL).atMost(WITHIN).until(() -> readyz() == 200);
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private int readyz() throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(cluster.node(0).httpUri() + "/readyz"))
                                .timeout(Duration.ofSeconds(1))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    void aFrozenRedisTurnsReadinessOffWithinASecondAndBackOnWhenItThaws() throws Exception {
        RedisProcess redis = REDIS.process();
        redis.freeze();
        try {
            await().pollInterval(POLL).atMost(WITHIN).until(() -> readyz() == 503);
        } finally {
            redis.thaw();
        }
        await().pollInterval(POLL).atMost(WITHIN).until(() -> readyz() == 200);
    }

    @Test
    void aPausedRedisTurnsReadinessOffWithinASecondAndBackOnWhenThePauseEnds() throws Exception {
        // A paused Redis postpones every command, CLIENT UNPAUSE included: the pause ends by itself.
        Duration pause = Duration.ofSeconds(3);
        REDIS.process().command("CLIENT", "PAUSE", Long.toString(pause.toMillis()), "ALL");

        await().pollInterval(POLL).atMost(WITHIN).until(() -> readyz() == 503);
        await().pollInterval(POLL).atMost(pause.plus(WITHIN)).until(() -> readyz() == 200);
    }
}
