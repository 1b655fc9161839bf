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
 * The tab's session: one id until 30 minutes pass without an event, then a new one. Kept in
 * sessionStorage, so a reload continues the session. Returns `touch`: the session id of an
 * event at `ts`, starting a new session after a long pause.
 */
export function session(newId: () => string): (ts: number) => string {
  const saved = read();
  const fresh = saved && Date.now() - saved.lastSeen < SESSION_TIMEOUT_MS;
  let id = fresh ? saved.id : newId();
  let lastSeen = fresh ? saved.lastSeen : Date.now();
  let savedAt = -Infinity;
  return (ts) => {
    const before = id;
    if (ts - lastSeen >= SESSION_TIMEOUT_MS) id = newId();
    if (ts > lastSeen) lastSeen = ts;
    // Saved at most once a second: a write costs more than the rest of an event.
    if (id !== before || lastSeen - savedAt >= SAVE_EVERY_MS) {
      savedAt = lastSeen;
      try {
        sessionStorage.setItem(SESSION_KEY, `${id} ${lastSeen}`);
      } catch {
        // No sessionStorage: the session lasts as long as the page.
      }
    }
    return id;
  };
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
