import { describe, expect, it } from 'vitest';
import { EngineContext, ExecutorPool } from '../../src/engine';
import { appendBatches, type LogDB } from '../../src/log';
import {
  CheckpointConflictError,
  commitCheckpoint,
  loadCheckpoint,
  openCheckpoints,
  StreamingContext,
  type Counts,
} from '../../src/streaming';
import { freshLog } from './helpers';

let producers = 0;
function append(db: LogDB, partition: number, pages: string[]) {
  const records = pages.map((page) => ({ key: null, timestamp: 0, value: { page } }));
  const producerId = `p${producers++}`;
  return appendBatches(db, [{ topic: 'clicks', partition, producerId, baseSequence: 0, records }]);
}

async function job(db: LogDB) {
  const checkpoints = await openCheckpoints(db.name);
  const pool = await ExecutorPool.start({ createWorker: null });
  const options = {
    log: db.name,
    logDB: db,
    checkpoints,
    context: new EngineContext({ log: db.name, pool }),
    topic: 'clicks',
    field: 'page',
    checkpointId: 'test',
    batchIntervalMs: 60000,
  };
  return { checkpoints, pool, context: new StreamingContext(options), options };
}

describe('checkpoints', () => {
  it('commit only on top of the previous batch', async () => {
    const db = await openCheckpoints(`unit-${process.pid}-checkpoint`);
    const first = await loadCheckpoint<Counts>(db, 'job', {});
    expect(first).toMatchObject({ batchId: 0, offsets: [], state: {} });
    await commitCheckpoint(db, { ...first, batchId: 1, offsets: [3], state: { '/a': 3 } });
    await expect(
      commitCheckpoint(db, { ...first, batchId: 1, offsets: [5], state: { '/a': 5 } }),
    ).rejects.toThrow(CheckpointConflictError);
    expect(await loadCheckpoint(db, 'job', {})).toMatchObject({
      batchId: 1,
      offsets: [3],
      state: { '/a': 3 },
    });
  });
});

describe('StreamingContext', () => {
  it('counts each new offset range once and keeps running totals', async () => {
    const db = await freshLog('clicks', 2);
    const { context, pool } = await job(db);
    await append(db, 0, ['/a', '/b']);
    await append(db, 1, ['/a']);
    const first = await context.runBatch();
    expect(first).toMatchObject({
      batchId: 1,
      offsets: [2, 1],
      inputRecords: 3,
      counts: { '/a': 2, '/b': 1 },
    });
    expect(await context.runBatch()).toBeNull(); // nothing new
    await append(db, 1, ['/b', '/c']);
    const second = await context.runBatch();
    expect(second).toMatchObject({
      batchId: 2,
      offsets: [2, 3],
      inputRecords: 2,
      counts: { '/a': 2, '/b': 2, '/c': 1 },
    });
    await pool.terminate();
  });

  it('resumes from the checkpoint in a new context, counting nothing twice', async () => {
    const db = await freshLog('clicks', 1);
    const a = await job(db);
    await append(db, 0, ['/a', '/a']);
    await a.context.runBatch();
    await append(db, 0, ['/a']); // appended, but the first context goes away before counting it
    await a.pool.terminate();
    const b = await job(db);
    const batch = await b.context.runBatch();
    expect(batch).toMatchObject({ batchId: 2, inputRecords: 1, counts: { '/a': 3 } });
    await b.pool.terminate();
  });

  it('commits nothing when another run of the job moved the checkpoint', async () => {
    const db = await freshLog('clicks', 1);
    const a = await job(db);
    const b = await job(db);
    await append(db, 0, ['/a']);
    await a.context.runBatch();
    await b.context.runBatch(); // b counted from the same offsets: its commit must lose
    await append(db, 0, ['/b']);
    await expect(a.context.runBatch()).resolves.toMatchObject({ counts: { '/a': 1, '/b': 1 } });
    await a.pool.terminate();
    await b.pool.terminate();
  });
});
