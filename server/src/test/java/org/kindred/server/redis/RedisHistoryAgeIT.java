package org.kindred.server.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kindred.protocol.ServerMessage.ChatMessage;
import org.kindred.protocol.UserInfo;
import org.kindred.protocol.WireCodec;
import org.kindred.server.broker.HistoryConfig;
import org.kindred.server.config.RedisConfig;
import org.kindred.server.metrics.KindredMetrics;
import org.kindred.server.runtime.Failures;
import org.kindred.server.testing.FakeTime;

/**
 * A room's history in Redis keeps no message older than {@code historyMaxAge}: each append trims what has grown too
 * old (reading the oldest entry first, and more only when that one is too old), on a clock the test moves.
 */
class RedisHistoryAgeIT {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    private static final String ROOM = "diabetes";
    private static final UserInfo ROBIN = new UserInfo("u-robin", "Robin", "member");
    private static final Duration MAX_AGE = Duration.ofMinutes(10);

    private final FakeTime time = new FakeTime();
    private RedisConnections connections;
    private RedisBroker broker;
    private int sent;

    @BeforeEach
    void open() {
        REDIS.flushAll();
        Failures failures = new Failures(KindredMetrics.NOOP);
        RedisConfig config = RedisConfig.standalone(REDIS.uri());
        connections = RedisConnections.open(config, failures);
        broker = new RedisBroker(
                connections,
                config,
                new HistoryConfig(100, MAX_AGE, Duration.ofMinutes(1)),
                new WireCodec(),
                failures,
                time);
    }

    @AfterEach
    void close() {
        broker.close();
        connections.close();
    }

    @Test
    void messagesYoungerThanTheAgeLimitAreAllKept() {
        send(3);
        time.advance(MAX_AGE.minusSeconds(1));
        send(1);

        assertThat(history()).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void theNextAppendTrimsEveryMessageThatGrewTooOld() {
        send(3);
        time.advance(Duration.ofMinutes(5));
        send(2);
        time.advance(Duration.ofMinutes(6)); // the first three are now 11 minutes old, the next two 6

        send(1);

        assertThat(history()).containsExactly(4L, 5L, 6L);
        assertThat(connections
                        .commands()
                        .xlen(RedisKeys.history(ROOM))
                        .toCompletableFuture()
                        .join())
                .isEqualTo(3L);
    }

    private void send(int count) {
        for (int i = 0; i < count; i++) {
            broker.append(ROOM, ROBIN, "m-" + sent++, "hello").join();
        }
    }

    private java.util.List<Long> history() {
        return broker.readBefore(ROOM, 1_000_000L, 50).join().messages().stream()
                .map(ChatMessage::seq)
                .toList();
    }
}
