const KEY = 'tabstream:session';

/**
 * The tab's session id: kept in sessionStorage, so it is the same across the pages and reloads
 * of one tab and new in every tab. Where sessionStorage is unavailable, one id per page.
 */
export function sessionId(newId: () => string): string {
  try {
    const existing = sessionStorage.getItem(KEY);
    if (existing) return existing;
    const id = newId();
    sessionStorage.setItem(KEY, id);
    return id;
  } catch {
    return newId();
  }
}
