import type { ChatMessage, Joined } from './generated/protocol.js';

/** Where delivery stands in one room: its history epoch and the last sequence number delivered (0 before any). */
export interface RoomCursor {
  readonly epoch: string;
  readonly lastSeq: number;
}

/** What a join reply means for the application. */
export interface JoinOutcome {
  /** Messages not delivered before, in ascending `seq` order. */
  readonly toDeliver: ChatMessage[];
  /** True when the room was already tracked and nothing was missed since its cursor. */
  readonly recovered: boolean;
  /**
   * True when the room was tracked and its history was reset (a new epoch, or fewer messages than were delivered):
   * sequence numbers start again, so messages shown before belong to the old history.
   */
  readonly reset: boolean;
}

/**
 * Remembers, per joined room, the room's epoch and the last sequence number delivered to the application, so that
 * every message is delivered once and in order: a message at or below the cursor is a duplicate and is dropped. A join
 * reply in a new epoch starts the room's sequence again. The same rules as the Java SDK's `DeliveryTracker`.
 */
export class DeliveryTracker {
  private readonly cursors = new Map<string, RoomCursor>();

  /**
   * Takes a join reply into account and returns the messages it holds that the application has not seen. The cursor
   * moves to the reply's `lastSeq`: live messages follow above it.
   */
  joined(joined: Joined): JoinOutcome {
    const previous = this.cursors.get(joined.room);
    const reset = previous !== undefined && (previous.epoch !== joined.epoch || joined.lastSeq < previous.lastSeq);
    let last = previous === undefined || reset ? 0 : previous.lastSeq;
    const toDeliver: ChatMessage[] = [];
    for (const message of [...joined.messages].sort((a, b) => a.seq - b.seq)) {
      if (message.seq > last) {
        toDeliver.push(message);
        last = message.seq;
      }
    }
    this.cursors.set(joined.room, { epoch: joined.epoch, lastSeq: Math.max(last, joined.lastSeq) });
    return { toDeliver, recovered: previous !== undefined && !reset && joined.recovered, reset };
  }

  /** Whether a live message should reach the application: its room is joined and it is newer than the cursor. */
  accept(message: ChatMessage): boolean {
    const cursor = this.cursors.get(message.room);
    if (cursor === undefined || message.seq <= cursor.lastSeq) {
      return false;
    }
    this.cursors.set(message.room, { epoch: cursor.epoch, lastSeq: message.seq });
    return true;
  }

  /** The cursor of a joined room. */
  cursor(room: string): RoomCursor | undefined {
    return this.cursors.get(room);
  }

  /** Every joined room with its cursor, in the order the rooms were first joined. */
  entries(): [string, RoomCursor][] {
    return [...this.cursors.entries()];
  }

  /** Stops tracking a room: it is no longer joined. */
  forget(room: string): void {
    this.cursors.delete(room);
  }

  /** Stops tracking every room. */
  clear(): void {
    this.cursors.clear();
  }
}
