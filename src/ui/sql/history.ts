// The SQL tab's history of queries, kept in the storage of where it runs: the page's
// localStorage (under a key of tabstream's own, never one of the site's), or the DevTools
// panel's own (the extension's origin).

/** The storage key: tabstream's prefix, so that it never meets a key of the site's. */
export const HISTORY_KEY = 'tabstream:sql-history';
/** The queries kept, newest first. */
const KEPT = 50;

/** The DOM's `Storage`, as much of it as the history uses. */
type KeyValueStore = Pick<Storage, 'getItem' | 'setItem'>;

/**
 * The queries run, newest first, each once: running one again moves it to the front. Stored
 * after each change; what is read is checked (a damaged entry is no query), and a storage that
 * fails (full, or denied in a sandboxed frame) leaves the history in memory only.
 */
export class QueryHistory {
  private entries: string[];

  constructor(private readonly store: KeyValueStore | null = defaultStore()) {
    this.entries = read(store);
  }

  /** Newest first. */
  get queries(): readonly string[] {
    return this.entries;
  }

  /** Must put `text` first (trimmed; blank text is not kept), once, and store the list. */
  add(text: string): void {
    const query = text.trim();
    if (query === '') return;
    this.entries = [query, ...this.entries.filter((q) => q !== query)].slice(0, KEPT);
    try {
      this.store?.setItem(HISTORY_KEY, JSON.stringify(this.entries));
    } catch {
      // Kept in memory for this session: the history is a convenience, not data.
    }
  }
}

function read(store: KeyValueStore | null): string[] {
  try {
    const parsed: unknown = JSON.parse(store?.getItem(HISTORY_KEY) ?? '[]');
    return Array.isArray(parsed)
      ? parsed.filter((q): q is string => typeof q === 'string').slice(0, KEPT)
      : [];
  } catch {
    return [];
  }
}

function defaultStore(): KeyValueStore | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // a sandboxed frame throws on the getter itself
  }
}
