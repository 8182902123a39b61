package org.kindred.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;

/**
 * Complete, unmasked server WebSocket text frames (header and payload) in direct memory, built once per
 * {@link org.kindred.server.connection.EncodedFrame} and written as a duplicate to every recipient: Netty's WebSocket
 * encoder lets a plain {@link ByteBuf} through untouched, so a broadcast costs neither a header nor a copy per
 * recipient, and the socket writes straight from this memory.
 *
 * <p>Frames are carved from 64 KiB direct slabs, one slab per thread at a time, so that a frame costs no
 * {@code allocateDirect} of its own; a slab is freed by the garbage collector once no frame in it is referenced.
 * The returned buffers are unreleasable: nothing returns them to a pool, and a recipient's release is a no-op.
 */
public final class WireFrames {

    static final int SLAB_BYTES = 64 * 1024;
    /** Frames larger than this get their own direct buffer rather than a slice of a slab. */
    static final int LARGEST_SLICE = 8 * 1024;

    private static final ThreadLocal<ByteBuffer> SLAB = new ThreadLocal<>();

    private WireFrames() {}

    /** A complete text frame (FIN, opcode 1, no mask) carrying {@code payload}. */
    public static ByteBuf text(byte[] payload) {
        int length = payload.length;
        int header = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
        int size = header + length;
        ByteBuffer out = allocate(size);
        out.put((byte) 0x81);
        if (length < 126) {
            out.put((byte) length);
        } else if (length <= 0xFFFF) {
            out.put((byte) 126);
            out.putShort((short) length);
        } else {
            out.put((byte) 127);
            out.putLong(length);
        }
        out.put(payload);
        out.flip();
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(out));
    }

    private static ByteBuffer allocate(int size) {
        if (size > LARGEST_SLICE) {
            return ByteBuffer.allocateDirect(size);
        }
        ByteBuffer slab = SLAB.get();
        if (slab == null || slab.remaining() < size) {
            slab = ByteBuffer.allocateDirect(SLAB_BYTES);
            SLAB.set(slab);
        }
        int at = slab.position();
        slab.position(at + size);
        return slab.slice(at, size);
    }
}
