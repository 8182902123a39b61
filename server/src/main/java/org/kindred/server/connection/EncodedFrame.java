package org.kindred.server.connection;

import java.util.Objects;
import java.util.function.Function;

/**
 * A server message already encoded as UTF-8 JSON, shared by every recipient of a broadcast. Its bytes are never
 * modified after creation.
 *
 * <p>A transport may attach the form it writes to the wire ({@link #wire}): computed once, by the first recipient's
 * connection, and shared by the others, so a broadcast is framed once rather than once per recipient. The domain
 * knows nothing of that form (it is an {@code Object} here). A frame for one connection only (a reply, see
 * {@link #forOne}) keeps no such form: sharing buys nothing there, and the form would hold transport memory for as long
 * as the frame object lives.
 */
public final class EncodedFrame {

    private final byte[] utf8;
    private final boolean shared;
    /** The transport's form of this frame, made at most once (benign race: a duplicate is merely discarded). */
    private volatile Object wire;

    /** A frame that may go to many connections (a broadcast). */
    public EncodedFrame(byte[] utf8) {
        this(utf8, true);
    }

    private EncodedFrame(byte[] utf8, boolean shared) {
        this.utf8 = Objects.requireNonNull(utf8, "utf8");
        this.shared = shared;
    }

    /** A frame sent to one connection only (a reply): the transport writes it as it is, with no shared wire form. */
    public static EncodedFrame forOne(byte[] utf8) {
        return new EncodedFrame(utf8, false);
    }

    /** Whether the frame may go to several connections, so that a shared {@link #wire} form pays for itself. */
    public boolean shared() {
        return shared;
    }

    /** The UTF-8 JSON; never to be modified. */
    public byte[] utf8() {
        return utf8;
    }

    /**
     * The transport-specific form of this frame, made from the UTF-8 bytes by {@code make} on first use and then
     * shared. One transport per process: the form is not keyed by transport.
     */
    @SuppressWarnings("unchecked")
    public <T> T wire(Function<byte[], T> make) {
        Object w = wire;
        if (w == null) {
            w = make.apply(utf8);
            wire = w;
        }
        return (T) w;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncodedFrame other && other.utf8 == utf8;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(utf8);
    }

    @Override
    public String toString() {
        return "EncodedFrame[" + utf8.length + " bytes]";
    }
}
