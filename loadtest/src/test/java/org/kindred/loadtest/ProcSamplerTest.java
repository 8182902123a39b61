package org.kindred.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcSamplerTest {

    @Test
    void samplesThisJvm() throws Exception {
        long pid = ProcessHandle.current().pid();
        assertThat(ProcSampler.exists(pid)).isTrue();
        ProcSampler.Sample a = ProcSampler.sample(pid);
        // Burn a little CPU so that the counters can move (they are in 10 ms ticks).
        long x = 0;
        long until = System.nanoTime() + 50_000_000L;
        while (System.nanoTime() < until) {
            x += Long.numberOfTrailingZeros(x + System.nanoTime());
        }
        ProcSampler.Sample b = ProcSampler.sample(pid);
        assertThat(a.userTicks() + a.systemTicks()).isPositive();
        assertThat(b.userTicks()).isGreaterThanOrEqualTo(a.userTicks());
        assertThat(b.systemTicks()).isGreaterThanOrEqualTo(a.systemTicks());
        assertThat(a.rssKb()).isGreaterThan(10_000); // a JVM is more than 10 MiB
        assertThat(ProcSampler.clockTicksPerSecond()).isPositive();
        assertThat(ProcSampler.ticksToMillis(ProcSampler.clockTicksPerSecond())).isEqualTo(1000.0);
        assertThat(x).isNotNegative();
    }

    @Test
    void unknownProcessesAreReported() {
        assertThat(ProcSampler.exists(Integer.MAX_VALUE - 1)).isFalse();
        assertThat(ProcSampler.openFilesLimit()).isNotZero();
        assertThat(ProcSampler.ephemeralPorts()).isPositive();
    }
}
