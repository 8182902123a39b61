package org.kindred.server.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kindred.protocol.RoomInfo;
import org.kindred.protocol.ServerMessage.ChatMessage;
import org.kindred.protocol.ServerMessage.History;
import org.kindred.protocol.ServerMessage.Joined;
import org.kindred.protocol.ServerMessage.PresenceJoined;
import org.kindred.protocol.ServerMessage.PresenceLeft;
import org.kindred.protocol.ServerMessage.TypingEvent;
import org.kindred.protocol.UserInfo;
import org.kindred.server.broker.Broker.Appended;
import org.kindred.server.config.RoomConfig;
import org.kindred.server.identity.Identity;
import org.kindred.server.identity.Role;
import org.kindred.server.testing.FakeTime;
import org.kindred.server.testing.RecordingConnection;
import org.kindred.server.testing.TestRooms;

class RoomTest {

    private static final UserInfo ANA = new UserInfo("u-ana", "Ana", "member");
    private static final UserInfo BEN = new UserInfo("u-ben", "Ben", "member");

    private final FakeTime time = new FakeTime();
    private final RoomRegistry registry = registry(5, Duration.ofDays(1), Duration.ofSeconds(5));
    private final Room room = registry.find("diabetes").orElseThrow();

    private RoomRegistry registry(int historySize, Duration maxAge, Duration grace) {
        return TestRooms.registry(
                List.of(
                        RoomConfig.of("diabetes", "Diabetes", "Type 1 and 2"),
                        new RoomConfig("welcome", "Welcome", "", List.of(), Set.of("moderator"))),
                historySize,
                maxAge,
                3,
                4,
                grace,
                time);
    }

    private RecordingConnection join(Room room, UserInfo user, String connectionId, Long since, String epoch) {
        RecordingConnection connection = new RecordingConnection(connectionId);
        room.join(new RoomMember(connection, user), since, epoch, "j").join();
        return connection;
    }

    private void post(Room room, int count) {
        for (int i = 1; i <= count; i++) {
            room.publish(ANA, "c" + i + "-" + System.nanoTime(), "text " + i).join();
        }
    }

    @Test
    void deliversRoomMessagesToEveryMemberInOrder() {
        RecordingConnection ana = join(room, ANA, "a", null, null);
        RecordingConnection ben = join(room, BEN, "b", null, null);

        post(room, 3);

        for (RecordingConnection member : List.of(ana, ben)) {
            assertThat(member.received(ChatMessage.class))
                    .extracting(ChatMessage::seq)
                    .containsExactly(1L, 2L, 3L);
            assertThat(member.received(ChatMessage.class))
                    .extracting(ChatMessage::text)
                    .containsExactly("text 1", "text 2", "text 3");
        }
    }

    @Test
    void encodesEachBroadcastOnceForAllMembers() {
        RecordingConnection ana = join(room, ANA, "a", null, null);
        RecordingConnection ben = join(room, BEN, "b", null, null);
        ana.clear();
        ben.clear();

        room.publish(ANA, "c1", "hello").join();

        assertThat(ana.frames()).hasSize(1);
        assertThat(ben.frames()).hasSize(1);
        assertThat(ana.frames().getFirst()).isSameAs(ben.frames().getFirst());
    }

    @Test
    void repeatedClientMessageIdReturnsTheOriginalAckWithoutDeliveringAgain() {
        RecordingConnection ben = join(room, BEN, "b", null, null);

        Appended first = room.publish(ANA, "same", "hello").join();
        Appended again = room.publish(ANA, "same", "hello").join();

        assertThat(first.duplicate()).isFalse();
        assertThat(again.duplicate()).isTrue();
        assertThat(again.message().id()).isEqualTo(first.message().id());
        assertThat(again.message().seq()).isEqualTo(first.message().seq());
        assertThat(ben.received(ChatMessage.class)).hasSize(1);
    }

    @Test
    void sameClientMessageIdFromAnotherUserIsADifferentMessage() {
        Appended ana = room.publish(ANA, "same", "hello").join();
        Appended ben = room.publish(BEN, "same", "hello").join();

        assertThat(ben.duplicate()).isFalse();
        assertThat(ben.message().seq()).isEqualTo(ana.message().seq() + 1);
    }

