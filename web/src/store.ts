import {
  KindredClient,
  KindredError,
  type Alert,
  type AlertAcked,
  type AppealInfo,
  type AuditEntry,
  type Availability,
  type CheckInOffer,
  type ChatMessage,
  type ConnectionState,
  type CrisisResource,
  type GroupInfo,
  type HeldMessage,
  type ManagedRoom,
  type NoteInfo,
  type RatingInfo,
  type ReportInfo,
  type RoomChanges,
  type RoomDraft,
  type RoomInfo,
  type SanctionInfo,
  type SessionStarted,
  type SupportOffer,
  type SupportQueued,
  type SupportUnavailable,
  type UserInfo,
  type Welcome,
} from '@kindred/client';
import { Drafts } from './drafts';

/** What the header shows: the SDK's states folded into three words people know. */
export type Connection = 'connected' | 'reconnecting' | 'offline';

export function connectionOf(state: ConnectionState): Connection {
  switch (state) {
    case 'ready':
      return 'connected';
    case 'connecting':
    case 'reconnecting':
    case 'resuming':
      return 'reconnecting';
    default:
      return 'offline';
  }
}

/** One of this user's own sends that is not (yet) a message of the room. */
export interface OwnSend {
  clientMsgId: string;
  text: string;
  status: 'sending' | 'sent' | 'failed' | 'held' | 'rejected';
  /** The server's error code when it refused, for a localised explanation. */
  code?: string;
  /** The server's own words (English), shown beside the localised explanation. */
  detail?: string;
  retryAfterMs?: number;
}

/** Most messages a room keeps in memory; older ones are paged again from the server when scrolled back to. */
export const MAX_KEPT = 400;

/** One room (or one-to-one session, or group meeting) as the app shows it. */
export class RoomView {
  messages: ChatMessage[] = [];
  hasMore = false;
  loadingOlder = false;
  joined = false;
  joining = false;
  error: string | undefined;
  /** Who the app knows to be here: everyone in a small room; in a large one the first page and the changes since. */
  presence = new Map<string, UserInfo>();
  /** How many are here, as the server counts (the list may hold fewer). */
  online = 0;
  typing = new Map<string, { user: UserInfo; until: number }>();
  own: OwnSend[] = [];
  deletedReasons = new Map<number, string>();
  /** Bumped on every change, so views can tell cheaply whether to redraw. */
  version = 0;
  /** Whether the list was cut at the top while the reader was at the bottom (paging reaches it again). */
  trimmed = false;

  constructor(readonly id: string) {}

  /** Appends messages in order (the SDK delivers each once, ascending), dropping the oldest beyond the cap. */
  append(message: ChatMessage, atBottom: boolean): void {
    const last = this.messages[this.messages.length - 1];
    if (last !== undefined && message.seq <= last.seq) {
      return; // a page already holds it
    }
    this.messages.push(message);
    if (message.clientMsgId) {
      this.own = this.own.filter((send) => send.clientMsgId !== message.clientMsgId);
    }
    if (atBottom && this.messages.length > MAX_KEPT) {
      this.messages.splice(0, this.messages.length - MAX_KEPT);
      this.hasMore = true;
      this.trimmed = true;
    }
    this.version++;
  }

  prepend(older: ChatMessage[], hasMore: boolean): void {
    const first = this.messages[0];
    const fresh = first === undefined ? older : older.filter((m) => m.seq < first.seq);
    this.messages = [...fresh, ...this.messages];
    this.hasMore = hasMore;
    this.version++;
  }

  markDeleted(seq: number, reason: string | undefined): void {
    const index = this.messages.findIndex((m) => m.seq === seq);
    const message = this.messages[index];
    if (message !== undefined) {
      this.messages[index] = { ...message, text: '', deleted: true };
    }
    this.deletedReasons.set(seq, reason ?? '');
    this.version++;
  }

  markEdited(seq: number, text: string, editedAt: number): void {
    const index = this.messages.findIndex((m) => m.seq === seq);
    const message = this.messages[index];
    if (message !== undefined && !message.deleted) {
      this.messages[index] = { ...message, text, editedAt };
      this.version++;
    }
  }

  reset(): void {
    this.messages = [];
    this.hasMore = false;
    this.version++;
  }

