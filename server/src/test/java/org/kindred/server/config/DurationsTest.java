package org.kindred.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void humanAndIsoFormsAreRead() {
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.parse(" 30 S ")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("pt10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Durations.parse("0")).isEqualTo(Duration.ZERO);
    }

    @Test
    void bareNumberIsRefusedBecauseItsUnitIsAGuess() {
        assertThatThrownBy(() -> Durations.parse("60"))
                .hasMessage("'60' has no unit (expected: e.g. 250ms, 10s, 5m, 2h, 7d or ISO-8601 such as PT10S)");
        assertThatThrownBy(() -> Durations.parse("ten seconds"))
                .hasMessage("'ten seconds' is not a duration (expected: e.g. 250ms, 10s, 5m, 2h, 7d or ISO-8601 such as"
                        + " PT10S)");
        assertThatThrownBy(() -> Durations.parse("P1X")).hasMessageStartingWith("'P1X' is not a duration");
    }

    @Test
    void formatPicksTheShortestExactUnit() {
        assertThat(Durations.format(Duration.ofDays(7))).isEqualTo("7d");
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Durations.format(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(Durations.format(Duration.ofMinutes(10))).isEqualTo("10m");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
    }
}
