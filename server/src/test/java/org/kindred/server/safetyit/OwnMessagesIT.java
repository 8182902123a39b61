package org.kindred.server.safetyit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kindred.protocol.ServerMessage;
import org.kindred.server.config.KindredConfig;
import org.kindred.server.config.RoomConfig;
import org.kindred.server.config.RoomRule;
import org.kindred.server.identity.Role;
import org.kindred.server.testing.FakeTime;
import org.kindred.server.testing.RawClient;
import org.kindred.server.testing.TestNode;

/** Authors own their messages: one can take back what it wrote, for everyone, and nobody else's. */
class OwnMessagesIT {

    private TestNode node;

    @BeforeEach
    void start() throws Exception {
        node = TestNode.start(c -> c.ratePerSecond(1000).rateBurst(1000).rooms(roomsWithALinkFreeOne()));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private static List<RoomConfig> roomsWithALinkFreeOne() {
        List<RoomConfig> rooms = new ArrayList<>(KindredConfig.defaults().rooms());
        rooms.add(new RoomConfig("nolinks", "No links", "", List.of(), Set.of(), Set.of(RoomRule.NO_LINKS)));
        return rooms;
    }

    private RawClient joined(String pseudonym, Role role, String room) throws Exception {
        return joined(node, pseudonym, role, room);
    }

    private static RawClient joined(TestNode node, String pseudonym, Role role, String room) throws Exception {
        RawClient client = RawClient.signedIn(node.ws(), node.token(pseudonym, role));
        client.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"" + room + "\"}");
        client.await(ServerMessage.Joined.class, j -> true);
        return client;
    }

    @Test
    void anAuthorDeletesItsOwnMessageForEveryoneAndTheTextIsGoneFromHistoryAndTheAuditLog() throws Exception {
        try (RawClient author = joined("Oversharer", Role.MEMBER, "diabetes");
                RawClient reader = joined("Reader", Role.MEMBER, "diabetes");
                RawClient moderator = RawClient.signedIn(node.ws(), node.token("Mod", Role.MODERATOR))) {
            author.send("{\"type\":\"send\",\"ref\":\"s\",\"room\":\"diabetes\",\"clientMsgId\":\"s\","
                    + "\"text\":\"my address is marker-42 Elm Street\"}");
            long seq = author.await(ServerMessage.Ack.class, a -> "s".equals(a.ref()))
                    .seq();
            reader.await(ServerMessage.ChatMessage.class, m -> m.seq() == seq);

            author.send("{\"type\":\"delete_message\",\"ref\":\"d\",\"room\":\"diabetes\",\"seq\":" + seq
                    + ",\"reason\":\"removed by its author\"}");
            author.await(ServerMessage.Done.class, d -> "d".equals(d.ref()));
            assertThat(reader.await(ServerMessage.MessageDeleted.class, m -> m.seq() == seq)
                            .id())
                    .isNotBlank();

            try (RawClient later = joined("Later", Role.MEMBER, "diabetes")) {
                later.send("{\"type\":\"history\",\"ref\":\"h\",\"room\":\"diabetes\"}");
                List<ServerMessage.ChatMessage> history = later.await(
                                ServerMessage.History.class, h -> "h".equals(h.ref()))
                        .messages();
                assertThat(history)
                        .filteredOn(m -> m.seq() == seq)
                        .singleElement()
                        .satisfies(m -> {
                            assertThat(m.isDeleted()).isTrue();
                            assertThat(m.text()).isEmpty();
                        });
            }
            moderator.send("{\"type\":\"audit_log\",\"ref\":\"log\"}");
            assertThat(moderator
                            .await(ServerMessage.AuditEntries.class, e -> "log".equals(e.ref()))
                            .entries())
                    .noneMatch(e -> e.action().equals("message_deleted"));
        }
    }

    @Test
    void aMemberCannotDeleteSomeoneElsesMessage() throws Exception {
        try (RawClient author = joined("Author", Role.MEMBER, "anxiety");
                RawClient other = joined("Other", Role.MEMBER, "anxiety")) {
            author.send("{\"type\":\"send\",\"ref\":\"s\",\"room\":\"anxiety\",\"clientMsgId\":\"s\",\"text\":\"hi\"}");
            long seq = author.await(ServerMessage.Ack.class, a -> "s".equals(a.ref()))
                    .seq();
            other.send("{\"type\":\"delete_message\",\"ref\":\"d\",\"room\":\"anxiety\",\"seq\":" + seq
                    + ",\"reason\":\"mine now\"}");
            assertThat(other.awaitError("d").code()).isEqualTo("forbidden");
            other.send("{\"type\":\"delete_message\",\"ref\":\"d2\",\"room\":\"anxiety\",\"seq\":999,"
                    + "\"reason\":\"nothing\"}");
            assertThat(other.awaitError("d2").code()).isEqualTo("message_not_found");
        }
    }

    private static long sent(RawClient author, String room, String text) {
        author.send("{\"type\":\"send\",\"ref\":\"s-" + text.hashCode() + "\",\"room\":\"" + room
                + "\",\"clientMsgId\":\"c-" + text.hashCode() + "\",\"text\":\"" + text + "\"}");
        return author.await(ServerMessage.Ack.class, a -> ("s-" + text.hashCode()).equals(a.ref()))
                .seq();
    }

