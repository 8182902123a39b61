package org.kindred.server.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kindred.server.config.RedisConfig;
import org.kindred.server.connection.ConnectedUsers;
import org.kindred.server.metrics.KindredMetrics;
import org.kindred.server.runtime.Failures;

/**
 * A desk whose entities spread over a Redis Cluster's slots (as groups do, one hash tag per group): each commit goes
 * to its slot's master, the index lists them all, and a node that starts reads every one back.
 */
class DeskClusterModeIT {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.cluster();

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private static final class Values implements EntityDesk.Model<String> {
        final Map<String, String> values = new HashMap<>();

        @Override
        public synchronized Map<String, String> snapshot() {
            return new HashMap<>(values);
        }

        @Override
        public synchronized void apply(Map<String, String> changes) {
            changes.forEach((key, value) -> {
                if (value == null) {
                    values.remove(key);
                } else {
                    values.put(key, value);
                }
            });
        }

        synchronized Map<String, String> copy() {
            return new HashMap<>(values);
        }

        @Override
        public String encode(String key, String value) {
            return value;
        }

        @Override
        public String decode(String key, String json) {
            return json;
        }
    }

    private EntityDesk<String> desk(String node, Values model) {
        Failures failures = new Failures(new KindredMetrics() {});
        RedisConnections redis =
                RedisConnections.open(RedisConfig.cluster(REDIS.clusterUri()).withNodeId(node), failures);
        open.add(redis);
        // "group:g-1" lives in slot {g-1}: one hash tag per entity, as groups do
        EntityDesk<String> desk = new EntityDesk<>(
                redis,
                "spread",
                key -> key.substring(key.indexOf(':') + 1),
                new ConnectedUsers(),
                failures,
                new StoreChannel.Handler() {});
        open.add(desk);
        desk.attach(model);
        return desk;
    }

    @Test
    void entitiesInManySlotsAreCommittedHeardByTheOtherNodesAndReadBackByANewOne() throws Exception {
        REDIS.flushAll();
        Values a = new Values();
        Values b = new Values();
        EntityDesk<String> deskA = desk("node-a", a);
        EntityDesk<String> deskB = desk("node-b", b);

        Map<String, String> expected = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            String key = "group:g-" + i;
            String value = "{\"n\":" + i + "}";
            expected.put(key, value);
            deskA.submit(() -> deskA.run(() -> {
                        a.apply(Map.of(key, value));
                        return null;
                    }))
                    .get(10, TimeUnit.SECONDS);
        }
        deskB.submit(() -> deskB.run(() -> {
                    b.apply(java.util.Collections.singletonMap("group:g-0", null));
                    return null;
                }))
                .get(10, TimeUnit.SECONDS);
        expected.remove("group:g-0");

        await().atMost(Duration.ofSeconds(10)).until(() -> a.copy().equals(expected));
        assertThat(b.copy()).isEqualTo(expected);
        Values c = new Values();
        desk("node-c", c);
        assertThat(c.copy()).isEqualTo(expected);
    }
}
