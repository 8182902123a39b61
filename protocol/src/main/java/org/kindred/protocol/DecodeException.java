package org.kindred.protocol;

import java.util.Objects;

/**
 * A frame that could not be turned into a message. Carries the {@link ErrorCode} to answer with and, when the frame
 * was readable enough, the {@code ref} to echo.
 */
public final class DecodeException extends Exception {

    private final ErrorCode code;
    private final String ref;

    /** Creates the exception. */
    public DecodeException(ErrorCode code, String message, String ref) {
        super(message, null, false, false);
        this.code = Objects.requireNonNull(code, "code");
        this.ref = ref;
    }

    /** The error code to answer with. */
    public ErrorCode code() {
        return code;
    }

    /** The frame's {@code ref}, or null when it had none or could not be read. */
    public String ref() {
        return ref;
    }

    /** The error message to send back for this failure. */
    public ServerMessage.Error toError() {
        return ServerMessage.Error.of(ref, code, getMessage());
    }
}
