package org.kindred.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kindred.protocol.ServerMessage;
import org.kindred.server.config.RedisConfig;
import org.kindred.server.redis.RedisExtension;
import org.kindred.server.testing.RawClient;
import org.kindred.server.testing.RedisSearch;
import org.kindred.server.testing.TestCluster;

/**
 * Authors own their messages across nodes: an edit or a deletion on one node reaches readers on another, live and in
 * history, and the old text is gone from Redis itself (not merely hidden).
 */
class ClusterOwnMessagesIT {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    private TestCluster cluster;
    private final List<RawClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        REDIS.flushAll();
        cluster = TestCluster.start(
                2,
                RedisConfig.standalone(REDIS.uri()).withNodeTimeout(Duration.ofSeconds(3)),
                c -> c.ratePerSecond(1000).rateBurst(1000));
    }

    @AfterEach
    void stop() {
        clients.forEach(RawClient::close);
        cluster.close();
    }

    private RawClient joined(int node, String pseudonym, String room) throws Exception {
        RawClient client =
                RawClient.signedIn(cluster.node(node).webSocketUri(), TestCluster.token(pseudonym, "member"));
        clients.add(client);
        client.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"" + room + "\"}");
        client.await(ServerMessage.Joined.class, j -> true);
        return client;
    }

    private static long sent(RawClient author, String ref, String text) {
        author.send("{\"type\":\"send\",\"ref\":\"" + ref + "\",\"room\":\"diabetes\",\"clientMsgId\":\"" + ref
                + "\",\"text\":\"" + text + "\"}");
        return author.await(ServerMessage.Ack.class, a -> ref.equals(a.ref())).seq();
    }

    @Test
    void anEditOnOneNodeReachesReadersOnAnotherAndTheOldTextLeavesRedis() throws Exception {
        RawClient author = joined(0, "Author", "diabetes");
        RawClient reader = joined(1, "Reader", "diabetes");
        long before = sent(author, "s0", "good morning");
        long seq = sent(author, "s1", "call me on marker-5551234");
        long after = sent(author, "s2", "anyone around");
        reader.await(ServerMessage.ChatMessage.class, m -> m.seq() == after);
        assertThat(RedisSearch.keysHolding(REDIS.uri(), "marker-5551234")).isNotEmpty();

        author.send("{\"type\":\"edit_message\",\"ref\":\"e\",\"room\":\"diabetes\",\"seq\":" + seq
                + ",\"text\":\"message me here instead\"}");
        author.await(ServerMessage.Done.class, d -> "e".equals(d.ref()));

        assertThat(reader.await(ServerMessage.MessageEdited.class, m -> m.seq() == seq)
                        .text())
                .isEqualTo("message me here instead");
        reader.send("{\"type\":\"history\",\"ref\":\"h\",\"room\":\"diabetes\"}");
        assertThat(reader.await(ServerMessage.History.class, h -> "h".equals(h.ref()))
                        .messages())
                .extracting(ServerMessage.ChatMessage::seq, ServerMessage.ChatMessage::text, m -> m.isEdited())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(before, "good morning", false),
                        org.assertj.core.groups.Tuple.tuple(seq, "message me here instead", true),
                        org.assertj.core.groups.Tuple.tuple(after, "anyone around", false));
        assertThat(RedisSearch.keysHolding(REDIS.uri(), "marker-5551234")).isEmpty();

        // The room goes on numbering after the rewritten history.
        long next = sent(reader, "r1", "welcome");
        assertThat(next).isEqualTo(after + 1);
    }

    @Test
    void anAuthorsDeletionOnOneNodeLeavesNoTextInRedisAndAResendAnswersWithTheTombstone() throws Exception {
        RawClient author = joined(0, "Author", "diabetes");
        RawClient reader = joined(1, "Reader", "diabetes");
        long seq = sent(author, "s1", "my name is marker-Jane-Doe");
        reader.await(ServerMessage.ChatMessage.class, m -> m.seq() == seq);

        author.send("{\"type\":\"delete_message\",\"ref\":\"d\",\"room\":\"diabetes\",\"seq\":" + seq
                + ",\"reason\":\"mine\"}");
        author.await(ServerMessage.Done.class, d -> "d".equals(d.ref()));
        reader.await(ServerMessage.MessageDeleted.class, m -> m.seq() == seq);

        assertThat(RedisSearch.keysHolding(REDIS.uri(), "marker-Jane-Doe")).isEmpty();
        author.send("{\"type\":\"send\",\"ref\":\"again\",\"room\":\"diabetes\",\"clientMsgId\":\"s1\","
                + "\"text\":\"my name is marker-Jane-Doe\"}");
        ServerMessage.Ack ack = author.await(ServerMessage.Ack.class, a -> "again".equals(a.ref()));
        assertThat(ack.duplicate()).isTrue();
        assertThat(ack.seq()).isEqualTo(seq);
        assertThat(RedisSearch.keysHolding(REDIS.uri(), "marker-Jane-Doe")).isEmpty();
    }
}
