package org.kindred.server.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kindred.protocol.ServerMessage.Joined;
import org.kindred.protocol.ServerMessage.Presence;
import org.kindred.protocol.ServerMessage.PresenceDiff;
import org.kindred.protocol.ServerMessage.PresenceJoined;
import org.kindred.protocol.ServerMessage.PresenceLeft;
import org.kindred.protocol.UserInfo;
import org.kindred.protocol.WireCodec;
import org.kindred.server.config.PresenceConfig;
import org.kindred.server.config.RoomConfig;
import org.kindred.server.metrics.KindredMetrics;
import org.kindred.server.runtime.Time;
import org.kindred.server.testing.FakeTime;
import org.kindred.server.testing.ManualScheduler;
import org.kindred.server.testing.PresenceReplay;
import org.kindred.server.testing.RecordingConnection;
import org.kindred.server.testing.TestRooms;

/**
 * Presence for clients of protocol version 2: a capped {@code joined} list with the count and a cursor, pages of the
 * rest, and one {@code presence_diff} per interval in a busy room — while clients of version 1 keep the whole list and
 * an event per change. The batch interval runs on a fake clock and a manual scheduler.
 */
class RoomPresenceTest {

    private static final PresenceConfig CONFIG = new PresenceConfig(3, 4, 5, Duration.ofMillis(250));

    private final FakeTime time = new FakeTime();
    private final ManualScheduler scheduler = new ManualScheduler(time);
    private final Set<String> blocked = new HashSet<>();
    private final RoomRegistry registry = new RoomRegistry(
            List.of(RoomConfig.of("diabetes", "Diabetes", "Type 1 and 2")),
            new PagingConfig(3, 4, 5),
            CONFIG,
            Duration.ZERO,
            new WireCodec(),
            KindredMetrics.NOOP,
            TestRooms.localBroker(5, Duration.ofDays(1), time),
            new Time(time, time, scheduler, Runnable::run),
            (a, b) -> blocked.contains(a + "|" + b) || blocked.contains(b + "|" + a));
    private final Room room = registry.find("diabetes").orElseThrow();

    private static UserInfo user(int n) {
        return new UserInfo(String.format("u-%03d", n), "User " + n, "member");
    }

    private RecordingConnection join(UserInfo user, boolean paged) {
        RecordingConnection connection = new RecordingConnection("c-" + user.id() + "-" + paged);
        room.join(new RoomMember(connection, user, paged), null, null, "j").join();
        return connection;
    }

    private void leave(RecordingConnection connection, UserInfo user, boolean paged) {
        room.leave(new RoomMember(connection, user, paged), true);
    }

    private List<UserInfo> everyPage(UserInfo viewer, RecordingConnection connection, Joined joined) {
        List<UserInfo> seen = new ArrayList<>(joined.presence());
        String cursor = joined.presenceNext();
        while (cursor != null) {
            room.sendPresencePage(new RoomMember(connection, viewer, true), cursor, null, "p");
            Presence page = connection.last(Presence.class);
            assertThat(page.users()).hasSizeLessThanOrEqualTo(CONFIG.pageMax());
            seen.addAll(page.users());
            cursor = page.next();
        }
        return seen;
    }

    private void endInterval() {
        time.advance(CONFIG.batchInterval());
        scheduler.runDue();
    }

    @Test
    void joinedListsAtMostTheLimitWithTheCountAndACursor() {
        for (int i = 1; i <= 9; i++) {
            join(user(i), true);
        }

        Joined joined = join(user(10), true).last(Joined.class);

        assertThat(joined.presence()).extracting(UserInfo::id).containsExactly("u-001", "u-002", "u-003");
        assertThat(joined.online()).isEqualTo(10);
        assertThat(joined.presenceNext()).isEqualTo("u-003");
    }

    @Test
    void aSmallRoomsJoinedListsEveryoneWithoutACursor() {
        join(user(1), true);

        Joined joined = join(user(2), true).last(Joined.class);

        assertThat(joined.presence()).containsExactly(user(1), user(2));
        assertThat(joined.online()).isEqualTo(2);
        assertThat(joined.presenceNext()).isNull();
    }

