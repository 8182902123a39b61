import type {
  Alert,
  AlertAcked,
  AppealDecided,
  AppealFiled,
  CheckInDeclined,
  CheckInOffer,
  ReportOutcome,
  Availability,
  ChatMessage,
  CrisisSupport,
  Done,
  ErrorFrame,
  GroupChanged,
  GroupReminder,
  GroupState,
  HandoffProposed,
  HeldMessage,
  MessageDeleted,
  MessageEdited,
  MessageRejected,
  OfferWithdrawn,
  PresenceCount,
  PresenceJoined,
  PresenceLeft,
  PresenceDiff,
  RemovedFromGroup,
  ReportFiled,
  ReportResolved,
  SanctionLifted,
  Sanctioned,
  SessionEnded,
  SessionInterrupted,
  SessionStarted,
  SupportCancelled,
  SupportOffer,
  SupportQueued,
  SupportUnavailable,
  TypingEvent,
  Welcome,
} from './generated/protocol.js';

/**
 * Where the client's session stands.
 *
 * - `idle`: not connected; `connect()` starts (also after the client gave up reconnecting).
 * - `connecting`: the first connection of a session is being opened (each URL is tried once).
 * - `reconnecting`: the session dropped; waiting for the backoff or opening a new connection. Sends wait.
 * - `resuming`: welcomed again after a drop; re-joining rooms before re-sending.
 * - `ready`: connected, every room joined; sends go out at once.
 * - `closed`: `close()` was called; the client is done.
 *
 * A UI shows `ready` as connected, `connecting`/`reconnecting`/`resuming` as reconnecting, and `idle`/`closed` as
 * offline.
 */
export type ConnectionState = 'idle' | 'connecting' | 'reconnecting' | 'resuming' | 'ready' | 'closed';

/** The session's state changed. */
export interface StateChange {
  readonly state: ConnectionState;
  readonly previous: ConnectionState;
}

/** The connection closed or could not be re-established. */
export interface Disconnect {
  /** The WebSocket close code; 1006 when the network failed without a close frame. */
  readonly code: number;
  /** The close reason, possibly empty. */
  readonly reason: string;
  /**
   * True when the client reconnects by itself; false when it stopped: a terminal close code (4100–4199), reconnect
   * attempts exhausted, or `close()`.
   */
  readonly willReconnect: boolean;
}

/** A room was re-joined after a reconnect; messages missed meanwhile were delivered just before. */
export interface Resumed {
  readonly room: string;
  /** True when every missed message was recovered; false when some could not be. */
  readonly recovered: boolean;
  /**
   * True when the room's history was reset on the server (a new epoch): sequence numbers start again, and messages the
   * app showed before belong to the old history. Show a break, or start the room's list afresh.
   */
  readonly reset: boolean;
}

/**
 * Every event of a {@link KindredClient}, by name, with its payload. Listeners run one at a time, in the order things
 * happened; a command's promise settles after the events its reply caused (a join's messages come first).
 *
 * Frames that answer a command (they carry its `ref`) settle that command's promise instead of raising an event;
 * the same kinds of frames sent on the server's own account raise the events below.
 */
export interface KindredEvents {
  /** The session's state changed (see {@link ConnectionState}). */
  state: StateChange;
  /** A session is ready: welcomed and, after a reconnect, every room re-joined. */
  connected: Welcome;
  /** The connection closed; `willReconnect` says whether the client comes back by itself. */
  disconnected: Disconnect;
  /** A room was re-joined after a reconnect. */
  resumed: Resumed;
  /**
   * An error no command waits for: an error without `ref`, one about `typing`, or the failure to re-join a room after
   * a reconnect (the room is then no longer joined).
   */
  error: ErrorFrame;

  /**
   * A chat message of a joined room, live or from the history a join returned: exactly once per message, in ascending
   * `seq` order per room, across reconnects. After a room's history was reset (see {@link Resumed.reset}) the sequence
   * starts again. A deleted message comes from join pages as its tombstone (`deleted: true`, empty text). Messages of
   * a user this user blocked, or who blocked it, never arrive: expect gaps in `seq`.
   */
  message: ChatMessage;
  /** A moderator deleted a message of a joined room: replace it with a note. */
  messageDeleted: MessageDeleted;
  /**
   * An author edited its message in a joined room: replace its text and show it as edited. Not sent to users who
   * blocked the author or whom it blocked. Later pages carry the new text with `editedAt`.
   */
  messageEdited: MessageEdited;
  /** A user entered a joined room. */
  presenceJoined: PresenceJoined;
  /** A user left a joined room. */
  presenceLeft: PresenceLeft;
  /**
   * Who entered and who left a busy joined room during the server's last short interval, as one event (rooms above
   * the server's batching size; smaller rooms send `presenceJoined` and `presenceLeft`). Already applied to
   * `client.members(room)`.
   */
  presenceDiff: PresenceDiff;
  /**
   * How many users are in a joined room that shows only a count (its `joined.presence` is empty): once after the
   * join, then instead of `presenceJoined` and `presenceLeft`.
   */
  presenceCount: PresenceCount;
  /** Another user started or stopped typing in a joined room. */
  typing: TypingEvent;

