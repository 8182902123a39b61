import type { ErrorCode, ErrorFrame } from './generated/protocol.js';

/** The codes of failures on the client's side, beside the server's {@link ErrorCode}s. */
export const ClientErrorCode = {
  /** No reply arrived within the request timeout. The command may still have taken effect. */
  TIMEOUT: 'client_timeout',
  /** The connection closed before the reply arrived; see {@link KindredError.closeCode}. */
  CONNECTION_CLOSED: 'connection_closed',
  /** The command needs a connected session and there is none right now. */
  NOT_CONNECTED: 'not_connected',
  /** {@link KindredClient.close} was called. */
  CLIENT_CLOSED: 'client_closed',
  /** No server URL could be reached. */
  CONNECT_FAILED: 'connect_failed',
  /** The server answered with a reply of an unexpected type. */
  UNEXPECTED_REPLY: 'unexpected_reply',
} as const;

/** One of {@link ClientErrorCode}'s values. */
export type ClientErrorCode = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];

/**
 * Why a command or a connection failed: an `error` frame from the server (then {@link code} is the server's stable
 * code, for example `rate_limited` or `muted`), or a failure on the client's side ({@link ClientErrorCode}).
 *
 * ```ts
 * try {
 *   await client.send(room, text);
 * } catch (e) {
 *   if (e instanceof KindredError && e.code === 'slow_mode') showCountdown(e.retryAfterMs);
 * }
 * ```
 */
export class KindredError extends Error {
  override readonly name = 'KindredError';

  private constructor(
    /** The server's error code (a {@link ErrorCode}, or a newer one) or a {@link ClientErrorCode}. */
    readonly code: ErrorCode | ClientErrorCode | (string & {}),
    message: string,
    /** Whether repeating the command later can succeed. */
    readonly retryable: boolean,
    /**
     * How long the server asked to wait, in milliseconds: for `rate_limited` (sends are retried by the client) and a
     * group meeting's `slow_mode` (not retried: the app may offer to post again after it).
     */
    readonly retryAfterMs?: number,
    /** The WebSocket close code, when the failure was a closed connection. */
    readonly closeCode?: number,
    /** The server's `error` frame, when the server reported the failure. */
    readonly serverError?: ErrorFrame,
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${message}`, options);
  }

  /** The failure the server reported with this `error` frame. */
  static fromServer(error: ErrorFrame): KindredError {
    return new KindredError(error.code, error.message, error.retryable, error.retryAfterMs, undefined, error);
  }

  /** @internal */
  static timeout(what: string): KindredError {
    return new KindredError(ClientErrorCode.TIMEOUT, `no reply to ${what} in time`, true);
  }

  /** @internal */
  static connectionClosed(closeCode: number, reason: string, retryable: boolean): KindredError {
    return new KindredError(
      ClientErrorCode.CONNECTION_CLOSED,
      `connection closed with ${closeCode} (${reason})`,
      retryable,
      undefined,
      closeCode,
    );
  }

  /** @internal */
  static notConnected(): KindredError {
    return new KindredError(ClientErrorCode.NOT_CONNECTED, 'the client is not connected', true);
  }

  /** @internal */
  static clientClosed(): KindredError {
    return new KindredError(ClientErrorCode.CLIENT_CLOSED, 'the client was closed', false);
  }

  /** @internal */
  static connectFailed(closeCode: number, reason: string, cause?: unknown): KindredError {
    return new KindredError(
      ClientErrorCode.CONNECT_FAILED,
      `no server could be reached, last: ${closeCode} (${reason})`,
      true,
      undefined,
      closeCode,
      undefined,
      { cause },
    );
  }

  /** @internal A send to a group meeting's room that cannot go out: a facilitator removed this user from it. */
  static removedFromGroup(room: string, banned: boolean, reason?: string): KindredError {
    return new KindredError(
      'removed_from_group',
      `a facilitator removed this user from ${room}${banned ? ' and banned it from the group' : ''}${reason ? `: ${reason}` : ''}`,
      false,
    );
  }

  /** @internal */
  static unexpectedReply(type: string): KindredError {
    return new KindredError(ClientErrorCode.UNEXPECTED_REPLY, `unexpected reply ${type}`, false);
  }
}
