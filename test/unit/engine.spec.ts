import { describe, expect, it } from 'vitest';
import {
  agg,
  EngineContext,
  ExecutorPool,
  JobFailedError,
  op,
  type EngineEvent,
} from '../../src/engine';
import { appendBatches } from '../../src/log';
import { freshLog } from './helpers';

const pages = ['/a', '/b', '/a', '/c', '/a', null, '/b', '/a'];

/** A context whose executor is the calling thread (local mode), over a fresh log. */
async function localContext() {
  const db = await freshLog('clicks', 1);
  const records = pages.map((page, i) => ({ key: null, timestamp: i, value: { page, x: i } }));
  const batch = (from: number, until: number) => ({
    topic: 'clicks',
    partition: 0,
    producerId: 'p',
    baseSequence: from,
    records: records.slice(from, until),
  });
  await appendBatches(db, [batch(0, 5)]); // two batches: offsets 0-4 and 5-7
  await appendBatches(db, [batch(5, 8)]);
  const pool = await ExecutorPool.start({ createWorker: null });
  return { db, context: new EngineContext({ log: db.name, pool }) };
}

describe('Dataset in local mode', () => {
  it('counts a log range by value, across batch boundaries, nulls under null', async () => {
    const { context } = await localContext();
    const range = { topic: 'clicks', partition: 0, fromOffset: 2, untilOffset: 7 };
    const counts = await context
      .fromLog('clicks', [range])
      .map(op.field('value.page'))
      .countByValue();
    expect(counts).toEqual(
      new Map<unknown, number>([
        ['/a', 2],
        ['/c', 1],
        [null, 1],
        ['/b', 1],
      ]),
    );
  });

  it('keeps numbers as numbers', async () => {
    const { context } = await localContext();
    const counts = await context
      .fromLog('clicks')
      .map(op.field('value.x'))
      .filter(op.lt(op.record(), 3))
      .countByValue();
    expect(counts).toEqual(
      new Map([
        [0, 1],
        [1, 1],
        [2, 1],
      ]),
    );
  });

  it('reads whole records, with offsets, when a function needs them', async () => {
    const { context } = await localContext();
    const records = await context
      .fromLog('clicks')
      .filter(op.eq(op.field('value.page'), '/c'))
      .collect();
    expect(records).toEqual([
      {
        topic: 'clicks',
        partition: 0,
        offset: 3,
        timestamp: 3,
        key: null,
        value: { page: '/c', x: 3 },
      },
    ]);
  });

  it('splits a job into stages at shuffles and reports them', async () => {
    const { context } = await localContext();
    const events: EngineEvent[] = [];
    context.status.subscribe((event) => events.push(event));
    const words = context.parallelize(['a b a', 'c a', 'b'], 3);
    const counts = await words
      .flatMap(op.split(op.record(), ' '))
      .map(op.pair(op.record(), 1))
      .reduceByKey(op.sum, undefined, 2)
      .collect();
    expect(new Map(counts)).toEqual(
      new Map([
        ['a', 3],
        ['b', 2],
        ['c', 1],
      ]),
    );
    const stages = events.flatMap((e) => (e.type === 'stage-completed' ? [e.stage] : []));
    expect(stages.map((s) => [s.kind, s.numTasks, s.status])).toEqual([
      ['shuffle-map', 3, 'succeeded'],
      ['result', 2, 'succeeded'],
    ]);
    const map = stages[0]!.tasks.map((t) => t.metrics!);
    expect(map.reduce((n, m) => n + m.recordsIn, 0)).toBe(3);
    expect(map.every((m) => m.shuffleWriteBytes > 0)).toBe(true);
  });

  it('aggregates with built-in aggregators', async () => {
    const { context } = await localContext();
    const pairs = context.parallelize<[string, number]>(
      [
        ['a', 1],
        ['b', 4],
        ['a', 3],
        ['b', 2],
      ],
      2,
    );
    expect(new Map(await pairs.aggregateByKey(agg.avg()).collect())).toEqual(
      new Map([
        ['a', 2],
        ['b', 3],
      ]),
    );
    const ids = context.parallelize(
      Array.from({ length: 5000 }, (_, i) => i % 1000),
      3,
    );
    const distinct = await ids.aggregate<number>(agg.approxDistinct());
    expect(Math.abs(distinct - 1000)).toBeLessThan(100);
    expect(await ids.aggregate(agg.max())).toBe(999);
  });

  it('fails a job naming the stage once a task failed 4 times', async () => {
    const { context } = await localContext();
    const failing = context
      .parallelize([1, 2, 3], 1)
      .map(op.field('no.such'))
      .map({ fn: 'no-such-function' });
    await expect(failing.collect()).rejects.toThrow(JobFailedError);
    await expect(failing.collect()).rejects.toThrow(
      /stage \d+ .*no function named "no-such-function"/,
    );
  });
});
