import { AvailabilityMemory, type AvailabilityIntent } from './availability.js';
import { DeliveryTracker, type JoinOutcome } from './delivery.js';
import { Emitter, type Listener } from './emitter.js';
import { ClientErrorCode, KindredError } from './errors.js';
import type { ConnectionState, KindredEvents } from './events.js';
import type {
  Ack,
  Alert,
  AlertAcked,
  AppealDecided,
  Appeals,
  CheckInSent,
  HeldMessages,
  MemberHistoryPage,
  MentorNotes,
  Sanctions,
  SessionRatings,
  Attendance,
  AuditEntry,
  Availability,
  ChatMessage,
  ClientMessage,
  CreateGroup,
  CreateRoom,
  EditRoom,
  ErrorCode,
  ErrorFrame,
  GroupInfo,
  GroupState,
  History,
  Joined,
  ManagedRoom,
  Presence,
  ReportInfo,
  ReportReceived,
  ReportResolved,
  RoomInfo,
  Sanction,
  SanctionInfo,
  ServerMessage,
  SessionStarted,
  SupportCancelled,
  SupportQueued,
  UpdateGroup,
  Welcome,
  Refreshed,
} from './generated/protocol.js';
import { Outbox, type PendingSend } from './outbox.js';
import { PendingRequests } from './pending.js';
import { PresenceLists, type RoomPresence } from './presence.js';
import { ReconnectPolicy, type ReconnectOptions } from './reconnect.js';
import { OPEN, webSocketClass, type WebSocketConstructor, type WebSocketLike } from './transport.js';

/** The protocol version this SDK speaks. */
export const PROTOCOL_VERSION = 2;

/** Where a token comes from: a fixed token, or a function asked again on every (re)connect. */
export type TokenSource = string | (() => string | Promise<string>);

/** Where the client reports what it cannot hand to the app. It never passes message text, notes or tokens. */
export interface Logger {
  debug(message: string): void;
  warn(message: string): void;
}

/** How to build a {@link KindredClient}. `url` (or `urls`) and `token` are required; the rest has defaults. */
export interface KindredClientOptions {
  /** The server's WebSocket URL, for example `wss://chat.example.org/ws`. Required, or `urls`. */
  url?: string | URL;
  /**
   * Several URLs of the same service: the client connects to the first; when a connection fails or drops it tries
   * the next, round-robin. Required, or `url`.
   */
  urls?: readonly (string | URL)[];
  /**
   * A signed token (JWT), or a function that returns one (or a promise of one). The function is called on every
   * connect and reconnect, so it can hand out a fresh token; one that does not answer within the request timeout
   * counts as a failed attempt. Required.
   */
  token: TokenSource;
  /**
   * When to reconnect after an unexpected close: exponential backoff with full jitter, 200 ms doubling up to 10 s,
   * forever, by default. `false` never reconnects.
   */
  reconnect?: ReconnectOptions | ReconnectPolicy | false;
  /**
   * How often to send `ping`, in milliseconds: keeps the connection from idling out and detects a dead one (no pong
   * within the request timeout). Shortened to half the server's idle timeout when that is smaller. Default 20 000.
   */
  pingIntervalMs?: number;
  /** How long a command waits for its reply, and a connection for its welcome, in milliseconds. Default 10 000. */
  requestTimeoutMs?: number;
  /**
   * How many times in all a send is transmitted when the server refuses it with a retryable error (`rate_limited`,
   * `unavailable`, `internal`). Resending after a reconnect does not count, and a send the server answered
   * `outcome_unknown` is resent until it is acknowledged, beyond this limit. Default 5.
   */
  maxSendAttempts?: number;
  /**
   * The WebSocket class. Default: the global `WebSocket` (browsers, Node 22+). On Node 20 pass the `ws` package's:
   * `import WebSocket from 'ws'`.
   */
  webSocket?: WebSocketConstructor;
  /** The source of reconnect jitter, uniform in [0, 1). Default `Math.random`. */
  random?: () => number;
  /** Where warnings go. Default: `console.warn`, no debug output. */
  logger?: Logger;
  /**
   * Whether {@link KindredClient.members} keeps every member of each joined room: the client then asks for every page
   * of a large room's members on join (one `presence` command per page) and applies the presence events to the full
   * list. Default false: the count, the first members the join reply lists (everyone in a small room) and the changes
   * since, at no extra cost.
   */
  exactPresence?: boolean;
  /**
   * Be invisible: the user reads and posts, but is neither listed nor counted in any room's presence, and its typing
   * is not shown (`hello.invisible`, asked again at every reconnect). Default `false`.
   */
  invisible?: boolean;
  /**
   * The language the user reads, a BCP 47 tag such as `fr` or `fr-CA` (`hello.language`), or a function that returns
   * one (or `undefined`), called at every connect and reconnect so that a language chosen later applies from the next
   * connection. The server writes its own texts — error messages, crisis support, a report's outcome — in it when it
   * has them, and picks crisis lines by its region. Default: none (the token's `locale` claim, else English).
   */
  language?: string | (() => string | undefined);
}

/** Options of {@link KindredClient.send}. */
export interface SendOptions {
  /**
   * The id the server deduplicates by, unique per user, at most 64 characters. Default: a new random id. Sending again
   * with the id of a send that failed (a "retry" button) is safe: the server never posts one id twice.
   */
  clientMsgId?: string;
  /** Withdraws the send while it has not been transmitted yet; the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** A group's schedule, for {@link KindredClient.createGroup}; times may be `Date`s (sent in UTC, to the second). */
export type GroupSchedule = Omit<CreateGroup, 'type' | 'ref' | 'startsAt'> & {
  startsAt: Date | string;
};

/** Changes to a group, for {@link KindredClient.updateGroup}: only the settings given change. */
export type GroupChanges = Omit<UpdateGroup, 'type' | 'ref' | 'groupId' | 'startsAt'> & { startsAt?: Date | string };

/** A sanction, for {@link KindredClient.sanction}. */
export type SanctionRequest = Omit<Sanction, 'type' | 'ref'>;

/** A new room, for {@link KindredClient.createRoom}: `room` (its id) and `title`, the rest optional. */
export type RoomDraft = Omit<CreateRoom, 'type' | 'ref'>;

/** What {@link KindredClient.editRoom} changes: the fields given replace the room's, the others stay. */
export type RoomChanges = Omit<EditRoom, 'type' | 'ref' | 'room'>;

/** Which page of a moderator queue: the `nextCursor` of the page before (none for the first), and its size. */
export interface PageRequest {
  cursor?: string;
  limit?: number;
}

/** A mentor's availability, for {@link KindredClient.setAvailability}. */
export type AvailabilityRequest = { available: boolean } & AvailabilityIntent;

type FrameType = ServerMessage['type'];
type FrameOf<T extends FrameType> = Extract<ServerMessage, { type: T }>;
type Command = ClientMessage extends infer C ? (C extends { ref?: string } ? Omit<C, 'ref'> : never) : never;

const CLOSE_NORMAL = 1000;
const CLOSE_ABNORMAL = 1006;
const CLOSE_GRACE_MS = 1000;
const MAX_CLIENT_MSG_ID_LENGTH = 64;
const TERMINAL_RANGE = [4100, 4199] as const;
/** The backoff of sends the server refused with a retryable error and no `retryAfterMs`. */
const SEND_RETRY_BACKOFF = new ReconnectPolicy();

/**
 * A connection to Kindred that survives network failures: commands return promises settled by their reply, events
 * reach listeners added with {@link on}, and after an unexpected close the client reconnects (with jittered backoff,
 * to the next URL when given several), re-joins its rooms from where it stopped and re-sends unacknowledged messages
 * with the same `clientMsgId`, so that the app sees every chat message of a joined room exactly once and in order.
 * The same guarantees as the Java SDK's `KindredClient`.
 *
 * ```ts
 * const client = new KindredClient({ url: 'wss://chat.example.org/ws', token: () => auth.freshToken() });
 * client.on('message', (m) => ui.show(m));
 * client.on('state', ({ state }) => ui.showConnection(state));
 * await client.connect();
 * await client.join('diabetes');
 * await client.send('diabetes', 'Hello everyone');
 * ```
 *
 * Argument errors (an empty room id, an over-long `clientMsgId`) throw at once; everything else rejects the returned
 * promise with a {@link KindredError} whose `code` is the server's error code or a {@link ClientErrorCode}.
 */
export class KindredClient {
  private readonly urls: readonly string[];
  private readonly token: TokenSource;
  private readonly policy: ReconnectPolicy;
  private readonly pingIntervalMs: number;
  private readonly requestTimeoutMs: number;
  private readonly invisible: boolean;
  private readonly language: () => string | undefined;
  private readonly maxSendAttempts: number;
  private readonly WebSocketClass: WebSocketConstructor;
  private readonly random: () => number;
  private readonly logger: Logger;

