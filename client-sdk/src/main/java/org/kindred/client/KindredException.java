package org.kindred.client;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.kindred.protocol.ErrorCode;
import org.kindred.protocol.ServerMessage;

/**
 * Why a command or a connection failed: an {@code error} from the server, or a failure on the client side (timeout,
 * closed connection). {@link #code()} is the server's wire code, or one of the client-side codes declared here.
 */
public final class KindredException extends RuntimeException {

    /** No reply arrived within the request timeout. The command may still have taken effect. */
    public static final String TIMEOUT = "client_timeout";
    /** The connection closed before the reply arrived; see {@link #closeCode()}. */
    public static final String CONNECTION_CLOSED = "connection_closed";
    /** The command needs a connected session and there is none right now. */
    public static final String NOT_CONNECTED = "not_connected";
    /** {@link KindredClient#close()} was called. */
    public static final String CLIENT_CLOSED = "client_closed";
    /** No server URL could be reached. */
    public static final String CONNECT_FAILED = "connect_failed";
    /** The server answered with a reply of an unexpected type. */
    public static final String UNEXPECTED_REPLY = "unexpected_reply";

    private final String code;
    private final boolean retryable;
    private final Long retryAfterMs;
    private final Integer closeCode;
    private final ServerMessage.Error serverError;

    private KindredException(
            String code,
            String message,
            boolean retryable,
            Long retryAfterMs,
            Integer closeCode,
            ServerMessage.Error serverError,
            Throwable cause) {
        super(code + ": " + message, cause, true, false);
        this.code = code;
        this.retryable = retryable;
        this.retryAfterMs = retryAfterMs;
        this.closeCode = closeCode;
        this.serverError = serverError;
    }

    /** The failure the server reported with this {@code error} message. */
    public static KindredException of(ServerMessage.Error error) {
        return new KindredException(
                error.code(), error.message(), error.retryable(), error.retryAfterMs(), null, error, null);
    }

    static KindredException timeout(String what) {
        return new KindredException(TIMEOUT, "no reply to " + what + " in time", true, null, null, null, null);
    }

    static KindredException connectionClosed(int closeCode, String reason, boolean retryable) {
        return new KindredException(
                CONNECTION_CLOSED,
                "connection closed with " + closeCode + " (" + reason + ")",
                retryable,
                null,
                closeCode,
                null,
                null);
    }

    static KindredException notConnected() {
        return new KindredException(NOT_CONNECTED, "the client is not connected", true, null, null, null, null);
    }

    static KindredException clientClosed() {
        return new KindredException(CLIENT_CLOSED, "the client was closed", false, null, null, null, null);
    }

    static KindredException connectFailed(int closeCode, String reason, Throwable cause) {
        return new KindredException(
                CONNECT_FAILED,
                "no server could be reached, last: " + closeCode + " (" + reason + ")",
                true,
                null,
                closeCode,
                null,
                cause);
    }

    /**
     * A send to a group meeting's room that cannot go out: a facilitator removed this user from the meeting. Carries
     * the server's code for it, {@code removed_from_group}, and is not retryable.
     */
    static KindredException removedFromGroup(ServerMessage.RemovedFromGroup event) {
        String reason = event.reason() == null ? "" : ": " + event.reason();
        return new KindredException(
                ErrorCode.REMOVED_FROM_GROUP.wire(),
                "a facilitator removed this user from " + event.room()
                        + (event.banned() ? " and banned it from the group" : "") + reason,
                false,
                null,
                null,
                null,
                null);
    }

    static KindredException unexpectedReply(ServerMessage reply) {
        return new KindredException(
                UNEXPECTED_REPLY,
                "unexpected reply " + reply.getClass().getSimpleName(),
                false,
                null,
                null,
                null,
                null);
    }

    /** The code: a server {@link ErrorCode#wire() wire code} or one of this class's client-side constants. */
    public String code() {
        return code;
    }

    /** The code as an {@link ErrorCode}; empty for client-side codes and for server codes this build does not know. */
    public Optional<ErrorCode> errorCode() {
        return ErrorCode.fromWire(code);
    }

    /** Whether repeating the command later can succeed. */
    public boolean retryable() {
        return retryable;
    }

    /**
     * How long the server asked to wait, in milliseconds: for {@code rate_limited} (the client retries by itself), and
     * for a group meeting's {@code slow_mode} (not retried: the app may offer to post again after it).
     */
    public OptionalLong retryAfterMs() {
        return retryAfterMs == null ? OptionalLong.empty() : OptionalLong.of(retryAfterMs);
    }

    /** The WebSocket close code, when the failure was a closed connection. */
    public OptionalInt closeCode() {
        return closeCode == null ? OptionalInt.empty() : OptionalInt.of(closeCode);
    }

    /** The server's {@code error} message, when the server reported the failure. */
    public Optional<ServerMessage.Error> serverError() {
        return Optional.ofNullable(serverError);
    }
}
