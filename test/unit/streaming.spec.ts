import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EngineContext, ExecutorPool, fn, JobFailedError, op } from '../../src/engine';
import { appendBatches, committedOffsets, ensureTopic, type LogDB } from '../../src/log';
import {
  clickCounts,
  clickCountsProblem,
  countsOf,
  loadCheckpoint,
  PidRateEstimator,
  PlanMismatchError,
  resultsOf,
  StreamingContext,
  type BatchInfo,
  type StreamingContextOptions,
} from '../../src/streaming';
import { NodeStore } from '../../src/coord';
import { checkpointProblem } from '../../src/streaming/checkpoint-schema';
import { freshLog } from './helpers';

const SECOND = 1000;
let producers = 0;

/** Appends records `{ page }` to partition `partition` of topic `topic`. */
function append(db: LogDB, partition: number, pages: string[], topic = 'clicks') {
  const records = pages.map((page) => ({ key: null, timestamp: 0, value: { page } }));
  const producerId = `p${producers++}`;
  return appendBatches(db, [{ topic, partition, producerId, baseSequence: 0, records }]);
}

/** A clock that moves only when told: Spark's ManualClock. */
class ManualClock {
  constructor(public time = 100 * SECOND) {}
  now(): number {
    return this.time;
  }
  advance(ms = SECOND): void {
    this.time += ms;
  }
}

const contexts: StreamingContext[] = [];
const pools: ExecutorPool[] = [];
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((ssc) => ssc.stop()));
  await Promise.all(pools.splice(0).map((pool) => pool.terminate()));
});

/** A streaming context on a local (main-thread) engine over `db`, with a manual clock. */
async function streaming(db: LogDB, options: StreamingContextOptions = {}) {
  const pool = await ExecutorPool.start({ createWorker: null });
  pools.push(pool);
  const clock = new ManualClock();
  const ssc = new StreamingContext(new EngineContext({ log: db.name, pool }), {
    batchIntervalMs: SECOND,
    checkpointId: 'test',
    clock,
    ...options,
  });
  contexts.push(ssc);
  return { ssc, clock };
}

const sum = (a: number, b: number) => a + b;
const total = (values: number[], state?: number) => values.reduce(sum, state ?? 0);

/** The job most tests run: running totals of clicks per page, published as 'totals'. */
function totalsJob(ssc: StreamingContext) {
  const perBatch = ssc
    .fromLog('clicks')
    .map((r) => r.value.page)
    .countByValue();
  perBatch.updateStateByKey(total).publish('totals');
  return perBatch;
}

