package org.kindred.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kindred.client.KindredClient;
import org.kindred.client.ReconnectPolicy;
import org.kindred.protocol.UserInfo;
import org.kindred.server.config.RedisConfig;
import org.kindred.server.redis.RedisExtension;
import org.kindred.server.testing.RecordingListener;
import org.kindred.server.testing.TcpProxy;
import org.kindred.server.testing.TestCluster;

/**
 * A node's identity and liveness (issue 14, findings 3 and 4): a new process with the same node id clears its
 * predecessor's presence; a node cut off from Redis (as a node frozen by SIGSTOP or a long pause is) for longer than
 * the node timeout is reaped, then announces its members again once it is back; one silent for less is not reaped.
 * Presence converges to the truth: who is connected.
 */
class NodeIdentityIT {

    private static final String ROOM = "diabetes";
    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(3);

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    private final List<KindredClient> clients = new ArrayList<>();
    private TestCluster cluster;
    private TcpProxy proxy;

    @BeforeEach
    void clean() {
        REDIS.flushAll();
    }

    @AfterEach
    void stop() throws Exception {
        clients.forEach(KindredClient::close);
        if (cluster != null) {
            cluster.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    private KindredClient client(String pseudonym, RecordingListener listener, URI url) throws Exception {
        KindredClient client = KindredClient.builder()
                .url(url)
                .token(TestCluster.token(pseudonym))
                .listener(listener)
                .reconnect(ReconnectPolicy.builder()
                        .initialDelay(Duration.ofMillis(50))
                        .maxDelay(Duration.ofMillis(300))
                        .build())
                .build();
        clients.add(client);
        client.connect().get(10, TimeUnit.SECONDS);
        client.join(ROOM).get(10, TimeUnit.SECONDS);
        return client;
    }

    /** Who a member joining now on this node is told is present. */
    private List<String> presentAccordingTo(int node) throws Exception {
        try (KindredClient fresh = KindredClient.builder()
                .url(cluster.ws(node))
                .token(TestCluster.token("Fresh"))
                .listener(new RecordingListener())
                .build()) {
            fresh.connect().get(10, TimeUnit.SECONDS);
            return fresh.join(ROOM).get(10, TimeUnit.SECONDS).presence().stream()
                    .map(UserInfo::pseudonym)
                    .filter(name -> !name.equals("Fresh"))
                    .sorted()
                    .toList();
        }
    }

    private static long joinsOf(RecordingListener seen, String pseudonym) {
        return seen.joins.stream()
                .filter(e -> e.user().pseudonym().equals(pseudonym))
                .count();
    }

    private static long leavesOf(RecordingListener seen, String pseudonym) {
        return seen.leaves.stream()
                .filter(e -> e.user().pseudonym().equals(pseudonym))
                .count();
    }

    @Test
    void aNodeRestartedWithTheSameIdClearsItsPredecessorsPresenceAtOnce() throws Exception {
        REDIS.assumeManaged();
        // The default node timeout (15 s): the leave must come from the restart, not from reaping.
        startWithNodeOneThroughAProxy(RedisConfig.DEFAULT_NODE_TIMEOUT);
        RecordingListener observer = new RecordingListener();
        client("Observer", observer, cluster.ws(0));
        client("Ghost", new RecordingListener(), cluster.ws(1));
        await().atMost(Duration.ofSeconds(5)).until(() -> joinsOf(observer, "Ghost") == 1);

        // A crash: what node 1 would still tell Redis as it goes (its members leaving) never arrives.
        proxy.freeze();
        cluster.halt(1);
        proxy.dropConnections();
        proxy.thaw();
        assertThat(leavesOf(observer, "Ghost")).isZero();
        cluster.restart(1); // a new process with the same node id at once (on a new port: Ghost is gone)

        await().atMost(Duration.ofSeconds(5)).until(() -> leavesOf(observer, "Ghost") == 1);
        assertThat(presentAccordingTo(0)).containsExactly("Observer");
        assertThat(presentAccordingTo(1)).containsExactly("Observer");
    }

    private void startWithNodeOneThroughAProxy(Duration nodeTimeout) throws Exception {
        proxy = new TcpProxy(REDIS.server().port());
        RedisConfig direct = RedisConfig.standalone(REDIS.uri()).withNodeTimeout(nodeTimeout);
        RedisConfig proxied =
                RedisConfig.standalone("redis://127.0.0.1:" + proxy.port()).withNodeTimeout(nodeTimeout);
        cluster = TestCluster.start(2, i -> i == 1 ? proxied : direct, c -> c);
    }

    @Test
    void aNodeReapedWhileAliveAnnouncesItsMembersAgainWhenItIsBack() throws Exception {
        REDIS.assumeManaged();
        startWithNodeOneThroughAProxy(NODE_TIMEOUT);
        RecordingListener observer = new RecordingListener();
        client("Observer", observer, cluster.ws(0));
        client("Alice", new RecordingListener(), cluster.ws(1));
        await().atMost(Duration.ofSeconds(5)).until(() -> joinsOf(observer, "Alice") == 1);

        proxy.freeze(); // node 1 says nothing to Redis, as if frozen, for longer than the node timeout
        try {
            await().atMost(NODE_TIMEOUT.multipliedBy(3)).until(() -> leavesOf(observer, "Alice") == 1);
        } finally {
            proxy.thaw();
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> joinsOf(observer, "Alice") == 2);
        assertThat(presentAccordingTo(0)).containsExactly("Alice", "Observer");
        assertThat(presentAccordingTo(1)).containsExactly("Alice", "Observer");
    }

    @Test
    void aNodeSilentForLessThanTheNodeTimeoutIsNotReaped() throws Exception {
        REDIS.assumeManaged();
        startWithNodeOneThroughAProxy(NODE_TIMEOUT);
        RecordingListener observer = new RecordingListener();
        client("Observer", observer, cluster.ws(0));
        client("Alice", new RecordingListener(), cluster.ws(1));
        await().atMost(Duration.ofSeconds(5)).until(() -> joinsOf(observer, "Alice") == 1);

        proxy.freeze();
        try {
            // Silent for 80 % of the node timeout: nobody may reap it meanwhile...
            await().during(NODE_TIMEOUT.multipliedBy(4).dividedBy(5))
                    .atMost(NODE_TIMEOUT)
                    .until(() -> observer.leaves.isEmpty());
        } finally {
            proxy.thaw();
        }
        // ...nor just after.
        await().during(NODE_TIMEOUT).atMost(NODE_TIMEOUT.multipliedBy(2)).until(() -> observer.leaves.isEmpty());
        assertThat(presentAccordingTo(0)).containsExactly("Alice", "Observer");
    }
}