    @Test
    void joinWithoutSinceReturnsTheLatestPage() {
        post(room, 4);

        Joined joined = join(room, BEN, "b", null, null).last(Joined.class);

        assertThat(joined.recovered()).isFalse();
        assertThat(joined.lastSeq()).isEqualTo(4);
        assertThat(joined.messages()).extracting(ChatMessage::seq).containsExactly(2L, 3L, 4L);
        assertThat(joined.hasMore()).isTrue();
    }

    @Test
    void joinWithSinceReturnsEveryMissedMessage() {
        post(room, 4);
        String epoch = join(room, BEN, "b0", null, null).last(Joined.class).epoch();

        Joined joined = join(room, BEN, "b1", 1L, epoch).last(Joined.class);

        assertThat(joined.recovered()).isTrue();
        assertThat(joined.messages()).extracting(ChatMessage::seq).containsExactly(2L, 3L, 4L);
    }

    @Test
    void joinWithSinceBeyondTheHistoryWindowIsNotRecoveredAndGetsTheLatestPage() {
        post(room, 8); // history keeps 5: seqs 4..8

        Joined joined = join(room, BEN, "b", 2L, null).last(Joined.class);

        assertThat(joined.recovered()).isFalse();
        assertThat(joined.messages()).extracting(ChatMessage::seq).containsExactly(6L, 7L, 8L);
    }

    @Test
    void joinWithAnotherEpochIsNotRecovered() {
        post(room, 2);

        Joined joined = join(room, BEN, "b", 1L, "some-old-epoch").last(Joined.class);

        assertThat(joined.recovered()).isFalse();
    }

    @Test
    void joinWithSinceAheadOfTheRoomIsNotRecovered() {
        post(room, 2);

        assertThat(join(room, BEN, "b", 7L, null).last(Joined.class).recovered())
                .isFalse();
    }

    @Test
    void historyForgetsMessagesOlderThanTheMaximumAge() {
        post(room, 2);
        time.advance(Duration.ofDays(2));
        post(room, 1);

        History page = room.history("u-ana", null, null, "h").join();

        assertThat(page.messages()).extracting(ChatMessage::seq).containsExactly(3L);
        assertThat(page.hasMore()).isFalse();
    }

    @Test
    void historyPagesBackwardsOldestFirstWithHasMore() {
        post(room, 5);

        History newest = room.history("u-ana", null, 2, "h1").join();
        History older = room.history("u-ana", newest.messages().getFirst().seq(), 2, "h2")
                .join();
        History oldest = room.history("u-ana", older.messages().getFirst().seq(), 2, "h3")
                .join();

        assertThat(newest.messages()).extracting(ChatMessage::seq).containsExactly(4L, 5L);
        assertThat(newest.hasMore()).isTrue();
        assertThat(older.messages()).extracting(ChatMessage::seq).containsExactly(2L, 3L);
        assertThat(oldest.messages()).extracting(ChatMessage::seq).containsExactly(1L);
        assertThat(oldest.hasMore()).isFalse();
    }

    @Test
    void historyBeforeTheFirstMessageIsEmptyWithNothingMore() {
        post(room, 5);

        History beforeOne = room.history("u-ana", 1L, 2, "h").join();

        assertThat(beforeOne.messages()).isEmpty();
        assertThat(beforeOne.hasMore()).isFalse();
    }

    @Test
    void historyPageNeverExceedsTheConfiguredMaximum() {
        post(room, 5);

        assertThat(room.history("u-ana", null, 1000, null).join().messages()).hasSize(4);
    }

    @Test
    void joinShowsWhoIsPresentAndAnnouncesTheNewcomerToOthers() {
        RecordingConnection ana = join(room, ANA, "a", null, null);

        Joined benJoined = join(room, BEN, "b", null, null).last(Joined.class);

        assertThat(benJoined.presence()).containsExactly(ANA, BEN);
        assertThat(ana.last(PresenceJoined.class).user()).isEqualTo(BEN);
        assertThat(ana.last(PresenceJoined.class).online()).isEqualTo(2);
    }

