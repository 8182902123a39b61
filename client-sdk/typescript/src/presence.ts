import type { Joined, Presence, PresenceCount, PresenceDiff, UserInfo } from './generated/protocol.js';

/** Who is in a joined room, as the client knows it now. */
export interface RoomPresence {
  readonly room: string;
  /** How many distinct users the server counts in the room. */
  readonly online: number;
  /**
   * The users the client knows to be present, in the server's order (by user id): everyone when `complete`;
   * otherwise the first ones the join reply listed and whoever arrived since.
   */
  readonly members: readonly UserInfo[];
  /** Whether `members` is everyone present (a small room, or the client loads every page: `exactPresence`). */
  readonly complete: boolean;
}

interface RoomState {
  members: Map<string, UserInfo>;
  online: number;
  complete: boolean;
  /** Whether every page was asked for: the list is complete once the last page arrived. */
  paging: boolean;
}

/**
 * The member list of each joined room, kept from the join reply, the pages of the `presence` command and the presence
 * events, applied in the order the server sent them: a list loaded page by page converges to the room's presence
 * because every change after a page reaches the client after it.
 */
export class PresenceLists {
  private readonly rooms = new Map<string, RoomState>();

  joined(joined: Joined): void {
    this.rooms.set(joined.room, {
      members: new Map(joined.presence.map((user) => [user.id, user])),
      online: joined.online ?? joined.presence.length,
      complete: joined.presenceNext === undefined,
      paging: false,
    });
  }

  pagingStarted(room: string): void {
    const state = this.rooms.get(room);
    if (state !== undefined) {
      state.paging = true;
    }
  }

  page(page: Presence): void {
    const state = this.rooms.get(page.room);
    if (state === undefined) {
      return;
    }
    page.users.forEach((user) => state.members.set(user.id, user));
    state.online = page.online;
    if (page.next === undefined && state.paging) {
      state.complete = true;
    }
  }

  arrived(room: string, user: UserInfo, online: number): void {
    const state = this.rooms.get(room);
    if (state !== undefined) {
      state.members.set(user.id, user);
      state.online = online;
    }
  }

  left(room: string, user: UserInfo, online: number): void {
    const state = this.rooms.get(room);
    if (state !== undefined) {
      state.members.delete(user.id);
      state.online = online;
    }
  }

  diff(diff: PresenceDiff): void {
    const state = this.rooms.get(diff.room);
    if (state !== undefined) {
      diff.joins.forEach((user) => state.members.set(user.id, user));
      diff.leaves.forEach((user) => state.members.delete(user.id));
      state.online = diff.online;
    }
  }

  /** A count-only room's new count: it lists nobody, so only the count changes. */
  counted(count: PresenceCount): void {
    const state = this.rooms.get(count.room);
    if (state !== undefined) {
      state.online = count.online;
    }
  }

  forget(room: string): void {
    this.rooms.delete(room);
  }

  get(room: string): RoomPresence | undefined {
    const state = this.rooms.get(room);
    if (state === undefined) {
      return undefined;
    }
    const members = [...state.members.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return {
      room,
      online: state.online,
      members,
      complete: state.complete,
    };
  }
}