    @Test
    void pagingFromTheJoinedCursorReturnsEveryMemberExactlyOnce() {
        for (int i = 1; i <= 10; i++) {
            join(user(i), true);
        }
        RecordingConnection viewer = join(user(11), true);

        List<UserInfo> seen = everyPage(user(11), viewer, viewer.last(Joined.class));

        assertThat(seen).doesNotHaveDuplicates();
        assertThat(Set.copyOf(seen)).isEqualTo(Set.copyOf(room.present()));
        assertThat(seen).hasSize(11);
    }

    @Test
    void aPageResumesAfterItsCursorEvenWhenTheUserOfTheCursorLeft() {
        List<RecordingConnection> connections = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            connections.add(join(user(i), true));
        }
        RecordingConnection viewer = join(user(9), true);
        String cursor = viewer.last(Joined.class).presenceNext(); // u-003

        leave(connections.get(2), user(3), true);
        room.sendPresencePage(new RoomMember(viewer, user(9), true), cursor, 2, "p");

        assertThat(viewer.last(Presence.class).users()).extracting(UserInfo::id).containsExactly("u-004", "u-005");
        assertThat(viewer.last(Presence.class).next()).isEqualTo("u-005");
    }

    @Test
    void aPageIsNeverLargerThanTheMaximumWhateverTheClientAsks() {
        for (int i = 1; i <= 9; i++) {
            join(user(i), true);
        }
        RecordingConnection viewer = join(user(10), true);

        room.sendPresencePage(new RoomMember(viewer, user(10), true), null, 1000, "p");

        assertThat(viewer.last(Presence.class).users()).hasSize(CONFIG.pageMax());
        assertThat(viewer.last(Presence.class).online()).isEqualTo(10);
    }

    @Test
    void aClientOfVersionOneGetsTheWholeListAndAnEventPerChangeEvenInABusyRoom() {
        for (int i = 1; i <= 9; i++) {
            join(user(i), true);
        }
        RecordingConnection old = join(user(10), false);

        assertThat(old.last(Joined.class).presence()).hasSize(10);
        assertThat(old.last(Joined.class).presenceNext()).isNull();

        join(user(11), true);
        assertThat(old.last(PresenceJoined.class).user()).isEqualTo(user(11));
        assertThat(old.last(PresenceJoined.class).online()).isEqualTo(11);
        endInterval();
        assertThat(old.received(PresenceDiff.class)).isEmpty();
    }

    @Test
    void aSmallRoomTellsEachChangeAtOnce() {
        RecordingConnection watcher = join(user(1), true);

        RecordingConnection other = join(user(2), true);
        leave(other, user(2), true);

        assertThat(watcher.received(PresenceJoined.class))
                .extracting(PresenceJoined::user)
                .containsExactly(user(2));
        assertThat(watcher.received(PresenceLeft.class))
                .extracting(PresenceLeft::user)
                .containsExactly(user(2));
        endInterval();
        assertThat(watcher.received(PresenceDiff.class)).isEmpty();
    }

    @Test
    void aBusyRoomTellsTheChangesOfOneIntervalAsOneDiffWhenTheIntervalEnds() {
        RecordingConnection watcher = join(user(1), true);
        List<RecordingConnection> others = new ArrayList<>();
        for (int i = 2; i <= 6; i++) {
            others.add(join(user(i), true));
        }
        endInterval();
        int diffsBefore = watcher.received(PresenceDiff.class).size();
        int singlesBefore = watcher.received(PresenceJoined.class).size();

        join(user(7), true);
        join(user(8), true);
        leave(others.getFirst(), user(2), true);
        time.advance(CONFIG.batchInterval().minusMillis(1));
        scheduler.runDue();
        assertThat(watcher.received(PresenceDiff.class)).hasSize(diffsBefore);
        time.advance(Duration.ofMillis(1));
        scheduler.runDue();

        assertThat(watcher.received(PresenceJoined.class)).hasSize(singlesBefore);
        PresenceDiff diff = watcher.last(PresenceDiff.class);
        assertThat(watcher.received(PresenceDiff.class)).hasSize(diffsBefore + 1);
        assertThat(diff.joins()).containsExactly(user(7), user(8));
        assertThat(diff.leaves()).containsExactly(user(2));
        assertThat(diff.online()).isEqualTo(7);
    }

    @Test
    void someoneWhoCameAndWentWithinOneIntervalIsNotTold() {
        RecordingConnection watcher = join(user(1), true);
        for (int i = 2; i <= 6; i++) {
            join(user(i), true);
        }
        endInterval();
        int diffsBefore = watcher.received(PresenceDiff.class).size();

        RecordingConnection passing = join(user(7), true);
        leave(passing, user(7), true);
        endInterval();

        assertThat(watcher.received(PresenceDiff.class)).hasSize(diffsBefore);
    }

    @Test
    void aMemberWhoJoinedMidIntervalStillHearsThatSomeoneInItsSnapshotLeft() {
        for (int i = 1; i <= 6; i++) {
            join(user(i), true);
        }
        endInterval();
        RecordingConnection passing = join(user(7), true);
        RecordingConnection late = join(user(8), true);
        assertThat(late.last(Joined.class).online()).isEqualTo(8);
        everyPage(user(8), late, late.last(Joined.class));

        leave(passing, user(7), true);
        endInterval();

        assertThat(late.last(PresenceDiff.class).leaves()).contains(user(7));
        assertThat(converged(late)).isEqualTo(ids(room.present()));
    }

    @Test
    void applyingJoinedPagesAndDiffsInOrderConvergesToThePresenceAfterAChurn() {
        Map<UserInfo, RecordingConnection> in = new LinkedHashMap<>();
        for (int i = 1; i <= 12; i++) {
            in.put(user(i), join(user(i), true));
        }
        RecordingConnection viewer = join(user(50), true);
        Joined joined = viewer.last(Joined.class);
        // Churn between the pages: some leave, others arrive, an interval ends half way.
        room.sendPresencePage(new RoomMember(viewer, user(50), true), joined.presenceNext(), 2, "p");
        leave(in.remove(user(1)), user(1), true);
        leave(in.remove(user(9)), user(9), true);
        in.put(user(20), join(user(20), true));
        endInterval();
        String cursor = viewer.last(Presence.class).next();
        while (cursor != null) {
            room.sendPresencePage(new RoomMember(viewer, user(50), true), cursor, 2, "p");
            cursor = viewer.last(Presence.class).next();
            if (in.size() > 10) {
                UserInfo gone = in.keySet().iterator().next();
                leave(in.remove(gone), gone, true);
            }
        }
        in.put(user(21), join(user(21), true));
        endInterval();

        assertThat(converged(viewer)).isEqualTo(ids(room.present()));
    }

    @Test
    void blockedUsersAreLeftOutOfPagesAndDiffs() {
        for (int i = 1; i <= 6; i++) {
            join(user(i), true);
        }
        blocked.add("u-099|u-002");
        RecordingConnection viewer = join(user(99), true);
        endInterval();

        assertThat(everyPage(user(99), viewer, viewer.last(Joined.class)))
                .extracting(UserInfo::id)
                .doesNotContain("u-002");
        blocked.add("u-099|u-007");
        join(user(7), true);
        join(user(8), true);
        endInterval();
        assertThat(viewer.last(PresenceDiff.class).joins()).containsExactly(user(8));
    }

    /** What a client has after applying, in order, everything it received: joined, pages and events. */
    private static Set<String> converged(RecordingConnection connection) {
        return PresenceReplay.present("diabetes", connection.received(), UserInfo::id);
    }

    private static Set<String> ids(List<UserInfo> users) {
        Set<String> ids = new HashSet<>();
        users.forEach(u -> ids.add(u.id()));
        return ids;
    }
}