  private readonly emitter: Emitter<KindredEvents>;
  private readonly pending = new PendingRequests();
  private readonly rooms = new DeliveryTracker();
  private readonly outbox = new Outbox();
  private readonly availability = new AvailabilityMemory();
  private readonly groupStates = new Map<string, GroupState>();
  private readonly presenceLists = new PresenceLists();
  private readonly exactPresence: boolean;
  private connectWaiters: {
    resolve(welcome: Welcome): void;
    reject(error: unknown): void;
  }[] = [];

  private currentState: ConnectionState = 'idle';
  /** Identifies the current connection attempt; events of older sockets are ignored. */
  private generation = 0;
  private socket: WebSocketLike | undefined;
  private currentWelcome: Welcome | undefined;
  private urlIndex = 0;
  private urlsTried = 0;
  private reconnectAttempts = 0;
  private rejoinsLeft = 0;
  private refs = 0;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  /** Renews the token on the live connection a little before it expires (`refresh`), when the token is a function. */
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private openTimer: ReturnType<typeof setTimeout> | undefined;
  /** The one pending retry of sends the server refused with a retryable error; later sends wait behind it. */
  private sendRetry: ReturnType<typeof setTimeout> | undefined;

  /** @throws TypeError or RangeError naming the first option that is missing or out of range */
  constructor(options: KindredClientOptions) {
    const urls = options.urls ?? (options.url !== undefined ? [options.url] : []);
    if (urls.length === 0) {
      throw new TypeError('urls: [] (expected: at least one, or the option url)');
    }
    this.urls = urls.map((url) => {
      const text = String(url);
      if (!/^wss?:\/\//i.test(text)) {
        throw new TypeError(`url: ${text} (expected: a ws:// or wss:// URL)`);
      }
      return text;
    });
    if (options.token === undefined || (typeof options.token === 'string' && options.token === '')) {
      throw new TypeError('token: none (expected: a token, or a function that returns one)');
    }
    this.token = options.token;
    this.policy =
      options.reconnect === false
        ? ReconnectPolicy.none()
        : options.reconnect instanceof ReconnectPolicy
          ? options.reconnect
          : new ReconnectPolicy(options.reconnect);
    this.invisible = options.invisible ?? false;
    const language = options.language;
    if (typeof language === 'string' && !isLanguageTag(language)) {
      throw new TypeError(
        `language: ${JSON.stringify(language)} (expected: a BCP 47 language tag such as fr or fr-CA)`,
      );
    }
    this.language = typeof language === 'function' ? language : () => language;
    this.pingIntervalMs = positive(options.pingIntervalMs ?? 20_000, 'pingIntervalMs');
    this.requestTimeoutMs = positive(options.requestTimeoutMs ?? 10_000, 'requestTimeoutMs');
    this.maxSendAttempts = options.maxSendAttempts ?? 5;
    this.exactPresence = options.exactPresence ?? false;
    if (!Number.isInteger(this.maxSendAttempts) || this.maxSendAttempts < 1) {
      throw new RangeError(`maxSendAttempts: ${this.maxSendAttempts} (expected: a whole number >= 1)`);
    }
    this.WebSocketClass = webSocketClass(options.webSocket);
    this.random = options.random ?? Math.random;
    this.logger = options.logger ?? {
      debug: () => {},
      warn: (message) => console.warn(`[kindred] ${message}`),
    };
    this.emitter = new Emitter((name, error) =>
      this.logger.warn(`a listener of '${String(name)}' threw: ${describe(error)}`),
    );
  }

  // -------------------------------------------------------------------------------------------------------------------
  // Events and state

  /**
   * Adds a listener for one kind of event ({@link KindredEvents} lists them all); returns a function that removes it.
   * Listeners run synchronously, in the order things happened; one that throws is logged and does not stop the others.
   */
  on<K extends keyof KindredEvents>(event: K, listener: Listener<KindredEvents[K]>): () => void {
    return this.emitter.on(event, listener);
  }

  /** Removes a listener added with {@link on}. */
  off<K extends keyof KindredEvents>(event: K, listener: Listener<KindredEvents[K]>): void {
    this.emitter.off(event, listener);
  }

  /** Resolves with the next event of this kind. */
  once<K extends keyof KindredEvents>(event: K): Promise<KindredEvents[K]> {
    return this.emitter.once(event);
  }

  /** Where the session stands now; every change is also a `state` event. */
  get state(): ConnectionState {
    return this.currentState;
  }

  /** The server's latest `welcome`: who this user is, its roles and the server's limits. */
  get welcome(): Welcome | undefined {
    return this.currentWelcome;
  }

  /** The URL the client is connected (or connecting) to. */
  get url(): string {
    return this.urls[this.urlIndex] as string;
  }

  /** The rooms this client has joined and re-joins after a reconnect, in the order they were joined. */
  get joinedRooms(): string[] {
    return this.rooms.entries().map(([room]) => room);
  }

  /**
   * The sends the server has not acknowledged yet, oldest first (of one room, or of all): what a UI shows as
   * "sending". They go out again by themselves after a reconnect.
   */
  unacknowledged(room?: string): { room: string; clientMsgId: string; text: string }[] {
    return this.outbox.list(room).map(({ room: r, clientMsgId, text }) => ({
      room: r,
      clientMsgId,
      text,
    }));
  }

  /**
   * How a group meeting this client joined runs now: the latest `group_state` the server sent for the room. Undefined
   * when the room is not a meeting, not joined, was left, or this user was removed from it.
   */
  groupState(room: string): GroupState | undefined {
    return this.groupStates.get(room);
  }

  // -------------------------------------------------------------------------------------------------------------------
  // Connection

  /**
   * Opens the session: connects to the first reachable URL, sends `hello` with a token from the token source and
   * resolves with the server's `welcome`. When already connected, resolves with the current welcome; while
   * reconnecting, once the session is ready again.
   *
   * Rejects with the server's error (for example `token_invalid`), `connection_closed` for a terminal close code, or
   * `connect_failed` when no URL could be reached; the client then stays `idle` and `connect()` may be called again.
   */
  connect(): Promise<Welcome> {
    switch (this.currentState) {
      case 'closed':
        return Promise.reject(KindredError.clientClosed());
      case 'ready':
        return Promise.resolve(this.currentWelcome as Welcome);
      case 'idle': {
        const waiting = this.waitForConnection();
        this.setState('connecting');
        this.urlsTried = 0;
        void this.openConnection();
        return waiting;
      }
      default:
        return this.waitForConnection();
    }
  }

  /**
   * While the client waits out its backoff before reconnecting, tries at once; otherwise does nothing. Browsers may
   * call it on the window's `online` event, so that a phone back on the network does not wait.
   */
  reconnectNow(): void {
    if (this.currentState === 'reconnecting' && this.reconnectTimer !== undefined) {
      clearTimeout(this.reconnectTimer);
      void this.openConnection();
    }
  }

  /**
   * Closes the session for good: sends a normal close frame, stops reconnecting and rejects every pending command and
   * send with `client_closed`. Resolves once the socket closed (at most about a second). Calling it again does nothing.
   */
  async close(): Promise<void> {
    if (this.currentState === 'closed') {
      return;
    }
    const hadSession = ['ready', 'resuming', 'reconnecting'].includes(this.currentState);
    this.generation++;
    this.setState('closed');
    this.stopTimers();
    const closed = KindredError.clientClosed();
    this.pending.failAll(closed);
    this.failSession(closed);
    if (hadSession) {
      this.emitter.emit('disconnected', {
        code: CLOSE_NORMAL,
        reason: 'client closed',
        willReconnect: false,
      });
    }
    const socket = this.socket;
    this.socket = undefined;
    if (socket !== undefined) {
      await new Promise<void>((resolve) => {
        socket.onclose = () => resolve();
        socket.onerror = ignore; // closing a socket still connecting reports an error (ws throws it if unheard)
        socket.onmessage = null;
        unref(setTimeout(resolve, CLOSE_GRACE_MS));
        try {
          socket.close(CLOSE_NORMAL, 'client closed');
        } catch {
          resolve();
        }
      });
    }
  }

  // -------------------------------------------------------------------------------------------------------------------
  // Rooms

