package org.kindred.protocol;

import java.util.Objects;

/**
 * A message that parsed as JSON but breaks the protocol: a missing field, a value out of range. Thrown by the record
 * constructors of this package, so that a message that exists is always a valid one.
 */
public final class InvalidMessageException extends RuntimeException {

    private final ErrorCode code;

    /** Creates the exception with the error code the peer will be told and a human message. */
    public InvalidMessageException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** The error code that describes the problem. */
    public ErrorCode code() {
        return code;
    }

    static <T> T required(T value, String field) {
        if (value == null) {
            throw new InvalidMessageException(ErrorCode.MISSING_FIELD, "missing field '" + field + "'");
        }
        return value;
    }

    static String requiredText(String value, String field) {
        required(value, field);
        if (value.isBlank()) {
            throw new InvalidMessageException(ErrorCode.INVALID_FIELD, "field '" + field + "' must not be blank");
        }
        return value;
    }

    static void check(boolean condition, String message) {
        if (!condition) {
            throw new InvalidMessageException(ErrorCode.INVALID_FIELD, message);
        }
    }
}
