package org.kindred.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.kindred.protocol.ServerMessage;

class PendingRequestsTest {

    private final AtomicLong nanos = new AtomicLong(1_000);
    private final PendingRequests pending = new PendingRequests(nanos::get);

    @Test
    void failsARequestWithATimeoutOnceItsDeadlinePassed() {
        CompletableFuture<ServerMessage> future = pending.register("r1", Duration.ofSeconds(10), "Join");

        nanos.addAndGet(Duration.ofSeconds(10).toNanos() - 1);
        assertThat(pending.expire()).isZero();
        assertThat(future).isNotDone();

        nanos.addAndGet(1);
        assertThat(pending.expire()).isEqualTo(1);
        assertThatThrownBy(future::get)
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOfSatisfying(KindredException.class, e -> {
                    assertThat(e.code()).isEqualTo(KindredException.TIMEOUT);
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.errorCode()).isEmpty();
                });
        assertThat(pending.size()).isZero();
    }

    @Test
    void expiresOnlyTheOverdueRequests() {
        CompletableFuture<ServerMessage> early = pending.register("r1", Duration.ofSeconds(1), "Ping");
        CompletableFuture<ServerMessage> late = pending.register("r2", Duration.ofSeconds(5), "Join");

        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        pending.expire();

        assertThat(early).isCompletedExceptionally();
        assertThat(late).isNotDone();
    }

    @Test
    void completesTheRequestWithTheMatchingRef() throws Exception {
        CompletableFuture<ServerMessage> first = pending.register("r1", Duration.ofSeconds(1), "Ping");
        CompletableFuture<ServerMessage> second = pending.register("r2", Duration.ofSeconds(1), "Ping");

        assertThat(pending.complete("r2", new ServerMessage.Pong("r2"))).isTrue();

        assertThat(second.get()).isEqualTo(new ServerMessage.Pong("r2"));
        assertThat(first).isNotDone();
    }

    @Test
    void ignoresRepliesWhoseRefIsNotPending() {
        pending.register("r1", Duration.ofSeconds(1), "Ping");

        assertThat(pending.complete("r9", new ServerMessage.Pong("r9"))).isFalse();
        assertThat(pending.complete("r1", new ServerMessage.Pong("r1"))).isTrue();
        assertThat(pending.complete("r1", new ServerMessage.Pong("r1"))).isFalse();
    }

    @Test
    void failsTheRequestWithTheServerError() {
        CompletableFuture<ServerMessage> future = pending.register("r1", Duration.ofSeconds(1), "Send");
        var error = new ServerMessage.Error("r1", "rate_limited", "slow down", true, 250L);

        assertThat(pending.fail("r1", KindredException.of(error))).isTrue();

        assertThatThrownBy(future::get).cause().isInstanceOfSatisfying(KindredException.class, e -> {
            assertThat(e.code()).isEqualTo("rate_limited");
            assertThat(e.errorCode()).contains(org.kindred.protocol.ErrorCode.RATE_LIMITED);
            assertThat(e.retryable()).isTrue();
            assertThat(e.retryAfterMs()).hasValue(250);
            assertThat(e.serverError()).contains(error);
        });
    }

    @Test
    void failAllFailsEveryPendingRequest() {
        CompletableFuture<ServerMessage> first = pending.register("r1", Duration.ofSeconds(1), "Ping");
        CompletableFuture<ServerMessage> second = pending.register("r2", Duration.ofSeconds(1), "Join");

        pending.failAll(KindredException.connectionClosed(4000, "server shutting down", true));

        assertThat(first).isCompletedExceptionally();
        assertThat(second).isCompletedExceptionally();
        assertThat(pending.size()).isZero();
    }

    @Test
    void refusesARefThatIsAlreadyPending() {
        pending.register("r1", Duration.ofSeconds(1), "Ping");

        assertThatThrownBy(() -> pending.register("r1", Duration.ofSeconds(1), "Ping"))
                .isInstanceOf(IllegalStateException.class);
    }
}
