package org.kindred.server.connection;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.kindred.protocol.ErrorCode;
import org.kindred.protocol.ServerMessage;

/**
 * A command refused: the error code the client receives, a message for humans (never a token or a message's text) and,
 * when waiting helps, how long to wait. Every part of the server refuses with this one type; the session answers it
 * with an {@code error} frame. It is unchecked and carries no stack trace: a refusal is an answer, not a failure.
 */
public final class Refusal extends RuntimeException {

    private final ErrorCode code;
    private final Long retryAfterMs;

    public Refusal(ErrorCode code, String message) {
        this(code, message, null);
    }

    /** @param retryAfterMs how long the client should wait before trying again; {@code null} when it should not */
    public Refusal(ErrorCode code, String message, Long retryAfterMs) {
        super(message, null, false, false);
        this.code = Objects.requireNonNull(code, "code");
        this.retryAfterMs = retryAfterMs;
    }

    public ErrorCode code() {
        return code;
    }

    /** How long the client should wait before trying again, when that helps. */
    public Optional<Long> retryAfterMs() {
        return Optional.ofNullable(retryAfterMs);
    }

    /** The error frame that answers the command with this ref. */
    public ServerMessage.Error toError(String ref) {
        return new ServerMessage.Error(ref, code.wire(), getMessage(), code.retryable(), retryAfterMs);
    }

    /** The refusal behind a failed future's error, unwrapping the executor's wrappers; empty for any other failure. */
    public static Optional<Refusal> in(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof Refusal refusal ? Optional.of(refusal) : Optional.empty();
    }
}
