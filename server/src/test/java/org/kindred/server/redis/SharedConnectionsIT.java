package org.kindred.server.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kindred.server.config.RedisConfig;
import org.kindred.server.testing.TestCluster;

/**
 * A node keeps one set of connections to Redis, shared by its broker and its support, group and safety stores: one for
 * commands, one for the desks' commits (whose answers a desk's thread waits for) and one for pub/sub.
 */
class SharedConnectionsIT {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    private static int clients() throws Exception {
        String list = Resp.call(Resp.Endpoint.parse(REDIS.uri()), Duration.ofSeconds(2), "CLIENT", "LIST");
        return (int) Arrays.stream(list.split("\n"))
                        .filter(line -> !line.isBlank())
                        .count()
                - 1; // not this one
    }

    @Test
    void aNodeUsesOneCommandConnectionOneDeskConnectionAndOnePubSubConnection() throws Exception {
        REDIS.assumeManaged(); // a Redis provided to the tests may have other clients coming and going
        REDIS.flushAll();
        int before = clients();

        try (TestCluster cluster = TestCluster.start(1, RedisConfig.standalone(REDIS.uri()), c -> c)) {
            assertThat(cluster.node(0).ready()).isTrue();
            assertThat(clients() - before).isEqualTo(3);
        }
    }
}
