import { KindredError } from './errors.js';
import type { ServerMessage } from './generated/protocol.js';

interface Entry {
  resolve(frame: ServerMessage): void;
  reject(error: unknown): void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Commands waiting for their reply, by `ref`, each with its own timeout. A command that gets no reply in time fails
 * with {@link ClientErrorCode.TIMEOUT}; the owner fails the rest when the connection closes.
 */
export class PendingRequests {
  private readonly byRef = new Map<string, Entry>();

  /**
   * Registers a command sent with this ref. The promise resolves with its reply, or rejects with the server's error,
   * a timeout, or the reason given to {@link failAll}.
   *
   * @param what a short description for the timeout message, for example the command type; never message text
   */
  register(ref: string, timeoutMs: number, what: string): Promise<ServerMessage> {
    if (this.byRef.has(ref)) {
      throw new Error(`ref already pending: ${ref}`);
    }
    return new Promise<ServerMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.byRef.delete(ref)) {
          reject(KindredError.timeout(what));
        }
      }, timeoutMs);
      this.byRef.set(ref, { resolve, reject, timer });
    });
  }

  /** Completes the command with this ref; false when none is pending (unknown, timed out or already answered). */
  complete(ref: string, reply: ServerMessage): boolean {
    const entry = this.take(ref);
    entry?.resolve(reply);
    return entry !== undefined;
  }

  /** Fails the command with this ref; false when none is pending. */
  fail(ref: string, error: unknown): boolean {
    const entry = this.take(ref);
    entry?.reject(error);
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
