import { pageTabstream } from '../shared';

/** A query's answer: `rows` as arrays in `columns` order (timestamps as ms since the epoch). */
export interface SqlResult {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
}

/** A continuous query, as `tabstream.sql.streams()` lists it. */
export interface SqlStream {
  readonly name: string;
  readonly text: string;
}

/**
 * What `<tabstream-sql>` asks: the page's `tabstream.sql`, or the DevTools panel's stand-in for
 * it (which asks the inspected page). Everything it answers must be JSON-safe data.
 */
export interface SqlSource {
  /** Must resolve with the answer of `text` (params bind `?` or `$name`), or reject with why. */
  sql(text: string, params?: unknown): Promise<SqlResult>;
  /** Must resolve with the plan of `text` as text: logical, then the stages it runs as. */
  explain(text: string): Promise<string>;
  /** The running continuous queries; absent where the source has none. */
  streams?(): Promise<readonly SqlStream[]>;
  /** The latest results of continuous query `name`. */
  results?(name: string): Promise<SqlResult>;
}

/** `window.tabstream.sql` as the page has it: a function with methods. */
interface PageSql {
  (text: string, params?: unknown): Promise<SqlResult>;
  explain(text: string): Promise<string>;
  streams?(): Promise<readonly SqlStream[]>;
  results?(name: string): Promise<SqlResult>;
}

/** The page's `window.tabstream.sql` as a source, once it is there; undefined until then. */
export function pageSqlSource(): SqlSource | undefined {
  const sql = pageTabstream<{ sql: PageSql }>((t) => typeof t.sql === 'function')?.sql;
  if (!sql || typeof sql.explain !== 'function') return undefined;
  const cached = sources.get(sql);
  if (cached) return cached;
  const source: SqlSource = {
    sql: (text, params) => sql(text, params),
    explain: (text) => sql.explain(text),
    ...(typeof sql.streams === 'function' && { streams: () => sql.streams!() }),
    ...(typeof sql.results === 'function' && { results: (name) => sql.results!(name) }),
  };
  sources.set(sql, source);
  return source;
}

// One source per page function, so that an element sees the same source each time it looks.
const sources = new WeakMap<PageSql, SqlSource>();