    @Test
    void aSecondDeviceOfTheSameUserCountsOnce() {
        RecordingConnection ana = join(room, ANA, "a", null, null);
        join(room, BEN, "b-phone", null, null);

        Joined laptop = join(room, BEN, "b-laptop", null, null).last(Joined.class);

        assertThat(laptop.presence()).containsExactly(ANA, BEN);
        assertThat(ana.received(PresenceJoined.class)).hasSize(1);
        assertThat(room.present()).hasSize(2);
        assertThat(registry.list(identity(Role.MEMBER)).join().stream()
                        .filter(r -> r.id().equals("diabetes"))
                        .findFirst()
                        .orElseThrow()
                        .online())
                .isEqualTo(2);
    }

    @Test
    void leavingWithOneOfTwoDevicesKeepsTheUserPresent() {
        RecordingConnection ana = join(room, ANA, "a", null, null);
        RecordingConnection phone = join(room, BEN, "b-phone", null, null);
        join(room, BEN, "b-laptop", null, null);

        room.leave(new RoomMember(phone, BEN), true);

        assertThat(ana.received(PresenceLeft.class)).isEmpty();
        assertThat(room.present()).containsExactly(ANA, BEN);
    }

    @Test
    void leavingOnPurposeAnnouncesTheLeaveAtOnce() {
        RecordingConnection ana = join(room, ANA, "a", null, null);
        RecordingConnection ben = join(room, BEN, "b", null, null);

        room.leave(new RoomMember(ben, BEN), true);

        assertThat(ana.last(PresenceLeft.class).user()).isEqualTo(BEN);
        assertThat(ana.last(PresenceLeft.class).online()).isEqualTo(1);
    }

    @Test
    void aDroppedConnectionLingersForTheGracePeriodThenLeaves() {
        RecordingConnection ana = join(room, ANA, "a", null, null);
        RecordingConnection ben = join(room, BEN, "b", null, null);

        room.leave(new RoomMember(ben, BEN), false);
        time.advance(Duration.ofSeconds(4));
        registry.expirePresence();
        assertThat(ana.received(PresenceLeft.class)).isEmpty();

        time.advance(Duration.ofSeconds(2));
        registry.expirePresence();
        assertThat(ana.last(PresenceLeft.class).user()).isEqualTo(BEN);
        assertThat(room.present()).containsExactly(ANA);
    }

    @Test
    void reconnectingWithinTheGracePeriodAnnouncesNeitherLeaveNorJoin() {
        RecordingConnection ana = join(room, ANA, "a", null, null);
        RecordingConnection ben = join(room, BEN, "b1", null, null);
        ana.clear();

        room.leave(new RoomMember(ben, BEN), false);
        time.advance(Duration.ofSeconds(3));
        join(room, BEN, "b2", null, null);
        time.advance(Duration.ofSeconds(10));
        registry.expirePresence();

        assertThat(ana.received(PresenceLeft.class)).isEmpty();
        assertThat(ana.received(PresenceJoined.class)).isEmpty();
        assertThat(room.present()).containsExactly(ANA, BEN);
    }

    @Test
    void withoutGraceADroppedConnectionLeavesAtOnce() {
        RoomRegistry noGrace = registry(5, Duration.ofDays(1), Duration.ZERO);
        Room room = noGrace.find("diabetes").orElseThrow();
        RecordingConnection ana = join(room, ANA, "a", null, null);
        RecordingConnection ben = join(room, BEN, "b", null, null);

        room.leave(new RoomMember(ben, BEN), false);

        assertThat(ana.last(PresenceLeft.class).user()).isEqualTo(BEN);
    }

    @Test
    void typingReachesOtherUsersButNotTheTypist() {
        RecordingConnection ana = join(room, ANA, "a", null, null);
        RecordingConnection ben = join(room, BEN, "b", null, null);

        room.typing(BEN, true);

        assertThat(ana.last(TypingEvent.class)).isEqualTo(new TypingEvent("diabetes", BEN, true));
        assertThat(ben.received(TypingEvent.class)).isEmpty();
        assertThat(room.history("u-ana", null, null, null).join().messages()).isEmpty();
    }

    @Test
    void roomListShowsWhetherTheViewerMayPost() {
        Room welcome = registry.find("welcome").orElseThrow();

        RoomInfo asMember = welcome.info(identity(Role.MEMBER), 0);
        RoomInfo asModerator = welcome.info(identity(Role.MODERATOR), 0);

        assertThat(asMember.writable()).isFalse();
        assertThat(asModerator.writable()).isTrue();
    }

    private static Identity identity(Role role) {
        return new Identity("u-x", "X", Set.of(role));
    }
}
