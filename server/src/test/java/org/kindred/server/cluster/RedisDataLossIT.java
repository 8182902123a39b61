package org.kindred.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kindred.client.KindredClient;
import org.kindred.client.ReconnectPolicy;
import org.kindred.protocol.CloseCode;
import org.kindred.server.config.RedisConfig;
import org.kindred.server.redis.RedisExtension;
import org.kindred.server.testing.RecordingListener;
import org.kindred.server.testing.TestCluster;

/** A Redis without persistence restarts and has forgotten every room: members are told, and carry on under a new epoch. */
class RedisDataLossIT {

    private static final String ROOM = "anxiety";

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    @Test
    void membersOfARoomWhoseHistoryWasLostRejoinUnderANewEpoch() throws Exception {
        REDIS.assumeManaged();
        try (TestCluster cluster = TestCluster.start(1, RedisConfig.standalone(REDIS.uri()), c -> c);
                KindredClient member = KindredClient.builder()
                        .url(cluster.ws(0))
                        .token(TestCluster.token("Sam"))
                        .listener(new RecordingListener())
                        .reconnect(ReconnectPolicy.builder()
                                .initialDelay(Duration.ofMillis(50))
                                .maxDelay(Duration.ofMillis(300))
                                .build())
                        .build()) {
            RecordingListener sees = new RecordingListener();
            KindredClient watcher = KindredClient.builder()
                    .url(cluster.ws(0))
                    .token(TestCluster.token("Kim"))
                    .listener(sees)
                    .reconnect(ReconnectPolicy.builder()
                            .initialDelay(Duration.ofMillis(50))
                            .maxDelay(Duration.ofMillis(300))
                            .build())
                    .build();
            try (watcher) {
                member.connect().get(10, TimeUnit.SECONDS);
                watcher.connect().get(10, TimeUnit.SECONDS);
                member.join(ROOM).get(10, TimeUnit.SECONDS);
                String epochBefore =
                        watcher.join(ROOM).get(10, TimeUnit.SECONDS).epoch();
                member.send(ROOM, "before").get(10, TimeUnit.SECONDS);
                await().until(() -> sees.messages.size() == 1);

                REDIS.kill();
                REDIS.restart(); // no append-only file: every room is gone

                await().atMost(Duration.ofSeconds(15))
                        .until(() -> sees.disconnects.contains(CloseCode.ROOM_RESET.code()));
                await().atMost(Duration.ofSeconds(15)).until(() -> sees.resumed.contains(ROOM + ":false"));
                member.send(ROOM, "after").get(15, TimeUnit.SECONDS);

                await().atMost(Duration.ofSeconds(10))
                        .until(() -> sees.texts(ROOM).contains("after"));
                assertThat(sees.texts(ROOM)).containsExactly("before", "after");
                assertThat(watcher.history(ROOM, null, null)
                                .get(10, TimeUnit.SECONDS)
                                .messages())
                        .extracting(m -> m.text())
                        .containsExactly("after");
                assertThat(epochBefore).isNotBlank();
            }
        }
    }
}
