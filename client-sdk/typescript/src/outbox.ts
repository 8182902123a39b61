import type { Ack } from './generated/protocol.js';

/** One send of the application, until it is acknowledged or fails for good. Identity matters. */
export interface PendingSend {
  readonly room: string;
  readonly clientMsgId: string;
  readonly text: string;
  readonly resolve: (ack: Ack) => void;
  readonly reject: (error: unknown) => void;
  /** `queued`: waiting to be sent (again) once the session is ready; `inFlight`: sent, waiting for its ack. */
  status: 'queued' | 'inFlight';
  /** The ref of the latest transmission; replies to older ones are ignored. */
  ref?: string;
  /** How many transmissions the server refused with a retryable error. */
  refusals: number;
  /** Whether the server answered a transmission `outcome_unknown`: it may be stored, so it is never given up. */
  mayBeStored: boolean;
}

/**
 * Sends not yet acknowledged, in the order the application made them. A send stays here across reconnects, so that it
 * is sent again with the same `clientMsgId` (the server acknowledges a repeat without posting it twice), until it is
 * acknowledged or fails for good. The same rules as the Java SDK's `Outbox`.
 */
export class Outbox {
  private readonly sends = new Set<PendingSend>();

  /** Adds a send at the end, queued. */
  add(send: Omit<PendingSend, 'status' | 'refusals' | 'ref' | 'mayBeStored'>): PendingSend {
    const pending: PendingSend = { ...send, status: 'queued', refusals: 0, mayBeStored: false };
    this.sends.add(pending);
    return pending;
  }

  /** Removes a send that was acknowledged, failed for good, or was withdrawn. */
  remove(send: PendingSend): void {
    this.sends.delete(send);
  }

  /** Whether this send is still waiting. */
  has(send: PendingSend): boolean {
    return this.sends.has(send);
  }

  /**
   * The sends to transmit now: per room, the oldest waiting send, and only when no send of that room is on its way.
   * One send per room at a time keeps a member's messages in the order it wrote them, even when some are refused and
   * retried.
   */
  sendable(): PendingSend[] {
    const busy = new Set<string>();
    const next: PendingSend[] = [];
    for (const send of this.sends) {
      if (!busy.has(send.room)) {
        busy.add(send.room);
        if (send.status === 'queued') {
          next.push(send);
        }
      }
    }
    return next;
  }

  /** Removes and returns every send to this room, in order, for failing them when the room is gone for good. */
  removeRoom(room: string): PendingSend[] {
    const removed = [...this.sends].filter((send) => send.room === room);
    removed.forEach((send) => this.sends.delete(send));
    return removed;
  }

  /** Queues every send again: after a reconnect they all go out again, in order. */
  requeueAll(): void {
    this.sends.forEach((send) => (send.status = 'queued'));
  }

  /** Removes and returns every send, for failing them when the client gives up. */
  drain(): PendingSend[] {
    const all = [...this.sends];
    this.sends.clear();
    return all;
  }

  /** The sends waiting, in order: what the app wrote that the server has not acknowledged yet. */
  list(room?: string): readonly PendingSend[] {
    return [...this.sends].filter((send) => room === undefined || send.room === room);
  }

  get size(): number {
    return this.sends.size;
  }
}
