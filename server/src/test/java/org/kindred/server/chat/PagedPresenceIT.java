package org.kindred.server.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kindred.client.KindredClient;
import org.kindred.client.RoomPresence;
import org.kindred.protocol.ProtocolVersion;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.UserInfo;
import org.kindred.server.room.Room;
import org.kindred.server.testing.PresenceReplay;
import org.kindred.server.testing.RawClient;
import org.kindred.server.testing.RecordingListener;
import org.kindred.server.testing.TestNode;

/**
 * Paged presence over real sockets on one node: a capped {@code joined}, pages that list everyone once, batched
 * diffs in a busy room that converge to the truth, clients of version 1 unchanged, and the SDK's exact member list.
 */
class PagedPresenceIT {

    private static final String ROOM = "diabetes";

    private TestNode node;
    private final List<RawClient> raw = new ArrayList<>();
    private final List<KindredClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        node = TestNode.start(c -> c.ratePerSecond(1000)
                .rateBurst(1000)
                .presenceJoinedListLimit(5)
                .presencePageMax(7)
                .presenceBatchAbove(10)
                .presenceBatchInterval(Duration.ofMillis(100)));
    }

    @AfterEach
    void stop() {
        clients.forEach(KindredClient::close);
        raw.forEach(RawClient::close);
        node.close();
    }

    private RawClient member(String pseudonym, int version) throws Exception {
        RawClient client = RawClient.signedIn(node.ws(), node.token(pseudonym), version);
        raw.add(client);
        return client;
    }

    private ServerMessage.Joined join(RawClient client) {
        client.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"" + ROOM + "\"}");
        return client.await(ServerMessage.Joined.class, j -> true);
    }

    private List<RawClient> crowd(String prefix, int count) throws Exception {
        List<RawClient> crowd = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RawClient client = member(prefix + i, ProtocolVersion.CURRENT);
            join(client);
            crowd.add(client);
        }
        return crowd;
    }

    private Room room() {
        return node.node().rooms().find(ROOM).orElseThrow();
    }

    private Set<String> truth() {
        return PresenceReplay.pseudonyms(room().present());
    }

    @Test
    void welcomeConfirmsTheVersionTheClientAnnounced() throws Exception {
        RawClient current = member("Current", 2);
        RawClient old = member("Old", 1);

        assertThat(current.await(ServerMessage.Welcome.class, w -> true).protocolVersion())
                .isEqualTo(2);
        assertThat(old.await(ServerMessage.Welcome.class, w -> true).protocolVersion())
                .isEqualTo(1);
    }

    @Test
    void joinedOfABusyRoomListsTheFirstFewWithTheCountAndPagingListsEveryoneExactlyOnce() throws Exception {
        crowd("Member", 20);
        RawClient newcomer = member("Newcomer", ProtocolVersion.CURRENT);

        ServerMessage.Joined joined = join(newcomer);
        List<UserInfo> listed = new ArrayList<>(joined.presence());
        listed.addAll(PresenceReplay.pageAll(newcomer, ROOM, joined.presenceNext(), null));

        assertThat(joined.presence()).hasSize(5);
        assertThat(joined.online()).isEqualTo(21);
        assertThat(listed).doesNotHaveDuplicates();
        assertThat(PresenceReplay.pseudonyms(listed)).isEqualTo(truth());
    }

    @Test
    void aPresenceCommandForARoomNotJoinedIsRefusedWithNotInRoom() throws Exception {
        RawClient client = member("Outsider", ProtocolVersion.CURRENT);

        client.send("{\"type\":\"presence\",\"ref\":\"p\",\"room\":\"" + ROOM + "\"}");

        assertThat(client.awaitError("p").code()).isEqualTo("not_in_room");
    }

    @Test
    void aPresenceCommandWithALimitBelowOneIsRefusedWithInvalidField() throws Exception {
        RawClient client = member("Careless", ProtocolVersion.CURRENT);
        join(client);

        client.send("{\"type\":\"presence\",\"ref\":\"p\",\"room\":\"" + ROOM + "\",\"limit\":0}");

        assertThat(client.awaitError("p").code()).isEqualTo("invalid_field");
    }

    @Test
    void aClientOfVersionOneGetsTheWholeListAndOneEventPerChangeInABusyRoom() throws Exception {
        crowd("Member", 12);
        RawClient old = member("Old", 1);

        ServerMessage.Joined joined = join(old);
        assertThat(joined.presence()).hasSize(13);
        assertThat(joined.presenceNext()).isNull();

        crowd("Later", 3);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> old.received(ServerMessage.PresenceJoined.class).size() == 3);
        assertThat(old.received(ServerMessage.PresenceDiff.class)).isEmpty();
    }

    @Test
    void aBurstOfJoinsAndLeavesInABusyRoomReachesAWatcherAsDiffsThatConvergeToTheTruth() throws Exception {
        List<RawClient> first = crowd("Member", 12);
        RawClient watcher = member("Watcher", ProtocolVersion.CURRENT);
        ServerMessage.Joined joined = join(watcher);
        PresenceReplay.pageAll(watcher, ROOM, joined.presenceNext(), 3);

        crowd("Burst", 15);
        for (int i = 0; i < 6; i++) {
            first.get(i).send("{\"type\":\"leave\",\"ref\":\"l\",\"room\":\"" + ROOM + "\"}");
        }

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(PresenceReplay.pseudonyms(ROOM, watcher.received()))
                        .isEqualTo(truth()));
        assertThat(truth()).hasSize(12 + 1 + 15 - 6);
        assertThat(watcher.received(ServerMessage.PresenceDiff.class)).isNotEmpty();
        assertThat(watcher.received(ServerMessage.PresenceDiff.class).size()).isLessThan(15 + 6);
    }

    @Test
    void theSdksExactMemberListEqualsTheServersAfterAJoinBurst() throws Exception {
        crowd("Member", 18);
        KindredClient exact = KindredClient.builder()
                .url(node.wsUri())
                .token(node.token("Exact"))
                .listener(new RecordingListener())
                .exactPresence(true)
                .build();
        clients.add(exact);
        exact.connect().get(10, TimeUnit.SECONDS);
        exact.join(ROOM).get(10, TimeUnit.SECONDS);

        RoomPresence onJoin = exact.members(ROOM).orElseThrow();
        assertThat(onJoin.complete()).isTrue();
        assertThat(PresenceReplay.pseudonyms(onJoin.members())).isEqualTo(truth());

        List<RawClient> burst = crowd("Burst", 10);
        burst.get(0).send("{\"type\":\"leave\",\"ref\":\"l\",\"room\":\"" + ROOM + "\"}");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            RoomPresence now = exact.members(ROOM).orElseThrow();
            assertThat(PresenceReplay.pseudonyms(now.members())).isEqualTo(truth());
            assertThat(now.online()).isEqualTo(truth().size());
        });
    }

    @Test
    void theSdksCheapMemberListHoldsTheFirstPageAndTheCount() throws Exception {
        crowd("Member", 18);
        KindredClient cheap = KindredClient.builder()
                .url(node.wsUri())
                .token(node.token("Cheap"))
                .listener(new RecordingListener())
                .build();
        clients.add(cheap);
        cheap.connect().get(10, TimeUnit.SECONDS);
        cheap.join(ROOM).get(10, TimeUnit.SECONDS);

        RoomPresence presence = cheap.members(ROOM).orElseThrow();
        assertThat(presence.complete()).isFalse();
        assertThat(presence.members()).hasSize(5);
        assertThat(presence.online()).isEqualTo(19);
    }
}