describe('StreamingContext', () => {
  it('counts each new offset range once, with running totals as state', async () => {
    const db = await freshLog('clicks', 2);
    const { ssc, clock } = await streaming(db);
    totalsJob(ssc);
    await ssc.start();
    await append(db, 0, ['/a', '/b']);
    await append(db, 1, ['/a']);
    const first = await ssc.runBatch();
    expect(first).toMatchObject({ batch: 1, inputEvents: 3 });
    expect(first!.ranges.map((r) => [r.fromOffset, r.untilOffset])).toEqual([
      [0, 2],
      [0, 1],
    ]);
    clock.advance();
    expect(await ssc.runBatch()).toBeNull(); // nothing new, no window: no batch
    await append(db, 1, ['/b', '/c']);
    clock.advance();
    expect(await ssc.runBatch()).toMatchObject({ batch: 2, inputEvents: 2 });
    expect((await ssc.results()).totals).toEqual({ '/a': 2, '/b': 2, '/c': 1 });
  });

  it('resumes from the checkpoint in a new context, counting nothing twice', async () => {
    const db = await freshLog('clicks', 1);
    const a = await streaming(db);
    totalsJob(a.ssc);
    await a.ssc.start();
    await append(db, 0, ['/a', '/a']);
    await a.ssc.runBatch();
    await append(db, 0, ['/a']); // appended, but the first context goes away before counting it
    await a.ssc.stop();
    const b = await streaming(db);
    totalsJob(b.ssc);
    await b.ssc.start();
    expect(await b.ssc.runBatch()).toMatchObject({ batch: 2, inputEvents: 1 });
    expect((await b.ssc.results()).totals).toEqual({ '/a': 3 });
  });

  it('commits nothing when another run of the job moved the checkpoint, then catches up', async () => {
    const db = await freshLog('clicks', 1);
    const a = await streaming(db);
    const b = await streaming(db);
    totalsJob(a.ssc);
    totalsJob(b.ssc);
    await Promise.all([a.ssc.start(), b.ssc.start()]);
    await append(db, 0, ['/a']);
    await a.ssc.runBatch();
    // b counted from the same offsets: its commit must lose
    await expect(b.ssc.runBatch()).rejects.toThrow(/moved on/);
    await append(db, 0, ['/b']);
    b.clock.advance();
    await b.ssc.runBatch(); // b reloads a's checkpoint and counts only /b
    expect((await a.ssc.results()).totals).toEqual({ '/a': 1, '/b': 1 });
  });

  it("commits each batch's offsets to its consumer group, where a job with no checkpoint starts", async () => {
    const db = await freshLog('clicks', 2);
    const first = await streaming(db);
    first.ssc.fromLog('clicks', { group: 'g' }).countByValue().publish('n');
    await first.ssc.start();
    await append(db, 0, ['/a', '/b']);
    await append(db, 1, ['/c']);
    await first.ssc.runBatch();
    const partitions = [0, 1].map((partition) => ({ topic: 'clicks', partition }));
    await vi.waitUntil(async () => (await committedOffsets(db, 'g', partitions))[1]?.offset === 1);
    expect((await committedOffsets(db, 'g', partitions)).map((o) => o?.offset)).toEqual([2, 1]);
    const second = await streaming(db, { checkpointId: 'another' }); // no checkpoint of its own
    second.ssc.fromLog('clicks', { group: 'g' }).countByValue().publish('n');
    await second.ssc.start();
    await append(db, 1, ['/d']);
    expect(await second.ssc.runBatch()).toMatchObject({ inputEvents: 1 });
  });

  it('refuses a checkpoint written by another plan, changing nothing', async () => {
    const db = await freshLog('clicks', 1);
    const a = await streaming(db);
    totalsJob(a.ssc);
    await a.ssc.start();
    await append(db, 0, ['/a']);
    await a.ssc.runBatch();
    await a.ssc.stop();

    const changed = await streaming(db);
    changed.ssc.fromLog('clicks').count().print();
    const error = await changed.ssc.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlanMismatchError);
    expect((error as Error).message).toMatch(/checkpoint "test" was written by a different/);
    expect(changed.ssc.state).toBe('stopped');
    await expect(changed.ssc.awaitTermination()).rejects.toThrow(PlanMismatchError);

    await append(db, 0, ['/a']);
    const again = await streaming(db); // the original plan resumes where it was
    totalsJob(again.ssc);
    await again.ssc.start();
    expect(await again.ssc.runBatch()).toMatchObject({ batch: 2, inputEvents: 1 });
    expect((await again.ssc.results()).totals).toEqual({ '/a': 2 });
  });

  it('caps batches at maxEventsPerPartitionPerBatch, skipping nothing', async () => {
    const db = await freshLog('clicks', 1);
    const { ssc, clock } = await streaming(db, { maxEventsPerPartitionPerBatch: 3 });
    totalsJob(ssc);
    await ssc.start();
    await append(
      db,
      0,
      Array.from({ length: 10 }, (_, i) => `/p${i % 2}`),
    );
    const sizes: number[] = [];
    for (let i = 0; i < 5; i++, clock.advance()) {
      const info = await ssc.runBatch();
      if (info) sizes.push(info.inputEvents);
    }
    expect(sizes).toEqual([3, 3, 3, 1]);
    expect((await ssc.results()).totals).toEqual({ '/p0': 5, '/p1': 5 });
  });

  it('takes a backlog in batches paced by the last ones under backpressure, skipping nothing', async () => {
    const db = await freshLog('clicks', 1);
    const { ssc, clock } = await streaming(db, { batchIntervalMs: 10 });
    totalsJob(ssc);
    await ssc.start();
    await append(
      db,
      0,
      Array.from({ length: 15_000 }, () => '/a'),
    );
    const sizes: number[] = [];
    while (sizes.reduce(sum, 0) < 15_000 && sizes.length < 30) {
      clock.advance(10);
      const info = await ssc.runBatch();
      if (info) sizes.push(info.inputEvents);
    }
    expect(sizes[0]).toBe(10_000); // the first batch: 1M events per second of interval
    expect(sizes.reduce(sum, 0)).toBe(15_000);
    expect((await ssc.results()).totals).toEqual({ '/a': 15_000 });
  });

  it('stops with the first error no retry can fix, for awaitTermination', async () => {
    const db = await freshLog('clicks', 1);
    const { ssc } = await streaming(db, { maxConsecutiveFailures: 2 });
    ssc.fromLog('clicks').foreachBatch(() => {
      throw new Error('broken output');
    });
    await ssc.start();
    await append(db, 0, ['/a']);
    await expect(ssc.runBatch()).rejects.toThrow('broken output');
    expect(ssc.state).toBe('active'); // one failure: the next batch tries again
    await expect(ssc.runBatch()).rejects.toThrow('broken output');
    expect(ssc.state).toBe('stopped');
    await expect(ssc.awaitTermination()).rejects.toThrow('broken output');
  });

  it('stops at once when a job fails of an error no retry can fix', async () => {
    const db = await freshLog('clicks', 1);
    const { ssc } = await streaming(db);
    ssc.fromLog('clicks').map(fn('no-such-function')).countByValue().publish('n');
    await ssc.start();
    await append(db, 0, ['/a']);
    await expect(ssc.runBatch()).rejects.toThrow(/no function named "no-such-function"/);
    expect(ssc.state).toBe('stopped'); // the first failure: no retry would define it
    await expect(ssc.awaitTermination()).rejects.toThrow(JobFailedError);
  });

  it('requires an output, and no new streams once started (Spark rules)', async () => {
    const db = await freshLog('clicks', 1);
    const { ssc } = await streaming(db);
    const clicks = ssc.fromLog('clicks');
    await expect(ssc.start()).rejects.toThrow(/no output operation/);
    clicks.print();
    await ssc.start();
    expect(() => clicks.map((r) => r.offset)).toThrow(/before start/);
  });

  it('times a batch asked for within an interval just after the last; a window sliding every interval ends at it, a longer slide waits', async () => {
    const db = await freshLog('clicks', 1);
    const hour = 3_600_000; // no interval boundary falls within the test
    const { ssc } = await streaming(db, { batchIntervalMs: hour, clock: undefined });
    const perBatch = ssc
      .fromLog('clicks')
      .map((r) => r.value.page)
      .countByValue();
    perBatch.updateStateByKey(total).publish('totals');
    perBatch.reduceByKeyAndWindow(op.sum, op.difference, 2 * hour).publish('window');
    perBatch.reduceByKeyAndWindow(op.sum, op.difference, 2 * hour, 2 * hour).publish('slow');
    await append(db, 0, ['/a']);
    const batches: BatchInfo[] = [];
    ssc.onBatch((info) => batches.push(info));
    await ssc.start(); // with the real clock, the first batch runs at once, at the interval's time
    await vi.waitUntil(() => batches.length === 1);
    await append(db, 0, ['/b']);
    const second = await ssc.runBatch();
    expect(batches[0]!.batchTime % hour).toBe(0);
    expect(second!.batchTime).toBe(batches[0]!.batchTime + 1);
    const slow = batches[0]!.batchTime % (2 * hour) === 0 ? { '/a': 1 } : {};
    expect(await ssc.results()).toEqual({
      totals: { '/a': 1, '/b': 1 },
      window: { '/a': 1, '/b': 1 },
      slow,
    });
    expect(await ssc.runBatch()).toBeNull(); // asked for with nothing new: no batch
  });

  it('stops gracefully only once every appended record is committed', async () => {
    const db = await freshLog('clicks', 1);
    const { ssc } = await streaming(db, { maxEventsPerPartitionPerBatch: 2 });
    totalsJob(ssc);
    await ssc.start();
    await append(db, 0, ['/a', '/a', '/a', '/a', '/a']);
    await ssc.stop({ graceful: true });
    await expect(ssc.awaitTermination()).resolves.toBeUndefined();
    const nodes = await NodeStore.open(db.name);
    const stored = await loadCheckpoint(nodes, 'test');
    nodes.close();
    expect(resultsOf(stored!.data).totals).toEqual({ '/a': 5 });
    // The totals are the state's pairs, written once: the result refers to the state.
    expect(stored!.data.results).toEqual({});
    expect(Object.values(stored!.data.resultStates!)).toEqual(Object.keys(stored!.data.state));
    expect(stored!.data.batches).toBe(3);
  });
});

