package org.kindred.server.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.kindred.protocol.UserInfo;
import org.kindred.server.config.ConfigException;
import org.kindred.server.config.RoomConfig;
import org.kindred.server.identity.Identity;
import org.kindred.server.testing.FakeTime;
import org.kindred.server.testing.RecordingConnection;
import org.kindred.server.testing.TestRooms;

/** How ids name rooms: configured rooms, and the kinds features add (sessions, meetings), each with its policy. */
class RoomRegistryTest {

    private static final RoomKind SESSIONS = new RoomKind("s-", "One-to-one session", Set.of());
    private static final UserInfo ANA = new UserInfo("u-ana", "Ana", "member");

    private final FakeTime time = new FakeTime();

    private RoomRegistry registry(RoomConfig... rooms) {
        return TestRooms.registry(List.of(rooms), 10, Duration.ofDays(1), 5, 10, Duration.ZERO, time);
    }

    /** Admits everyone; a stand-in for a feature's policy. */
    private static final RoomPolicy OPEN = new RoomPolicy() {
        @Override
        public CompletableFuture<Boolean> admits(Identity user, String roomId) {
            return CompletableFuture.completedFuture(true);
        }

        @Override
        public CompletableFuture<Grant> mayPost(Identity user, String roomId, String clientMsgId) {
            return CompletableFuture.completedFuture(Grant.FREE);
        }

        @Override
        public boolean known(String roomId) {
            return true;
        }
    };

    @Test
    void aConfiguredRoomWhoseIdStartsLikeASessionsIsRefusedAtStartUp() {
        RoomRegistry rooms = registry(RoomConfig.of("s-help", "Support chat", ""));

        assertThatThrownBy(() -> rooms.addKind(SESSIONS, OPEN))
                .isInstanceOf(ConfigException.class)
                .hasMessage("rooms: room id 's-help' starts with 's-', which names a one-to-one session "
                        + "(expected: an id that starts with none of [s-])");
    }

    @Test
    void aConfiguredRoomThatOnlyLooksAlikeStaysAConfiguredRoom() {
        RoomRegistry rooms = registry(RoomConfig.of("support", "Support", ""));
        rooms.addKind(SESSIONS, OPEN);

        assertThat(rooms.policyOf("support"))
                .containsSame(rooms.find("support").orElseThrow().policy());
        assertThat(rooms.policyOf("s-123")).containsSame(OPEN);
        assertThat(rooms.policyOf("nowhere")).isEmpty();
    }

    @Test
    void aFeaturesRoomLivesOnANodeWhileAConnectionThereIsInIt() {
        RoomRegistry rooms = registry(RoomConfig.of("diabetes", "Diabetes", ""));
        rooms.addKind(SESSIONS, OPEN);

        Room first = rooms.acquire("s-1");
        Room second = rooms.acquire("s-1");
        assertThat(second).isSameAs(first);
        assertThat(first.rules()).isEmpty();

        rooms.release(first);
        assertThat(rooms.existing("s-1")).containsSame(first);
        rooms.release(second);
        assertThat(rooms.existing("s-1")).isEmpty();
        assertThat(rooms.acquire("s-1")).isNotSameAs(first);
    }

    @Test
    void aConfiguredRoomStaysWhenItsLastConnectionLeaves() {
        RoomRegistry rooms = registry(RoomConfig.of("diabetes", "Diabetes", ""));
        Room room = rooms.acquire("diabetes");

        rooms.release(room);

        assertThat(rooms.existing("diabetes")).containsSame(room);
    }

    @Test
    void discardingARoomTakesEveryoneOnThisNodeOutOfIt() {
        RoomRegistry rooms = registry(RoomConfig.of("diabetes", "Diabetes", ""));
        rooms.addKind(SESSIONS, OPEN);
        Room session = rooms.acquire("s-1");
        RecordingConnection ana = new RecordingConnection("a");
        session.join(new RoomMember(ana, ANA), null, null, "j").join();
        assertThat(session.hasMembers()).isTrue();

        rooms.discard("s-1");

        assertThat(session.hasMembers()).isFalse();
    }
}
