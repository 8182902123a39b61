package org.kindred.server.support;

import org.kindred.protocol.ErrorCode;

/** A support command that cannot be carried out, with the error code the client receives. */
public final class SupportException extends Exception {

    private final ErrorCode code;

    SupportException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