  /**
   * Joins a room. Resolves with the server's reply once its messages (the room's recent history) were delivered as
   * `message` events. From then on the room's messages are delivered, and the room is re-joined after every reconnect
   * until {@link leave}. Joining again is harmless and delivers only what is new. Rejects with `connection_closed`
   * when the connection drops before the reply (the room is then not joined), `not_connected` while reconnecting,
   * `room_not_found`, `forbidden`, or a group meeting's refusal (`group_not_open`, `registration_required`, ...).
   */
  join(room: string): Promise<Joined> {
    requireText(room, 'room');
    if (!this.sessionOpen()) {
      return Promise.reject(this.notConnected());
    }
    const cursor = this.rooms.cursor(room);
    return new Promise((resolve, reject) =>
      this.exchange({ type: 'join', room, since: cursor?.lastSeq, epoch: cursor?.epoch }, 'joined', (error, joined) => {
        if (joined === undefined) {
          reject(error);
          return;
        }
        this.deliver(this.rooms.joined(joined)); // before the frames that follow the reply
        if (!this.exactPresence || joined.presenceNext === undefined) {
          resolve(joined);
          return;
        }
        this.loadPresence(room, joined.presenceNext).then(
          () => resolve(joined),
          (pageError: unknown) => {
            this.logger.warn(`could not load every member of room ${room}: ${describe(pageError)}`);
            resolve(joined);
          },
        );
      }),
    );
  }

  /**
   * Leaves a room: its events stop and it is no longer re-joined. Resolves when the server confirmed, or at once when
   * there is no connection. Rejects only when the server refused with a retryable error; the room then stays joined.
   */
  async leave(room: string): Promise<void> {
    requireText(room, 'room');
    if (!this.sessionOpen()) {
      this.forgetRoom(room);
      return;
    }
    try {
      await this.request({ type: 'leave', room }, 'left');
      this.forgetRoom(room);
    } catch (error) {
      const closed = error instanceof KindredError && error.code === ClientErrorCode.CONNECTION_CLOSED;
      if (closed || !(error instanceof KindredError && error.retryable)) {
        this.forgetRoom(room);
      }
      if (!closed) {
        throw error;
      }
    }
  }

  /**
   * Posts a message to a joined room. Resolves with the server's ack (with `duplicate: true` when the server had
   * already posted this `clientMsgId`). The send survives reconnects: it is sent again with the same `clientMsgId`
   * after the rooms were re-joined, in the order sends were made, and the server never posts it twice. Sends to one
   * room go out one at a time, each after the previous one was acknowledged or failed, so a member's messages keep
   * their order. A send refused with a retryable error (`rate_limited` after `retryAfterMs`, `unavailable`,
   * `internal`) is repeated with backoff, at most `maxSendAttempts` times in all. A send answered `outcome_unknown`
   * (the server's store stopped answering after it took the message, which may be stored and delivered) is repeated
   * with backoff, with the same `clientMsgId`, until it is acknowledged or refused with an error that is not
   * retryable, whatever `maxSendAttempts` says: it never rejects as "not sent" for a message others may be reading.
   *
   * The user's own message also arrives as a `message` event, like everyone's, with the same `clientMsgId`: before or
   * after this promise resolves (the server sends the room's `message` and the `ack` separately, in either order).
   *
   * Any other refusal rejects at once with the server's code and is not sent again: a group meeting's rules (`muted`,
   * `chat_locked`, `slow_mode` with its `retryAfterMs`, `not_your_turn`, `listen_only`, `group_not_open`,
   * `group_closed`), `sanctioned`, `text_too_long`, `not_in_room`. `held_for_review` means a moderator will review it:
   * if approved it arrives as a normal `message` with the same `clientMsgId`, otherwise `messageRejected` names it.
   *
   * The request timeout counts from the latest transmission; after a `client_timeout` the message may still have been
   * posted, and sending it again with the same `clientMsgId` is safe.
   *
   * @throws TypeError when the room or text is empty, or the `clientMsgId` empty or longer than 64 characters
   */
  send(room: string, text: string, options: SendOptions = {}): Promise<Ack> {
    requireText(room, 'room');
    requireText(text, 'text');
    const clientMsgId = options.clientMsgId ?? newClientMsgId();
    requireText(clientMsgId, 'clientMsgId');
    if (clientMsgId.length > MAX_CLIENT_MSG_ID_LENGTH) {
      throw new TypeError(`clientMsgId: longer than ${MAX_CLIENT_MSG_ID_LENGTH} characters`);
    }
    if (!['ready', 'resuming', 'reconnecting'].includes(this.currentState)) {
      return Promise.reject(this.notConnected());
    }
    const signal = options.signal;
    if (signal?.aborted) {
      return Promise.reject(signal.reason);
    }
    return new Promise<Ack>((resolve, reject) => {
      const send = this.outbox.add({
        room,
        clientMsgId,
        text,
        resolve,
        reject,
      });
      signal?.addEventListener(
        'abort',
        () => {
          if (this.outbox.has(send) && send.status === 'queued') {
            this.outbox.remove(send);
            reject(signal.reason);
          }
        },
        { once: true },
      );
      this.pump();
    });
  }

  /** The rooms the user can see, with how many are in each. */
  /**
   * Renews the token of the live connection (`refresh`): with no argument, asks the token function. The client does
   * it by itself a little before the token expires when its token is a function; without a refresh the server closes
   * the connection with 4101 when the token expires. Rejects with `token_invalid` for a token of another user or
   * other roles (the connection stays on its old token).
   */
  async refresh(token?: string): Promise<Refreshed> {
    const fresh = token ?? (typeof this.token === 'string' ? this.token : await this.askToken(this.token));
    const refreshed = await this.call({ type: 'refresh', token: fresh }, 'refreshed');
    this.helloToken = fresh;
    this.scheduleRefresh(this.generation, refreshed.validUntil);
    return refreshed;
  }

  private helloToken: string | undefined;

  /** Refreshes at 90% of the time left (at least 5 s before the end); only a token function can give a fresh token. */
  private scheduleRefresh(gen: number, validUntil: number | undefined): void {
    clearTimeout(this.refreshTimer);
    if (validUntil === undefined || typeof this.token === 'string' || !Number.isFinite(validUntil)) {
      return;
    }
    const left = validUntil - Date.now();
    const delay = Math.max(1000, Math.min(left * 0.9, left - 5000));
    if (delay > 2_000_000_000) {
      return; // beyond setTimeout's range: a reconnect will come first
    }
    this.refreshTimer = setTimeout(() => {
      if (gen !== this.generation || !this.sessionOpen()) {
        return;
      }
      this.refresh().catch((error: unknown) => this.logger.warn(`token refresh failed: ${describe(error)}`));
    }, delay);
    unref(this.refreshTimer);
  }

  async listRooms(): Promise<RoomInfo[]> {
    return (await this.call({ type: 'list_rooms' }, 'rooms')).rooms;
  }

  /**
   * A page of a joined room's history, oldest first, for scrolling back: it goes to the caller only, not to the
   * `message` listeners. A deleted message is in it as its tombstone (`deleted: true`, empty text).
   *
   * @param page.before only messages with a lower `seq`; default the newest
   * @param page.limit how many at most; default the server's page size
   */
  history(room: string, page: { before?: number; limit?: number } = {}): Promise<History> {
    requireText(room, 'room');
    return this.call({ type: 'history', room, before: page.before, limit: page.limit }, 'history');
  }

  /**
   * Who is in a joined room, as the client knows it now: the server's count, and the members the client knows —
   * everyone when `complete`. By default the client keeps what costs nothing more: the first members the join reply
   * lists (everyone in a small room) and the changes since; with the `exactPresence` option it loads every page on
   * join and keeps the full list. `undefined` when the room is not joined.
   */
  members(room: string): RoomPresence | undefined {
    return this.presenceLists.get(room);
  }

  /**
   * A page of who is present in a joined room, in the server's order; it also updates {@link members}.
   *
   * @param page.after the `next` cursor of the previous page (`joined.presenceNext` after the join); default the start
   * @param page.limit how many users at most; default the server's page size
   */
  presencePage(room: string, page: { after?: string; limit?: number } = {}): Promise<Presence> {
    requireText(room, 'room');
    return this.call({ type: 'presence', room, after: page.after, limit: page.limit }, 'presence');
  }

  /** Loads every page of a room's members after a cursor, in order. */
  private async loadPresence(room: string, cursor: string): Promise<void> {
    this.presenceLists.pagingStarted(room);
    let next: string | undefined = cursor;
    while (next !== undefined) {
      const page: Presence = await this.request({ type: 'presence', room, after: next }, 'presence');
      next = page.next;
    }
  }

