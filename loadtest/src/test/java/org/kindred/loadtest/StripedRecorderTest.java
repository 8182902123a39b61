package org.kindred.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class StripedRecorderTest {

    @Test
    void anIntervalHoldsWhatEveryThreadRecordedSinceTheLastOne() throws InterruptedException {
        StripedRecorder r = new StripedRecorder(1, Stats.MAX_MICROS, 3);
        Thread[] writers = new Thread[3];
        for (int t = 0; t < writers.length; t++) {
            long value = (t + 1) * 1000L;
            writers[t] = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    r.recordValue(value);
                }
            });
            writers[t].start();
        }
        for (Thread w : writers) {
            w.join();
        }
        r.recordValue(7);
        Histogram first = r.getIntervalHistogram();
        assertThat(first.getTotalCount()).isEqualTo(30_001);
        assertThat(first.getCountAtValue(2000)).isEqualTo(10_000);
        assertThat(first.getMinValue()).isEqualTo(7);
        r.recordValue(9);
        Histogram second = r.getIntervalHistogram();
        assertThat(second.getTotalCount()).isEqualTo(1);
        assertThat(second.getMaxValue()).isEqualTo(9);
        assertThat(r.getIntervalHistogram().getTotalCount()).isZero();
    }
}