    private static String edit(String ref, String room, long seq, String text) {
        return "{\"type\":\"edit_message\",\"ref\":\"" + ref + "\",\"room\":\"" + room + "\",\"seq\":" + seq
                + ",\"text\":\"" + text + "\"}";
    }

    @Test
    void anAuthorEditsItsOwnMessageAndEveryoneSeesTheNewTextMarkedEditedLiveAndInHistory() throws Exception {
        try (RawClient author = joined("Editor", Role.MEMBER, "diabetes");
                RawClient reader = joined("Reader", Role.MEMBER, "diabetes")) {
            long seq = sent(author, "diabetes", "I live at marker-77 Oak Road");
            reader.await(ServerMessage.ChatMessage.class, m -> m.seq() == seq);

            author.send(edit("e", "diabetes", seq, "I live near the park"));
            author.await(ServerMessage.Done.class, d -> "e".equals(d.ref()));
            ServerMessage.MessageEdited seen = reader.await(ServerMessage.MessageEdited.class, m -> m.seq() == seq);
            assertThat(seen.text()).isEqualTo("I live near the park");
            assertThat(seen.author().pseudonym()).isEqualTo("Editor");
            assertThat(author.await(ServerMessage.MessageEdited.class, m -> m.seq() == seq)
                            .editedAt())
                    .isEqualTo(seen.editedAt());

            try (RawClient later = joined("Later", Role.MEMBER, "diabetes")) {
                later.send("{\"type\":\"history\",\"ref\":\"h\",\"room\":\"diabetes\"}");
                assertThat(later.await(ServerMessage.History.class, h -> "h".equals(h.ref()))
                                .messages())
                        .filteredOn(m -> m.seq() == seq)
                        .singleElement()
                        .satisfies(m -> {
                            assertThat(m.text()).isEqualTo("I live near the park");
                            assertThat(m.editedAt()).isEqualTo(seen.editedAt());
                        });
                assertThat(later.received(ServerMessage.Joined.class).getFirst().messages())
                        .noneMatch(m -> m.text().contains("marker-77"));
            }
        }
    }

    @Test
    void nobodyButTheAuthorEditsAMessageAndADeletedMessageCannotBeEdited() throws Exception {
        try (RawClient author = joined("Author", Role.MEMBER, "anxiety");
                RawClient other = joined("Other", Role.MEMBER, "anxiety");
                RawClient moderator = joined("Mod", Role.MODERATOR, "anxiety")) {
            long seq = sent(author, "anxiety", "hello there");
            other.send(edit("e1", "anxiety", seq, "mine now"));
            assertThat(other.awaitError("e1").code()).isEqualTo("forbidden");
            moderator.send(edit("e2", "anxiety", seq, "moderated"));
            assertThat(moderator.awaitError("e2").code()).isEqualTo("forbidden");
            other.send(edit("e3", "anxiety", 999, "nothing"));
            assertThat(other.awaitError("e3").code()).isEqualTo("message_not_found");

            author.send("{\"type\":\"delete_message\",\"ref\":\"d\",\"room\":\"anxiety\",\"seq\":" + seq
                    + ",\"reason\":\"gone\"}");
            author.await(ServerMessage.Done.class, d -> "d".equals(d.ref()));
            author.send(edit("e4", "anxiety", seq, "back from the dead"));
            assertThat(author.awaitError("e4").code()).isEqualTo("message_not_found");
            assertThat(other.received(ServerMessage.MessageEdited.class)).isEmpty();
        }
    }

    @Test
    void anEditIsScreenedAgainAContentRuleRefusesItAndCrisisLanguageAlertsModerators() throws Exception {
        try (RawClient author = joined("Writer", Role.MEMBER, "nolinks");
                RawClient moderator = RawClient.signedIn(node.ws(), node.token("Mod", Role.MODERATOR))) {
            long seq = sent(author, "nolinks", "rough day today");

            author.send(edit("link", "nolinks", seq, "see https://example.org"));
            assertThat(author.awaitError("link").code()).isEqualTo("forbidden");

            author.send(edit("crisis", "nolinks", seq, "i want to kill myself"));
            author.await(ServerMessage.CrisisSupport.class, c -> true);
            author.await(ServerMessage.Done.class, d -> "crisis".equals(d.ref()));
            ServerMessage.Alert alert = moderator.await(ServerMessage.Alert.class, a -> true);
            assertThat(alert.message().seq()).isEqualTo(seq);
            assertThat(alert.message().isEdited()).isTrue();
        }
    }

    @Test
    void anEditAfterTheWindowIsRefusedAndTheMessageKeepsItsText() throws Exception {
        FakeTime time = new FakeTime();
        try (TestNode timed = TestNode.start(c -> c.editWindow(Duration.ofMinutes(15)), time);
                RawClient author = joined(timed, "Slow", Role.MEMBER, "diabetes")) {
            long seq = sent(author, "diabetes", "first words");
            time.advance(Duration.ofMinutes(15).plusSeconds(1));

            author.send(edit("late", "diabetes", seq, "second thoughts"));

            assertThat(author.awaitError("late").code()).isEqualTo("edit_window_closed");
            author.send("{\"type\":\"history\",\"ref\":\"h\",\"room\":\"diabetes\"}");
            assertThat(author.await(ServerMessage.History.class, h -> "h".equals(h.ref()))
                            .messages())
                    .extracting(ServerMessage.ChatMessage::text)
                    .containsExactly("first words");
        }
    }
}