  /**
   * Tells the room that the user started or stopped typing. Fire and forget: dropped when not connected; an error
   * reaches the `error` event.
   */
  typing(room: string, active: boolean): void {
    requireText(room, 'room');
    if (this.sessionOpen()) {
      this.transmitFrame({ type: 'typing', room, active });
    }
  }

  // -------------------------------------------------------------------------------------------------------------------
  // One-to-one support

  /**
   * A mentor says whether it takes one-to-one sessions now (`forbidden` for other roles). Resolves with the
   * availability as the server holds it. The client remembers the last availability set with `available: true` and
   * sets it again after every automatic reconnect (the `availabilityRestored` event), until the app turns it off, the
   * server refuses it for good, or the session ends.
   */
  async setAvailability(request: AvailabilityRequest): Promise<Availability> {
    const { available, ...intent } = request;
    if (!available) {
      this.availability.turnedOff();
    }
    if (!this.sessionOpen()) {
      throw this.notConnected();
    }
    if (available) {
      this.availability.sent(true, intent);
    }
    try {
      return await this.request({ type: 'set_availability', available, ...intent }, 'availability');
    } catch (error) {
      if (available && isRefusal(error)) {
        this.availability.refused(intent);
      }
      throw error;
    }
  }

  /**
   * A member asks for a one-to-one session. Resolves with where the request stands in the queue; later changes reach
   * `supportStatus`, a long wait `supportUnavailable`, and the match `sessionStarted`. Rejects with
   * `already_requested` while another request of the member is open.
   */
  requestSupport(request: { condition: string; language: string; note?: string }): Promise<SupportQueued> {
    return this.call({ type: 'request_support', ...request }, 'support_queued');
  }

  /** A member withdraws its open request; `request_not_found` when it was matched meanwhile. */
  cancelSupport(requestId: string): Promise<SupportCancelled> {
    return this.call({ type: 'cancel_support', requestId }, 'support_cancelled');
  }

  /**
   * A mentor takes a request it was offered. Resolves with the session, which then also reaches `sessionStarted`.
   * Rejects with `offer_taken`, `request_not_found` or `at_capacity`.
   */
  acceptOffer(requestId: string): Promise<SessionStarted> {
    return this.call({ type: 'accept_offer', requestId }, 'session_started');
  }

  /** A mentor passes on an offered request, which moves on to another mentor. */
  async declineOffer(requestId: string): Promise<void> {
    await this.call({ type: 'decline_offer', requestId }, 'done');
  }

  /** Either participant ends a session; both then receive `sessionEnded`. The session's room stays joined. */
  async endSession(sessionId: string): Promise<void> {
    await this.call({ type: 'end_session', sessionId }, 'done');
  }

  /** The member rates a session that has ended: 1 (poor) to 5 (great), with an optional short comment. */
  async rateSession(sessionId: string, rating: number, comment?: string): Promise<void> {
    await this.call({ type: 'rate_session', sessionId, rating, comment }, 'done');
  }

  /** A mentor of the session leaves a private note for moderators. */
  async mentorNote(sessionId: string, note: string): Promise<void> {
    await this.call({ type: 'mentor_note', sessionId, note }, 'done');
  }

  /**
   * The session's mentor proposes to hand it over (to a named mentor, or the next fitting one). The member receives
   * `handoffProposed`; its answer reaches this mentor as a `done` event (`handoff_accepted` or `handoff_refused`).
   */
  async proposeHandoff(sessionId: string, handoff: { toMentorId?: string; reason?: string } = {}): Promise<void> {
    await this.call({ type: 'propose_handoff', sessionId, ...handoff }, 'done');
  }

  /** The member consents to, or refuses, a proposed hand-off. */
  async answerHandoff(sessionId: string, consent: boolean): Promise<void> {
    await this.call({ type: 'answer_handoff', sessionId, consent }, 'done');
  }

  /** A participant deletes the session's stored messages now, for both participants. */
  async deleteTranscript(sessionId: string): Promise<void> {
    await this.call({ type: 'delete_transcript', sessionId }, 'done');
  }

  // -------------------------------------------------------------------------------------------------------------------
  // Safety

  /**
   * Reports a message (of a room, or of a session the user takes part in) to the moderators. Resolves once it is in
   * their queue. The reported member never learns who reported it.
   */
  report(
    room: string,
    seq: number,
    category: 'harassment' | 'self_harm' | 'spam' | 'misinformation' | 'other',
    comment?: string,
  ): Promise<ReportReceived> {
    return this.call({ type: 'report', room, seq, category, comment }, 'report_received');
  }

  /**
   * Blocks a user: from then on neither receives the other's messages, presence or typing, and they are never matched
   * one to one. The blocked user is not told; the block files a report for the moderators.
   */
  async block(userId: string, comment?: string): Promise<void> {
    await this.call({ type: 'block', userId, comment }, 'done');
  }

  /** Lifts this user's block of another. */
  async unblock(userId: string): Promise<void> {
    await this.call({ type: 'unblock', userId }, 'done');
  }

  /**
   * A moderator takes charge of a crisis alert. Resolves with the acknowledgement that stands: `first` is false, and
   * `by` names the other moderator, when someone was quicker.
   */
  ackAlert(alertId: string): Promise<AlertAcked> {
    return this.call({ type: 'ack_alert', alertId }, 'alert_acked');
  }

  /** A moderator lists the crisis alerts nobody has acknowledged yet, oldest first. */
  async listAlerts(): Promise<Alert[]> {
    return (await this.call({ type: 'list_alerts' }, 'alerts')).alerts;
  }

  /** A moderator lists the open reports, oldest first, each with a snapshot of the message and its context. */
  async listReports(): Promise<ReportInfo[]> {
    return (await this.call({ type: 'list_reports' }, 'reports')).reports;
  }

  /** A moderator closes a report, saying what was done. */
  resolveReport(reportId: string, resolution: string): Promise<ReportResolved> {
    return this.call({ type: 'resolve_report', reportId, resolution }, 'report_resolved');
  }

  /** A moderator reads the audit log, newest first (at most `limit` entries, 1 to 1000; default 100). */
  async auditLog(limit?: number): Promise<AuditEntry[]> {
    return (await this.call({ type: 'audit_log', limit }, 'audit_entries')).entries;
  }

  /**
   * A moderator sanctions a member: `warn`, `timeout` (with `durationSeconds`, 60 to 604 800), `restrict`,
   * `room_ban` (with `room`) or `service_ban`. Resolves with the sanction, whose `sanctionId` {@link liftSanction}
   * needs. The member is shown it, with the reason, on every device.
   */
  async sanction(request: SanctionRequest): Promise<SanctionInfo> {
    return (await this.call({ type: 'sanction', ...request }, 'sanctioned')).sanction;
  }

  /** A moderator lifts a sanction before it ends; `sanction_not_found` when none with that id is in force. */
  async liftSanction(sanctionId: string, reason?: string): Promise<void> {
    await this.call({ type: 'lift_sanction', sanctionId, reason }, 'sanction_lifted');
  }

  /**
   * A moderator deletes a message, or an author its own: everyone in the room receives `messageDeleted` (without the
   * reason for an author's own message, which is not audited either).
   */
  async deleteMessage(room: string, seq: number, reason: string): Promise<void> {
    await this.call({ type: 'delete_message', room, seq, reason }, 'done');
  }

  /**
   * An author edits its own message in a joined room, within the server's edit window (`editWindow`, 15 minutes by
   * default): everyone in the room receives `messageEdited`, and later pages carry the new text with `editedAt`. The
   * new text is screened as a send is. Rejects with `forbidden` (someone else's message, or a content rule refuses the
   * text), `edit_window_closed` (too old: delete it instead), `message_not_found` (not kept, or deleted),
   * `not_in_room`, `sanctioned` or `text_too_long`.
   */
  async editMessage(room: string, seq: number, text: string): Promise<void> {
    await this.call({ type: 'edit_message', room, seq, text }, 'done');
  }

  /**
   * A moderator approves (posted as its author sent it) or rejects a message held for review; `held_not_found` when
   * another moderator reviewed it first.
   */
  async reviewHeld(heldId: string, approve: boolean, note?: string): Promise<void> {
    await this.call({ type: 'review_held', heldId, approve, note }, 'done');
  }

  // -------------------------------------------------------------------------------------------------------------------
  // Moderator queues, appeals and check-ins (docs/protocol.md#moderator-queues). Every list is for moderators only
  // (others: `forbidden`) and paged: no cursor for the first page, then the page's `nextCursor` until it is absent;
  // `limit` 1 to 200 (default 50). Reading a queue is recorded in the audit log.

  /** Messages held for review and not reviewed yet, oldest first, on every node. */
  listHeld(page: PageRequest = {}): Promise<HeldMessages> {
    return this.call({ type: 'list_held', ...page }, 'held_messages');
  }

