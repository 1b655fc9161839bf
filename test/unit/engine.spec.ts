import { describe, expect, it } from 'vitest';
import { Executor, ExecutorPool, mergeCounts } from '../../src/engine';
import { appendBatches } from '../../src/log';
import { freshLog } from './helpers';

const pages = ['/a', '/b', '/a', '/c', '/a', null, '/b', '/a'];

async function logWithPages() {
  const db = await freshLog('clicks', 1);
  const records = pages.map((page, i) => ({ key: null, timestamp: i, value: { page, x: i } }));
  // two batches: offsets 0-4 and 5-7
  await appendBatches(db, [
    {
      topic: 'clicks',
      partition: 0,
      producerId: 'p',
      baseSequence: 0,
      records: records.slice(0, 5),
    },
  ]);
  await appendBatches(db, [
    { topic: 'clicks', partition: 0, producerId: 'p', baseSequence: 5, records: records.slice(5) },
  ]);
  return db;
}

describe('Executor', () => {
  it('counts a range by field, across batch boundaries, skipping nulls', async () => {
    const db = await logWithPages();
    const executor = new Executor('test', 1);
    const range = { topic: 'clicks', partition: 0, fromOffset: 2, untilOffset: 7 };
    const { counts, metrics } = await executor.run({
      kind: 'count-by-field',
      log: db.name,
      range,
      field: 'page',
    });
    expect(counts).toEqual({ '/a': 2, '/c': 1, '/b': 1 });
    expect(metrics).toMatchObject({ executorId: 'test', recordsRead: 5, batchesRead: 2 });
    await executor.close();
  });

  it('counts numbers by their text', async () => {
    const db = await logWithPages();
    const executor = new Executor('test', 8);
    const range = { topic: 'clicks', partition: 0, fromOffset: 0, untilOffset: 3 };
    const { counts } = await executor.run({
      kind: 'count-by-field',
      log: db.name,
      range,
      field: 'x',
    });
    expect(counts).toEqual({ '0': 1, '1': 1, '2': 1 });
    await executor.close();
  });
});

describe('ExecutorPool without workers', () => {
  it('runs tasks on the calling thread and returns results in task order', async () => {
    const db = await logWithPages();
    const pool = await ExecutorPool.start({ createWorker: null });
    expect(pool.mode).toBe('local');
    const task = (fromOffset: number, untilOffset: number) => ({
      kind: 'count-by-field' as const,
      log: db.name,
      range: { topic: 'clicks', partition: 0, fromOffset, untilOffset },
      field: 'page',
    });
    const results = await pool.run([task(0, 4), task(4, 8)]);
    expect(results.map((r) => r.counts)).toEqual([
      { '/a': 2, '/b': 1, '/c': 1 },
      { '/a': 2, '/b': 1 },
    ]);
    await pool.terminate();
  });
});

describe('mergeCounts', () => {
  it('adds partial counts key by key, in place', () => {
    const total = { '/a': 1, '/b': 2 };
    expect(mergeCounts(total, { '/b': 3, '/c': 4 })).toBe(total);
    expect(total).toEqual({ '/a': 1, '/b': 5, '/c': 4 });
    expect(mergeCounts({}, {})).toEqual({});
  });
});
