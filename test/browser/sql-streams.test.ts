// Continuous SQL queries as streaming jobs over a real log: counted once each, resumed by the
// next runner (a new leader) from their checkpoint, windowed by the records' time.
import { expect } from 'chai';
import { EngineContext, ExecutorPool } from '../../src/engine';
import { ensureTopic, openLog, Producer } from '../../src/log';
import {
  dropStream,
  listStreams,
  registerStream,
  runStreams,
  SqlError,
  streamResults,
  subscribeStream,
} from '../../src/sql';
import { createWorker, uniqueLog } from './helpers';

const PAGES = ['/', '/a', '/b'];
let log: string;
let pool: ExecutorPool;
let context: EngineContext;
let sent: { page: string; ts: number }[] = [];

async function send(n: number, ts: (i: number) => number): Promise<void> {
  const producer = new Producer({ log, batchSize: 10 });
  const clicks = Array.from({ length: n }, (_, i) => ({
    page: PAGES[(sent.length + i) % 3]!,
    ts: ts(i),
  }));
  for (const click of clicks) void producer.send('clicks', click, null, click.ts);
  await producer.close();
  sent.push(...clicks);
}

function perPage(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { page } of sent) counts[page] = (counts[page] ?? 0) + 1;
  return counts;
}

/** Resolves with the stream's rows once `done` holds for them (polled: each batch commits). */
async function until(name: string, done: (rows: unknown[][]) => boolean): Promise<unknown[][]> {
  let rows: unknown[][] = [];
  for (let i = 0; i < 600; i++) {
    rows = (await streamResults(context, name)).rows;
    if (done(rows)) return rows;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`stream ${name} never got there: ${JSON.stringify(rows)}`);
}

const asCounts = (rows: unknown[][]) => Object.fromEntries(rows as [string, number][]);

before(async () => {
  log = uniqueLog('sql-streams');
  const db = await openLog(log);
  await ensureTopic(db, { name: 'clicks', partitions: 2 });
  db.close();
  sent = [];
  await send(3, () => Date.now()); // so the table has its columns before any query names them
  pool = await ExecutorPool.start({ size: 2, createWorker, taskTimeoutMs: 20000 });
  context = new EngineContext({ log, pool });
});

after(() => pool.terminate());

describe('continuous SQL queries', () => {
  it('counts every click once, and the next runner resumes from the checkpoint', async () => {
    await registerStream(
      context,
      'per_page',
      'SELECT page, count(*) AS n FROM clicks GROUP BY page ORDER BY page',
    );
    let stop = await runStreams(context, 50);
    const seen: unknown[][][] = [];
    const unsubscribe = subscribeStream(context, 'per_page', (result) => seen.push(result.rows));
    await send(30, () => Date.now());
    await until('per_page', (rows) => JSON.stringify(asCounts(rows)) === JSON.stringify(perPage()));
    await stop();
    await send(12, () => Date.now());
    stop = await runStreams(context, 50); // a new leader
    const rows = await until(
      'per_page',
      (r) => JSON.stringify(asCounts(r)) === JSON.stringify(perPage()),
    );
    expect(rows.map((r) => r[0])).to.deep.equal([...PAGES].sort());
    await stop();
    unsubscribe();
    expect(seen.length).to.be.greaterThan(0);
    expect((await listStreams(log)).map((s) => s.name)).to.deep.equal(['per_page']);
  });

  it("keeps Spark's time windows of the records' time", async () => {
    const base = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;
    await registerStream(
      context,
      'per_minute',
      "SELECT window.start AS minute, count(*) FROM clicks WHERE _timestamp >= 0 GROUP BY window(_timestamp, '1 minute')",
    );
    const stop = await runStreams(context, 50);
    await send(20, (i) => base + (i % 4) * 60_000 + i);
    const expected = new Map<number, number>();
    for (const { ts } of sent)
      expected.set(ts - (ts % 60_000), (expected.get(ts - (ts % 60_000)) ?? 0) + 1);
    const rows = await until(
      'per_minute',
      (r) => r.reduce((n, row) => n + (row[1] as number), 0) === sent.length,
    );
    expect(new Map(rows as [number, number][])).to.deep.equal(expected);
    await stop();
    expect(await dropStream(context, 'per_minute')).to.equal(true);
    expect((await listStreams(log)).map((s) => s.name)).to.deep.equal(['per_page']);
    const gone = await streamResults(context, 'per_minute').catch((e: unknown) => e);
    expect(String(gone)).to.match(/no continuous query named "per_minute"/);
  });

  it('refuses what a stream cannot keep, by name', async () => {
    const error = await registerStream(
      context,
      'joined',
      'SELECT a.page, count(*) FROM clicks a JOIN clicks b ON a.page = b.page GROUP BY 1',
    ).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(SqlError);
    expect((error as Error).message).to.match(/join is not supported in a stream/);
    expect((await listStreams(log)).map((s) => s.name)).to.deep.equal(['per_page']);
  });
});
