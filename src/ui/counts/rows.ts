// The rows of <tabstream-counts>: counts turned into rows, sorted, filtered. Each step is
// skipped on renders (a scroll, a focus move) that change none of its inputs: with 10,000 URLs
// a sort or a filter costs milliseconds.

/** One URL and its clicks. */
export interface CountRow {
  readonly url: string;
  readonly clicks: number;
}

/** The column rows are sorted by. */
export type SortKey = 'count' | 'url';

/** The direction rows are sorted in. */
export type SortOrder = 'desc' | 'asc';

/** Matching rows, in order, with their total and largest count (the bars' scale). */
export interface Matching {
  readonly rows: readonly CountRow[];
  /** How many rows there were before filtering. */
  readonly of: number;
  readonly total: number;
  readonly max: number;
  /** The origin every row's URL has (before filtering), shown once rather than on each row. */
  readonly origin: string | null;
}

// Code-unit order, not localeCompare: URLs are not words, and it is several times faster.
const byUrl = (a: CountRow, b: CountRow): number => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0);

/**
 * `counts` as rows sorted by `key` in `order`; equal counts by URL, ascending either way.
 * Each sort starts from the order of the one before: after a batch few counts have moved, and
 * V8's sort (TimSort) finishes a nearly sorted array in about linear time.
 */
export class SortedRows {
  private last: {
    readonly counts: Readonly<Record<string, number>>;
    readonly key: SortKey;
    readonly order: SortOrder;
    readonly rows: readonly CountRow[];
  } | null = null;

  of(
    counts: Readonly<Record<string, number>>,
    key: SortKey,
    order: SortOrder,
  ): readonly CountRow[] {
    const last = this.last;
    if (last?.counts === counts && last.key === key && last.order === order) return last.rows;
    const rows: CountRow[] = [];
    for (const row of last?.rows ?? []) {
      const clicks = counts[row.url];
      if (typeof clicks !== 'number') continue; // gone (or an inherited member)
      rows.push(clicks === row.clicks ? row : { url: row.url, clicks });
    }
    const urls = Object.keys(counts);
    if (urls.length !== rows.length) {
      const known = new Set(rows.map(({ url }) => url));
      for (const url of urls) if (!known.has(url)) rows.push({ url, clicks: counts[url]! });
    }
    const sign = order === 'asc' ? 1 : -1;
    rows.sort(
      key === 'url'
        ? (a, b) => sign * byUrl(a, b)
        : (a, b) => sign * (a.clicks - b.clicks) || byUrl(a, b),
    );
    this.last = { counts, key, order, rows };
    return rows;
  }
}

/** What filtering a rows array takes whatever the filter: its URLs lowercased, their origin. */
interface RowsIndex {
  readonly length: number;
  readonly origin: string | null;
  /** Each row's URL lowercased, in the rows' order; made at the first non-empty filter. */
  lowered: readonly string[] | null;
}

// Per rows array, so that a new filter over the same rows (typing) only searches: lowercasing
// 10,000 URLs costs milliseconds. Arrays are taken as never changed once filtered, as
// SortedRows' are (a batch makes a new one); the length is checked all the same.
const indexes = new WeakMap<readonly CountRow[], RowsIndex>();

function indexFor(rows: readonly CountRow[]): RowsIndex {
  let index = indexes.get(rows);
  if (index?.length !== rows.length) {
    index = { length: rows.length, origin: sharedOrigin(rows), lowered: null };
    indexes.set(rows, index);
  }
  return index;
}

/** The rows whose URL contains `query`, ignoring case, in the same order. */
export function matchingRows(rows: readonly CountRow[], query: string): Matching {
  const needle = query.trim().toLowerCase();
  const index = indexFor(rows);
  let kept = rows;
  if (needle !== '') {
    const lowered = (index.lowered ??= rows.map(({ url }) => url.toLowerCase()));
    const found: CountRow[] = [];
    for (let i = 0; i < lowered.length; i++) if (lowered[i]!.includes(needle)) found.push(rows[i]!);
    kept = found;
  }
  let total = 0;
  let max = 0;
  for (const { clicks } of kept) {
    total += clicks;
    if (clicks > max) max = clicks;
  }
  return { rows: kept, of: rows.length, total, max, origin: index.origin };
}

/** The `scheme://host[:port]` that starts every URL of `rows`; null if they differ, or none. */
function sharedOrigin(rows: readonly CountRow[]): string | null {
  const origin = /^[a-z][a-z\d+.-]*:\/\/[^/?#\s]+/i.exec(rows[0]?.url ?? '')?.[0];
  if (!origin) return null;
  const within = ({ url }: CountRow): boolean =>
    url.startsWith(origin) && (url.length === origin.length || '/?#'.includes(url[origin.length]!));
  return rows.every(within) ? origin : null;
}

/** `derive`, computed again only when one of its arguments changed (by identity). */
export function memoizeOne<A extends readonly unknown[], R>(
  derive: (...args: A) => R,
): (...args: A) => R {
  let last: { readonly args: A; readonly result: R } | null = null;
  return (...args) => {
    if (last?.args.length === args.length && args.every((arg, i) => Object.is(arg, last!.args[i])))
      return last.result;
    last = { args, result: derive(...args) };
    return last.result;
  };
}
