// Spark SQL over a real log, on real executor workers: each answer checked against the same
// question asked of the data in plain JavaScript.
import { expect } from 'chai';
import { EngineContext, ExecutorPool } from '../../src/engine';
import { ensureTopic, openLog, Producer } from '../../src/log';
import { explain, sql, SqlError } from '../../src/sql';
import { createWorker, uniqueLog } from './helpers';

type Click = {
  page: string;
  sessionId: string;
  tabId: string;
  x: number;
  label: string | null;
  ts: number;
};

// Recent: a topic keeps 7 days by default (retention).
const T0 = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3 * 3_600_000;
const PAGES = ['/', '/pricing', '/docs', '/blog', '/about'];

/** 400 clicks, deterministic: pages skewed, some labels null, 3 minutes apart in groups. */
const CLICKS: Click[] = Array.from({ length: 400 }, (_, i) => ({
  page: PAGES[(i * i) % PAGES.length]!,
  sessionId: `s${i % 23}`,
  tabId: `t${i % 7}`,
  x: (i * 37) % 1000,
  label: i % 9 === 0 ? null : `b${i % 4}`,
  ts: T0 + Math.floor(i / 10) * 180_000 + (i % 10),
}));

let log: string;
let pool: ExecutorPool;
let context: EngineContext;

before(async () => {
  log = uniqueLog('sql');
  const db = await openLog(log);
  await ensureTopic(db, { name: 'clicks', partitions: 3 });
  await ensureTopic(db, { name: 'pageviews', partitions: 2 });
  db.close();
  const producer = new Producer({ log, batchSize: 50 });
  for (const click of CLICKS) void producer.send('clicks', click, click.sessionId, click.ts);
  for (const [i, page] of PAGES.entries())
    void producer.send('pageviews', { page, title: `Title ${i}`, ts: T0 + i }, null, T0 + i);
  await producer.close();
  pool = await ExecutorPool.start({ size: 2, createWorker, taskTimeoutMs: 20000 });
  context = new EngineContext({ log, pool });
});

after(() => pool.terminate());

function tally<K>(items: readonly Click[], key: (c: Click) => K): Map<K, number> {
  const counts = new Map<K, number>();
  for (const c of items) counts.set(key(c), (counts.get(key(c)) ?? 0) + 1);
  return counts;
}

