import { expect } from 'chai';
import { ExecutorLostError, ExecutorPool, type Task } from '../../src/engine';
import { logWithClicks, tally, uniqueLog } from './helpers';

const createWorker = (name: string) =>
  new Worker(new URL('../../workers/executor.ts', import.meta.url), { type: 'module', name });

function countTasks(log: string, highWatermarks: readonly number[]): Task[] {
  return highWatermarks.map((untilOffset, partition) => ({
    kind: 'count-by-field',
    log,
    range: { topic: 'clicks', partition, fromOffset: 0, untilOffset },
    field: 'page',
  }));
}

describe('ExecutorPool with real workers', () => {
  it('reads each partition from IndexedDB inside the workers and counts it', async () => {
    const log = uniqueLog('pool');
    const pages = Array.from({ length: 1000 }, (_, i) => `/page/${(i * 7) % 13}`);
    await logWithClicks(log, 3, pages);
    const pool = await ExecutorPool.start({ size: 2, createWorker });
    try {
      expect(pool.mode).to.equal('workers');
      const { partitionsOf, openLog } = await import('../../src/log');
      const db = await openLog(log);
      const partitions = await partitionsOf(db, 'clicks');
      db.close();
      const results = await pool.run(
        countTasks(
          log,
          partitions.map((p) => p.highWatermark),
        ),
      );
      const merged: Record<string, number> = {};
      for (const { counts } of results) {
        for (const [page, n] of Object.entries(counts)) merged[page] = (merged[page] ?? 0) + n;
      }
      expect(merged).to.deep.equal(tally(pages));
      const executors = new Set(results.map((r) => r.metrics.executorId));
      expect([...executors].every((id) => /^executor-[12]$/.test(id))).to.equal(true);
      expect(results.reduce((sum, r) => sum + r.metrics.recordsRead, 0)).to.equal(1000);
    } finally {
      await pool.terminate();
    }
  });

  it('fails the tasks of a worker that dies, and replaces it for the next ones', async () => {
    const log = uniqueLog('lost');
    const pages = ['/a', '/b', '/a'];
    await logWithClicks(log, 1, pages);
    const workers: Worker[] = [];
    const tracked = (name: string) => {
      const worker = createWorker(name);
      workers.push(worker);
      return worker;
    };
    const pool = await ExecutorPool.start({ size: 1, createWorker: tracked, taskTimeoutMs: 1000 });
    try {
      workers[0]!.terminate(); // the worker dies: a call to it would never be answered
      let error: unknown = null;
      await pool.run(countTasks(log, [3])).catch((e: unknown) => (error = e));
      expect(error).to.be.instanceOf(ExecutorLostError);
      const [result] = await pool.run(countTasks(log, [3]));
      expect(result!.counts).to.deep.equal(tally(pages));
      expect(workers).to.have.length(2);
    } finally {
      await pool.terminate();
    }
  });

  it('runs tasks on the main thread, with one warning, when workers cannot start', async () => {
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (message: string) => warnings.push(message);
    try {
      const broken = (name: string) => new Worker('/no/such/worker.js', { name });
      const pool = await ExecutorPool.start({ size: 2, createWorker: broken });
      expect(pool.mode).to.equal('local');
      expect(warnings.join('\n')).to.match(/executor workers could not start.*main thread/);
      const log = uniqueLog('local');
      await logWithClicks(log, 1, ['/a', '/b', '/a']);
      const [result] = await pool.run(countTasks(log, [3]));
      expect(result!.counts).to.deep.equal({ '/a': 2, '/b': 1 });
      await pool.terminate();
    } finally {
      console.warn = warn;
    }
  });
});