  ownSend(clientMsgId: string): OwnSend | undefined {
    return this.own.find((send) => send.clientMsgId === clientMsgId);
  }
}

/** A notice for this user: a sanction, a removal, a reminder, a rejected message. */
export interface Notice {
  id: number;
  kind:
    | 'sanction'
    | 'lifted'
    | 'removed'
    | 'reminder'
    | 'rejected'
    | 'group'
    | 'error'
    | 'info'
    | 'appealSent'
    | 'appealDecided'
    | 'checkInDeclined';
  text: string;
  room?: string;
  at: number;
}

/** The one-to-one support state of a member. */
export interface MemberSupport {
  request?: SupportQueued;
  unavailable?: SupportUnavailable;
  /** Sessions where this user is the member, by id, with whether they ended and how. */
  sessions: Map<string, { session: SessionStarted; ended?: string; rated?: boolean; handoff?: HandoffOffer }>;
}

export interface HandoffOffer {
  from: UserInfo;
  to?: UserInfo;
  reason?: string;
}

/** A mentor's desk: its availability, its offers, its sessions. */
export interface MentorDesk {
  availability?: Availability;
  offers: Map<string, SupportOffer>;
  sessions: Map<string, { session: SessionStarted; ended?: string; handoff?: 'proposed' | 'accepted' | 'refused' }>;
}

/** What a moderator sees: alerts (open first), reports, held messages, sanctions made here, the audit log. */
export interface ModeratorDesk {
  alerts: Map<string, { alert: Alert; acked?: AlertAcked }>;
  reports: Map<string, ReportInfo>;
  held: Map<string, HeldMessage & { reviewed?: 'approved' | 'rejected' }>;
  sanctions: Map<string, SanctionInfo & { lifted?: boolean }>;
  audit: AuditEntry[];
  loaded: boolean;
  /** The paged queues: what the next page of each starts after (undefined once the last page is in). */
  more: Partial<Record<Queue, string>>;
  appeals: Map<string, AppealInfo & { decided?: string }>;
  notes: NoteInfo[];
  ratings: RatingInfo[];
  history?: { userId: string; entries: AuditEntry[]; next?: string };
  /** Check-ins this moderator offered, by alert: sent, then accepted (the session) or declined. */
  checkIns: Map<string, { checkInId: string; answer?: 'accepted' | 'declined' }>;
  /** The rooms made at run time, archived ones too, oldest first; undefined until read. */
  managedRooms?: ManagedRoom[];
}

/** The moderator queues read a page at a time. */
export type Queue = 'held' | 'sanctions' | 'appeals' | 'notes' | 'ratings';

/**
 * The app's state and the one place that talks to the SDK. Views read it and call its methods; it notifies them at
 * most once per animation frame, however many frames arrived meanwhile, so a room receiving 50 messages a second
 * costs at most one redraw per frame.
 */
export class Store {
  connection: Connection = 'offline';
  welcome: Welcome | undefined;
  rooms: RoomInfo[] = [];
  views = new Map<string, RoomView>();
  notices: Notice[] = [];
  crisis: { room: string; message: string; resources: CrisisResource[]; told: string[] } | undefined;
  /** A moderator's offer to talk privately, waiting for this member's answer. */
  checkInOffer: CheckInOffer | undefined;
  support: MemberSupport = { sessions: new Map() };
  mentor: MentorDesk = { offers: new Map(), sessions: new Map() };
  moderation: ModeratorDesk = {
    alerts: new Map(),
    reports: new Map(),
    held: new Map(),
    sanctions: new Map(),
    audit: [],
    loaded: false,
    more: {},
    appeals: new Map(),
    notes: [],
    ratings: [],
    checkIns: new Map(),
  };
  groups: GroupInfo[] = [];
  reminders = new Map<string, GroupInfo>();
  /** Rooms whose list is scrolled to the newest message: only those drop old messages as new ones arrive. */
  readonly atBottom = new Set<string>();
  readonly drafts: Drafts;

  private listeners = new Set<() => void>();
  private scheduled = false;
  private noticeIds = 0;