describe('windows', () => {
  it('reduceByKeyAndWindow with an inverse equals the window recomputed, batch by batch, across a restart', async () => {
    const db = await freshLog('clicks', 1);
    const job = (ssc: StreamingContext) => {
      const perBatch = ssc
        .fromLog('clicks')
        .map((r) => r.value.page)
        .countByValue();
      perBatch.reduceByKeyAndWindow(sum, (a, b) => a - b, 2 * SECOND).publish('kept');
      perBatch.reduceByKeyAndWindow(sum, null, 2 * SECOND).publish('recomputed');
    };
    let { ssc, clock } = await streaming(db);
    job(ssc);
    await ssc.start();
    const windows: unknown[] = [];
    const step = async (pages: string[]) => {
      if (pages.length) await append(db, 0, pages);
      await ssc.runBatch();
      const { kept, recomputed } = await ssc.results();
      expect(kept).toEqual(recomputed);
      windows.push(kept);
      clock.advance();
    };
    await step(['/a', '/b']);
    await step(['/a']);
    // A new context, as after a reload: the batch leaving the window is read again by its range.
    const time = clock.time;
    await ssc.stop();
    ({ ssc, clock } = await streaming(db));
    clock.time = time;
    job(ssc);
    await ssc.start();
    await step(['/c']);
    await step([]); // no input, but the window still slides
    await step([]);
    expect(windows).toEqual([
      { '/a': 1, '/b': 1 },
      { '/a': 2, '/b': 1 },
      { '/a': 1, '/c': 1 },
      { '/c': 1 },
      {},
    ]);
    clock.advance();
    expect(await ssc.runBatch()).toBeNull(); // an empty window needs no more batches
  });

  it('counts by window, and window() unions the batches of its length', async () => {
    const db = await freshLog('clicks', 1);
    const { ssc, clock } = await streaming(db);
    const clicks = ssc.fromLog('clicks');
    clicks
      .countByWindow(3 * SECOND)
      .map((n): [string, number] => ['n', n])
      .publish('count');
    clicks
      .window(2 * SECOND)
      .map((r): [unknown, number] => [r.value.page, 1])
      .reduceByKey(sum)
      .publish('window');
    await ssc.start();
    const seen: unknown[] = [];
    for (const pages of [['/a'], ['/a', '/b'], ['/c'], []]) {
      if (pages.length) await append(db, 0, pages);
      await ssc.runBatch();
      const { count, window } = await ssc.results();
      seen.push([count!.n, window]);
      clock.advance();
    }
    expect(seen).toEqual([
      [1, { '/a': 1 }],
      [3, { '/a': 2, '/b': 1 }],
      [4, { '/a': 1, '/b': 1, '/c': 1 }],
      [3, { '/c': 1 }],
    ]);
  });

  it('rejects windows that are not multiples of the batch interval, or over state', async () => {
    const db = await freshLog('clicks', 1);
    const { ssc } = await streaming(db);
    const pairs = ssc.fromLog('clicks').map((r): [unknown, number] => [r.value.page, 1]);
    expect(() => pairs.window(1500)).toThrow(/multiple of the batch interval/);
    expect(() => pairs.updateStateByKey(total).window(2 * SECOND)).toThrow(/stateful/);
  });
});

