package org.kindred.protocol;

/**
 * The protocol versions spoken by this build of the wire model. A client announces the version it speaks in
 * {@link ClientMessage.Hello}; the server speaks that version with it and confirms it in {@link ServerMessage.Welcome}.
 * See "Protocol evolution" in {@code docs/protocol.md}.
 */
public final class ProtocolVersion {

    /** The newest version: what the SDKs announce. */
    public static final int CURRENT = 2;

    /** The oldest version a server still speaks: a client that announces none speaks this one. */
    public static final int OLDEST = 1;

    /**
     * The first version with paged presence: {@code joined} lists at most the first N present with the count and a
     * cursor, the {@code presence} command pages through the rest, and busy rooms send {@code presence_diff}.
     */
    public static final int PAGED_PRESENCE = 2;

    private ProtocolVersion() {}

    /** Whether a server of this build speaks the version. */
    public static boolean isSupported(int version) {
        return version >= OLDEST && version <= CURRENT;
    }
}
