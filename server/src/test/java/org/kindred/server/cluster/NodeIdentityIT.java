package org.kindred.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.kindred.server.testing.ClusterClients.joinsOf;
import static org.kindred.server.testing.ClusterClients.leavesOf;
import static org.kindred.server.testing.ClusterClients.presentAccordingTo;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kindred.server.config.RedisConfig;
import org.kindred.server.redis.RedisExtension;
import org.kindred.server.testing.ClusterClients;
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

    private final ClusterClients clients = new ClusterClients();
    private TestCluster cluster;
    private TcpProxy proxy;

    @BeforeEach
    void clean() {
        REDIS.flushAll();
    }

    @AfterEach
    void stop() throws Exception {
        clients.close();
        if (cluster != null) {
            cluster.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void aNodeRestartedWithTheSameIdClearsItsPredecessorsPresenceAtOnce() throws Exception {
        REDIS.assumeManaged();
        // The default node timeout (15 s): the leave must come from the restart, not from reaping.
        startWithNodeOneThroughAProxy(RedisConfig.DEFAULT_NODE_TIMEOUT);
        RecordingListener observer = new RecordingListener();
        clients.join(cluster.ws(0), "Observer", observer, ROOM);
        clients.join(cluster.ws(1), "Ghost", new RecordingListener(), ROOM);
        await().atMost(Duration.ofSeconds(5)).until(() -> joinsOf(observer, "Ghost") == 1);

        // A crash: what node 1 would still tell Redis as it goes (its members leaving) never arrives.
        proxy.freeze();
        cluster.halt(1);
        proxy.dropConnections();
        proxy.thaw();
        assertThat(leavesOf(observer, "Ghost")).isZero();
        cluster.restart(1); // a new process with the same node id at once (on a new port: Ghost is gone)

        await().atMost(Duration.ofSeconds(5)).until(() -> leavesOf(observer, "Ghost") == 1);
        assertThat(presentAccordingTo(cluster.ws(0), ROOM)).containsExactly("Observer");
        assertThat(presentAccordingTo(cluster.ws(1), ROOM)).containsExactly("Observer");
    }

    private void startWithNodeOneThroughAProxy(Duration nodeTimeout) throws Exception {
        proxy = new TcpProxy(REDIS.server().port());
        RedisConfig direct = RedisConfig.standalone(REDIS.uri()).withNodeTimeout(nodeTimeout);
        RedisConfig proxied =
                RedisConfig.standalone("redis://127.0.0.1:" + proxy.port()).withNodeTimeout(nodeTimeout);
        cluster = TestCluster.start(2, i -> i == 1 ? proxied : direct, c -> c);
    }

    /** Two nodes, node 1 reaching Redis through the proxy; Alice on node 1, and who hears of her on node 0. */
    private RecordingListener observerOnNodeZeroAndAliceOnNodeOne() throws Exception {
        REDIS.assumeManaged();
        startWithNodeOneThroughAProxy(NODE_TIMEOUT);
        RecordingListener observer = new RecordingListener();
        clients.join(cluster.ws(0), "Observer", observer, ROOM);
        clients.join(cluster.ws(1), "Alice", new RecordingListener(), ROOM);
        await().atMost(Duration.ofSeconds(5)).until(() -> joinsOf(observer, "Alice") == 1);
        return observer;
    }

    @Test
    void aNodeReapedWhileAliveAnnouncesItsMembersAgainWhenItIsBack() throws Exception {
        RecordingListener observer = observerOnNodeZeroAndAliceOnNodeOne();

        proxy.freeze(); // node 1 says nothing to Redis, as if frozen, for longer than the node timeout
        try {
            await().atMost(NODE_TIMEOUT.multipliedBy(3)).until(() -> leavesOf(observer, "Alice") == 1);
        } finally {
            proxy.thaw();
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> joinsOf(observer, "Alice") == 2);
        assertThat(presentAccordingTo(cluster.ws(0), ROOM)).containsExactly("Alice", "Observer");
        assertThat(presentAccordingTo(cluster.ws(1), ROOM)).containsExactly("Alice", "Observer");
    }

    @Test
    void aNodeSilentForLessThanTheNodeTimeoutIsNotReaped() throws Exception {
        RecordingListener observer = observerOnNodeZeroAndAliceOnNodeOne();

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
        assertThat(presentAccordingTo(cluster.ws(0), ROOM)).containsExactly("Alice", "Observer");
    }
}
