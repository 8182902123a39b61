package org.kindred.server.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.SessionStarted;
import org.kindred.server.config.RedisConfig;
import org.kindred.server.config.SupportConfig;
import org.kindred.server.connection.ConnectedUsers;
import org.kindred.server.metrics.KindredMetrics;
import org.kindred.server.runtime.Failures;
import org.kindred.server.testing.RawClient;
import org.kindred.server.testing.TestCluster;

/**
 * The desks stay correct without a lock or a lease: a node that stalls in the middle of a command (a GC pause, a
 * SIGSTOP) or a Redis that stalls for longer than the old 5 s lease loses the race instead of overwriting what another
 * node committed meanwhile, and every node's read model ends up with what was committed.
 */
class DeskRaceIT {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    /** A read model of counters: what a feature's model is to a desk, in a few lines. */
    private static final class Counters implements EntityDesk.Model<Long> {
        final Map<String, Long> values = new HashMap<>();

        @Override
        public synchronized Map<String, Long> snapshot() {
            return new HashMap<>(values);
        }

        @Override
        public synchronized void apply(Map<String, Long> changes) {
            changes.forEach((key, value) -> {
                if (value == null) {
                    values.remove(key);
                } else {
                    values.put(key, value);
                }
            });
        }

        synchronized long get(String key) {
            return values.getOrDefault(key, 0L);
        }

        synchronized void increment(String key) {
            values.merge(key, 1L, Long::sum);
        }

        @Override
        public String encode(String key, Long value) {
            return value.toString();
        }

        @Override
        public Long decode(String key, String json) {
            return Long.parseLong(json);
        }
    }

    private EntityDesk<Long> desk(String node, Counters model) {
        return desk(node, model, new KindredMetrics() {});
    }

    private EntityDesk<Long> desk(String node, Counters model, KindredMetrics metrics) {
        Failures failures = new Failures(metrics);
        RedisConnections redis =
                RedisConnections.open(RedisConfig.standalone(REDIS.uri()).withNodeId(node), failures, System::nanoTime);
        open.add(redis);
        EntityDesk<Long> desk = new EntityDesk<>(
                redis, "counters", key -> "counters", new ConnectedUsers(), failures, new StoreChannel.Handler() {});
        open.add(desk);
        desk.attach(model);
        return desk;
    }

    @Test
    void aNodeStalledInTheMiddleOfACommandLosesTheRaceInsteadOfOverwritingWhatOthersCommitted() throws Exception {
        REDIS.flushAll();
        Counters a = new Counters();
        Counters b = new Counters();
        EntityDesk<Long> deskA = desk("node-a", a);
        EntityDesk<Long> deskB = desk("node-b", b);

        CountDownLatch readIt = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        CompletableFuture<Long> stalled = deskA.submit(() -> deskA.run(() -> {
            long seen = a.get("count");
            if (runs.incrementAndGet() == 1) {
                readIt.countDown();
                try {
                    resume.await(); // node A stops here, holding what it read, for as long as the test likes
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            a.apply(Map.of("count", seen + 1));
            return seen + 1;
        }));
        assertThat(readIt.await(10, TimeUnit.SECONDS)).isTrue();

        for (int i = 0; i < 50; i++) {
            deskB.submit(() -> deskB.run(() -> {
                        b.increment("count");
                        return null;
                    }))
                    .get(10, TimeUnit.SECONDS);
        }
        resume.countDown();

        assertThat(stalled.get(10, TimeUnit.SECONDS)).isEqualTo(51L);
        assertThat(runs.get())
                .as("node A ran its command again on the newer count")
                .isEqualTo(2);
        assertThat(deskA.conflicts()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> b.get("count") == 51L);
        assertThat(a.get("count")).isEqualTo(51L);
    }

    @Test
    void commandsThatQueuedTogetherAreCommittedInOneCompareAndSetAndCounted() throws Exception {
        REDIS.flushAll();
        Counters a = new Counters();
        Counters b = new Counters();
        List<String> counted = new java.util.concurrent.CopyOnWriteArrayList<>();
        EntityDesk<Long> deskA = desk("node-a", a, new KindredMetrics() {
            @Override
            public void deskCommitted(String desk, int commands, int conflicts) {
                counted.add(desk + " " + commands + " " + conflicts);
            }
        });
        desk("node-b", b);
        List<java.util.function.Supplier<Long>> increments = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            increments.add(() -> {
                a.increment("count");
                return a.get("count");
            });
        }

        List<EntityDesk.Outcome<Long>> outcomes =
                deskA.submit(() -> deskA.runAll(increments)).get(10, TimeUnit.SECONDS);

        assertThat(outcomes)
                .extracting(EntityDesk.Outcome::get)
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(deskA.commits()).isEqualTo(1);
        assertThat(counted).containsExactly("counters 10 0");
        await().atMost(Duration.ofSeconds(10)).until(() -> b.get("count") == 10L);
    }

    @Test
    void aRefusedCommandInABatchChangesNothingAndTheOthersAreStillCommitted() throws Exception {
        REDIS.flushAll();
        Counters a = new Counters();
        Counters b = new Counters();
        EntityDesk<Long> deskA = desk("node-a", a);
        desk("node-b", b);
        IllegalArgumentException refusal = new IllegalArgumentException("refused");
        List<java.util.function.Supplier<Long>> batch = List.of(
                () -> {
                    a.increment("count");
                    return 1L;
                },
                () -> {
                    a.increment("other"); // changed, then refused: must not be committed
                    throw refusal;
                },
                () -> {
                    a.increment("count");
                    return 2L;
                });

        List<EntityDesk.Outcome<Long>> outcomes =
                deskA.submit(() -> deskA.runAll(batch)).get(10, TimeUnit.SECONDS);

        assertThat(outcomes.get(0).value()).isEqualTo(1L);
        assertThat(outcomes.get(1).failure()).isSameAs(refusal);
        assertThat(outcomes.get(2).value()).isEqualTo(2L);
        assertThat(a.get("other")).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> b.get("count") == 2L);
        assertThat(b.get("other")).isZero();
    }

