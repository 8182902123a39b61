package org.kindred.server.safetyit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kindred.protocol.ServerMessage;
import org.kindred.server.identity.Role;
import org.kindred.server.testing.RawClient;
import org.kindred.server.testing.TestNode;

/** Authors own their messages: one can take back what it wrote, for everyone, and nobody else's. */
class OwnMessagesIT {

    private TestNode node;

    @BeforeEach
    void start() throws Exception {
        node = TestNode.start(c -> c.ratePerSecond(1000).rateBurst(1000));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private RawClient joined(String pseudonym, Role role, String room) throws Exception {
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
}