  constructor(
    readonly client: KindredClient,
    private readonly language: () => string,
    storage: Storage = window.sessionStorage,
  ) {
    this.drafts = new Drafts(storage);
    this.listen();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Schedules one notification for the next frame. */
  changed(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const flush = () => {
      this.scheduled = false;
      this.listeners.forEach((listener) => listener());
    };
    if (typeof requestAnimationFrame === 'function' && document.visibilityState === 'visible') {
      requestAnimationFrame(flush);
    } else {
      setTimeout(flush, 50);
    }
  }

  get me(): UserInfo | undefined {
    return this.welcome?.user;
  }

  hasRole(role: string): boolean {
    return this.welcome?.roles.includes(role) ?? false;
  }

  view(room: string): RoomView {
    let view = this.views.get(room);
    if (view === undefined) {
      view = new RoomView(room);
      this.views.set(room, view);
    }
    return view;
  }

  notify(kind: Notice['kind'], text: string, room?: string): void {
    this.notices = [...this.notices.slice(-4), { id: ++this.noticeIds, kind, text, room, at: Date.now() }];
    this.changed();
  }

  dismiss(id: number): void {
    this.notices = this.notices.filter((n) => n.id !== id);
    this.changed();
  }

  // ---- connection ----------------------------------------------------------------------------------------------

  async start(): Promise<void> {
    const welcome = await this.client.connect();
    this.welcome = welcome;
    this.changed();
    await this.afterConnect();
  }

  private async afterConnect(): Promise<void> {
    await this.refreshRooms().catch(() => undefined);
    if (this.hasRole('moderator')) {
      await this.loadModeration().catch(() => undefined);
    }
  }

  // ---- rooms ---------------------------------------------------------------------------------------------------

  async refreshRooms(): Promise<void> {
    this.rooms = await this.client.listRooms();
    this.changed();
  }

  roomTitle(room: string): string {
    return this.rooms.find((r) => r.id === room)?.title ?? room;
  }

  async join(room: string): Promise<void> {
    const view = this.view(room);
    if (view.joined || view.joining) return;
    view.joining = true;
    view.error = undefined;
    this.changed();
    try {
      const joined = await this.client.join(room);
      view.joined = true;
      view.hasMore = view.messages.length === 0 ? joined.hasMore : view.hasMore;
      view.presence = new Map(joined.presence.map((user) => [user.id, user]));
      view.online = joined.online ?? joined.presence.length;
    } catch (error) {
      view.error = codeOf(error);
    } finally {
      view.joining = false;
      view.version++;
      this.changed();
    }
  }

  /** Leaves a room; its messages go, so that entering again shows the room as it then is, without a gap. */
  async leave(room: string): Promise<void> {
    const view = this.view(room);
    view.joined = false;
    view.reset();
    view.presence.clear();
    view.online = 0;
    view.typing.clear();
    this.changed();
    await this.client.leave(room).catch(() => undefined);
  }

  async loadOlder(room: string): Promise<void> {
    const view = this.view(room);
    if (view.loadingOlder || !view.hasMore || !view.joined) return;
    view.loadingOlder = true;
    this.changed();
    try {
      const page = await this.client.history(room, { before: view.messages[0]?.seq, limit: 50 });
      view.prepend(page.messages, page.hasMore);
      view.trimmed = false;
    } catch (error) {
      this.notify('error', codeOf(error), room);
    } finally {
      view.loadingOlder = false;
      this.changed();
    }
  }

  /**
   * Posts a message. The text leaves the draft at once and shows as "sending" until acknowledged; a refusal keeps it
   * on screen as "not sent", with the reason and a retry, so nothing typed is lost.
   */
  send(room: string, text: string, clientMsgId: string = newId()): void {
    const view = this.view(room);
    const existing = view.ownSend(clientMsgId);
    if (existing) {
      Object.assign(existing, { status: 'sending', code: undefined, detail: undefined, retryAfterMs: undefined });
    } else {
      view.own.push({ clientMsgId, text, status: 'sending' });
    }
    view.version++;
    this.changed();
    this.client.send(room, text, { clientMsgId }).then(
      () => {
        const send = view.ownSend(clientMsgId);
        if (send) send.status = 'sent';
        view.version++;
        this.changed();
      },
      (error: unknown) => {
        const send = view.ownSend(clientMsgId);
        if (send) {
          send.status = error instanceof KindredError && error.code === 'held_for_review' ? 'held' : 'failed';
          send.code = codeOf(error);
          send.detail = error instanceof Error ? error.message : String(error);
          send.retryAfterMs = error instanceof KindredError ? error.retryAfterMs : undefined;
        }
        view.version++;
        this.changed();
      },
    );
  }

  /** Takes a failed send off the list (its text goes back to the composer when `edit`). */
  discard(room: string, clientMsgId: string, edit: boolean): void {
    const view = this.view(room);
    const send = view.ownSend(clientMsgId);
    view.own = view.own.filter((s) => s.clientMsgId !== clientMsgId);
    if (send && edit) {
      const draft = this.drafts.get(room);
      this.drafts.set(room, draft ? `${draft}\n${send.text}` : send.text);
    }
    view.version++;
    this.changed();
  }

  // ---- support (member) -----------------------------------------------------------------------------------------

  async requestSupport(condition: string, language: string, note: string): Promise<void> {
    this.support.unavailable = undefined;
    this.support.request = await this.client.requestSupport({
      condition,
      language,
      note: note.trim() === '' ? undefined : note.trim(),
    });
    this.changed();
  }

  async cancelSupport(): Promise<void> {
    const request = this.support.request;
    if (!request) return;
    await this.client.cancelSupport(request.requestId);
    this.support.request = undefined;
    this.support.unavailable = undefined;
    this.changed();
  }

  // ---- mentor ---------------------------------------------------------------------------------------------------

  async setAvailability(
    available: boolean,
    conditions: string[],
    languages: string[],
    capacity: number,
  ): Promise<void> {
    this.mentor.availability = await this.client.setAvailability(
      available ? { available, conditions, languages, capacity } : { available: false },
    );
    this.changed();
  }

  async acceptOffer(requestId: string): Promise<void> {
    try {
      const session = await this.client.acceptOffer(requestId);
      this.mentorSession(session);
    } finally {
      this.mentor.offers.delete(requestId);
      this.changed();
    }
  }

  async declineOffer(requestId: string): Promise<void> {
    this.mentor.offers.delete(requestId);
    this.changed();
    await this.client.declineOffer(requestId);
  }

  // ---- moderation -----------------------------------------------------------------------------------------------

  async loadModeration(): Promise<void> {
    const [alerts, reports] = await Promise.all([this.client.listAlerts(), this.client.listReports()]);
    for (const alert of alerts) {
      if (!this.moderation.alerts.has(alert.alertId)) this.moderation.alerts.set(alert.alertId, { alert });
    }
    this.moderation.reports = new Map(reports.map((report) => [report.reportId, report]));
    this.moderation.loaded = true;
    this.changed();
    // The other queues are read when the moderator opens them (loadQueue): each read is audited, so the console does
    // not read every queue on every visit.
  }

  /** Reads the first page of a queue, or the next one with {@code more}. */
  async loadQueue(queue: Queue, more = false): Promise<void> {
    const m = this.moderation;
    const page = { cursor: more ? m.more[queue] : undefined, limit: 20 };
    if (!more) {
      if (queue === 'notes') m.notes = [];
      if (queue === 'ratings') m.ratings = [];
    }
    let next: string | undefined;
    switch (queue) {
      case 'held': {
        const got = await this.client.listHeld(page);
        for (const h of got.held) if (!m.held.has(h.heldId)) m.held.set(h.heldId, h);
        next = got.nextCursor;
        break;
      }
      case 'sanctions': {
        const got = await this.client.listSanctions(page);
        for (const s of got.sanctions) m.sanctions.set(s.sanctionId, s);
        next = got.nextCursor;
        break;
      }
      case 'appeals': {
        const got = await this.client.listAppeals(page);
        for (const a of got.appeals) m.appeals.set(a.appealId, a);
        next = got.nextCursor;
        break;
      }
      case 'notes': {
        const got = await this.client.listNotes(page);
        m.notes = [...m.notes, ...got.notes];
        next = got.nextCursor;
        break;
      }
      case 'ratings': {
        const got = await this.client.listRatings(page);
        m.ratings = [...m.ratings, ...got.ratings];
        next = got.nextCursor;
        break;
      }
    }
    m.more[queue] = next;
    this.changed();
  }

  async loadHistory(userId: string, more = false): Promise<void> {
    const previous = this.moderation.history;
    const cursor = more && previous?.userId === userId ? previous.next : undefined;
    const page = await this.client.memberHistory(userId, { cursor, limit: 20 });
    const entries = cursor && previous ? [...previous.entries, ...page.entries] : page.entries;
    this.moderation.history = { userId, entries, next: page.nextCursor };
    this.changed();
  }

  async decideAppeal(appealId: string, lift: boolean, note?: string): Promise<void> {
    const decided = await this.client.decideAppeal(appealId, lift, note);
    const appeal = this.moderation.appeals.get(appealId);
    if (appeal) appeal.decided = decided.outcome;
    this.changed();
  }

  async checkIn(alertId: string): Promise<void> {
    const sent = await this.client.checkIn(alertId);
    this.moderation.checkIns.set(alertId, { checkInId: sent.checkInId });
    this.changed();
  }

  /** The member answers a moderator's check-in; accepted, the session opens like a support session. */
  async answerCheckIn(accept: boolean): Promise<void> {
    const offer = this.checkInOffer;
    if (!offer) return;
    await this.client.answerCheckIn(offer.checkInId, accept);
    this.checkInOffer = undefined;
    this.changed();
  }

  async appeal(sanctionId: string, text: string): Promise<void> {
    await this.client.appeal(sanctionId, text);
    this.notify('appealSent', sanctionId);
  }

  // ---- rooms made at run time (moderators) ----------------------------------------------------------------------

  async loadManagedRooms(): Promise<void> {
    this.moderation.managedRooms = await this.client.listManagedRooms();
    this.changed();
  }

  async createRoom(draft: RoomDraft): Promise<void> {
    this.managedRoom(await this.client.createRoom(draft));
  }

  async editRoom(room: string, changes: RoomChanges): Promise<void> {
    this.managedRoom(await this.client.editRoom(room, changes));
  }

  async archiveRoom(room: string): Promise<void> {
    this.managedRoom(await this.client.archiveRoom(room));
  }

  async restoreRoom(room: string): Promise<void> {
    this.managedRoom(await this.client.restoreRoom(room));
  }

  /** A room as the server now stores it: replaces it in the list, and the member room list follows. */
  private managedRoom(room: ManagedRoom): void {
    const rooms = this.moderation.managedRooms ?? [];
    const index = rooms.findIndex((r) => r.id === room.id);
    this.moderation.managedRooms = index < 0 ? [...rooms, room] : rooms.map((r, i) => (i === index ? room : r));
    this.changed();
    void this.refreshRooms().catch(() => undefined);
  }

  async loadAudit(limit = 100): Promise<void> {
    this.moderation.audit = await this.client.auditLog(limit);
    this.changed();
  }

  async ackAlert(alertId: string): Promise<void> {
    const acked = await this.client.ackAlert(alertId);
    const entry = this.moderation.alerts.get(alertId);
    if (entry) entry.acked = acked;
    this.changed();
  }

  async resolveReport(reportId: string, resolution: string): Promise<void> {
    await this.client.resolveReport(reportId, resolution);
    this.moderation.reports.delete(reportId);
    this.changed();
  }

  async reviewHeld(heldId: string, approve: boolean, note?: string): Promise<void> {
    await this.client.reviewHeld(heldId, approve, note);
    const held = this.moderation.held.get(heldId);
    if (held) held.reviewed = approve ? 'approved' : 'rejected';
    this.changed();
  }

  async sanction(request: Parameters<KindredClient['sanction']>[0]): Promise<SanctionInfo> {
    const sanction = await this.client.sanction(request);
    this.moderation.sanctions.set(sanction.sanctionId, sanction);
    this.changed();
    return sanction;
  }

  async liftSanction(sanctionId: string, reason?: string): Promise<void> {
    await this.client.liftSanction(sanctionId, reason);
    const sanction = this.moderation.sanctions.get(sanctionId);
    if (sanction) sanction.lifted = true;
    this.changed();
  }

  // ---- groups ---------------------------------------------------------------------------------------------------

  async refreshGroups(topic?: string): Promise<void> {
    this.groups = await this.client.listGroups(topic);
    this.changed();
  }

  replaceGroup(group: GroupInfo): void {
    const index = this.groups.findIndex((g) => g.groupId === group.groupId);
    if (index >= 0) this.groups[index] = group;
    else this.groups = [...this.groups, group].sort((a, b) => (a.startsAt ?? '').localeCompare(b.startsAt ?? ''));
    this.changed();
  }

  // ---- events ---------------------------------------------------------------------------------------------------

  private mentorSession(session: SessionStarted): void {
    const known = this.mentor.sessions.get(session.sessionId);
    this.mentor.sessions.set(session.sessionId, { session, ended: undefined, handoff: known?.handoff });
    void this.join(session.sessionId);
    this.changed();
  }

  private listen(): void {
    const c = this.client;
    c.on('state', ({ state }) => {
      this.connection = connectionOf(state);
      if (state !== 'ready') {
        for (const view of this.views.values()) view.typing.clear();
      }
      this.changed();
    });
    c.on('connected', (welcome) => {
      this.welcome = welcome;
      this.changed();
      void this.afterConnect();
    });
    c.on('message', (message) => {
      const view = this.view(message.room);
      view.append(message, this.atBottom.has(message.room));
      view.typing.delete(message.author.id);
      this.changed();
    });
    c.on('resumed', ({ room, reset }) => {
      if (reset) this.view(room).reset();
      this.changed();
    });
    c.on('messageDeleted', (event) => {
      this.view(event.room).markDeleted(event.seq, event.reason);
      this.changed();
    });
    c.on('messageEdited', (event) => {
      this.view(event.room).markEdited(event.seq, event.text, event.editedAt);
      this.changed();
    });
    c.on('presenceJoined', (event) => {
      const view = this.view(event.room);
      view.presence.set(event.user.id, event.user);
      view.online = event.online;
      view.version++;
      this.updateOnline(event.room, event.online);
    });
    c.on('presenceLeft', (event) => {
      const view = this.view(event.room);
      view.presence.delete(event.user.id);
      view.typing.delete(event.user.id);
      view.online = event.online;
      view.version++;
      this.updateOnline(event.room, event.online);
    });
    c.on('presenceDiff', (event) => {
      const view = this.view(event.room);
      event.joins.forEach((user) => view.presence.set(user.id, user));
      event.leaves.forEach((user) => {
        view.presence.delete(user.id);
        view.typing.delete(user.id);
      });
      view.online = event.online;
      view.version++;
      this.updateOnline(event.room, event.online);
    });
    c.on('typing', (event) => {
      const view = this.view(event.room);
      if (event.active) view.typing.set(event.user.id, { user: event.user, until: Date.now() + 6000 });
      else view.typing.delete(event.user.id);
      view.version++;
      this.changed();
    });
    c.on('error', () => this.changed());

    // Support, member side.
    c.on('supportStatus', (status) => {
      this.support.request = status;
      this.changed();
    });
    c.on('supportUnavailable', (event) => {
      this.support.unavailable = event;
      this.changed();
    });
    c.on('supportCancelled', () => {
      this.support.request = undefined;
      this.support.unavailable = undefined;
      this.changed();
    });
    c.on('sessionStarted', (session) => {
      if (session.mentor.id === this.me?.id) {
        this.mentorSession(session);
        return;
      }
      this.support.request = undefined;
      this.support.unavailable = undefined;
      const known = this.support.sessions.get(session.sessionId);
      this.support.sessions.set(session.sessionId, { session, rated: known?.rated });
      void this.join(session.sessionId);
      this.changed();
    });
    c.on('sessionInterrupted', (event) => {
      const entry = this.support.sessions.get(event.sessionId);
      if (entry) this.notify('group', event.message, event.sessionId);
      this.changed();
    });
    c.on('handoffProposed', (event) => {
      const entry = this.support.sessions.get(event.sessionId);
      if (entry) entry.handoff = { from: event.from, to: event.to, reason: event.reason };
      this.changed();
    });
    c.on('sessionEnded', (event) => {
      const member = this.support.sessions.get(event.sessionId);
      if (member) member.ended = event.reason;
      const mentor = this.mentor.sessions.get(event.sessionId);
      if (mentor) mentor.ended = event.reason;
      this.changed();
    });

    // Support, mentor side.
    c.on('offer', (offer) => {
      this.mentor.offers.set(offer.requestId, offer);
      this.changed();
    });
    c.on('offerWithdrawn', (event) => {
      this.mentor.offers.delete(event.requestId);
      this.changed();
    });
    c.on('availabilityRestored', (availability) => {
      this.mentor.availability = availability;
      this.changed();
    });
    c.on('done', (done) => {
      if (done.sessionId && (done.command === 'handoff_accepted' || done.command === 'handoff_refused')) {
        const entry = this.mentor.sessions.get(done.sessionId);
        if (entry) entry.handoff = done.command === 'handoff_accepted' ? 'accepted' : 'refused';
        this.changed();
      }
    });

    // Safety.
    c.on('crisisSupport', (event) => {
      this.crisis = { room: event.room, message: event.message, resources: event.resources, told: event.told ?? [] };
      this.changed();
    });
    c.on('alert', (alert) => {
      const known = this.moderation.alerts.get(alert.alertId);
      if (!known) {
        this.moderation.alerts.set(alert.alertId, { alert });
      } else if ((alert.escalation ?? 0) > (known.alert.escalation ?? 0)) {
        known.alert = alert; // escalated: the same alert, marked with its level
      }
      this.changed();
    });
    c.on('appealFiled', ({ appeal }) => {
      this.moderation.appeals.set(appeal.appealId, appeal);
      this.changed();
    });
    c.on('appealDecided', (event) => {
      const appeal = this.moderation.appeals.get(event.appealId);
      if (appeal) {
        appeal.decided = event.outcome;
        this.changed();
      } else {
        this.notify('appealDecided', JSON.stringify({ outcome: event.outcome, note: event.note ?? '' }));
      }
    });
    c.on('checkInOffer', (offer) => {
      this.checkInOffer = offer;
      this.changed();
    });
    c.on('checkInDeclined', (event) => {
      for (const entry of this.moderation.checkIns.values()) {
        if (entry.checkInId === event.checkInId) entry.answer = 'declined';
      }
      this.notify('checkInDeclined', event.member.pseudonym);
    });
    c.on('reportOutcome', (event) => this.notify('info', event.message));
    c.on('alertAcked', (acked) => {
      const entry = this.moderation.alerts.get(acked.alertId);
      if (entry) entry.acked = acked;
      this.changed();
    });
    c.on('reportFiled', ({ report }) => {
      this.moderation.reports.set(report.reportId, report);
      this.changed();
    });
    c.on('reportResolved', (event) => {
      this.moderation.reports.delete(event.reportId);
      this.changed();
    });
    c.on('heldMessage', (held) => {
      this.moderation.held.set(held.heldId, held);
      this.changed();
    });
    c.on('messageRejected', (event) => {
      const send = this.view(event.room).ownSend(event.clientMsgId);
      if (send) {
        send.status = 'rejected';
        send.detail = event.reason;
        this.view(event.room).version++;
      }
      this.notify('rejected', event.reason ?? '', event.room);
    });
    c.on('sanctioned', ({ sanction }) => {
      if (sanction.userId === this.me?.id) {
        this.notify('sanction', JSON.stringify(sanction), sanction.room);
      }
    });
    c.on('sanctionLifted', (event) => this.notify('lifted', event.kind));

    // Groups.
    c.on('groupState', () => this.changed());
    c.on('groupChanged', (event) => {
      this.replaceGroup(event.group);
      this.notify('group', JSON.stringify({ change: event.change, title: event.group.title, reason: event.reason }));
    });
    c.on('groupReminder', (event) => {
      this.reminders.set(event.group.groupId, event.group);
      this.replaceGroup(event.group);
      this.notify('reminder', event.group.title, event.group.room);
    });
    c.on('removedFromGroup', (event) => {
      const view = this.view(event.room);
      view.joined = false;
      view.version++;
      this.notify('removed', JSON.stringify({ reason: event.reason, banned: event.banned }), event.room);
    });
  }

  private updateOnline(room: string, online: number): void {
    const info = this.rooms.find((r) => r.id === room);
    if (info) info.online = online;
    this.changed();
  }

  /** The language the member chose, for support requests. */
  get languageCode(): string {
    return this.language();
  }
}

export function codeOf(error: unknown): string {
  if (error instanceof KindredError) return error.code;
  return 'unknown';
}

export function newId(): string {
  if (globalThis.crypto?.randomUUID) return globalThis.crypto.randomUUID();
  return `c-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}
