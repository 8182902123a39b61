const KEY = 'kindred.drafts';

/**
 * What the member has typed but not sent, per room: kept across reconnects (the composer is never cleared by the
 * network) and across a reload of the tab (sessionStorage), never beyond it.
 */
export class Drafts {
  private readonly drafts: Map<string, string>;

  constructor(private readonly storage: Storage) {
    let saved: Record<string, string> = {};
    try {
      saved = JSON.parse(storage.getItem(KEY) ?? '{}') as Record<string, string>;
    } catch {
      saved = {};
    }
    this.drafts = new Map(Object.entries(saved));
  }

  get(room: string): string {
    return this.drafts.get(room) ?? '';
  }

  set(room: string, text: string): void {
    if (text === '') this.drafts.delete(room);
    else this.drafts.set(room, text);
    try {
      this.storage.setItem(KEY, JSON.stringify(Object.fromEntries(this.drafts)));
    } catch {
      // storage full or disabled: the draft still lives in memory
    }
  }
}
