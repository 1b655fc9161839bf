const TAB_KEY = 'tabstream:tab';
const SESSION_KEY = 'tabstream:session';
/** A session ends after this long without an event, as in web analytics. */
export const SESSION_TIMEOUT_MS = 30 * 60 * 1000;
const SAVE_EVERY_MS = 1000;
/** What an id kept in sessionStorage must look like; anything else there is damage, replaced. */
const ID = /^[\w-]{1,64}$/;

/**
 * The tab's id: kept in sessionStorage, so the same across the pages and reloads of one tab
 * and new in every tab. Where sessionStorage is unavailable, one id per page.
 */
export function tabId(newId: () => string): string {
  try {
    const existing = sessionStorage.getItem(TAB_KEY);
    if (existing && ID.test(existing)) return existing;
    const id = newId();
    sessionStorage.setItem(TAB_KEY, id);
    return id;
  } catch {
    return newId();
  }
}

/**
 * The tab's session: one id until 30 minutes pass without an event (`touch`), then a new one.
 * Kept in sessionStorage, so a reload continues the session.
 */
export class Session {
  #id: string;
  #lastSeen: number;
  #savedAt = -Infinity;

  readonly #newId: () => string;

  constructor(newId: () => string) {
    this.#newId = newId;
    const saved = read();
    const fresh = saved && Date.now() - saved.lastSeen < SESSION_TIMEOUT_MS;
    this.#id = fresh ? saved.id : newId();
    this.#lastSeen = fresh ? saved.lastSeen : Date.now();
  }

  /** The session id of an event at `ts`, starting a new session after a long pause. */
  touch(ts: number): string {
    const id = this.#id;
    if (ts - this.#lastSeen >= SESSION_TIMEOUT_MS) this.#id = this.#newId();
    if (ts > this.#lastSeen) this.#lastSeen = ts;
    // Saved at most once a second: a write costs more than the rest of an event.
    if (this.#id !== id || this.#lastSeen - this.#savedAt >= SAVE_EVERY_MS) this.#save();
    return this.#id;
  }

  #save(): void {
    this.#savedAt = this.#lastSeen;
    try {
      sessionStorage.setItem(SESSION_KEY, `${this.#id} ${this.#lastSeen}`);
    } catch {
      // No sessionStorage: the session lasts as long as the page.
    }
  }
}

function read(): { id: string; lastSeen: number } | null {
  try {
    const [id = '', seen] = (sessionStorage.getItem(SESSION_KEY) ?? '').split(' ');
    const lastSeen = Number(seen);
    // A time to come would keep the session for ever; not a number, or no id: a new session.
    return ID.test(id) && lastSeen <= Date.now() ? { id, lastSeen } : null;
  } catch {
    return null;
  }
}
