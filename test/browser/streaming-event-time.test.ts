// Windows and old records: a window by batch time (Spark Streaming's) counts a backlog read at
// once as new, and says so once; a window by event time (Structured Streaming's) counts each
// record where it happened, whenever it is read. The script tag's job windows by event time.
import { expect } from 'chai';
import { EngineContext, ExecutorPool, op } from '../../src/engine';
import { ensureTopic, openLog, Producer } from '../../src/log';
import { StreamingContext, type Counts } from '../../src/streaming';
import { INTERVAL, manualClock, startClicksJob } from './fixtures/clicks-job';
import { tally, uniqueLog } from './helpers';

const MINUTE = 60_000;

/** A click on `page` (of target `page#t`) that happened at `ts`, if given. */
interface Click {
  readonly page: string;
  readonly ts?: number;
}

/** Appends `clicks` to topic clicks of `log`, each stamped (Kafka's CreateTime) at its `ts`. */
async function appendClicks(log: string, clicks: readonly Click[]): Promise<void> {
  const db = await openLog(log);
  await ensureTopic(db, { name: 'clicks', partitions: 2 });
  db.close();
  const producer = new Producer({ log });
  clicks.forEach(({ page, ts }, i) => {
    const value = { page, target: `${page}#t`, ...(ts === undefined ? {} : { ts }) };
    void producer.send('clicks', value, `tab-${i % 3}`, ts ?? Date.now());
  });
  await producer.close();
}

const on = (page: string, n: number, ts?: number): Click[] =>
  Array.from({ length: n }, () => ({ page, ts }));

/** Calls `use` with what console.warn says meanwhile. */
async function warnings(use: () => Promise<void>): Promise<string[]> {
  const said: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => said.push(args.map(String).join(' '));
  try {
    await use();
  } finally {
    console.warn = warn;
  }
  return said;
}

/** A job over `log`'s clicks on a manual clock, its windows built by `build`. */
async function customJob(log: string, build: (ssc: StreamingContext) => void) {
  const pool = await ExecutorPool.start({ size: 1, createWorker: null });
  const clock = manualClock();
  const ssc = new StreamingContext(new EngineContext({ log, pool }), {
    batchIntervalMs: INTERVAL,
    checkpointId: 'custom',
    clock,
  });
  build(ssc);
  await ssc.start();
  return {
    clock,
    async batch(ms = INTERVAL) {
      clock.time += ms;
      await ssc.runBatch();
      return (await ssc.results()) as Record<string, Counts>;
    },
    async stop() {
      await ssc.stop();
      await pool.terminate();
    },
  };
}