const sorted = (rows: unknown[][]) =>
  [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

describe('tabstream SQL over the log', () => {
  it('counts clicks per page, top first, with ties broken by the second key', async () => {
    const result = await sql(
      context,
      'SELECT page, count(*) AS clicks FROM clicks GROUP BY page ORDER BY clicks DESC, page LIMIT 3',
    );
    const expected = [...tally(CLICKS, (c) => c.page)]
      .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
      .slice(0, 3);
    expect(result.columns).to.deep.equal(['page', 'clicks']);
    expect(result.rows).to.deep.equal(expected);
  });

  it('groups by ordinal and by expression, with HAVING and FILTER', async () => {
    const { rows } = await sql(
      context,
      `SELECT upper(page), count(*) FILTER (WHERE x > 500), count(DISTINCT sessionId)
       FROM clicks GROUP BY 1 HAVING count(*) > 10`,
    );
    const expected = [...tally(CLICKS, (c) => c.page)]
      .filter(([, n]) => n > 10)
      .map(([page]) => {
        const mine = CLICKS.filter((c) => c.page === page);
        return [
          page.toUpperCase(),
          mine.filter((c) => c.x > 500).length,
          new Set(mine.map((c) => c.sessionId)).size,
        ];
      });
    expect(sorted(rows)).to.deep.equal(sorted(expected));
  });

  it('answers one row for an aggregate of nothing, with NULLs of SQL', async () => {
    const { rows } = await sql(
      context,
      "SELECT count(*), sum(x), max(page) FROM clicks WHERE page = 'nowhere'",
    );
    expect(rows).to.deep.equal([[0, null, null]]);
  });

  it('filters by the record timestamp, skipping older batches, and keeps every newer click', async () => {
    const since = T0 + 20 * 180_000;
    const query = 'SELECT count(*) FROM clicks WHERE _timestamp >= ?';
    const { rows } = await sql(context, query, [since]);
    expect(rows).to.deep.equal([[CLICKS.filter((c) => c.ts >= since).length]]);
    expect(await explain(context, query, [since])).to.match(/batches since/);
  });

  it('joins, with a left join keeping rows without a match', async () => {
    const { rows } = await sql(
      context,
      `SELECT c.page, p.title, count(*) FROM clicks c LEFT JOIN pageviews p ON c.page = p.page AND p.title <> 'Title 0'
       GROUP BY c.page, p.title`,
    );
    const expected = [...tally(CLICKS, (c) => c.page)].map(([page, n]) => {
      const i = PAGES.indexOf(page);
      return [page, i === 0 ? null : `Title ${i}`, n];
    });
    expect(sorted(rows)).to.deep.equal(sorted(expected));
  });

  it('runs window functions per partition in order', async () => {
    const { rows } = await sql(
      context,
      `SELECT tabId, ts, row_number() OVER (PARTITION BY tabId ORDER BY ts) AS n,
              lead(page) OVER (PARTITION BY tabId ORDER BY ts) AS next
       FROM clicks WHERE tabId = 't3' ORDER BY ts`,
    );
    const mine = CLICKS.filter((c) => c.tabId === 't3').sort((a, b) => a.ts - b.ts);
    expect(rows).to.deep.equal(mine.map((c, i) => ['t3', c.ts, i + 1, mine[i + 1]?.page ?? null]));
  });

  it('runs CTEs, subqueries, UNION and DISTINCT', async () => {
    const { rows } = await sql(
      context,
      `WITH busy AS (SELECT sessionId, count(*) AS n FROM clicks GROUP BY sessionId)
       SELECT sessionId FROM busy WHERE n > (SELECT avg(n) FROM busy)
       UNION SELECT DISTINCT 'every' FROM clicks`,
    );
    const bySession = tally(CLICKS, (c) => c.sessionId);
    const avg = CLICKS.length / bySession.size;
    const expected = [...bySession].filter(([, n]) => n > avg).map(([s]) => [s]);
    expect(sorted(rows)).to.deep.equal(sorted([...expected, ['every']]));
  });

  it("groups by Spark's tumbling and sliding time windows", async () => {
    const tumbling = await sql(
      context,
      "SELECT window.start, count(*) AS n FROM clicks GROUP BY window(_timestamp, '5 minutes') ORDER BY 1",
    );
    const starts = tally(CLICKS, (c) => c.ts - (c.ts % 300_000));
    expect(tumbling.rows).to.deep.equal([...starts].sort(([a], [b]) => a - b));
    const sliding = await sql(
      context,
      "SELECT window, count(*) FROM clicks GROUP BY window(_timestamp, '10 minutes', '5 minutes')",
    );
    const total = sliding.rows.reduce((n, row) => n + (row[1] as number), 0);
    expect(total).to.equal(2 * CLICKS.length);
    for (const [window] of sliding.rows) {
      const { start, end } = window as { start: number; end: number };
      expect(end - start).to.equal(600_000);
      expect(start % 300_000).to.equal(0);
    }
  });

  it('names tables and describes them; a dataset can be a view', async () => {
    expect((await sql(context, 'SHOW TABLES')).rows.map((r) => r[1])).to.include.members([
      'clicks',
      'pageviews',
    ]);
    const described = await sql(context, 'DESCRIBE clicks');
    expect(described.rows.map((r) => r[0])).to.include.members([
      'page',
      'x',
      '_timestamp',
      '_offset',
    ]);
    context
      .parallelize([
        { page: '/', owner: 'home' },
        { page: '/about', owner: 'about' },
      ])
      .createOrReplaceTempView('owners');
    const { rows } = await sql(
      context,
      'SELECT o.owner, count(*) FROM clicks JOIN owners o USING (page) GROUP BY 1',
    );
    const counts = tally(CLICKS, (c) => c.page);
    expect(sorted(rows)).to.deep.equal(
      sorted([
        ['home', counts.get('/')],
        ['about', counts.get('/about')],
      ]),
    );
  });

  it('says what and where for an unknown column, with a near name', async () => {
    const error = await sql(context, 'SELECT pgae FROM clicks').catch((e: unknown) => e);
    expect(error).to.be.instanceOf(SqlError);
    expect((error as Error).message).to.equal(
      'line 1, column 8: unknown column "pgae" (did you mean "page"?)\nSELECT pgae FROM clicks\n       ^',
    );
  });
});
