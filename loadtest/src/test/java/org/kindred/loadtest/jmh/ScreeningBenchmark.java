package org.kindred.loadtest.jmh;

import java.util.concurrent.TimeUnit;
import org.kindred.server.safety.ContentRules;
import org.kindred.server.safety.NormalizedText;
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
 * The whole screening of a new member's message in a room with every content rule, per second on one core: the text
 * normalised once, then the crisis detector, the contact rule and the dose rule on the shared {@link NormalizedText};
 * and the normalisation alone. Same mix as {@link CrisisDetectorBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
@Fork(1)
public class ScreeningBenchmark {

    private final PhraseCrisisDetector detector = PhraseCrisisDetector.defaults();
    private String[] messages;
    private int next;

    @Setup
    public void setUp() {
        messages = ScreeningMessages.mix(4096);
    }

    private String nextMessage() {
        String message = messages[next];
        next = (next + 1) & (messages.length - 1);
        return message;
    }

    /** Normalise once; crisis detector, new-member contact rule and dose rule on the shared result. */
    @Benchmark
    public int screenNewMemberMessage() {
        NormalizedText text = NormalizedText.of(nextMessage());
        int flags = detector.detect(text).isPresent() ? 1 : 0;
        flags |= ContentRules.refusalForNewMember(text).isPresent() ? 2 : 0;
        flags |= ContentRules.namesDose(text) ? 4 : 0;
        return flags;
    }

    /** The normalisation alone (folded text and words). */
    @Benchmark
    public int normalise() {
        return NormalizedText.of(nextMessage()).words().size();
    }
}