  /** Mentors' private notes about sessions, oldest first. */
  listNotes(page: PageRequest = {}): Promise<MentorNotes> {
    return this.call({ type: 'list_notes', ...page }, 'mentor_notes');
  }

  /** Ratings of ended sessions at or below `maxRating` (1 to 5, default 2), oldest first. */
  listRatings(page: PageRequest & { maxRating?: number } = {}): Promise<SessionRatings> {
    return this.call({ type: 'list_ratings', ...page }, 'session_ratings');
  }

  /** Sanctions in force (warnings excluded), oldest first; one member's with `userId`. */
  listSanctions(page: PageRequest & { userId?: string } = {}): Promise<Sanctions> {
    return this.call({ type: 'list_sanctions', ...page }, 'sanctions');
  }

  /**
   * One member's moderation history: the audit entries about it, newest first, filtered by `actions` and by time
   * (`since` inclusive, `until` exclusive, ms UTC).
   */
  memberHistory(
    userId: string,
    filter: PageRequest & { actions?: string[]; since?: number; until?: number } = {},
  ): Promise<MemberHistoryPage> {
    return this.call({ type: 'member_history', userId, ...filter }, 'member_history');
  }

  /**
   * This member appeals one of its sanctions (in force, or a warning), once; resolves with the appeal's id. The
   * decision arrives as `appealDecided`. `sanction_not_found`, `already_appealed`.
   */
  async appeal(sanctionId: string, text: string): Promise<string> {
    return (await this.call({ type: 'appeal', sanctionId, text }, 'appeal_received')).appealId;
  }

  /** Appeals waiting for a decision, oldest first. */
  listAppeals(page: PageRequest = {}): Promise<Appeals> {
    return this.call({ type: 'list_appeals', ...page }, 'appeals');
  }

  /**
   * A moderator decides an appeal: `lift` lifts the sanction everywhere, otherwise it stands; the member is told, with
   * `note`. `appeal_not_found` when another moderator decided it first.
   */
  decideAppeal(appealId: string, lift: boolean, note?: string): Promise<AppealDecided> {
    return this.call({ type: 'decide_appeal', appealId, lift, note }, 'appeal_decided');
  }

  /**
   * The moderator who acknowledged a crisis alert offers its author a private check-in (`checkInOffer` to the
   * member). Accepted, both receive `sessionStarted` (condition `check_in`); declined, the moderator receives
   * `checkInDeclined`.
   */
  checkIn(alertId: string): Promise<CheckInSent> {
    return this.call({ type: 'check_in', alertId }, 'check_in_sent');
  }

  /**
   * The member answers a moderator's check-in: accepted, resolves with the session that starts (private like a
   * support session); declined, with undefined. `check_in_not_found`.
   */
  async answerCheckIn(checkInId: string, accept: boolean): Promise<SessionStarted | undefined> {
    if (accept) {
      return this.call({ type: 'answer_check_in', checkInId, accept }, 'session_started');
    }
    await this.call({ type: 'answer_check_in', checkInId, accept }, 'done');
    return undefined;
  }

  // -------------------------------------------------------------------------------------------------------------------
  // Rooms made at run time (docs/protocol.md#rooms-made-at-run-time): moderators only (others: `forbidden`). Every
  // node lists a change within a second, and each change is written to the audit log.

  /**
   * A moderator makes a room. Resolves with the room as stored; rejects with `room_exists` (the id is taken, in the
   * configuration file too) or `invalid_field` (a bad id, an id of a session `s-` or meeting `g-`, a title over 80
   * characters, an unknown role, rule or presence; the message names it).
   */
  async createRoom(draft: RoomDraft): Promise<ManagedRoom> {
    return (await this.call({ type: 'create_room', ...draft }, 'managed_room')).room;
  }

  /** A moderator edits a room made at run time, archived or not; `room_not_found`, or `forbidden` for the file's. */
  async editRoom(room: string, changes: RoomChanges): Promise<ManagedRoom> {
    return (await this.call({ type: 'edit_room', room, ...changes }, 'managed_room')).room;
  }

  /**
   * A moderator archives a room: its members read a system message and are taken out; it is no longer listed nor
   * joinable; its history is kept.
   */
  async archiveRoom(room: string): Promise<ManagedRoom> {
    return (await this.call({ type: 'archive_room', room }, 'managed_room')).room;
  }

  /** A moderator restores an archived room, listed and joinable again with its history. */
  async restoreRoom(room: string): Promise<ManagedRoom> {
    return (await this.call({ type: 'restore_room', room }, 'managed_room')).room;
  }

  /** Every room made at run time, archived ones too, oldest first. */
  async listManagedRooms(): Promise<ManagedRoom[]> {
    return (await this.call({ type: 'list_managed_rooms' }, 'managed_rooms')).rooms;
  }

  // -------------------------------------------------------------------------------------------------------------------
  // Group sessions

  /** A facilitator (or moderator) schedules a group. Resolves with the group; its `room` is its first meeting's. */
  async createGroup(schedule: GroupSchedule): Promise<GroupInfo> {
    const { startsAt, ...rest } = schedule;
    return (await this.call({ type: 'create_group', ...rest, startsAt: utc(startsAt) }, 'group')).group;
  }

  /** A facilitator of the group changes it; only the settings given change. Resolves with the group as it now is. */
  async updateGroup(groupId: string, changes: GroupChanges): Promise<GroupInfo> {
    const { startsAt, ...rest } = changes;
    const command = {
      type: 'update_group',
      groupId,
      ...rest,
      startsAt: startsAt && utc(startsAt),
    } as const;
    return (await this.call(command, 'group')).group;
  }

  /** A facilitator cancels every meeting of the group; members are told the reason. */
  async cancelGroup(groupId: string, reason: string): Promise<GroupInfo> {
    return (await this.call({ type: 'cancel_group', groupId, reason }, 'group')).group;
  }

  /** A facilitator of a weekly group cancels one meeting (the one starting at `occurrence`); the others take place. */
  async cancelMeeting(groupId: string, occurrence: Date | string, reason: string): Promise<GroupInfo> {
    const command = {
      type: 'cancel_group',
      groupId,
      occurrence: utc(occurrence),
      reason,
    } as const;
    return (await this.call(command, 'group')).group;
  }

  /** The groups whose next meeting has not ended, soonest first; with a topic, only those about it. */
  async listGroups(topic?: string): Promise<GroupInfo[]> {
    return (await this.call({ type: 'list_groups', topic }, 'groups')).groups;
  }

  /** Registers this user for a group: reminders and changes then reach it. Resolves with the group. */
  async registerGroup(groupId: string): Promise<GroupInfo> {
    return (await this.call({ type: 'register_group', groupId }, 'group')).group;
  }

  /** Withdraws this user's registration. Resolves with the group. */
  async unregisterGroup(groupId: string): Promise<GroupInfo> {
    return (await this.call({ type: 'unregister_group', groupId }, 'group')).group;
  }

  /** A facilitator opens the current meeting: members in its lobby may post. */
  async openGroup(groupId: string): Promise<void> {
    await this.call({ type: 'open_group', groupId }, 'done');
  }

  /** A facilitator closes the current meeting: nobody may post any more; attendance is final. */
  async closeGroup(groupId: string): Promise<void> {
    await this.call({ type: 'close_group', groupId }, 'done');
  }

  /**
   * A facilitator changes how the meeting's chat runs; settings left out stay as they are. `slowModeSeconds` 0 turns
   * slow mode off (at most 3600).
   */
  async setGroupChat(
    groupId: string,
    settings: {
      locked?: boolean;
      slowModeSeconds?: number;
      floorOnly?: boolean;
    },
  ): Promise<void> {
    await this.call({ type: 'set_group_chat', groupId, ...settings }, 'done');
  }

  /** A facilitator mutes a participant: it may read, but its sends, typing and raised hand are refused (`muted`). */
  async mute(groupId: string, userId: string): Promise<void> {
    await this.call({ type: 'mute', groupId, userId, muted: true }, 'done');
  }

  /** A facilitator lets a muted participant post again. */
  async unmute(groupId: string, userId: string): Promise<void> {
    await this.call({ type: 'mute', groupId, userId, muted: false }, 'done');
  }

  /**
   * A facilitator takes a participant out of the meeting (it receives `removedFromGroup`); with `ban`, it may not enter
   * any meeting of the group again.
   */
  async removeParticipant(groupId: string, userId: string, removal: { reason: string; ban?: boolean }): Promise<void> {
    await this.call({ type: 'remove_participant', groupId, userId, ...removal }, 'done');
  }

