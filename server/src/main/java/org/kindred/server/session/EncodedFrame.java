package org.kindred.server.session;

import java.util.Objects;

/**
 * A server message already encoded as UTF-8 JSON, shared by every recipient of a broadcast. Its bytes are never
 * modified after creation.
 */
public record EncodedFrame(byte[] utf8) {
    public EncodedFrame {
        Objects.requireNonNull(utf8, "utf8");
    }
}
