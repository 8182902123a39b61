package org.kindred.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.kindred.client.KindredClient;
import org.kindred.client.KindredListener;
import org.kindred.client.ReconnectPolicy;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.UserInfo;

/**
 * The members of a cluster test, kept as an app keeps them: each reconnects within 50-300 ms and resends a send (same
 * {@code clientMsgId}) until it is acknowledged or refused for good, so a fault shows as messages lost, doubled or
 * reordered, never as sends that gave up. {@link #close()} closes them all.
 */
public final class ClusterClients implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final List<KindredClient> clients = new CopyOnWriteArrayList<>();

    /** Connects a member with this pseudonym to the first of these nodes (the others are where it fails over to). */
    public KindredClient connect(String pseudonym, KindredListener listener, URI... nodes) throws Exception {
        KindredClient client = KindredClient.builder()
                .urls(List.of(nodes))
                .token(TestCluster.token(pseudonym))
                .listener(listener)
                .maxSendAttempts(500)
                .reconnect(ReconnectPolicy.builder()
                        .initialDelay(Duration.ofMillis(50))
                        .maxDelay(Duration.ofMillis(300))
                        .build())
                .build();
        clients.add(client);
        client.connect().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        return client;
    }

    /** Connects a member with this pseudonym to the node and joins it to the rooms. */
    public KindredClient join(URI node, String pseudonym, KindredListener listener, String... rooms) throws Exception {
        KindredClient client = connect(pseudonym, listener, node);
        for (String room : rooms) {
            client.join(room).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
        return client;
    }

    /** A watcher on each of the cluster's first two nodes and a writer on the first, all in one room. */
    public record Watched(Timeline onNode0, Timeline onNode1, KindredClient writer) {
        public List<Timeline> watchers() {
            return List.of(onNode0, onNode1);
        }
    }

    /** Joins a watcher on nodes 0 and 1 and a writer on node 0 to the room; the writer sends m1 to m{sent}, acknowledged. */
    public Watched watchersAndAWriter(TestCluster cluster, String room, int sent) throws Exception {
        Timeline onNode0 = new Timeline();
        Timeline onNode1 = new Timeline();
        join(cluster.ws(0), "Watcher0", onNode0, room);
        join(cluster.ws(1), "Watcher1", onNode1, room);
        KindredClient writer = join(cluster.ws(0), "Writer", new Timeline(), room);
        for (int i = 1; i <= sent; i++) {
            writer.send(room, "m" + i).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
        return new Watched(onNode0, onNode1, writer);
    }

    /** Who a member joining the room on this node now is told is present: pseudonyms, sorted, the newcomer left out. */
    public static List<String> presentAccordingTo(URI node, String room) throws Exception {
        try (KindredClient fresh = newcomer(node, "Fresh")) {
            return fresh.join(room).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).presence().stream()
                    .map(UserInfo::pseudonym)
                    .filter(name -> !name.equals("Fresh"))
                    .sorted()
                    .toList();
        }
    }

    /** The texts of the room's history as a member joining on this node now reads them, oldest first. */
    public static List<String> storedTexts(URI node, String room, int limit) throws Exception {
        try (KindredClient fresh = newcomer(node, "Reader")) {
            fresh.join(room).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return fresh.history(room, null, limit).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).messages().stream()
                    .map(ServerMessage.ChatMessage::text)
                    .toList();
        }
    }

    /** A member who connects once to look (no reconnects), for the caller to close. */
    private static KindredClient newcomer(URI node, String pseudonym) throws Exception {
        KindredClient fresh = KindredClient.builder()
                .url(node)
                .token(TestCluster.token(pseudonym))
                .listener(new RecordingListener())
                .build();
        fresh.connect().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        return fresh;
    }

    /** How many times this listener heard the member join. */
    public static long joinsOf(RecordingListener seen, String pseudonym) {
        return seen.joins.stream()
                .filter(e -> e.user().pseudonym().equals(pseudonym))
                .count();
    }

    /** How many times this listener heard the member leave. */
    public static long leavesOf(RecordingListener seen, String pseudonym) {
        return seen.leaves.stream()
                .filter(e -> e.user().pseudonym().equals(pseudonym))
                .count();
    }

    /**
     * Numbered texts ({@code <prefix><n>}, one prefix per writer) as a client saw them: each once, and each writer's in
     * the order it sent them.
     */
    public static void assertOnceEachInOrderPerWriter(List<String> texts) {
        assertThat(texts).as("each message once").doesNotHaveDuplicates();
        texts.stream()
                .map(ClusterClients::writer)
                .distinct()
                .forEach(writer -> assertThat(texts.stream()
                                .filter(text -> writer(text).equals(writer))
                                .toList())
                        .as("messages of writer '%s' in the order sent", writer)
                        .isSortedAccordingTo(Comparator.comparingInt(ClusterClients::number)));
    }

    /** {@code m12} → 12. */
    public static int number(String text) {
        return Integer.parseInt(text.substring(writer(text).length()));
    }

    private static String writer(String text) {
        return text.replaceAll("\\d+$", "");
    }

    @Override
    public void close() {
        clients.forEach(KindredClient::close);
    }
}
