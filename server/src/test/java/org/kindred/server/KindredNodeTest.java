package org.kindred.server;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kindred.server.config.ConfigException;
import org.kindred.server.config.RoomConfig;
import org.kindred.server.testing.TestNode;

/** A node's start-up checks, before it binds or connects anything. */
class KindredNodeTest {

    /**
     * The bug this pins: a configured room whose id starts with {@code s-} could never be joined, since the id named
     * a one-to-one session ({@code room_not_found}). Such an id is now refused at start-up, with what to do about it.
     */
    @Test
    void aConfiguredRoomNamedLikeASessionIsRefusedAtStartUp() {
        assertThatThrownBy(() -> KindredNode.start(TestNode.config()
                        .rooms(List.of(RoomConfig.of("s-help", "Support chat", "")))
                        .build()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("room id 's-help' starts with 's-', which names a one-to-one session")
                .hasMessageContaining("[s-, g-]");
    }

    @Test
    void aConfiguredRoomNamedLikeAMeetingIsRefusedAtStartUp() {
        assertThatThrownBy(() -> KindredNode.start(TestNode.config()
                        .rooms(List.of(RoomConfig.of("g-weekly", "Weekly", "")))
                        .build()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("room id 'g-weekly' starts with 'g-', which names a group meeting");
    }
}
