package org.kindred.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ReconnectPolicyTest {

    private final ReconnectPolicy policy = ReconnectPolicy.defaults();

    @Test
    void boundStartsAtTheInitialDelayAndDoublesUpToTheMaximum() {
        assertThat(policy.bound(0)).isEqualTo(Duration.ofMillis(200));
        assertThat(policy.bound(1)).isEqualTo(Duration.ofMillis(400));
        assertThat(policy.bound(5)).isEqualTo(Duration.ofMillis(6400));
        assertThat(policy.bound(6)).isEqualTo(Duration.ofSeconds(10));
        assertThat(policy.bound(100_000)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void delaysStayBetweenZeroAndTheBoundOfTheirAttempt() {
        SplittableRandom random = new SplittableRandom(42);
        for (int attempt = 0; attempt < 40; attempt++) {
            for (int i = 0; i < 200; i++) {
                Duration delay = policy.delay(attempt, random).orElseThrow();
                assertThat(delay).isBetween(Duration.ZERO, policy.bound(attempt));
            }
        }
    }

    @Test
    void fullJitterSpreadsDelaysOverTheWholeRange() {
        SplittableRandom random = new SplittableRandom(7);
        List<Long> delays = IntStream.range(0, 2000)
                .mapToObj(i -> policy.delay(10, random).orElseThrow().toMillis())
                .toList();

        assertThat(delays.stream().mapToLong(Long::longValue).min().orElseThrow())
                .isLessThan(500);
        assertThat(delays.stream().mapToLong(Long::longValue).max().orElseThrow())
                .isGreaterThan(9500);
        assertThat(delays.stream().distinct().count()).isGreaterThan(1000);
    }

    @Test
    void sameSeedGivesTheSameDelays() {
        assertThat(delays(new SplittableRandom(3))).isEqualTo(delays(new SplittableRandom(3)));
        assertThat(delays(new SplittableRandom(3))).isNotEqualTo(delays(new SplittableRandom(4)));
    }

    @Test
    void stopsAfterMaxAttempts() {
        ReconnectPolicy limited = ReconnectPolicy.builder().maxAttempts(2).build();
        SplittableRandom random = new SplittableRandom(1);

        assertThat(limited.delay(0, random)).isPresent();
        assertThat(limited.delay(1, random)).isPresent();
        assertThat(limited.delay(2, random)).isEmpty();
    }

    @Test
    void noneNeverReconnects() {
        assertThat(ReconnectPolicy.none().delay(0, new SplittableRandom(1))).isEmpty();
    }

    @Test
    void followsCustomSettings() {
        ReconnectPolicy custom = ReconnectPolicy.builder()
                .initialDelay(Duration.ofSeconds(1))
                .maxDelay(Duration.ofSeconds(5))
                .factor(3)
                .build();

        assertThat(custom.bound(0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(custom.bound(1)).isEqualTo(Duration.ofSeconds(3));
        assertThat(custom.bound(2)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void rejectsSettingsOutOfRangeWithPreciseMessages() {
        assertThatThrownBy(() ->
                        ReconnectPolicy.builder().initialDelay(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("initialDelay: PT0S (expected: > 0)");
        assertThatThrownBy(() -> ReconnectPolicy.builder()
                        .maxDelay(Duration.ofMillis(100))
                        .build())
                .hasMessage("maxDelay: PT0.1S (expected: >= initialDelay PT0.2S)");
        assertThatThrownBy(() -> ReconnectPolicy.builder().factor(0.5).build())
                .hasMessage("factor: 0.5 (expected: >= 1.0 and finite)");
        assertThatThrownBy(() -> ReconnectPolicy.builder().factor(Double.NaN).build())
                .hasMessage("factor: NaN (expected: >= 1.0 and finite)");
        assertThatThrownBy(() -> ReconnectPolicy.builder().maxAttempts(-1).build())
                .hasMessage("maxAttempts: -1 (expected: >= 0)");
        assertThatThrownBy(() -> policy.delay(-1, new SplittableRandom(1))).hasMessage("attempt: -1 (expected: >= 0)");
    }

    private List<Duration> delays(SplittableRandom random) {
        List<Duration> delays = new ArrayList<>();
        for (int attempt = 0; attempt < 10; attempt++) {
            delays.add(policy.delay(attempt, random).orElseThrow());
        }
        return delays;
    }
}
