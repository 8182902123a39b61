package org.kindred.loadtest;

import io.netty.util.concurrent.FastThreadLocal;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * A latency recorder written from every event loop, one {@link SingleWriterRecorder} per writing thread. A shared
 * {@link org.HdrHistogram.Recorder} costs several atomic updates of shared cache lines per value (its phaser, the
 * concurrent histogram's phaser, counts and total), which the event loops then pass back and forth on every delivery;
 * here each thread records into its own, and the reader adds them up.
 */
public final class StripedRecorder {

    private final long lowest;
    private final long highest;
    private final int digits;
    private final List<SingleWriterRecorder> stripes = new CopyOnWriteArrayList<>();
    private final FastThreadLocal<SingleWriterRecorder> mine = new FastThreadLocal<>() {
        @Override
        protected SingleWriterRecorder initialValue() {
            SingleWriterRecorder r = new SingleWriterRecorder(lowest, highest, digits);
            stripes.add(r);
            return r;
        }
    };

    public StripedRecorder(long lowestDiscernibleValue, long highestTrackableValue, int significantDigits) {
        this.lowest = lowestDiscernibleValue;
        this.highest = highestTrackableValue;
        this.digits = significantDigits;
    }

    public void recordValue(long value) {
        mine.get().recordValue(value);
    }

    /** What all threads recorded since the previous call (or since creation), as {@code Recorder} gives it. */
    public synchronized Histogram getIntervalHistogram() {
        Histogram sum = new Histogram(lowest, highest, digits);
        for (SingleWriterRecorder r : stripes) {
            sum.add(r.getIntervalHistogram());
        }
        return sum;
    }
}
