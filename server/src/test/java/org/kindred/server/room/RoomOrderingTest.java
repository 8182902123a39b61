package org.kindred.server.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.ChatMessage;
import org.kindred.protocol.UserInfo;
import org.kindred.server.broker.Broker;
import org.kindred.server.broker.LocalBroker;
import org.kindred.server.broker.RoomFeed;
import org.kindred.server.config.RoomConfig;
import org.kindred.server.metrics.MicrometerMetrics;
import org.kindred.server.testing.FakeTime;
import org.kindred.server.testing.RecordingConnection;
import org.kindred.server.testing.TestRooms;

/** A room delivers by sequence number whatever its feed does: pub/sub may lose or repeat, never the members. */
class RoomOrderingTest {

    private static final UserInfo ANA = new UserInfo("u-ana", "Ana", "member");

    private final FakeTime time = new FakeTime();
    private final LossyBroker broker = new LossyBroker(TestRooms.localBroker(100, Duration.ofDays(1), time));
    private final MicrometerMetrics metrics = new MicrometerMetrics();
    private final Room room = TestRooms.registry(
                    List.of(RoomConfig.of("pain", "Chronic pain", "")), broker, metrics, time)
            .find("pain")
            .orElseThrow();
    private final RecordingConnection member = new RecordingConnection("m");

    private List<Long> delivered() {
        return member.received(ChatMessage.class).stream().map(ChatMessage::seq).toList();
    }

    private int posted;

    @AfterEach
    void closeMetrics() {
        metrics.close();
    }

    private void post(int count) {
        for (int i = 1; i <= count; i++) {
            posted++;
            room.publish(ANA, "c" + posted, "text " + posted).join();
        }
    }

    @Test
    void fillsAGapLeftByLostEventsBeforeDeliveringWhatFollows() {
        room.join(new RoomMember(member, ANA), null, null, "j").join();
        broker.drop(2, 3);

        post(5);

        assertThat(delivered()).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void aGapReadBackFromHistoryCountsOneBackfillAndTheMessagesItFound() {
        room.join(new RoomMember(member, ANA), null, null, "j").join();
        broker.drop(2, 3);

        post(5);

        assertThat(metrics.scrape())
                .contains("kindred_room_backfills_total 1.0")
                .contains("kindred_room_backfilled_messages_total 2.0");
    }

    @Test
    void aResyncThatFindsNothingMissingIsNoBackfill() {
        room.join(new RoomMember(member, ANA), null, null, "j").join();
        post(3);

        room.onResync();

        assertThat(delivered()).containsExactly(1L, 2L, 3L);
        assertThat(metrics.scrape())
                .contains("kindred_room_backfills_total 0.0")
                .contains("kindred_room_backfilled_messages_total 0.0");
    }

    @Test
    void aLostLastMessageArrivesWithTheNextResync() {
        room.join(new RoomMember(member, ANA), null, null, "j").join();
        broker.drop(3);
        post(3);
        assertThat(delivered()).containsExactly(1L, 2L);

        room.onResync();

        assertThat(delivered()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aRepeatedEventIsDeliveredOnce() {
        room.join(new RoomMember(member, ANA), null, null, "j").join();
        post(2);

        broker.replay(2);

        assertThat(delivered()).containsExactly(1L, 2L);
    }

    @Test
    void aMemberJoiningMidStreamGetsTheJoinReplyThenOnlyNewerMessages() {
        RecordingConnection early = new RecordingConnection("early");
        room.join(new RoomMember(early, ANA), null, null, "j").join();
        post(3);

        room.join(new RoomMember(member, new UserInfo("u-ben", "Ben", "member")), 1L, null, "j2")
                .join();
        post(1);

        ServerMessage.Joined joined = member.last(ServerMessage.Joined.class);
        assertThat(joined.messages()).extracting(ChatMessage::seq).containsExactly(2L, 3L);
        assertThat(joined.recovered()).isTrue();
        assertThat(delivered()).containsExactly(4L);
    }

    /** The in-memory broker with a pub/sub that loses or repeats chosen events, as a flaky Redis link would. */
    private static final class LossyBroker implements Broker {
        private final LocalBroker delegate;
        private final Set<Long> lost = ConcurrentHashMap.newKeySet();
        private final java.util.Map<Long, ChatMessage> seen = new ConcurrentHashMap<>();
        private volatile RoomFeed feed;
        private volatile String epoch;

        LossyBroker(LocalBroker delegate) {
            this.delegate = delegate;
        }

        void drop(long... seqs) {
            for (long seq : seqs) {
                lost.add(seq);
            }
        }

        void replay(long seq) {
            feed.onMessage(epoch, seen.get(seq));
        }

        @Override
        public CompletableFuture<Void> subscribe(String room, RoomFeed target) {
            feed = target;
            return delegate.subscribe(room, new RoomFeed() {
                @Override
                public void onMessage(String messageEpoch, ChatMessage message) {
                    epoch = messageEpoch;
                    seen.put(message.seq(), message);
                    if (!lost.contains(message.seq())) {
                        target.onMessage(messageEpoch, message);
                    }
                }

                @Override
                public void onPresenceJoined(ServerMessage.PresenceJoined event) {
                    target.onPresenceJoined(event);
                }

                @Override
                public void onPresenceLeft(ServerMessage.PresenceLeft event) {
                    target.onPresenceLeft(event);
                }

                @Override
                public void onTyping(ServerMessage.TypingEvent event) {
                    target.onTyping(event);
                }

                @Override
                public void onDeleted(ServerMessage.MessageDeleted event) {
                    target.onDeleted(event);
                }

                @Override
                public void onEdited(ServerMessage.MessageEdited event) {
                    target.onEdited(event);
                }

                @Override
                public void onResync() {
                    target.onResync();
                }
            });
        }

        @Override
        public CompletableFuture<Appended> append(String room, UserInfo author, String clientMsgId, String text) {
            return delegate.append(room, author, clientMsgId, text);
        }

        @Override
        public CompletableFuture<Slice> readAfter(String room, long afterSeq, int limit) {
            return delegate.readAfter(room, afterSeq, limit);
        }

        @Override
        public CompletableFuture<Slice> readBefore(String room, long beforeSeq, int limit) {
            return delegate.readBefore(room, beforeSeq, limit);
        }

        @Override
        public void unsubscribe(String room) {
            delegate.unsubscribe(room);
        }

        @Override
        public void typing(String room, UserInfo user, boolean active) {
            delegate.typing(room, user, active);
        }

        @Override
        public CompletableFuture<Void> presenceJoin(String room, UserInfo user) {
            return delegate.presenceJoin(room, user);
        }

        @Override
        public CompletableFuture<Void> presenceLeave(String room, String userId) {
            return delegate.presenceLeave(room, userId);
        }

        @Override
        public CompletableFuture<List<UserInfo>> presence(String room) {
            return delegate.presence(room);
        }

        @Override
        public CompletableFuture<java.util.Optional<ChatMessage>> redact(String room, long seq, String reason) {
            return delegate.redact(room, seq, reason);
        }

        @Override
        public CompletableFuture<Boolean> edit(ChatMessage current, ChatMessage edited) {
            return delegate.edit(current, edited);
        }

        @Override
        public CompletableFuture<Void> erase(String room) {
            return delegate.erase(room);
        }

        @Override
        public CompletableFuture<Void> forget(String room) {
            return delegate.forget(room);
        }

        @Override
        public boolean ready() {
            return true;
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
