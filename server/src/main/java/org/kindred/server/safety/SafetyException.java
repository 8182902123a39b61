package org.kindred.server.safety;

import org.kindred.protocol.ErrorCode;

/** A safety command that cannot be carried out, with the error code the client receives. */
public final class SafetyException extends RuntimeException {

    private final ErrorCode code;

    public SafetyException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
