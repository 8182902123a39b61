package org.kindred.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kindred.client.DeliveryTracker.JoinOutcome;
import org.kindred.client.DeliveryTracker.RoomCursor;
import org.kindred.protocol.ServerMessage.ChatMessage;
import org.kindred.protocol.ServerMessage.Joined;
import org.kindred.protocol.UserInfo;

class DeliveryTrackerTest {

    private static final UserInfo ALICE = new UserInfo("u1", "Alice", "member");

    private final DeliveryTracker tracker = new DeliveryTracker();

    @Test
    void deliversTheJoinPageInOrderOnTheFirstJoin() {
        JoinOutcome outcome = tracker.joined(joined("room", "e1", 3, false, 2, 3, 1));

        assertThat(seqs(outcome.toDeliver())).containsExactly(1L, 2L, 3L);
        assertThat(tracker.cursor("room")).contains(new RoomCursor("e1", 3));
    }

    @Test
    void dropsMessagesAlreadyDelivered() {
        tracker.joined(joined("room", "e1", 2, false, 1, 2));

        assertThat(tracker.accept(message("room", 2))).isFalse();
        assertThat(tracker.accept(message("room", 1))).isFalse();
        assertThat(tracker.accept(message("room", 3))).isTrue();
        assertThat(tracker.accept(message("room", 3))).isFalse();
        assertThat(tracker.cursor("room")).contains(new RoomCursor("e1", 3));
    }

    @Test
    void dropsMessagesOfRoomsNotJoined() {
        tracker.joined(joined("room", "e1", 0, false));

        assertThat(tracker.accept(message("elsewhere", 1))).isFalse();
    }

    @Test
    void deliversOnlyWhatIsNewWhenARejoinRecoversOverlappingHistory() {
        tracker.joined(joined("room", "e1", 2, false, 1, 2));
        tracker.accept(message("room", 3));

        JoinOutcome outcome = tracker.joined(joined("room", "e1", 5, true, 3, 4, 5));

        assertThat(seqs(outcome.toDeliver())).containsExactly(4L, 5L);
        assertThat(outcome.recovered()).isTrue();
        assertThat(tracker.accept(message("room", 5))).isFalse();
        assertThat(tracker.accept(message("room", 6))).isTrue();
    }

    @Test
    void reportsAGapWhenTheServerCouldNotRecoverEverything() {
        tracker.joined(joined("room", "e1", 2, false, 1, 2));

        JoinOutcome outcome = tracker.joined(joined("room", "e1", 60, false, 51, 60));

        assertThat(seqs(outcome.toDeliver())).containsExactly(51L, 60L);
        assertThat(outcome.recovered()).isFalse();
        assertThat(tracker.cursor("room")).contains(new RoomCursor("e1", 60));
    }

    @Test
    void startsTheSequenceAgainWhenTheEpochChanges() {
        tracker.joined(joined("room", "e1", 40, false, 39, 40));

        JoinOutcome outcome = tracker.joined(joined("room", "e2", 2, false, 1, 2));

        assertThat(seqs(outcome.toDeliver())).containsExactly(1L, 2L);
        assertThat(outcome.recovered()).isFalse();
        assertThat(tracker.cursor("room")).contains(new RoomCursor("e2", 2));
        assertThat(tracker.accept(message("room", 3))).isTrue();
    }

    @Test
    void startsTheSequenceAgainWhenTheServerLostHistoryWithoutANewEpoch() {
        tracker.joined(joined("room", "e1", 40, false, 40));

        JoinOutcome outcome = tracker.joined(joined("room", "e1", 5, true, 4, 5));

        assertThat(seqs(outcome.toDeliver())).containsExactly(4L, 5L);
        assertThat(outcome.recovered()).isFalse();
        assertThat(tracker.accept(message("room", 6))).isTrue();
    }

    @Test
    void movesTheCursorToLastSeqWhenTheJoinPageIsEmpty() {
        tracker.joined(joined("room", "e1", 50, false));

        assertThat(tracker.accept(message("room", 50))).isFalse();
        assertThat(tracker.accept(message("room", 51))).isTrue();
    }

    @Test
    void dropsDuplicatesInsideOneJoinPageAndSortsIt() {
        JoinOutcome outcome = tracker.joined(joined("room", "e1", 3, false, 3, 1, 2, 2));

        assertThat(seqs(outcome.toDeliver())).containsExactly(1L, 2L, 3L);
    }

    @Test
    void stopsDeliveringARoomOnceForgotten() {
        tracker.joined(joined("room", "e1", 0, false));
        tracker.forget("room");

        assertThat(tracker.accept(message("room", 1))).isFalse();
        assertThat(tracker.cursors()).isEmpty();
    }

    @Test
    void listsRoomsInTheOrderTheyWereJoined() {
        tracker.joined(joined("b", "e1", 0, false));
        tracker.joined(joined("a", "e1", 0, false));
        tracker.joined(joined("c", "e1", 0, false));
        tracker.accept(message("a", 1));

        assertThat(tracker.cursors().keySet()).containsExactly("b", "a", "c");
    }

    static ChatMessage message(String room, long seq) {
        return new ChatMessage(room, seq, "m" + seq, ALICE, "text " + seq, 1000 + seq, "c" + seq);
    }

    static Joined joined(String room, String epoch, long lastSeq, boolean recovered, long... seqs) {
        List<ChatMessage> messages =
                Arrays.stream(seqs).mapToObj(seq -> message(room, seq)).toList();
        return new Joined("r1", room, epoch, lastSeq, recovered, messages, false, List.of());
    }

    private static List<Long> seqs(List<ChatMessage> messages) {
        return messages.stream().map(ChatMessage::seq).toList();
    }
}
