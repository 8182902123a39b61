package org.kindred.server.auth;

import org.kindred.protocol.ErrorCode;
import org.kindred.server.connection.Refusal;

/**
 * How a token is refused: {@code token_missing}, {@code token_invalid}, {@code token_expired} or {@code unknown_role}.
 * The message is for humans and logs, and never contains the token.
 */
final class TokenRefusals {

    private TokenRefusals() {}

    static Refusal missing() {
        return new Refusal(ErrorCode.TOKEN_MISSING, "no token");
    }

    static Refusal invalid(String reason) {
        return new Refusal(ErrorCode.TOKEN_INVALID, reason);
    }

    static Refusal expired(String reason) {
        return new Refusal(ErrorCode.TOKEN_EXPIRED, reason);
    }

    static Refusal unknownRole(String role) {
        return new Refusal(ErrorCode.UNKNOWN_ROLE, "unknown role '" + printable(role) + "'");
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
