/**
 * `@kindred/client`: the TypeScript SDK of Kindred, for browsers and Node 20+.
 *
 * {@link KindredClient} is the one entry point; {@link KindredEvents} lists its events, {@link KindredError} its
 * failures. Every protocol message type is exported too, generated from the protocol's JSON Schema.
 *
 * @packageDocumentation
 */
export {
  KindredClient,
  PROTOCOL_VERSION,
  type AvailabilityRequest,
  type GroupChanges,
  type GroupSchedule,
  type KindredClientOptions,
  type PageRequest,
  type Logger,
  type RoomChanges,
  type RoomDraft,
  type SanctionRequest,
  type SendOptions,
  type TokenSource,
} from './client.js';
export { ClientErrorCode, KindredError } from './errors.js';
export type { RoomPresence } from './presence.js';
export type { ConnectionState, Disconnect, KindredEvents, Resumed, StateChange } from './events.js';
export type { Listener } from './emitter.js';
export { ReconnectPolicy, type ReconnectOptions } from './reconnect.js';
export type { WebSocketConstructor } from './transport.js';
export type * from './generated/protocol.js';