describe('state', () => {
  it('mapWithState emits per pair and times out idle keys', async () => {
    const db = await freshLog('clicks', 1);
    const { ssc, clock } = await streaming(db);
    const sessions = ssc
      .fromLog('clicks')
      .map((r): [string, number] => [String(r.value.page), 1])
      .mapWithState<string, number, number, string>({
        timeoutMs: 2 * SECOND,
        fn: (key, value, state) => {
          if (state.isTimingOut()) return `${key} ended at ${state.get()}`;
          state.update((state.get() ?? 0) + value!);
          return undefined;
        },
      });
    sessions.map((line): [string, number] => [line, 1]).publish('ended');
    sessions.stateSnapshots().publish('open');
    await ssc.start();
    const seen: unknown[] = [];
    for (const pages of [['/a', '/a'], ['/b'], [], ['/b'], []]) {
      if (pages.length) await append(db, 0, pages);
      await ssc.runBatch();
      const { ended, open } = await ssc.results();
      seen.push([Object.keys(ended ?? {}), open]);
      clock.advance();
    }
    expect(seen).toEqual([
      [[], { '/a': 2 }],
      [[], { '/a': 2, '/b': 1 }],
      [['/a ended at 2'], { '/b': 1 }],
      [[], { '/b': 2 }],
      [[], { '/b': 2 }],
    ]);
  });
});

