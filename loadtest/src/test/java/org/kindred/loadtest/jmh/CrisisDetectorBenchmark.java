package org.kindred.loadtest.jmh;

import java.util.concurrent.TimeUnit;
import org.kindred.server.safety.PhraseCrisisDetector;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Messages screened for crisis language per second on one core, with every shipped language, on the realistic mix of
 * {@link ScreeningMessages}. Uses only {@link PhraseCrisisDetector#defaults()} and {@code detect(String)}, so the same
 * file measures an older build of the detector too (see docs/performance.md, "Crisis screening").
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
@Fork(1)
public class CrisisDetectorBenchmark {

    private final PhraseCrisisDetector detector = PhraseCrisisDetector.defaults();
    private String[] messages;
    private int next;

    @Setup
    public void setUp() {
        messages = ScreeningMessages.mix(4096);
    }

    /** One operation: one message of the mix through the detector. */
    @Benchmark
    public boolean detect() {
        String message = messages[next];
        next = (next + 1) & (messages.length - 1);
        return detector.detect(message).isPresent();
    }
}
