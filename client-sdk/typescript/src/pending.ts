import { KindredError } from './errors.js';
import type { ServerMessage } from './generated/protocol.js';

/**
 * How a command ends: with its reply, or with an error (the server's, a timeout, a closed connection). Called
 * synchronously, as the reply frame is read, so that what the reply changes (a joined room's cursor) is in place
 * before the next frame of the same read is handled.
 */
export type Settle = (error: unknown, reply?: ServerMessage) => void;

interface Entry {
  settle: Settle;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Commands waiting for their reply, by `ref`, each with its own timeout. A command that gets no reply in time fails
 * with {@link ClientErrorCode.TIMEOUT}; the owner fails the rest when the connection closes.
 */
export class PendingRequests {
  private readonly byRef = new Map<string, Entry>();

  /**
   * Registers a command sent with this ref; `settle` runs once, with its reply, or with the server's error, a timeout,
   * or the reason given to {@link failAll}.
   *
   * @param what a short description for the timeout message, for example the command type; never message text
   */
  register(ref: string, timeoutMs: number, what: string, settle: Settle): void {
    if (this.byRef.has(ref)) {
      throw new Error(`ref already pending: ${ref}`);
    }
    const timer = setTimeout(() => this.fail(ref, KindredError.timeout(what)), timeoutMs);
    this.byRef.set(ref, { settle, timer });
  }

  /** Completes the command with this ref; false when none is pending (unknown, timed out or already answered). */
  complete(ref: string, reply: ServerMessage): boolean {
    const entry = this.take(ref);
    entry?.settle(undefined, reply);
    return entry !== undefined;
  }

  /** Fails the command with this ref; false when none is pending. */
  fail(ref: string, error: unknown): boolean {
    const entry = this.take(ref);
    entry?.settle(error);
    return entry !== undefined;
  }

  /** Fails every pending command with this error, for example when the connection closes. */
  failAll(error: unknown): void {
    for (const ref of [...this.byRef.keys()]) {
      this.fail(ref, error);
    }
  }

  get size(): number {
    return this.byRef.size;
  }

  private take(ref: string): Entry | undefined {
    const entry = this.byRef.get(ref);
    if (entry !== undefined) {
      this.byRef.delete(ref);
      clearTimeout(entry.timer);
    }
    return entry;
  }
}
