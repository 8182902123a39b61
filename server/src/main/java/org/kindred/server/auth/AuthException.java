package org.kindred.server.auth;

import java.util.Objects;
import org.kindred.protocol.ErrorCode;

/**
 * A token was refused. {@link #code()} is what the client receives ({@code token_missing}, {@code token_invalid},
 * {@code token_expired} or {@code unknown_role}); the message is for humans and logs, and never contains the token.
 */
public final class AuthException extends Exception {

    private final ErrorCode code;

    public AuthException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }

    static AuthException missing() {
        return new AuthException(ErrorCode.TOKEN_MISSING, "no token");
    }

    static AuthException invalid(String reason) {
        return new AuthException(ErrorCode.TOKEN_INVALID, reason);
    }

    static AuthException expired(String reason) {
        return new AuthException(ErrorCode.TOKEN_EXPIRED, reason);
    }

    static AuthException unknownRole(String role) {
        return new AuthException(ErrorCode.UNKNOWN_ROLE, "unknown role '" + printable(role) + "'");
    }

    /** Token claims are attacker-chosen: keep them short and free of control characters before they reach logs. */
    private static String printable(String value) {
        String shortened = value.length() > 40 ? value.substring(0, 40) + "..." : value;
        return shortened
                .codePoints()
                .map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
    }
}
