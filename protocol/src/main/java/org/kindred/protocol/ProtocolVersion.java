package org.kindred.protocol;

/** The protocol version spoken by this build of the wire model. */
public final class ProtocolVersion {

    /** The version a client announces in {@link ClientMessage.Hello} and the server confirms in {@link ServerMessage.Welcome}. */
    public static final int CURRENT = 1;

    private ProtocolVersion() {}
}
