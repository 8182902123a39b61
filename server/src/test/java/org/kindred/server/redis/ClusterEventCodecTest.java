package org.kindred.server.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one wire form of what nodes tell each other. */
class ClusterEventCodecTest {

    @Test
    void everyKindOfEventComesBackAsItWasSent() {
        List<ClusterEvent> events = List.of(
                new ClusterEvent.RoomMessage("e1", "{\"type\":\"message\",\"text\":\"two\\nlines\"}"),
                new ClusterEvent.PresenceJoined("{\"type\":\"presence_joined\"}"),
                new ClusterEvent.PresenceLeft("{\"type\":\"presence_left\"}"),
                new ClusterEvent.Typing("{\"type\":\"typing\"}"),
                new ClusterEvent.Deleted("{\"type\":\"message_deleted\"}"),
                new ClusterEvent.ToUser("u-1", "{}"),
                new ClusterEvent.ToUserExcept("u-1", "node-a/c7", "{}"),
                new ClusterEvent.ToModerators("{}"),
                new ClusterEvent.EntitiesChanged("node-a", "[{\"k\":\"mentor:u1\",\"v\":2,\"d\":\"\"}]"),
                new ClusterEvent.Evict("s-1", "u-1"),
                new ClusterEvent.CloseRoom("s-1"),
                new ClusterEvent.SanctionApplied("{\"kind\":\"timeout\"}"),
                new ClusterEvent.SanctionLifted("{\"kind\":\"timeout\"}"),
                new ClusterEvent.Blocked("u-1", "u-2"),
                new ClusterEvent.Unblocked("u-1", "u-2"));

        for (ClusterEvent event : events) {
            assertThat(ClusterEventCodec.decode(ClusterEventCodec.encode(event)))
                    .isEqualTo(event);
        }
    }

    /** The old framings put user ids where control words went: a user called "*changed" was a notice. */
    @Test
    void aUserIdThatLooksLikeAKindOrHoldsALineBreakStaysAUserId() {
        ClusterEvent tricky = new ClusterEvent.ToUserExcept("state_changed\nnode-b", "evict\\n", "{\"a\":1}");

        assertThat(ClusterEventCodec.decode(ClusterEventCodec.encode(tricky))).isEqualTo(tricky);
        assertThat(ClusterEventCodec.decode(ClusterEventCodec.encode(new ClusterEvent.ToUser("state_changed", "{}"))))
                .isInstanceOf(ClusterEvent.ToUser.class);
    }

    @Test
    void theLuaScriptsFormOfAStoredMessageIsRead() {
        assertThat(ClusterEventCodec.decode("message\n8f3a\n{\"type\":\"message\"}"))
                .isEqualTo(new ClusterEvent.RoomMessage("8f3a", "{\"type\":\"message\"}"));
    }

    @Test
    void anEventOfNoKnownKindIsRefusedWithItsKind() {
        assertThatThrownBy(() -> ClusterEventCodec.decode("M8f3a\n{}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cluster event of unknown kind 'M8f3a'");
        assertThatThrownBy(() -> ClusterEventCodec.decode("evict\ns-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cluster event with 1 fields (expected: 2)");
    }
}
