import WebSocket from 'ws';
import { KindredClient, type KindredClientOptions, type KindredEvents } from '../../src/index.js';
import type { Harness } from './harness.js';

/** Every event a client raised, by name, in order. */
export class Recorder {
  readonly events: { name: keyof KindredEvents; event: unknown }[] = [];

  constructor(client: KindredClient) {
    const names: (keyof KindredEvents)[] = [
      'state',
      'connected',
      'disconnected',
      'resumed',
      'error',
      'message',
      'messageDeleted',
      'messageEdited',
      'presenceJoined',
      'presenceDiff',
      'presenceLeft',
      'presenceCount',
      'typing',
      'supportStatus',
      'supportUnavailable',
      'supportCancelled',
      'offer',
      'offerWithdrawn',
      'sessionStarted',
      'sessionInterrupted',
      'handoffProposed',
      'sessionEnded',
      'done',
      'availabilityRestored',
      'crisisSupport',
      'alert',
      'alertAcked',
      'reportFiled',
      'reportResolved',
      'sanctioned',
      'sanctionLifted',
      'heldMessage',
      'messageRejected',
      'groupChanged',
      'groupReminder',
      'groupState',
      'removedFromGroup',
      'appealFiled',
      'appealDecided',
      'checkInOffer',
      'checkInDeclined',
      'reportOutcome',
    ];
    for (const name of names) {
      client.on(name, (event) => this.events.push({ name, event }));
    }
  }

  /** The events of one kind, in order. */
  of<K extends keyof KindredEvents>(name: K): KindredEvents[K][] {
    return this.events.filter((e) => e.name === name).map((e) => e.event as KindredEvents[K]);
  }

  /** The texts of the messages of a room, in delivery order. */
  texts(room: string): string[] {
    return this.of('message')
      .filter((m) => m.room === room)
      .map((m) => m.text);
  }

  /** The sequence numbers of the messages of a room, in delivery order. */
  seqs(room: string): number[] {
    return this.of('message')
      .filter((m) => m.room === room)
      .map((m) => m.seq);
  }
}

let users = 0;

/** A pseudonym no other test of this run uses, so tests sharing a node do not see each other's users. */
export function pseudonym(name: string): string {
  return `${name}${process.pid % 1000}x${++users}`;
}

/**
 * A client of the harness's node signed in through the development sign-in (asked again on every reconnect), with a
 * short reconnect backoff so tests do not wait long. Not connected yet.
 */
export function client(
  harness: Harness,
  name: string,
  role = 'member',
  options: Partial<KindredClientOptions> = {},
): { client: KindredClient; seen: Recorder; tokens: () => number } {
  let tokens = 0;
  const client = new KindredClient({
    url: harness.urls.ws,
    token: async () => {
      tokens++;
      return harness.token(name, role);
    },
    webSocket: WebSocket,
    reconnect: { initialDelayMs: 50, maxDelayMs: 400 },
    requestTimeoutMs: 20_000, // generous on two busy cores; no test waits for it to pass
    logger: { debug: () => {}, warn: () => {} }, // expected warnings (a token fetch while the node restarts)
    ...options,
  });
  return { client, seen: new Recorder(client), tokens: () => tokens };
}

/**
 * Resolves once the condition holds (polled every 20 ms), or rejects after the timeout with the description: tests wait
 * on a condition, never for a fixed time.
 */
export async function eventually(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting until ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** 1, 2, … n. */
export function oneTo(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}
