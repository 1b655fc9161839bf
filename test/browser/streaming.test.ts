// Streaming on real workers and real IndexedDB: batches run on the executor pool, an executor
// killed mid-batch costs nothing but time, and tabs learn each committed batch from the
// checkpoint node.
import { expect } from 'chai';
import { NodeStore } from '../../src/coord';
import { EngineContext, ExecutorPool, op } from '../../src/engine';
import { Producer } from '../../src/log';
import {
  checkpointPath,
  clickCounts,
  countsOf,
  StreamingContext,
  type BatchInfo,
  type Checkpoint,
} from '../../src/streaming';
import { createWorker, logWithClicks, tally, uniqueLog, until } from './helpers';

/**
 * A pool of real workers the test can reach, to kill them. A terminated worker says nothing:
 * the pool learns of it when its task passes `taskTimeoutMs`.
 */
async function trackedPool(size: number, taskTimeoutMs = 5000) {
  const workers = new Map<string, Worker>();
  const pool = await ExecutorPool.start({
    size,
    taskTimeoutMs,
    createWorker: (name) => {
      const worker = createWorker(name);
      workers.set(name, worker);
      return worker;
    },
  });
  return { pool, workers };
}

const pagesOf = (n: number, distinct: number) =>
  Array.from({ length: n }, (_, i) => `/page/${(i * 7) % distinct}`);

describe('a streaming job on real workers', () => {
  it('counts exactly, with an executor killed mid-batch', async () => {
    const log = uniqueLog('stream-kill');
    const pages = pagesOf(4000, 17);
    await logWithClicks(log, 4, pages);
    const { pool, workers } = await trackedPool(2);
    const engine = new EngineContext({ log, pool });
    const ssc = new StreamingContext(engine, { batchIntervalMs: 60_000, checkpointId: 'kill' });
    ssc
      .fromLog('clicks')
      .map((record): [string, number] => {
        const until = Date.now() + 1; // slow enough for the kill to land mid-batch
        while (Date.now() < until);
        return [String(record.value.page), 1];
      })
      .reduceByKey((a: number, b: number) => a + b)
      .updateStateByKey((values: number[], state?: number) =>
        values.reduce((a, b) => a + b, state ?? 0),
      )
      .publish('totals');
    let killed = '';
    const unsubscribe = engine.status.subscribe((event) => {
      if (killed || event.type !== 'task-end' || event.task.status !== 'succeeded') return;
      killed = event.task.executorId!; // its map output is lost too
      workers.get(killed)!.terminate();
    });
    try {
      await ssc.start(); // the first batch starts at once
      await until(() => ssc.batches.length > 0, 60_000);
      expect(killed).to.match(/^executor-/);
      expect(pool.executorIds).not.to.include(killed);
      expect((await ssc.results()).totals).to.deep.equal(tally(pages));
    } finally {
      unsubscribe();
      await ssc.stop();
      await pool.terminate();
    }
  });

  it('runs the script tag job on the workers and tells other tabs through the checkpoint node', async () => {
    const log = uniqueLog('stream-watch');
    const pages = pagesOf(5000, 9);
    await logWithClicks(log, 4, pages);
    const { pool } = await trackedPool(2);
    const ssc = new StreamingContext(new EngineContext({ log, pool }), {
      batchIntervalMs: 500,
      checkpointId: 'watched',
    });
    clickCounts(ssc);
    const watcher = await NodeStore.open(log); // as another tab's store: its own connection
    const seen: Checkpoint[] = [];
    watcher.watch<Checkpoint>(checkpointPath('watched'), (node) => node && seen.push(node.data));
    const infos: BatchInfo[] = [];
    ssc.onBatch((info) => infos.push(info));
    try {
      await ssc.start();
      await until(() => seen.length > 0, 20_000);
      expect(countsOf(seen[0])).to.deep.equal(tally(pages));
      expect(countsOf(seen[0], 'page', '1m')).to.deep.equal(tally(pages));
      const producer = new Producer({ log });
      await producer.send('clicks', { page: '/late', target: 'https://example.test/' });
      await producer.close();
      // Batches go on without input while the windows hold clicks: wait for the one with it.
      await until(() => countsOf(seen.at(-1))['/late'] === 1, 20_000);
      expect(countsOf(seen.at(-1))['/page/0']).to.equal(tally(pages)['/page/0']);
      expect(countsOf(seen.at(-1), 'target', '5m')).to.deep.equal({
        'https://example.test/': 1,
      });
      const [first] = infos;
      expect(first).to.include({ inputEvents: 5000, batch: 1, checkpointId: 'watched' });
      expect(first!.processingMs).to.be.greaterThan(0);
      expect(first!.operators.find((o) => o.id.startsWith('fromLog'))).to.deep.equal({
        id: 'fromLog-1',
        records: 5000,
      });
    } finally {
      watcher.close();
      await ssc.stop();
      await pool.terminate();
    }
  });

  it('reads only the page column for countByValue of a field, on every executor', async () => {
    const log = uniqueLog('stream-column');
    const pages = pagesOf(8000, 5);
    await logWithClicks(log, 4, pages);
    const { pool } = await trackedPool(2);
    const engine = new EngineContext({ log, pool });
    const ssc = new StreamingContext(engine, { batchIntervalMs: 60_000, checkpointId: 'column' });
    ssc
      .fromLog('clicks')
      .map(op.field('value.page'))
      .countByValue()
      .updateStateByKey((values: number[], state?: number) =>
        values.reduce((a, b) => a + b, state ?? 0),
      )
      .publish('totals');
    try {
      await ssc.start();
      await until(() => ssc.batches.length > 0, 20_000);
      expect((await ssc.results()).totals).to.deep.equal(tally(pages));
      const tasks = engine.status.stages().at(-1)!.tasks;
      expect(new Set(tasks.map((t) => t.executorId)).size).to.equal(2);
    } finally {
      await ssc.stop();
      await pool.terminate();
    }
  });
});
