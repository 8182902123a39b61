package org.kindred.server.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.UserInfo;
import org.kindred.server.config.KindredConfig;
import org.kindred.server.config.RoomConfig;
import org.kindred.server.testing.RawClient;
import org.kindred.server.testing.TestNode;

/**
 * Presence that respects health privacy, over real sockets on one node: members see an opaque id, never the token's
 * {@code sub}; an invisible member reads and posts without being listed or counted; a count-only room shows how many,
 * never who.
 */
class PresencePrivacyIT {

    private static final String ROOM = "diabetes";
    private static final String COUNT_ONLY = "grief";

    private TestNode node;
    private final List<RawClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        List<RoomConfig> rooms = new ArrayList<>(KindredConfig.defaults().rooms());
        rooms.add(RoomConfig.of(COUNT_ONLY, "Grief", "").withPresence("count"));
        node = TestNode.start(c -> c.ratePerSecond(1000).rateBurst(1000).rooms(rooms));
    }

    @AfterEach
    void stop() {
        clients.forEach(RawClient::close);
        node.close();
    }

    private RawClient client(String pseudonym, boolean invisible) throws Exception {
        RawClient client = RawClient.signedIn(node.ws(), node.token(pseudonym), invisible);
        clients.add(client);
        return client;
    }

    private static ServerMessage.Joined join(RawClient client, String room) {
        client.send("{\"type\":\"join\",\"ref\":\"j-" + room + "\",\"room\":\"" + room + "\"}");
        return client.await(ServerMessage.Joined.class, j -> ("j-" + room).equals(j.ref()));
    }

    @Test
    void membersSeeAStableOpaqueIdThatIsNotTheTokenSubject() throws Exception {
        RawClient robin = client("Robin", false);
        String id = robin.userId();
        join(robin, ROOM);
        RawClient sam = client("Sam", false);
        ServerMessage.Joined joined = join(sam, ROOM);

        UserInfo seen = joined.presence().stream()
                .filter(u -> u.pseudonym().equals("Robin"))
                .findFirst()
                .orElseThrow();
        assertThat(seen.id()).isEqualTo(id).matches("u[A-Za-z0-9_-]{22}").doesNotContainIgnoringCase("robin");

        robin.send("{\"type\":\"send\",\"ref\":\"s\",\"room\":\"diabetes\",\"clientMsgId\":\"c1\",\"text\":\"hi\"}");
        ServerMessage.ChatMessage message = sam.await(ServerMessage.ChatMessage.class, m -> true);
        assertThat(message.author().id()).isEqualTo(id);

        RawClient again = client("Robin", false);
        assertThat(again.userId()).isEqualTo(id);
    }

    @Test
    void anInvisibleMemberReadsAndPostsButIsNeitherListedNorCounted() throws Exception {
        RawClient ana = client("Ana", false);
        join(ana, ROOM);
        RawClient quiet = client("Quiet", true);
        ServerMessage.Joined ownJoin = join(quiet, ROOM);
        assertThat(ownJoin.presence()).extracting(UserInfo::pseudonym).containsExactly("Ana");

        RawClient ben = client("Ben", false);
        ServerMessage.Joined bensJoin = join(ben, ROOM);
        assertThat(bensJoin.presence()).extracting(UserInfo::pseudonym).containsExactlyInAnyOrder("Ana", "Ben");
        ServerMessage.PresenceJoined benArrives = ana.await(ServerMessage.PresenceJoined.class, p -> true);
        assertThat(benArrives.online()).isEqualTo(2);

        quiet.send("{\"type\":\"typing\",\"room\":\"diabetes\",\"active\":true}");
        quiet.send(
                "{\"type\":\"send\",\"ref\":\"s\",\"room\":\"diabetes\",\"clientMsgId\":\"q1\",\"text\":\"reading along\"}");
        quiet.await(ServerMessage.Ack.class, a -> "s".equals(a.ref()));
        assertThat(ben.await(ServerMessage.ChatMessage.class, m -> true)
                        .author()
                        .pseudonym())
                .isEqualTo("Quiet");
        ben.send("{\"type\":\"leave\",\"ref\":\"l\",\"room\":\"diabetes\"}");
        ben.await(ServerMessage.Left.class, l -> true);
        quiet.send("{\"type\":\"leave\",\"ref\":\"l\",\"room\":\"diabetes\"}");
        quiet.await(ServerMessage.Left.class, l -> true);

        await().atMost(Duration.ofSeconds(5))
                .until(() -> !ana.received(ServerMessage.PresenceLeft.class).isEmpty());
        assertThat(ana.received(ServerMessage.PresenceJoined.class))
                .extracting(p -> p.user().pseudonym())
                .containsExactly("Ben");
        assertThat(ana.received(ServerMessage.PresenceLeft.class))
                .extracting(p -> p.user().pseudonym())
                .containsExactly("Ben");
        assertThat(ana.received(ServerMessage.TypingEvent.class)).isEmpty();
    }

    @Test
    void aCountOnlyRoomShowsHowManyAreThereButNeverWho() throws Exception {
        RawClient ana = client("Ana", false);
        ServerMessage.Joined first = join(ana, COUNT_ONLY);
        assertThat(first.presence()).isEmpty();
        assertThat(ana.await(ServerMessage.PresenceCount.class, c -> true).online())
                .isEqualTo(1);

        RawClient ben = client("Ben", false);
        assertThat(join(ben, COUNT_ONLY).presence()).isEmpty();
        assertThat(ben.await(ServerMessage.PresenceCount.class, c -> true).online())
                .isEqualTo(2);
        await().atMost(Duration.ofSeconds(5))
                .until(() ->
                        ana.received(ServerMessage.PresenceCount.class).stream().anyMatch(c -> c.online() == 2));

        RawClient quiet = client("Quiet", true);
        join(quiet, COUNT_ONLY);
        assertThat(quiet.await(ServerMessage.PresenceCount.class, c -> true).online())
                .isEqualTo(2);

        ben.send("{\"type\":\"leave\",\"ref\":\"l\",\"room\":\"grief\"}");
        ben.await(ServerMessage.Left.class, l -> true);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> ana.received(ServerMessage.PresenceCount.class)
                                .getLast()
                                .online()
                        == 1);
        assertThat(ana.received(ServerMessage.PresenceJoined.class)).isEmpty();
        assertThat(ana.received(ServerMessage.PresenceLeft.class)).isEmpty();
    }
}