describe('outputs', () => {
  it('saveToLog appends a batch once, even when the batch runs again after a failure', async () => {
    const db = await freshLog('clicks', 1);
    await ensureTopic(db, { name: 'counts', partitions: 2 });
    const { ssc } = await streaming(db);
    let fail = true;
    const perBatch = ssc
      .fromLog('clicks')
      .map((r) => r.value.page)
      .countByValue();
    perBatch.saveToLog('counts');
    perBatch.foreachBatch(() => {
      if (fail) throw new Error('crash after the append');
    });
    await ssc.start();
    await append(db, 0, ['/a', '/b', '/a']);
    await expect(ssc.runBatch()).rejects.toThrow('crash after the append');
    fail = false;
    await ssc.runBatch();
    const saved = await ssc.engine.fromLog('counts').collect();
    const records = saved.map((r) => [r.key, r.value]);
    expect(records.sort()).toEqual([
      ['/a', { value: 2 }],
      ['/b', { value: 1 }],
    ]);
  });

  it('count() of a log batch reads nothing', async () => {
    const db = await freshLog('clicks', 2);
    const { ssc } = await streaming(db);
    ssc
      .fromLog('clicks')
      .count()
      .map((n): [string, number] => ['n', n])
      .publish('count');
    await ssc.start();
    await append(db, 0, ['/a', '/b']);
    await append(db, 1, ['/c']);
    const info = await ssc.runBatch();
    expect((await ssc.results()).count).toEqual({ n: 3 });
    // The only job collects the published pair: no job counted, none read the log.
    const jobs = ssc.engine.status.jobs();
    expect(jobs.map((job) => job.description)).toEqual([expect.stringMatching(/^collect/)]);
    expect(info!.jobIds).toEqual([jobs[0]!.jobId]); // the batch's job group
    expect(jobs[0]!.group).toBe(`streaming test ${info!.batchTime}`);
  });
});