  /** Where the member's support request stands now (position, estimated wait, whether a mentor is being asked). */
  supportStatus: SupportQueued;
  /** No mentor could take the request in time; it keeps its place. Show the rooms and crisis resources it carries. */
  supportUnavailable: SupportUnavailable;
  /** The member's request closed without a session on the server's account (for example `expired`). */
  supportCancelled: SupportCancelled;
  /** A request is offered to this mentor until `expiresAt`: `acceptOffer` or `declineOffer`. */
  offer: SupportOffer;
  /** An offer is no longer open: `expired`, `taken` by another mentor, or `cancelled`. */
  offerWithdrawn: OfferWithdrawn;
  /**
   * A one-to-one session starts or continues with a new mentor. Both participants get it (the accepting mentor right
   * after its `acceptOffer` resolved); after a reconnect the server reports sessions in progress again, so key
   * sessions by `sessionId`. The session id is also a room id: `join` it.
   */
  sessionStarted: SessionStarted;
  /** The member's mentor was gone too long: the member is first in line for the next mentor; the conversation stays. */
  sessionInterrupted: SessionInterrupted;
  /** The member's mentor proposes a hand-off: answer with `answerHandoff`. */
  handoffProposed: HandoffProposed;
  /** A session ended for this participant (`ended`, `expired`, or `handed_off` for the previous mentor). */
  sessionEnded: SessionEnded;
  /** A `done` the app did not ask for: to a mentor who proposed a hand-off, the member's answer. */
  done: Done;
  /** After a reconnect the client set the mentor's availability again; this is the server's answer. */
  availabilityRestored: Availability;

  /**
   * A message this user wrote reads like a crisis: the server answers privately with where to get help now. Show it
   * at once, prominently and gently; the message was posted as usual and people who can help were alerted.
   */
  crisisSupport: CrisisSupport;
  /** A crisis alert, to moderators (and a session's mentor, a meeting's facilitators): `ackAlert` takes it. */
  alert: Alert;
  /** Another moderator acknowledged an alert. */
  alertAcked: AlertAcked;
  /** A member filed a new report; to moderators. */
  reportFiled: ReportFiled;
  /** Another moderator resolved a report. */
  reportResolved: ReportResolved;
  /** A moderator sanctioned this user: show what it means and why. */
  sanctioned: Sanctioned;
  /** A moderator lifted a sanction of this user. */
  sanctionLifted: SanctionLifted;
  /** A room's rules held a message for review; to moderators: `reviewHeld` answers it. */
  heldMessage: HeldMessage;
  /** A moderator rejected this user's held message: it will not be posted (its send failed with `held_for_review`). */
  messageRejected: MessageRejected;
  /** A member appealed a sanction; to moderators: `decideAppeal` answers it. */
  appealFiled: AppealFiled;
  /** An appeal was decided: this member's (show the outcome and note), or, to moderators, another moderator's. */
  appealDecided: AppealDecided;
  /** A moderator would like to talk with this member privately: show `message`, then `answerCheckIn`. */
  checkInOffer: CheckInOffer;
  /** The member declined this moderator's check-in. */
  checkInDeclined: CheckInDeclined;
  /** A report this user filed was looked into: show `message` (it never says what was done to whom). */
  reportOutcome: ReportOutcome;

  /** A group this user registered for (or is in) changed: `updated`, `cancelled` or `occurrence_cancelled`. */
  groupChanged: GroupChanged;
  /** A group this user registered for starts soon: offer to join its room. */
  groupReminder: GroupReminder;
  /** How a group meeting this client joined runs now; complete each time: redraw from it. */
  groupState: GroupState;
  /** A facilitator removed this user from a meeting; the client forgot the room and failed its unsent messages. */
  removedFromGroup: RemovedFromGroup;
}
