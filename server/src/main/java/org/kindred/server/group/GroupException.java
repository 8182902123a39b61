package org.kindred.server.group;

import org.kindred.protocol.ErrorCode;
import org.kindred.protocol.ServerMessage;

/** A group command or post refused, with the error code the client receives. */
public final class GroupException extends Exception {

    private final ErrorCode code;
    private final Long retryAfterMs;

    public GroupException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public GroupException(ErrorCode code, String message, Long retryAfterMs) {
        super(message, null, false, false);
        this.code = code;
        this.retryAfterMs = retryAfterMs;
    }

    public ErrorCode code() {
        return code;
    }

    /** The error frame for a command with this ref. */
    public ServerMessage.Error toError(String ref) {
        return new ServerMessage.Error(ref, code.wire(), getMessage(), code.retryable(), retryAfterMs);
    }
}
