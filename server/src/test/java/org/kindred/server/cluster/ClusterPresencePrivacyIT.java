package org.kindred.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.UserInfo;
import org.kindred.server.config.KindredConfig;
import org.kindred.server.config.RedisConfig;
import org.kindred.server.config.RoomConfig;
import org.kindred.server.redis.RedisExtension;
import org.kindred.server.testing.RawClient;
import org.kindred.server.testing.TestCluster;

/** Opaque ids, invisible members and count-only rooms hold across the nodes of a cluster. */
class ClusterPresencePrivacyIT {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    private TestCluster cluster;

    @BeforeEach
    void start() throws Exception {
        REDIS.flushAll();
        List<RoomConfig> rooms = new ArrayList<>(KindredConfig.defaults().rooms());
        rooms.add(RoomConfig.of("grief", "Grief", "").withPresence("count"));
        cluster = TestCluster.start(
                2,
                RedisConfig.standalone(REDIS.uri()).withNodeTimeout(Duration.ofSeconds(3)),
                c -> c.ratePerSecond(1000).rateBurst(1000).rooms(rooms));
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private RawClient client(int node, String pseudonym, boolean invisible) throws Exception {
        return cluster.signedIn(node, pseudonym, invisible);
    }

    private static ServerMessage.Joined join(RawClient client, String room) {
        client.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"" + room + "\"}");
        return client.await(ServerMessage.Joined.class, j -> "j".equals(j.ref()));
    }

    @Test
    void aUserHasTheSameOpaqueIdOnEveryNode() throws Exception {
        String onFirst = client(0, "Robin", false).userId();
        String onSecond = client(1, "Robin", false).userId();

        assertThat(onFirst)
                .isEqualTo(onSecond)
                .isEqualTo(TestCluster.userId("Robin"))
                .doesNotContain("robin");
    }

    @Test
    void anInvisibleMemberOnAnotherNodeIsNeitherListedNorCounted() throws Exception {
        RawClient ana = client(0, "Ana", false);
        join(ana, "diabetes");
        RawClient quiet = client(1, "Quiet", true);
        join(quiet, "diabetes");
        RawClient ben = client(1, "Ben", false);
        join(ben, "diabetes");

        ServerMessage.PresenceJoined arrival = ana.await(ServerMessage.PresenceJoined.class, p -> true);
        assertThat(arrival.user().pseudonym()).isEqualTo("Ben");
        assertThat(arrival.online()).isEqualTo(2);
        RawClient late = client(0, "Late", false);
        assertThat(join(late, "diabetes").presence())
                .extracting(UserInfo::pseudonym)
                .containsExactlyInAnyOrder("Ana", "Ben", "Late");
        assertThat(ana.received(ServerMessage.PresenceJoined.class))
                .extracting(p -> p.user().pseudonym())
                .doesNotContain("Quiet");
    }

    @Test
    void aCountOnlyRoomCountsMembersOfEveryNode() throws Exception {
        RawClient ana = client(0, "Ana", false);
        assertThat(join(ana, "grief").presence()).isEmpty();
        RawClient ben = client(1, "Ben", false);
        assertThat(join(ben, "grief").presence()).isEmpty();

        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        ana.received(ServerMessage.PresenceCount.class).stream().anyMatch(c -> c.online() == 2));
        assertThat(ben.await(ServerMessage.PresenceCount.class, c -> true).online())
                .isEqualTo(2);
        assertThat(ana.received(ServerMessage.PresenceJoined.class)).isEmpty();
    }
}
