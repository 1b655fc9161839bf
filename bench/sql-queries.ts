// The questions of suite `sql`, each in Spark SQL (tabstream's dialect) and in DuckDB's, with
// the columns DuckDB is given for it (only those, as tabstream's scan reads only those).
import type { DuckColumn } from './peers';
import type { SessionClick } from './session-clicks';

export interface BenchQuery {
  readonly name: string;
  readonly spark: string;
  readonly duckdb: string;
  readonly columns: Readonly<Record<string, DuckColumn<SessionClick>>>;
  /** The answer's rows are in a defined order (an ORDER BY of distinct keys); else compared sorted. */
  readonly ordered: boolean;
}

const page = { strings: (click: SessionClick) => click.page };
const sessionId = { strings: (click: SessionClick) => click.sessionId };
const tabId = { strings: (click: SessionClick) => click.tabId };
const pageviewId = { strings: (click: SessionClick) => click.pageviewId };
const _timestamp = { timestamps: (click: SessionClick) => click.ts };

/** Written once where both dialects agree. */
function both(
  name: string,
  text: string,
  columns: BenchQuery['columns'],
  ordered: boolean,
): BenchQuery {
  return { name, spark: text, duckdb: text, columns, ordered };
}

export const QUERIES: readonly BenchQuery[] = [
  // Ties broken by page, here and below, so that both answers are the same ten rows.
  both(
    'q-top-pages',
    'SELECT page, count(*) FROM clicks GROUP BY page ORDER BY 2 DESC, 1 LIMIT 10',
    { page },
    true,
  ),
  both(
    'q-distinct-sessions',
    'SELECT page, count(DISTINCT sessionId) FROM clicks GROUP BY page',
    { page, sessionId },
    false,
  ),
  both(
    'q-per-minute',
    "SELECT date_trunc('minute', _timestamp), count(*) FROM clicks GROUP BY 1 ORDER BY 1",
    { _timestamp },
    true,
  ),
  // The data has no page views (topic `pageviews`), but every click names its page view
  // (`pageviewId`): a bounced session is one whose clicks are all in one page view. Then the
  // pages that bounced sessions clicked most.
  both(
    'q-bounce',
    `WITH bounced AS (
       SELECT sessionId FROM clicks GROUP BY sessionId HAVING count(DISTINCT pageviewId) = 1
     )
     SELECT c.page, count(*) AS clicks
     FROM clicks c JOIN bounced b ON c.sessionId = b.sessionId
     GROUP BY c.page ORDER BY clicks DESC, c.page LIMIT 10`,
    { page, sessionId, pageviewId },
    true,
  ),
  // A tab's clicks in time order (the times are distinct): the page after each, and the most
  // frequent moves from one page to another.
  both(
    'q-next-page',
    `SELECT page, next_page, count(*) AS moves
     FROM (
       SELECT page, lead(page) OVER (PARTITION BY tabId ORDER BY _timestamp) AS next_page
       FROM clicks
     ) t
     WHERE next_page <> page
     GROUP BY page, next_page ORDER BY moves DESC, page, next_page LIMIT 10`,
    { page, tabId, _timestamp },
    true,
  ),
];
