// Resilience on real workers: lost executors, hung tasks, lost cached partitions and shuffle
// outputs are recomputed from lineage; without workers, the same jobs run on the main thread.
import { expect } from 'chai';
import { EngineContext, ExecutorPool, op, type EngineEvent } from '../../src/engine';
import { createWorker, logWithClicks, tally, uniqueLog } from './helpers';

/** A pool whose workers the test can reach, to kill them. */
async function trackedPool(size: number, taskTimeoutMs = 10000) {
  const workers = new Map<string, Worker>();
  const tracked = (name: string) => {
    const worker = createWorker(name);
    workers.set(name, worker);
    return worker;
  };
  const pool = await ExecutorPool.start({ size, createWorker: tracked, taskTimeoutMs });
  return { pool, workers };
}

const asRecord = (counts: Map<unknown, number>) =>
  Object.fromEntries(counts) as Record<string, number>;

describe('executors reading the log', () => {
  it('read each partition from IndexedDB inside the workers, spread over both', async () => {
    const log = uniqueLog('pool');
    const pages = Array.from({ length: 3000 }, (_, i) => `/page/${(i * 7) % 13}`);
    await logWithClicks(log, 4, pages);
    const { pool } = await trackedPool(2);
    const context = new EngineContext({ log, pool });
    try {
      const counts = await context.fromLog('clicks').map(op.field('value.page')).countByValue();
      expect(asRecord(counts)).to.deep.equal(tally(pages));
      const tasks = context.status.stages().at(-1)!.tasks;
      expect(new Set(tasks.map((t) => t.executorId))).to.deep.equal(
        new Set(['executor-1', 'executor-2']),
      );
      expect(tasks.reduce((sum, t) => sum + t.metrics!.recordsIn, 0)).to.equal(3000);
    } finally {
      await pool.terminate();
    }
  });
});

describe('when an executor is lost', () => {
  it('recomputes its tasks and its shuffle outputs from lineage: a worker killed mid-job', async () => {
    const { pool, workers } = await trackedPool(2);
    const context = new EngineContext({ log: uniqueLog('kill'), pool });
    const events: EngineEvent[] = [];
    let killed = '';
    context.status.subscribe((event) => {
      events.push(event);
      // Kill the executor of the first map task to finish: its output is lost, and its
      // other tasks with it.
      if (!killed && event.type === 'task-end' && event.task.status === 'succeeded') {
        killed = event.task.executorId!;
        workers.get(killed)!.terminate();
      }
    });
    try {
      const n = 40000;
      const data = context.parallelize(
        Array.from({ length: n }, (_, i) => i),
        8,
      );
      const sums = await data
        .mapPartitions((xs: number[]) => {
          const until = Date.now() + 150; // long enough for the kill to land mid-stage
          while (Date.now() < until);
          return xs.map((i) => [i % 7, i] as [number, number]);
        })
        .reduceByKey(op.sum)
        .collect();
      const expected = new Map<number, number>();
      for (let i = 0; i < n; i++) expected.set(i % 7, (expected.get(i % 7) ?? 0) + i);
      expect(new Map(sums)).to.deep.equal(expected);
      expect(killed).to.match(/^executor-[12]$/);
      expect(pool.executorIds).not.to.include(killed);
      const failed = events.filter((e) => e.type === 'task-end' && e.task.status === 'failed');
      expect(failed.length).to.be.greaterThan(0);
      const mapAttempts = events.filter(
        (e) => e.type === 'stage-submitted' && e.stage.kind === 'shuffle-map',
      );
      expect(mapAttempts.length).to.be.greaterThan(1, 'the lost map output was computed again');
    } finally {
      await pool.terminate();
    }
  });

  it('replaces a worker whose task hangs past the timeout, and runs the task elsewhere', async () => {
    const { pool } = await trackedPool(2, 1000);
    const context = new EngineContext({ log: uniqueLog('hang'), pool });
    try {
      const result = await context
        .parallelize([1, 2, 3, 4], 4)
        .map((x: number) => {
          if ((self as { name?: string }).name === 'executor-1') for (;;);
          return x * 10;
        })
        .collect();
      expect(result).to.deep.equal([10, 20, 30, 40]);
      expect(pool.executorIds).not.to.include('executor-1');
      expect(pool.executorIds).to.have.length(2);
    } finally {
      await pool.terminate();
    }
  });

  it('recomputes only the cached partitions it held', async () => {
    const { pool, workers } = await trackedPool(2);
    const context = new EngineContext({ log: uniqueLog('cache-lost'), pool });
    try {
      const computed = context.accumulator();
      const data = context
        .parallelize(
          Array.from({ length: 400 }, (_, i) => i),
          4,
        )
        .map((x: number, p: { computed: { add(n: number): void } }) => (p.computed.add(1), x), {
          computed,
        })
        .cache();
      expect(await data.count()).to.equal(400);
      const holders = context.status
        .stages()
        .at(-1)!
        .tasks.map((t) => t.executorId);
      const victim = holders[0]!;
      workers.get(victim)!.terminate();
      expect(await data.reduce(op.sum)).to.equal((399 * 400) / 2);
      const lost = holders.filter((h) => h === victim).length;
      expect(computed.value).to.equal(400 + lost * 100);
    } finally {
      await pool.terminate();
    }
  });
});

describe('without workers', () => {
  it('runs the same jobs on the main thread, with one warning', async () => {
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (message: string) => warnings.push(message);
    try {
      const broken = (name: string) => new Worker('/no/such/worker.js', { name });
      const pool = await ExecutorPool.start({ size: 2, createWorker: broken });
      expect(pool.mode).to.equal('local');
      expect(warnings.join('\n')).to.match(/executor workers could not start.*main thread/);
      const log = uniqueLog('local');
      await logWithClicks(log, 2, ['/a', '/b', '/a']);
      const context = new EngineContext({ log, pool });
      const counts = await context.fromLog('clicks').map(op.field('value.page')).countByValue();
      expect(asRecord(counts)).to.deep.equal({ '/a': 2, '/b': 1 });
      const words = context.parallelize(['a b', 'b c'], 2).flatMap((l: string) => l.split(' '));
      expect(
        new Map(await words.map(op.pair(op.record(), 1)).reduceByKey(op.sum).collect()),
      ).to.deep.equal(
        new Map([
          ['a', 1],
          ['b', 2],
          ['c', 1],
        ]),
      );
      const executors = context.status.stages().flatMap((s) => s.tasks.map((t) => t.executorId));
      expect(new Set(executors)).to.deep.equal(new Set(['driver']));
      await pool.terminate();
    } finally {
      console.warn = warn;
    }
  });
});
