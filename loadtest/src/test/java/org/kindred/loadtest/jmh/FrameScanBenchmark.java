package org.kindred.loadtest.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.kindred.loadtest.Frame;
import org.kindred.loadtest.FrameReader;
import org.kindred.loadtest.FrameScanner;
import org.kindred.loadtest.Payload;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.UserInfo;
import org.kindred.protocol.WireCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The load generator's cost per received {@code message} frame, in a direct buffer as the WebSocket decoder hands it
 * over: Jackson's {@link FrameScanner} (the path before) against {@link FrameReader}'s byte-level fast path.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FrameScanBenchmark {

    private final Frame frame = new Frame();
    private final FrameReader reader = new FrameReader();
    private final byte[] scratch = new byte[16 * 1024];
    private ByteBuf message;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] json = new WireCodec()
                .encode(new ServerMessage.ChatMessage(
                        "lt-0001",
                        1042,
                        "m-1042",
                        new UserInfo("lt:0a1b2c:7", "lt0a1b2cm7", "member"),
                        Payload.format(0x0a1b2c, 7, 1042, 81234567890123L),
                        1767225600000L,
                        "lt-0a1b2c-7-1042"));
        message = Unpooled.directBuffer(json.length).writeBytes(json);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        message.release();
    }

    @Benchmark
    public long jackson() throws IOException {
        int length = message.readableBytes();
        message.getBytes(message.readerIndex(), scratch, 0, length);
        FrameScanner.scan(scratch, 0, length, frame);
        return frame.message.payload.publisherSeq;
    }

    @Benchmark
    public long fastPath() throws IOException {
        reader.read(message, frame);
        return frame.message.payload.publisherSeq;
    }
}
