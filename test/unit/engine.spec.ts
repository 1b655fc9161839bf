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

  it('reads every line of a small file once, however many partitions', async () => {
    const { context } = await localContext();
    expect(await context.textFile(new Blob(['hi']), 4).collect()).toEqual(['hi']);
    expect(await context.textFile(new Blob(['a\nb']), 4).collect()).toEqual(['a', 'b']);
    expect(await context.textFile(new Blob(['']), 3).count()).toBe(0);
  });

  it('treats undefined keys as null, as the shuffle carries them', async () => {
    const { context } = await localContext();
    const pairs = context.parallelize<[unknown, number]>(
      [
        [null, 1],
        [undefined, 1],
        [null, 1],
      ],
      3,
    );
    expect(await pairs.reduceByKey(op.sum, undefined, 2).collect()).toEqual([[null, 3]]);
  });

  it('sorts tuple keys element by element, as Spark orders tuples', async () => {
    const { context } = await localContext();
    const rows = context.parallelize(
      [
        [-10, 'b'],
        [-100, 'a'],
        [10, 'y'],
        [9, 'x'],
        [9, 'a'],
      ],
      3,
    );
    expect(await rows.sortBy(op.record(), true, 2).collect()).toEqual([
      [-100, 'a'],
      [-10, 'b'],
      [9, 'a'],
      [9, 'x'],
      [10, 'y'],
    ]);
  });

  it('folds from the zero in every partition and once more on the driver, as Spark does', async () => {
    const { context } = await localContext();
    expect(await context.parallelize([5, 6, 7], 4).fold(1, op.sum)).toBe(18 + 4 + 1);
    expect(await context.parallelize([], 2).aggregate(agg.count())).toBe(0);
    expect(await context.parallelize([], 2).aggregate(agg.sum())).toBe(null);
    expect(await context.parallelize([1, null, 3], 2).aggregate(agg.avg())).toBe(2);
  });

  it('refuses a broadcast value that cannot cross, and goes on running jobs', async () => {
    const { context } = await localContext();
    expect(() => context.broadcast({ f: () => 1 })).toThrow();
    const big = context.broadcast([99]);
    const found = await context
      .parallelize([1, 99, 3], 2)
      .filter((x: number, p: { big: { value: number[] } }) => p.big.value.includes(x), { big })
      .collect();
    expect(found).toEqual([99]);
    const arrays = await context
      .parallelize([1, 2, 3], 2)
      .reduce((a: number, b: number, p: number[]) => a + b + p[0]!, [10]);
    expect(arrays).toBe(26);
  });

  it('keeps the partitioner of a shuffle: a second combine by key or a join shuffles no more', async () => {
    const { context } = await localContext();
    const mapStages = () =>
      new Set(
        context.status
          .stages()
          .filter((s) => s.kind === 'shuffle-map')
          .map((s) => s.stageId),
      ).size;
    const pairs = context.parallelize<[string, number]>(
      [
        ['a', 1],
        ['b', 2],
        ['a', 3],
      ],
      3,
    );
    const sums = pairs.reduceByKey(op.sum);
    expect(await sums.mapValues(op.record()).reduceByKey(op.max).collect()).toEqual(
      expect.arrayContaining([
        ['a', 4],
        ['b', 2],
      ]),
    );
    expect(mapStages()).toBe(1);
    const names = context.parallelize<[string, string]>(
      [
        ['a', 'ann'],
        ['b', 'bob'],
      ],
      2,
    );
    expect((await sums.join(names).collect()).sort()).toEqual([
      ['a', [4, 'ann']],
      ['b', [2, 'bob']],
    ]);
    expect(mapStages()).toBe(2); // names only: sums is already partitioned by key
  });
});

describe('large partitions', () => {
  // A partition is one chunk: spreading it into push() as arguments overflows the stack.
  it('collects, takes and cogroups 300,000 records of one partition', async () => {
    const { context } = await localContext();
    const n = 300_000;
    const one = context.parallelize(
      Array.from({ length: n }, (_, i) => i),
      1,
    );
    expect((await one.collect()).length).toBe(n);
    expect((await one.take(n)).length).toBe(n);
    const keyed = one.map<[number, number]>(op.pair(0, op.record()));
    const groups = await keyed.cogroup(keyed, 1).collect();
    expect(groups.map(([, [left, right]]) => [left.length, right.length])).toEqual([[n, n]]);
  });
});
