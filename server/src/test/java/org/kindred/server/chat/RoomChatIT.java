package org.kindred.server.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kindred.client.KindredClient;
import org.kindred.client.ReconnectPolicy;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.Ack;
import org.kindred.server.testing.RawClient;
import org.kindred.server.testing.RecordingListener;
import org.kindred.server.testing.TcpProxy;
import org.kindred.server.testing.TestNode;

/** Members chatting in a room through the real client SDK against a real node. */
class RoomChatIT {

    private static final String ROOM = "diabetes";

    private TestNode node;
    private final List<KindredClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        node = TestNode.start(c -> c.ratePerSecond(1000).rateBurst(1000));
    }

    @AfterEach
    void stop() {
        clients.forEach(KindredClient::close);
        node.close();
    }

    private KindredClient client(String pseudonym, RecordingListener listener) throws Exception {
        return client(node.wsUri(), pseudonym, listener);
    }

    private KindredClient client(URI uri, String pseudonym, RecordingListener listener) throws Exception {
        KindredClient client = KindredClient.builder()
                .url(uri)
                .token(node.token(pseudonym))
                .listener(listener)
                .reconnect(ReconnectPolicy.builder()
                        .initialDelay(Duration.ofMillis(50))
                        .maxDelay(Duration.ofMillis(200))
                        .build())
                .build();
        clients.add(client);
        client.connect().get(10, TimeUnit.SECONDS);
        return client;
    }

    private static List<Long> oneTo(long n) {
        return LongStream.rangeClosed(1, n).boxed().toList();
    }

    @Test
    void deliversRoomMessagesToEveryMemberInOrder() throws Exception {
        List<RecordingListener> listeners =
                List.of(new RecordingListener(), new RecordingListener(), new RecordingListener());
        List<KindredClient> members = new ArrayList<>();
        for (int i = 0; i < listeners.size(); i++) {
            KindredClient member = client("Member" + i, listeners.get(i));
            member.join(ROOM).get(10, TimeUnit.SECONDS);
            members.add(member);
        }

        List<CompletableFuture<Ack>> acks = new ArrayList<>();
        for (int n = 0; n < 20; n++) {
            for (int i = 0; i < members.size(); i++) {
                acks.add(members.get(i).send(ROOM, "from " + i + " #" + n));
            }
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);

        for (RecordingListener listener : listeners) {
            await().until(() -> listener.messages.size() == 60);
            assertThat(listener.seqs(ROOM)).containsExactlyElementsOf(oneTo(60));
            assertThat(listener.texts(ROOM)).isEqualTo(listeners.getFirst().texts(ROOM));
        }
        for (int i = 0; i < members.size(); i++) {
            int sender = i;
            List<String> own = listeners.getFirst().texts(ROOM).stream()
                    .filter(t -> t.startsWith("from " + sender + " "))
                    .toList();
            assertThat(own)
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 20)
                            .mapToObj(n -> "from " + sender + " #" + n)
                            .toList());
        }
    }

    @Test
    void showsRecentHistoryOnJoin() throws Exception {
        KindredClient ana = client("Ana", new RecordingListener());
        ana.join(ROOM).get(10, TimeUnit.SECONDS);
        for (int i = 1; i <= 5; i++) {
            ana.send(ROOM, "earlier " + i).get(10, TimeUnit.SECONDS);
        }

        RecordingListener benSees = new RecordingListener();
        ServerMessage.Joined joined = client("Ben", benSees).join(ROOM).get(10, TimeUnit.SECONDS);

        assertThat(joined.messages())
                .extracting(ServerMessage.ChatMessage::text)
                .containsExactly("earlier 1", "earlier 2", "earlier 3", "earlier 4", "earlier 5");
        assertThat(joined.presence()).extracting(u -> u.pseudonym()).containsExactlyInAnyOrder("Ana", "Ben");
        await().until(() -> benSees.messages.size() == 5);
        assertThat(benSees.seqs(ROOM)).containsExactlyElementsOf(oneTo(5));
    }

    @Test
    void resumesAfterADroppedConnectionWithNothingLostOrDoubled() throws Exception {
        try (TcpProxy flakyNetwork = new TcpProxy(node.node().port())) {
            RecordingListener phoneSees = new RecordingListener();
            KindredClient phone = client(URI.create(flakyNetwork.ws()), "Phone", phoneSees);
            KindredClient desk = client("Desk", new RecordingListener());
            phone.join(ROOM).get(10, TimeUnit.SECONDS);
            desk.join(ROOM).get(10, TimeUnit.SECONDS);

            for (int i = 1; i <= 10; i++) {
                desk.send(ROOM, "before " + i).get(10, TimeUnit.SECONDS);
            }
            await().until(() -> phoneSees.messages.size() == 10);

            flakyNetwork.dropConnections();
            await().until(() -> !phoneSees.disconnects.isEmpty());
            CompletableFuture<Ack> sentWhileOffline = phone.send(ROOM, "from the tunnel");
            for (int i = 1; i <= 10; i++) {
                desk.send(ROOM, "during " + i).get(10, TimeUnit.SECONDS);
            }

            Ack offlineAck = sentWhileOffline.get(20, TimeUnit.SECONDS);
            for (int i = 1; i <= 10; i++) {
                desk.send(ROOM, "after " + i).get(10, TimeUnit.SECONDS);
            }

            await().atMost(Duration.ofSeconds(20)).until(() -> phoneSees.messages.size() == 31);
            assertThat(phoneSees.seqs(ROOM)).containsExactlyElementsOf(oneTo(31));
            assertThat(phoneSees.texts(ROOM)).containsOnlyOnce("from the tunnel");
            assertThat(phoneSees.resumed).contains(ROOM + ":true");
            assertThat(offlineAck.seq()).isBetween(11L, 31L);
        }
    }

    @Test
    void aResentClientMessageIdIsAcknowledgedAgainButDeliveredOnce() throws Exception {
        RecordingListener anaSees = new RecordingListener();
        client("Ana", anaSees).join(ROOM).get(10, TimeUnit.SECONDS);
        try (RawClient ben = RawClient.signedIn(node.ws(), node.token("Ben"))) {
            ben.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"diabetes\"}");
            ben.await(ServerMessage.Joined.class, j -> true);
            String send =
                    "{\"type\":\"send\",\"ref\":\"%s\",\"room\":\"diabetes\",\"clientMsgId\":\"same-id\",\"text\":\"once\"}";

            ben.send(send.formatted("first"));
            Ack first = ben.await(Ack.class, a -> "first".equals(a.ref()));
            ben.send(send.formatted("again"));
            Ack again = ben.await(Ack.class, a -> "again".equals(a.ref()));

            assertThat(again.duplicate()).isTrue();
            assertThat(again.id()).isEqualTo(first.id());
            assertThat(again.seq()).isEqualTo(first.seq());
            ben.send(
                    "{\"type\":\"send\",\"ref\":\"next\",\"room\":\"diabetes\",\"clientMsgId\":\"other\",\"text\":\"next\"}");
            await().until(() -> anaSees.messages.size() == 2);
            assertThat(anaSees.texts(ROOM)).containsExactly("once", "next");
            assertThat(ben.received(ServerMessage.ChatMessage.class)).hasSize(2);
        }
    }

    @Test
    void theSenderGetsItsOwnMessageAndItsAckSeparatelyMatchedByClientMsgId() throws Exception {
        try (RawClient sender = RawClient.signedIn(node.ws(), node.token("Ana"))) {
            sender.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"diabetes\"}");
            sender.await(ServerMessage.Joined.class, j -> true);

            sender.send("{\"type\":\"send\",\"ref\":\"s\",\"room\":\"diabetes\",\"clientMsgId\":\"c-own\","
                    + "\"text\":\"hello\"}");

            ServerMessage.Ack ack = sender.await(ServerMessage.Ack.class, a -> "s".equals(a.ref()));
            ServerMessage.ChatMessage own =
                    sender.await(ServerMessage.ChatMessage.class, m -> "c-own".equals(m.clientMsgId()));
            // docs/protocol.md: the two travel separately, in either order; clientMsgId and seq pair them.
            assertThat(own.seq()).isEqualTo(ack.seq());
            assertThat(own.id()).isEqualTo(ack.id());
            assertThat(sender.received(ServerMessage.ChatMessage.class)).hasSize(1);
        }
    }

    @Test
    void countsAUserOnTwoDevicesOnce() throws Exception {
        RecordingListener anaSees = new RecordingListener();
        KindredClient ana = client("Ana", anaSees);
        ana.join(ROOM).get(10, TimeUnit.SECONDS);

        KindredClient benPhone = client("Ben", new RecordingListener());
        KindredClient benLaptop = client("Ben", new RecordingListener());
        benPhone.join(ROOM).get(10, TimeUnit.SECONDS);
        ServerMessage.Joined laptopJoined = benLaptop.join(ROOM).get(10, TimeUnit.SECONDS);

        // Listed in the order of their opaque ids, which follows no order of names.
        assertThat(laptopJoined.presence()).extracting(u -> u.pseudonym()).containsExactlyInAnyOrder("Ana", "Ben");
        // Ana hears of Ben once, however many devices he joins from (the event may still be on its way).
        await().until(() -> anaSees.joins.size() == 1);
        await().during(Duration.ofMillis(300)).until(() -> anaSees.joins.size() == 1);

        benPhone.leave(ROOM).get(10, TimeUnit.SECONDS);
        await().during(Duration.ofMillis(300)).until(() -> anaSees.leaves.isEmpty());

        benLaptop.leave(ROOM).get(10, TimeUnit.SECONDS);
        await().until(() -> anaSees.leaves.size() == 1);
        assertThat(anaSees.leaves.getFirst().user().pseudonym()).isEqualTo("Ben");
        assertThat(anaSees.leaves.getFirst().online()).isEqualTo(1);
    }

    @Test
    void showsTypingToOthersAndStoresNothing() throws Exception {
        RecordingListener anaSees = new RecordingListener();
        RecordingListener benSees = new RecordingListener();
        KindredClient ana = client("Ana", anaSees);
        KindredClient ben = client("Ben", benSees);
        ana.join(ROOM).get(10, TimeUnit.SECONDS);
        ben.join(ROOM).get(10, TimeUnit.SECONDS);

        ben.typing(ROOM, true);
        ben.typing(ROOM, false);

        await().until(() -> anaSees.typing.size() == 2);
        assertThat(anaSees.typing).extracting(ServerMessage.TypingEvent::active).containsExactly(true, false);
        assertThat(anaSees.typing.getFirst().user().pseudonym()).isEqualTo("Ben");
        assertThat(benSees.typing).isEmpty();
        assertThat(ana.history(ROOM, null, null).get(10, TimeUnit.SECONDS).messages())
                .isEmpty();
    }

    @Test
    void pagesBackThroughHistory() throws Exception {
        KindredClient ana = client("Ana", new RecordingListener());
        ana.join(ROOM).get(10, TimeUnit.SECONDS);
        for (int i = 1; i <= 7; i++) {
            ana.send(ROOM, "m" + i).get(10, TimeUnit.SECONDS);
        }

        ServerMessage.History newest = ana.history(ROOM, null, 3).get(10, TimeUnit.SECONDS);
        ServerMessage.History older =
                ana.history(ROOM, newest.messages().getFirst().seq(), 3).get(10, TimeUnit.SECONDS);

        assertThat(newest.messages())
                .extracting(ServerMessage.ChatMessage::text)
                .containsExactly("m5", "m6", "m7");
        assertThat(older.messages()).extracting(ServerMessage.ChatMessage::text).containsExactly("m2", "m3", "m4");
        assertThat(older.hasMore()).isTrue();
    }
}