  /** A facilitator (or moderator) lets a member it banned come back to the group's meetings. */
  async liftGroupBan(groupId: string, userId: string): Promise<void> {
    await this.call({ type: 'lift_group_ban', groupId, userId }, 'done');
  }

  /** This user chooses to only listen in the meeting (or stops): its sends and raised hand are refused meanwhile. */
  async listenOnly(groupId: string, on: boolean): Promise<void> {
    await this.call({ type: 'listen_only', groupId, on }, 'done');
  }

  /** A facilitator pins a message of the meeting above its chat. */
  async pin(groupId: string, seq: number): Promise<void> {
    await this.call({ type: 'pin', groupId, seq }, 'done');
  }

  /** A facilitator pins the group's rules above the chat. */
  async pinRules(groupId: string): Promise<void> {
    await this.call({ type: 'pin', groupId }, 'done');
  }

  /** A facilitator takes down what is pinned. */
  async unpin(groupId: string): Promise<void> {
    await this.call({ type: 'unpin', groupId }, 'done');
  }

  /** This member asks to speak: it joins the end of the queue (`groupState.hands`). */
  async raiseHand(groupId: string): Promise<void> {
    await this.call({ type: 'raise_hand', groupId, raised: true }, 'done');
  }

  /** This member leaves the queue to speak. */
  async lowerHand(groupId: string): Promise<void> {
    await this.call({ type: 'raise_hand', groupId, raised: false }, 'done');
  }

  /** A facilitator gives the floor to a participant present in the meeting. */
  async giveFloor(groupId: string, userId: string): Promise<void> {
    requireText(userId, 'userId'); // left out, it would mean "the first raised hand": that is giveFloorToNext
    await this.call({ type: 'give_floor', groupId, userId }, 'done');
  }

  /** A facilitator gives the floor to the first raised hand. */
  async giveFloorToNext(groupId: string): Promise<void> {
    await this.call({ type: 'give_floor', groupId }, 'done');
  }

  /** A facilitator takes the floor back: nobody holds it. */
  async takeFloor(groupId: string): Promise<void> {
    await this.call({ type: 'take_floor', groupId }, 'done');
  }

  /**
   * A facilitator (or moderator) reads who attended a meeting (members only, by pseudonym, with how long each was
   * present): the latest meeting that opened, or the one starting at `occurrence`.
   */
  attendance(groupId: string, occurrence?: Date | string): Promise<Attendance> {
    return this.call(
      {
        type: 'attendance',
        groupId,
        occurrence: occurrence && utc(occurrence),
      },
      'attendance',
    );
  }

  // -------------------------------------------------------------------------------------------------------------------
  // Connection life cycle

  private async openConnection(): Promise<void> {
    this.reconnectTimer = undefined;
    const gen = ++this.generation;
    const url = this.url;
    let token: string;
    try {
      token = typeof this.token === 'string' ? this.token : await this.askToken(this.token);
      if (typeof token !== 'string' || token === '') {
        throw new TypeError('the token source returned no token');
      }
      this.helloToken = token;
    } catch (error) {
      this.logger.warn(`token source failed: ${describe(error)}`);
      this.connectionEnded(gen, CLOSE_ABNORMAL, 'token source failed', error);
      return;
    }
    if (gen !== this.generation) {
      return; // closed or superseded while the token was on its way
    }
    this.logger.debug(`connecting to ${url}`);
    let socket: WebSocketLike;
    try {
      socket = new this.WebSocketClass(url) as WebSocketLike;
    } catch (error) {
      this.connectionEnded(gen, CLOSE_ABNORMAL, describe(error), error);
      return;
    }
    this.socket = socket;
    this.openTimer = setTimeout(
      () => this.connectionEnded(gen, CLOSE_ABNORMAL, 'no connection in time'),
      this.requestTimeoutMs,
    );
    socket.onopen = () => {
      if (gen !== this.generation) {
        return;
      }
      clearTimeout(this.openTimer);
      this.exchange(
        {
          type: 'hello',
          token,
          protocolVersion: PROTOCOL_VERSION,
          ...(this.invisible ? { invisible: true } : {}),
          ...languageOf(this.language()),
        },
        'welcome',
        (error, welcome) => (welcome === undefined ? this.helloFailed(gen, error) : this.welcomed(gen, welcome)),
      );
    };
    socket.onmessage = (event) => {
      if (gen === this.generation) {
        this.received(event.data);
      }
    };
    socket.onclose = (event) => this.connectionEnded(gen, event.code, event.reason);
    socket.onerror = () => this.logger.debug(`socket error on ${url}`); // a close event follows
  }