describe('the click-counts job', () => {
  it('publishes totals and windows by page and by target', async () => {
    const db = await freshLog('clicks', 1);
    const { ssc } = await streaming(db);
    clickCounts(ssc);
    await ssc.start();
    const records = [
      { page: '/a', target: 'https://x.test/' },
      { page: '/a', target: null },
      { page: '/b', target: 'https://x.test/' },
    ].map((value) => ({ key: null, timestamp: 0, value }));
    await appendBatches(db, [
      { topic: 'clicks', partition: 0, producerId: 'c', baseSequence: 0, records },
    ]);
    await ssc.runBatch();
    const nodes = await NodeStore.open(db.name);
    const checkpoint = (await loadCheckpoint(nodes, 'test'))!.data;
    nodes.close();
    expect(countsOf(checkpoint)).toEqual({ '/a': 2, '/b': 1 });
    expect(countsOf(checkpoint, 'page', '1m')).toEqual({ '/a': 2, '/b': 1 });
    expect(countsOf(checkpoint, 'target', '5m')).toEqual({ 'https://x.test/': 2 });
    expect(countsOf(checkpoint, 'target')).toEqual({ 'https://x.test/': 2 });
    // Operators and named functions only: the same plan hash in every build of the script.
    expect(checkpoint.plan).not.toMatch(/=>|function/);
  });

  it('rounds its windows up to whole batch intervals', async () => {
    const db = await freshLog('clicks', 1);
    const { ssc } = await streaming(db, { batchIntervalMs: 7000 });
    expect(() => clickCounts(ssc)).not.toThrow();
    await ssc.start();
    await append(db, 0, ['/a']);
    await ssc.runBatch();
    expect((await ssc.results())['page:1m']).toEqual({ '/a': 1 });
  });
});

describe('PidRateEstimator', () => {
  it('lowers the rate below what was processed when batches start late', () => {
    const pid = new PidRateEstimator(1000);
    expect(pid.compute(1000, 10_000, 500, 0)).toBeNull(); // the first batch only measures
    const onTime = pid.compute(2000, 10_000, 500, 0)!;
    expect(onTime).toBeCloseTo(20_000, -2); // 10,000 events in 0.5 s
    const late = pid.compute(3000, 10_000, 500, 2000)!;
    expect(late).toBeLessThan(onTime); // the backlog is drained by asking for less
    expect(pid.compute(4000, 0, 500, 0)).toBeNull(); // no input: nothing learnt
  });
});

describe('checkpoint schema', () => {
  /** A checkpoint of the clicks job, as committed after a batch of `pages`. */
  async function clicksCheckpoint(pages: string[]) {
    const db = await freshLog('clicks', 2);
    const { ssc } = await streaming(db);
    clickCounts(ssc);
    await ssc.start();
    await append(db, 0, pages);
    await ssc.runBatch();
    const nodes = await NodeStore.open(db.name);
    const stored = await loadCheckpoint(nodes, 'test');
    nodes.close();
    return stored!.data;
  }

  it('never throws, and names a problem for anything that is not a checkpoint', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        expect(checkpointProblem(value)).toEqual(expect.any(String));
      }),
    );
  });

  it('passes a committed checkpoint, and sees any offset moved within range (checksum)', async () => {
    const checkpoint = await clicksCheckpoint(['/a', '/b', '/a']);
    expect(checkpointProblem(checkpoint)).toBe(null);
    expect(clickCountsProblem(checkpoint)).toBe(null);
    const [input] = Object.keys(checkpoint.offsets);
    fc.assert(
      fc.property(fc.nat(1), fc.nat(1000), (partition, offset) => {
        const moved = structuredClone(checkpoint) as unknown as {
          offsets: Record<string, number[]>;
        };
        fc.pre(moved.offsets[input!]![partition] !== offset);
        moved.offsets[input!]![partition] = offset;
        expect(checkpointProblem(moved)).toMatch(/checksum/);
      }),
    );
  });

  it("sees the clicks job's totals changed, though every count is still a whole number", async () => {
    const checkpoint = await clicksCheckpoint(['/a', '/b', '/a']);
    const changed = structuredClone(checkpoint);
    const totals = changed.state[changed.resultStates!['page']!] as [string, number][];
    totals[0]![1] += 1;
    expect(clickCountsProblem(changed)).toMatch(/add up to 4, but it read 3 records/);
  });
});