    @Test
    void aCommandThatChangesNothingWritesNothing() throws Exception {
        REDIS.flushAll();
        Counters a = new Counters();
        EntityDesk<Long> deskA = desk("node-a", a);
        for (int i = 0; i < 20; i++) {
            deskA.submit(() -> deskA.run(() -> a.get("count"))).get(10, TimeUnit.SECONDS);
        }
        assertThat(deskA.commits()).isZero();
    }

    @Test
    void redisPausedLongerThanTheOldLeaseDuringAnAcceptRaceStillYieldsOneSessionAndLosesNoUpdate() throws Exception {
        REDIS.flushAll();
        SupportConfig quick = SupportConfig.defaults();
        TestCluster cluster = TestCluster.start(
                3,
                RedisConfig.standalone(REDIS.uri()).withNodeTimeout(Duration.ofSeconds(30)),
                c -> c.ratePerSecond(1000)
                        .rateBurst(1000)
                        .support(new SupportConfig(
                                quick.offerTimeout(),
                                quick.unavailableAfter(),
                                Duration.ofSeconds(1),
                                quick.defaultCapacity(),
                                50,
                                quick.idleTimeout(),
                                quick.transcriptRetention())));
        open.add(cluster);
        RawClient first = client(cluster, 1, "First", "mentor");
        RawClient second = client(cluster, 2, "Second", "mentor");
        available(first);
        RawClient member = client(cluster, 0, "Member", "member");
        member.send("{\"type\":\"request_support\",\"ref\":\"q\",\"condition\":\"race\",\"language\":\"en\"}");
        String requestId = member.await(ServerMessage.SupportQueued.class, q -> "q".equals(q.ref()))
                .requestId();
        first.await(ServerMessage.SupportOffer.class, o -> o.requestId().equals(requestId));
        first.send("{\"type\":\"decline_offer\",\"ref\":\"d\",\"requestId\":\"" + requestId + "\"}");
        first.await(ServerMessage.Done.class, d -> "d".equals(d.ref()));
        available(second);
        second.await(ServerMessage.SupportOffer.class, o -> o.requestId().equals(requestId));

        // Redis takes no write for 6 s, longer than the 5 s lease the desks used to hold: both accepts are in flight.
        Resp.call(Resp.Endpoint.parse(REDIS.uri()), Duration.ofSeconds(2), "CLIENT", "PAUSE", "6000", "WRITE");
        String accept = "{\"type\":\"accept_offer\",\"ref\":\"x\",\"requestId\":\"" + requestId + "\"}";
        first.send(accept);
        second.send(accept);

        List<SessionStarted> started = new ArrayList<>();
        for (RawClient mentor : List.of(first, second)) {
            ServerMessage reply = await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> mentor.received().stream()
                                    .filter(m -> m instanceof SessionStarted s && "x".equals(s.ref())
                                            || m instanceof ServerMessage.Error e && "x".equals(e.ref()))
                                    .findFirst()
                                    .orElse(null),
                            m -> m != null);
            if (reply instanceof SessionStarted s) {
                started.add(s);
            } else {
                assertThat(((ServerMessage.Error) reply).code()).isIn("offer_taken", "request_not_found");
            }
        }
        assertThat(started).hasSize(1);
        SessionStarted session = started.getFirst();
        RawClient winner = session.mentor().pseudonym().equals("First") ? first : second;

        // The winner's own record counts the session (its entity was not overwritten by the loser's command) ...
        winner.send("{\"type\":\"set_availability\",\"ref\":\"again\",\"available\":true,\"conditions\":[\"race\"],"
                + "\"languages\":[\"en\"],\"capacity\":50}");
        assertThat(winner.await(ServerMessage.Availability.class, a -> "again".equals(a.ref()))
                        .activeSessions())
                .isEqualTo(1);
        // ... and every node's read model has the session, with its mentor, without being asked.
        for (int node = 0; node < 3; node++) {
            int n = node;
            await().atMost(Duration.ofSeconds(10))
                    .until(
                            () -> cluster.node(n).support().mentorOf(session.sessionId()),
                            m -> m.equals(java.util.Optional.of(session.mentor().id())));
            assertThat(cluster.node(n).support().isOpen(session.sessionId())).isTrue();
        }
    }

    private RawClient client(TestCluster cluster, int node, String pseudonym, String role) throws Exception {
        RawClient client = RawClient.signedIn(cluster.node(node).webSocketUri(), TestCluster.token(pseudonym, role));
        open.add(client::close);
        return client;
    }

    private static void available(RawClient mentor) {
        mentor.send("{\"type\":\"set_availability\",\"ref\":\"a\",\"available\":true,\"conditions\":[\"race\"],"
                + "\"languages\":[\"en\"],\"capacity\":50}");
        mentor.await(ServerMessage.Availability.class, a -> a.conditions().contains("race"));
    }
}
