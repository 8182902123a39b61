/**
 * A WebSocket class: the browsers' `WebSocket`, Node's built-in one (Node 22 and later), or the `ws` package's
 * (`import WebSocket from 'ws'`) for Node 20.
 */
export type WebSocketConstructor = new (url: string) => unknown;

/** The part of the standard WebSocket API the client uses; every implementation above has it. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

/** `WebSocket.OPEN`. */
export const OPEN = 1;

/** The WebSocket class to use: the one given, else the global one, else an error that says what to do. */
export function webSocketClass(given: WebSocketConstructor | undefined): WebSocketConstructor {
  const found = given ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (found === undefined) {
    throw new TypeError(
      "WebSocket: none (expected: a global WebSocket, as in browsers and Node 22+, or the option webSocket, for example webSocket: WebSocket from the 'ws' package)",
    );
  }
  return found;
}
