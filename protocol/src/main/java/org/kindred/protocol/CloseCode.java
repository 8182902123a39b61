package org.kindred.protocol;

import java.util.Arrays;
import java.util.Optional;

/**
 * The WebSocket close codes Kindred sends, in two ranges. Codes 4000–4099 mean "reconnect" (with jittered backoff,
 * resuming rooms with {@code since}); codes 4100–4199 mean "do not reconnect as you are" (fix the cause first).
 * 1009 is the standard "message too big" code, sent after {@link ErrorCode#FRAME_TOO_LARGE}.
 */
public enum CloseCode {
    /** The node is shutting down or draining; reconnect, to another node if there is one. */
    SERVER_SHUTTING_DOWN(4000, "server shutting down"),
    /** The node refuses more load right now; reconnect later. */
    SERVER_OVERLOADED(4001, "server overloaded"),
    /** The client read too slowly and fell too far behind; reconnect and resume. */
    SLOW_CONSUMER(4002, "slow consumer"),
    /** Nothing was received from the client for the idle timeout; reconnect when needed. */
    IDLE_TIMEOUT(4003, "idle timeout"),
    /**
     * A joined room's history was reset (its store lost it) and its sequence numbers start again; reconnect and
     * re-join: the resume will report {@code recovered: false} with the room's new epoch.
     */
    ROOM_RESET(4004, "room history reset"),
    /** Authentication failed (missing, invalid token or unknown role); do not reconnect with the same token. */
    AUTH_FAILED(4100, "authentication failed"),
    /** The token expired; get a fresh token before reconnecting. */
    TOKEN_EXPIRED(4101, "token expired"),
    /** The user is banned from the service; do not reconnect. */
    BANNED(4102, "banned"),
    /** The client broke the protocol in a way the connection cannot survive; fix the client. */
    PROTOCOL_VIOLATION(4103, "protocol violation"),
    /** No {@code hello} arrived within the authentication timeout. */
    AUTH_TIMEOUT(4104, "authentication timeout"),
    /** The user already holds as many connections as one user may; close one of them before connecting again. */
    TOO_MANY_CONNECTIONS(4105, "too many connections"),
    /** A frame exceeded {@code maxFrameBytes} (standard WebSocket code); reconnecting is fine, resending that frame is not. */
    MESSAGE_TOO_BIG(1009, "message too big");

    /** First code of the range that tells a client to reconnect. */
    public static final int RECONNECT_RANGE_START = 4000;
    /** Last code of the range that tells a client to reconnect. */
    public static final int RECONNECT_RANGE_END = 4099;
    /** First code of the range that tells a client not to reconnect as it is. */
    public static final int TERMINAL_RANGE_START = 4100;
    /** Last code of the range that tells a client not to reconnect as it is. */
    public static final int TERMINAL_RANGE_END = 4199;

    private final int code;
    private final String reason;

    CloseCode(int code, String reason) {
        this.code = code;
        this.reason = reason;
    }

    /** The numeric WebSocket close code. */
    public int code() {
        return code;
    }

    /** The short reason phrase sent in the close frame. */
    public String reason() {
        return reason;
    }

    /** Whether a client should reconnect after this code. */
    public boolean reconnect() {
        return shouldReconnect(code);
    }

    /**
     * Whether a client should reconnect after a close with this numeric code: codes in the terminal range do not,
     * every other code (network loss, 1001 going away, 1006 abnormal closure, the reconnect range, 1009) does.
     */
    public static boolean shouldReconnect(int code) {
        return code < TERMINAL_RANGE_START || code > TERMINAL_RANGE_END;
    }

    /** The Kindred close code with this number, if it is one. */
    public static Optional<CloseCode> of(int code) {
        return Arrays.stream(values()).filter(c -> c.code == code).findFirst();
    }
}