  /** Asks the token source, giving up after the request timeout: a source that hangs must not stall reconnecting. */
  private askToken(source: () => string | Promise<string>): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no token within ${this.requestTimeoutMs} ms`)),
        this.requestTimeoutMs,
      );
      Promise.resolve()
        .then(source)
        .then(resolve, reject)
        .finally(() => clearTimeout(timer));
    });
  }

  private helloFailed(gen: number, error: unknown): void {
    const refusal = error instanceof KindredError && !error.retryable ? error.serverError : undefined;
    this.connectionEnded(
      gen,
      refusal ? closeCodeFor(refusal) : CLOSE_ABNORMAL,
      refusal ? refusal.code : `no welcome: ${describe(error)}`,
      error,
    );
  }

  private welcomed(gen: number, welcome: Welcome): void {
    if (gen !== this.generation) {
      return;
    }
    this.currentWelcome = welcome;
    this.startPings(gen, welcome);
    this.scheduleRefresh(gen, tokenExpiry(this.helloToken));
    if (this.currentState === 'connecting') {
      this.becomeReady();
    } else {
      this.setState('resuming');
      this.restoreAvailability(gen);
      this.rejoinRooms(gen);
    }
  }

  /** Sets the mentor's availability again after a reconnect, if the app had set one. */
  private restoreAvailability(gen: number): void {
    const intent = this.availability.toRestore();
    if (intent === undefined) {
      return;
    }
    this.exchange({ type: 'set_availability', available: true, ...intent }, 'availability', (error, availability) => {
      if (gen !== this.generation) {
        return; // dropped again: set again after the next reconnect
      }
      if (availability !== undefined) {
        this.emitter.emit('availabilityRestored', availability);
      } else if (isRefusal(error)) {
        this.availability.refused(intent);
        this.emitter.emit('error', (error as KindredError).serverError as ErrorFrame);
      } else {
        this.logger.warn(`could not set the availability again: ${describe(error)}`);
      }
    });
  }

  private rejoinRooms(gen: number): void {
    const cursors = this.rooms.entries();
    this.rejoinsLeft = cursors.length;
    if (this.rejoinsLeft === 0) {
      this.becomeReady();
      return;
    }
    for (const [room, cursor] of cursors) {
      this.exchange({ type: 'join', room, since: cursor.lastSeq, epoch: cursor.epoch }, 'joined', (error, joined) =>
        this.rejoined(gen, room, joined, error),
      );
    }
  }

  private rejoined(gen: number, room: string, joined: Joined | undefined, error?: unknown): void {
    if (gen !== this.generation) {
      return;
    }
    if (joined !== undefined) {
      const outcome = this.rooms.joined(joined);
      this.deliver(outcome);
      this.emitter.emit('resumed', {
        room,
        recovered: outcome.recovered,
        reset: outcome.reset,
      });
      if (this.exactPresence && joined.presenceNext !== undefined) {
        this.loadPresence(room, joined.presenceNext).catch((pageError: unknown) =>
          this.logger.warn(`could not load every member of room ${room}: ${describe(pageError)}`),
        );
      }
    } else if (error instanceof KindredError && error.serverError !== undefined && !error.retryable) {
      this.logger.warn(`could not re-join room ${room}: ${error.code}`);
      this.forgetRoom(room);
      this.emitter.emit('error', error.serverError);
    } else {
      // Without this room the session is incomplete: start over on a new connection.
      this.connectionEnded(gen, CLOSE_ABNORMAL, `re-join failed: ${describe(error)}`, error);
      return;
    }
    if (--this.rejoinsLeft === 0) {
      this.becomeReady();
    }
  }

  private becomeReady(): void {
    this.setState('ready');
    this.reconnectAttempts = 0;
    const welcome = this.currentWelcome as Welcome;
    this.emitter.emit('connected', welcome);
    const waiters = this.connectWaiters;
    this.connectWaiters = [];
    waiters.forEach((waiter) => waiter.resolve(welcome));
    this.cancelSendRetry();
    this.pump();
  }

  /**
   * The current connection ended: closed by the server, failed, or abandoned by the client. Decides whether to try
   * the next URL, reconnect after a backoff, or give up.
   */
  private connectionEnded(gen: number, code: number, reason: string, cause?: unknown): void {
    if (gen !== this.generation || this.currentState === 'closed') {
      return;
    }
    this.generation++;
    this.abandonSocket();
    clearInterval(this.pingTimer);
    clearTimeout(this.refreshTimer);
    clearTimeout(this.openTimer);
    const terminal = code >= TERMINAL_RANGE[0] && code <= TERMINAL_RANGE[1];
    const wasUp = this.currentState === 'ready' || this.currentState === 'resuming';
    this.logger.debug(`connection ended: ${code} ${reason}`);
    this.pending.failAll(KindredError.connectionClosed(code, reason, !terminal));
    this.urlIndex = (this.urlIndex + 1) % this.urls.length;
    const failure =
      cause instanceof KindredError
        ? cause
        : terminal
          ? KindredError.connectionClosed(code, reason, false)
          : KindredError.connectFailed(code, reason, cause);
    if (this.currentState === 'connecting') {
      if (!terminal && ++this.urlsTried < this.urls.length) {
        void this.openConnection();
      } else {
        this.giveUp(failure);
      }
      return;
    }
    const delay = terminal ? undefined : this.policy.delay(this.reconnectAttempts++, this.random);
    if (wasUp || delay === undefined) {
      this.emitter.emit('disconnected', {
        code,
        reason,
        willReconnect: delay !== undefined,
      });
    }
    if (delay === undefined) {
      this.giveUp(failure);
      return;
    }
    this.setState('reconnecting');
    this.cancelSendRetry();
    this.outbox.requeueAll();
    this.logger.debug(`reconnecting in ${delay} ms`);
    this.reconnectTimer = setTimeout(() => void this.openConnection(), delay);
  }

  /** Stops the session: back to `idle`, every waiting promise rejects. */
  private giveUp(failure: KindredError): void {
    this.setState('idle');
    this.failSession(failure);
  }

  private failSession(failure: KindredError): void {
    this.cancelSendRetry();
    this.outbox.drain().forEach((send) => send.reject(failure));
    const waiters = this.connectWaiters;
    this.connectWaiters = [];
    waiters.forEach((waiter) => waiter.reject(failure));
    this.rooms.clear();
    this.groupStates.clear();
    this.availability.forget();
  }

  private startPings(gen: number, welcome: Welcome): void {
    let interval = this.pingIntervalMs;
    const idle = welcome.limits.idleTimeoutMillis;
    if (idle > 0 && interval >= idle) {
      interval = Math.max(1, Math.floor(idle / 2));
    }
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => {
      if (gen !== this.generation || !this.sessionOpen()) {
        return;
      }
      this.exchange({ type: 'ping' }, 'pong', (error) => {
        if (error instanceof KindredError && error.code === ClientErrorCode.TIMEOUT) {
          this.connectionEnded(gen, CLOSE_ABNORMAL, 'no pong in time', error);
        }
      });
    }, interval);
    unref(this.pingTimer);
  }

  private abandonSocket(): void {
    const socket = this.socket;
    this.socket = undefined;
    if (socket !== undefined) {
      socket.onopen = socket.onmessage = socket.onclose = null;
      socket.onerror = ignore; // closing a socket still connecting reports an error (ws throws it if unheard)
      try {
        socket.close(CLOSE_NORMAL, 'abandoned');
      } catch {
        // already closed
      }
    }
  }

  private stopTimers(): void {
    clearInterval(this.pingTimer);
    clearTimeout(this.refreshTimer);
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.openTimer);
    this.cancelSendRetry();
  }

  // -------------------------------------------------------------------------------------------------------------------
  // Frames

  private received(data: unknown): void {
    let frame: ServerMessage;
    try {
      frame = JSON.parse(String(data)) as ServerMessage;
    } catch {
      this.logger.warn('ignoring a frame that is not JSON');
      return;
    }
    switch (frame.type) {
      case 'message':
        if (this.rooms.accept(frame)) {
          this.emitter.emit('message', frame);
        }
        break;
      case 'message_deleted':
        return this.emitter.emit('messageDeleted', frame);
      case 'message_edited':
        return this.emitter.emit('messageEdited', frame);
      case 'presence_joined':
        this.presenceLists.arrived(frame.room, frame.user, frame.online);
        return this.emitter.emit('presenceJoined', frame);
      case 'presence_left':
        this.presenceLists.left(frame.room, frame.user, frame.online);
        return this.emitter.emit('presenceLeft', frame);
      case 'presence_diff':
        this.presenceLists.diff(frame);
        return this.emitter.emit('presenceDiff', frame);
      case 'presence':
        this.presenceLists.page(frame);
        return this.reply(frame);
      case 'presence_count':
        this.presenceLists.counted(frame);
        return this.emitter.emit('presenceCount', frame);
      case 'typing':
        return this.emitter.emit('typing', frame);
      case 'error':
        if (frame.ref === undefined || !this.pending.fail(frame.ref, KindredError.fromServer(frame))) {
          this.emitter.emit('error', frame);
        }
        break;
      case 'joined':
        this.presenceLists.joined(frame);
        return this.reply(frame);
      case 'welcome':
      case 'rooms':
      case 'left':
      case 'ack':
      case 'history':
      case 'pong':
      case 'refreshed':
      case 'availability':
      case 'report_received':
      case 'alerts':
      case 'reports':
      case 'audit_entries':
      case 'held_messages':
      case 'mentor_notes':
      case 'session_ratings':
      case 'sanctions':
      case 'member_history':
      case 'appeals':
      case 'appeal_received':
      case 'check_in_sent':
      case 'group':
      case 'groups':
      case 'attendance':
      case 'managed_room':
      case 'managed_rooms':
        return this.reply(frame);
      case 'support_queued':
        return this.replyOrEmit(frame, 'supportStatus');
      case 'support_cancelled':
        return this.replyOrEmit(frame, 'supportCancelled');
      case 'done':
        return this.replyOrEmit(frame, 'done');
      case 'alert_acked':
        return this.replyOrEmit(frame, 'alertAcked');
      case 'report_resolved':
        return this.replyOrEmit(frame, 'reportResolved');
      case 'sanctioned':
        return this.replyOrEmit(frame, 'sanctioned');
      case 'sanction_lifted':
        return this.replyOrEmit(frame, 'sanctionLifted');
      case 'appeal_decided':
        return this.replyOrEmit(frame, 'appealDecided');
      case 'appeal_filed':
        return this.emitter.emit('appealFiled', frame);
      case 'check_in_offer':
        return this.emitter.emit('checkInOffer', frame);
      case 'check_in_declined':
        return this.emitter.emit('checkInDeclined', frame);
      case 'report_outcome':
        return this.emitter.emit('reportOutcome', frame);
      case 'session_started':
        // The accepting mentor's promise settles first, then every session start reaches the listeners.
        if (frame.ref !== undefined) {
          this.pending.complete(frame.ref, frame);
        }
        return this.emitter.emit('sessionStarted', frame);
      case 'support_unavailable':
        return this.emitter.emit('supportUnavailable', frame);
      case 'support_offer':
        return this.emitter.emit('offer', frame);
      case 'offer_withdrawn':
        return this.emitter.emit('offerWithdrawn', frame);
      case 'session_interrupted':
        return this.emitter.emit('sessionInterrupted', frame);
      case 'handoff_proposed':
        return this.emitter.emit('handoffProposed', frame);
      case 'session_ended':
        return this.emitter.emit('sessionEnded', frame);
      case 'crisis_support':
        return this.emitter.emit('crisisSupport', frame);
      case 'alert':
        return this.emitter.emit('alert', frame);
      case 'report_filed':
        return this.emitter.emit('reportFiled', frame);
      case 'held_message':
        return this.emitter.emit('heldMessage', frame);
      case 'message_rejected':
        return this.emitter.emit('messageRejected', frame);
      case 'group_changed':
        return this.emitter.emit('groupChanged', frame);
      case 'group_reminder':
        return this.emitter.emit('groupReminder', frame);
      case 'group_state':
        // Only for joined rooms: a state that crosses a leave must not bring the room back.
        if (this.rooms.cursor(frame.room) !== undefined) {
          this.groupStates.set(frame.room, frame);
        }
        return this.emitter.emit('groupState', frame);
      case 'removed_from_group': {
        this.forgetRoom(frame.room);
        const removed = KindredError.removedFromGroup(frame.room, frame.banned, frame.reason);
        this.outbox.removeRoom(frame.room).forEach((send) => send.reject(removed));
        return this.emitter.emit('removedFromGroup', frame);
      }
      default: {
        const unknown: never = frame;
        this.logger.debug(`ignoring a frame of unknown type ${String((unknown as { type?: unknown }).type)}`);
      }
    }
  }

  private reply(frame: ServerMessage & { ref?: string }): void {
    if (frame.ref === undefined || !this.pending.complete(frame.ref, frame)) {
      this.logger.debug(`no command waits for this ${frame.type} (ref ${frame.ref})`);
    }
  }

  /** A frame that answers a command when it carries a pending ref, and is an event otherwise. */
  private replyOrEmit<K extends keyof KindredEvents>(frame: KindredEvents[K] & { ref?: string }, event: K): void {
    if (frame.ref === undefined || !this.pending.complete(frame.ref, frame as unknown as ServerMessage)) {
      this.emitter.emit(event, frame);
    }
  }

  private deliver(outcome: JoinOutcome): void {
    outcome.toDeliver.forEach((message: ChatMessage) => this.emitter.emit('message', message));
  }

  private forgetRoom(room: string): void {
    this.rooms.forget(room);
    this.presenceLists.forget(room);
    this.groupStates.delete(room);
  }

  // -------------------------------------------------------------------------------------------------------------------
  // Commands and sends

  /** Sends a command if a session is open and resolves with its reply of the expected type. */
  private call<T extends FrameType>(command: Command, expected: T): Promise<FrameOf<T>> {
    if (!this.sessionOpen()) {
      return Promise.reject(this.notConnected());
    }
    return this.request(command, expected);
  }

  /** Sends a command with a new ref on the current socket; resolves with its reply of the expected type. */
  private request<T extends FrameType>(command: Command, expected: T): Promise<FrameOf<T>> {
    return new Promise((resolve, reject) =>
      this.exchange(command, expected, (error, reply) => (reply === undefined ? reject(error) : resolve(reply))),
    );
  }

  /**
   * Sends a command on the current socket; `settle` runs as its reply (of the expected type) or failure is read, before
   * the next frame, so that state the reply changes is in place for the frames that follow it.
   */
  private exchange<T extends FrameType>(
    command: Command,
    expected: T,
    settle: (error: unknown, reply?: FrameOf<T>) => void,
    ref: string = this.nextRef(),
  ): void {
    this.pending.register(ref, this.requestTimeoutMs, command.type, (error, reply) => {
      if (reply === undefined) {
        settle(error);
      } else if (reply.type !== expected) {
        settle(KindredError.unexpectedReply(reply.type));
      } else {
        settle(undefined, reply as FrameOf<T>);
      }
    });
    this.transmitFrame({ ...command, ref });
  }

  private transmitFrame(frame: Command & { ref?: string }): void {
    const socket = this.socket;
    if (socket === undefined || socket.readyState !== OPEN) {
      return; // the close is on its way: pending commands fail with connection_closed
    }
    socket.send(JSON.stringify(frame));
  }

  private transmit(send: PendingSend): void {
    send.status = 'inFlight';
    const ref = this.nextRef();
    send.ref = ref;
    const command = {
      type: 'send',
      room: send.room,
      clientMsgId: send.clientMsgId,
      text: send.text,
    } as const;
    this.exchange(command, 'ack', (error, ack) => this.sent(send, ref, ack, error), ref);
  }

  private sent(send: PendingSend, ref: string, ack: Ack | undefined, error?: unknown): void {
    if (ref !== send.ref || !this.outbox.has(send)) {
      return;
    }
    if (ack !== undefined) {
      this.outbox.remove(send);
      send.resolve(ack);
      this.pump();
      return;
    }
    if (error instanceof KindredError && error.code === ClientErrorCode.CONNECTION_CLOSED) {
      send.status = 'queued'; // sent again once the session is resumed
    } else if (
      error instanceof KindredError &&
      error.serverError !== undefined &&
      error.retryable &&
      (mayBeStored(send, error) || ++send.refusals < this.maxSendAttempts)
    ) {
      // One retry for every refused send, in their original order: sends refused by one outage (or one rate limit)
      // go out again as they were written, not each on its own timer.
      send.status = 'queued';
      if (this.sendRetry === undefined) {
        const delay = error.retryAfterMs ?? (SEND_RETRY_BACKOFF.delay(send.refusals - 1, this.random) as number);
        this.sendRetry = setTimeout(() => {
          this.sendRetry = undefined;
          this.pump();
        }, delay);
      }
    } else {
      this.outbox.remove(send);
      send.reject(error);
      this.pump();
    }
  }

  /**
   * Transmits what may go now: per room, the next send once the previous one is acknowledged, so a member's messages
   * keep their order; nothing while refused sends wait for their retry.
   */
  private pump(): void {
    if (this.currentState === 'ready' && this.sendRetry === undefined) {
      this.outbox.sendable().forEach((send) => this.transmit(send));
    }
  }

  private cancelSendRetry(): void {
    clearTimeout(this.sendRetry);
    this.sendRetry = undefined;
  }

  // -------------------------------------------------------------------------------------------------------------------

  private nextRef(): string {
    return `r${++this.refs}`;
  }

  private waitForConnection(): Promise<Welcome> {
    return new Promise((resolve, reject) => this.connectWaiters.push({ resolve, reject }));
  }

  private setState(next: ConnectionState): void {
    const previous = this.currentState;
    if (previous !== next) {
      this.currentState = next;
      this.emitter.emit('state', { state: next, previous });
    }
  }

  private sessionOpen(): boolean {
    return this.currentState === 'ready' || this.currentState === 'resuming';
  }

  private notConnected(): KindredError {
    return this.currentState === 'closed' ? KindredError.clientClosed() : KindredError.notConnected();
  }
}

/** The close code reported when the server refused `hello`: the terminal code that matches the error. */
function closeCodeFor(error: ErrorFrame): number {
  switch (error.code) {
    case 'token_expired':
      return 4101;
    case 'sanctioned':
      return 4102;
    case 'unsupported_version':
    case 'already_authenticated':
    case 'bad_json':
    case 'unknown_type':
    case 'missing_field':
    case 'invalid_field':
      return 4103;
    default:
      return 4100;
  }
}

/** Whether the error is the server's refusal that repeating cannot change. */
function isRefusal(error: unknown): boolean {
  return error instanceof KindredError && error.serverError !== undefined && !error.retryable;
}

function requireText(value: unknown, name: string): void {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TypeError(`${name}: ${JSON.stringify(value)} (expected: a non-empty string)`);
  }
}

function positive(value: number, name: string): number {
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new RangeError(`${name}: ${value} (expected: > 0)`);
  }
  return value;
}

/** A UTC instant to the second, as the wire writes group times: `2026-12-03T18:00:00Z`. */
function utc(time: Date | string): string {
  if (typeof time === 'string') {
    return time;
  }
  if (Number.isNaN(time.getTime())) {
    throw new RangeError('time: Invalid Date');
  }
  return time.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function newClientMsgId(): string {
  const crypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (crypto?.randomUUID) {
    return crypto.randomUUID();
  }
  return `c-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function ignore(): void {}

function unref(timer: unknown): void {
  (timer as { unref?: () => void }).unref?.();
}

/**
 * Whether this send may have been stored although it was refused: the server answered `outcome_unknown` to this or an
 * earlier transmission of it. Such a send is resent with its `clientMsgId` until it is acknowledged or refused for good,
 * however many times that takes: giving up would report as not sent a message that others may be reading.
 */
function mayBeStored(send: PendingSend, refusal: KindredError): boolean {
  const outcomeUnknown: ErrorCode = 'outcome_unknown';
  if (refusal.code === outcomeUnknown) {
    send.mayBeStored = true;
  }
  if (send.mayBeStored) {
    send.refusals++; // for the backoff
  }
  return send.mayBeStored;
}

/** The `exp` of a JWT in epoch milliseconds, read without verifying it (the server verifies); undefined if unreadable. */
/** A BCP 47 tag as the server takes it: a two- or three-letter language, then subtags, at most 35 characters. */
function isLanguageTag(tag: string): boolean {
  return tag.length <= 35 && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(tag);
}

/** The `language` field of a hello: a tag the server will take, or nothing (it then keeps the token's or its own). */
function languageOf(tag: string | undefined): { language?: string } {
  return tag !== undefined && isLanguageTag(tag) ? { language: tag } : {};
}

function tokenExpiry(token: string | undefined): number | undefined {
  const payload = token?.split('.')[1];
  if (payload === undefined) {
    return undefined;
  }
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const json = JSON.parse(atob(base64)) as { exp?: unknown };
    return typeof json.exp === 'number' ? json.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
