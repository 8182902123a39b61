package org.kindred.loadtest;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import java.io.IOException;

/**
 * Reads one connection's text frames into its reused {@link Frame}: {@code message} frames through the byte-level
 * {@link MessageScanner}, everything else (and any message it declines) through Jackson's {@link FrameScanner}, with
 * the same result either way. One per connection, used on its event loop.
 */
public final class FrameReader {

    /**
     * Where a frame in a direct buffer is copied to for scanning: one bulk copy costs less than checking bounds and
     * liveness on every {@code getByte}. Per thread (an event loop serves many connections), grown to the largest frame.
     */
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[16 * 1024];
        }
    };

    private final MessageScanner messages = new MessageScanner();

    /** Reads a frame's UTF-8 bytes into {@code out}; throws on a frame that is not a JSON object with a type. */
    public void read(ByteBuf content, Frame out) throws IOException {
        int length = content.readableBytes();
        if (content.hasArray()) {
            read(content.array(), content.arrayOffset() + content.readerIndex(), length, out);
            return;
        }
        byte[] scratch = SCRATCH.get();
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, scratch.length * 2)];
            SCRATCH.set(scratch);
        }
        content.getBytes(content.readerIndex(), scratch, 0, length);
        read(scratch, 0, length, out);
    }

    public void read(byte[] bytes, int offset, int length, Frame out) throws IOException {
        if (!messages.scan(bytes, offset, length, out)) {
            FrameScanner.scan(bytes, offset, length, out);
        }
    }
}