describe('windows and a backlog of old records', () => {
  it("the script tag's job counts a click in a window only while it happened within it", async () => {
    const log = uniqueLog('event-time');
    const clock = manualClock();
    const now = clock.time + INTERVAL; // the first batch's time
    await appendClicks(log, [
      ...on('/hours-ago', 5, now - 3 * 3_600_000),
      ...on('/2-min-ago', 3, now - 2 * MINUTE),
      ...on('/just-now', 2, now - 300),
      ...on('/untimed', 1), // no ts: timed by the batch that reads it
    ]);
    const job = await startClicksJob(log, { clock });
    const counts = async () => {
      const results = (await job.ssc.results()) as Record<string, Counts>;
      return { all: results['page'], m1: results['page:1m'], m5: results['page:5m'] };
    };
    try {
      await job.batch(); // the whole backlog in one batch
      expect(await counts()).to.deep.equal({
        all: { '/hours-ago': 5, '/2-min-ago': 3, '/just-now': 2, '/untimed': 1 },
        m1: { '/just-now': 2, '/untimed': 1 },
        m5: { '/2-min-ago': 3, '/just-now': 2, '/untimed': 1 },
      });
      expect((await job.ssc.results())['target:1m']).to.deep.equal({
        '/just-now#t': 2,
        '/untimed#t': 1,
      });
      // A minute on, one click of now: those of a minute ago left the last minute.
      await appendClicks(log, on('/later', 1, now + MINUTE - 10));
      await job.batch(MINUTE);
      expect((await counts()).m1).to.deep.equal({ '/later': 1 });
      expect((await counts()).m5).to.deep.equal({
        '/2-min-ago': 3,
        '/just-now': 2,
        '/untimed': 1,
        '/later': 1,
      });
      // Three minutes and a batch on, the clicks of 2 minutes before the first batch are
      // 5 minutes old: out of the last 5 minutes, though they were read 4 minutes ago.
      await job.batch(3 * MINUTE + INTERVAL);
      expect((await counts()).m5).to.deep.equal({ '/just-now': 2, '/untimed': 1, '/later': 1 });
      const times = (page: string, n: number) => Array.from({ length: n }, () => page);
      expect((await counts()).all).to.deep.equal(
        tally([
          ...times('/hours-ago', 5),
          ...times('/2-min-ago', 3),
          ...times('/just-now', 2),
          '/untimed',
          '/later',
        ]),
      );
    } finally {
      await job.stop();
    }
  });

  it('a window by batch time warns once of a first batch older than it; by event time leaves them out', async () => {
    const log = uniqueLog('backlog-warning');
    const start = Date.now();
    await appendClicks(log, [...on('/old', 4, start - 3_600_000), ...on('/new', 2, start)]);
    const said = await warnings(async () => {
      const job = await customJob(log, (ssc) => {
        const clicks = ssc.fromLog('clicks', { startingOffsets: 'earliest' });
        const page = op.field('value.page');
        clicks
          .map(page)
          .countByValue()
          .reduceByKeyAndWindow(op.sum, op.difference, MINUTE)
          .publish('last-minute');
        clicks
          .countByEventTime(page, { eventTime: 'timestamp', horizonMs: MINUTE })
          .reduceByKeyAndEventWindow(op.sum, op.difference, MINUTE)
          .publish('last-minute-by-event-time');
      });
      try {
        job.clock.time = start - (start % INTERVAL); // the batch after the clicks
        const results = await job.batch();
        expect(results['last-minute']).to.deep.equal({ '/old': 4, '/new': 2 });
        expect(results['last-minute-by-event-time']).to.deep.equal({ '/new': 2 });
        await appendClicks(log, on('/newer', 1, job.clock.time + INTERVAL));
        await job.batch();
      } finally {
        await job.stop();
      }
    });
    const backlog = said.filter((s) => s.includes('older than the window'));
    expect(backlog, said.join('\n')).to.have.length(1);
    expect(backlog[0]).to.include('holds 4 records').and.include('60000 ms');
    expect(backlog[0]).to.include('countByEventTime').and.include("startingOffsets: 'latest'");
  });

  it('a window by batch time says nothing when its first batch holds only recent records', async () => {
    const log = uniqueLog('no-backlog');
    await appendClicks(log, on('/new', 3, Date.now()));
    const said = await warnings(async () => {
      const job = await customJob(log, (ssc) => {
        ssc
          .fromLog('clicks')
          .map(op.field('value.page'))
          .countByValue()
          .reduceByKeyAndWindow(op.sum, op.difference, MINUTE)
          .publish('last-minute');
      });
      try {
        job.clock.time = Date.now() - (Date.now() % INTERVAL);
        expect((await job.batch())['last-minute']).to.deep.equal({ '/new': 3 });
      } finally {
        await job.stop();
      }
    });
    expect(said.filter((s) => s.includes('older than the window'))).to.deep.equal([]);
  });

  it('refuses an event-time window longer than the horizon its counts keep', async () => {
    const log = uniqueLog('horizon');
    await appendClicks(log, []);
    const pool = await ExecutorPool.start({ size: 1, createWorker: null });
    try {
      const ssc = new StreamingContext(new EngineContext({ log, pool }), { batchIntervalMs: 1000 });
      const counts = ssc
        .fromLog('clicks')
        .countByEventTime(op.field('value.page'), { eventTime: 'value.ts', horizonMs: MINUTE });
      expect(() => counts.reduceByKeyAndEventWindow(op.sum, op.difference, 5 * MINUTE)).to.throw(
        /horizon must be at least the window's length \(300000 ms\)/,
      );
    } finally {
      await pool.terminate();
    }
  });
});
