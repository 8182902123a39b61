import type { SetAvailability } from './generated/protocol.js';

/** What a mentor said it takes: the app's arguments (a missing capacity stays the server's default). */
export type AvailabilityIntent = Omit<SetAvailability, 'type' | 'ref' | 'available'>;

/**
 * The availability a mentor set, remembered so that the client sets it again after a reconnect (the server forgets a
 * mentor's availability when its last connection closes). It holds the last `set_availability` with `available: true`
 * that went out, until the app sets itself unavailable, the server refuses it for good, or the session ends. The same
 * rules as the Java SDK's `SupportCommands`.
 */
export class AvailabilityMemory {
  private remembered: AvailabilityIntent | undefined;

  /** The app sent an availability on an open session. */
  sent(available: boolean, intent: AvailabilityIntent): void {
    this.remembered = available ? intent : undefined;
  }

  /** The app turned availability off: never restore it, even when the command could not go out. */
  turnedOff(): void {
    this.remembered = undefined;
  }

  /** The server refused this availability for good: stop restoring it, unless the app set another since. */
  refused(intent: AvailabilityIntent): void {
    if (this.remembered === intent) {
      this.remembered = undefined;
    }
  }

  /** What to set again after a reconnect, if anything. */
  toRestore(): AvailabilityIntent | undefined {
    return this.remembered;
  }

  /** The session ended. */
  forget(): void {
    this.remembered = undefined;
  }
}
