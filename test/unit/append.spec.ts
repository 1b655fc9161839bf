import { describe, expect, it } from 'vitest';
import {
  appendBatches,
  eventAt,
  partitionsOf,
  fetchBatches,
  OutOfOrderSequenceError,
  recordWindow,
  UnknownTopicOrPartitionError,
  type LogDB,
  type OffsetRange,
  type ProducerBatch,
} from '../../src/log';
import { freshLog } from './helpers';

function batch(
  producerId: string,
  partition: number,
  baseSequence: number,
  n: number,
): ProducerBatch {
  return {
    topic: 'clicks',
    partition,
    producerId,
    baseSequence,
    records: Array.from({ length: n }, (_, i) => ({
      key: null,
      timestamp: 1000 + baseSequence + i,
      value: { producer: producerId, seq: baseSequence + i },
    })),
  };
}

async function readAll(db: LogDB, range: OffsetRange) {
  const events = [];
  for await (const page of fetchBatches(db, range, { pageSize: 3 })) {
    for (const b of page) {
      const [start, end] = recordWindow(b, range);
      for (let i = start; i < end; i++) events.push(eventAt(b.values, i));
    }
  }
  return events;
}

describe('appendBatches', () => {
  it('gives concurrent producers dense, distinct offsets in each partition', async () => {
    const db = await freshLog('clicks', 2);
    const producers = ['p1', 'p2', 'p3'];
    const sends = producers.flatMap((id) =>
      Array.from({ length: 10 }, (_, i) =>
        appendBatches(db, [batch(id, i % 2, Math.floor(i / 2) * 5, 5)]),
      ),
    );
    const results = (await Promise.all(sends)).flat();
    expect(results.every((r) => r.appended === 5 && r.duplicates === 0)).toBe(true);
    const partitions = await partitionsOf(db, 'clicks');
    expect(partitions.map((p) => p.highWatermark)).toEqual([75, 75]);
    for (const partition of [0, 1]) {
      const events = await readAll(db, {
        topic: 'clicks',
        partition,
        fromOffset: 0,
        untilOffset: 75,
      });
      expect(events).toHaveLength(75);
      for (const id of producers) {
        const seqs = events.filter((e) => e.producer === id).map((e) => e.seq);
        expect(seqs).toEqual(Array.from({ length: 25 }, (_, i) => i)); // in send order
      }
    }
  });

  it('skips a batch appended twice, and the repeated part of an overlapping one', async () => {
    const db = await freshLog();
    const [first] = await appendBatches(db, [batch('p', 0, 0, 10)]);
    const [again] = await appendBatches(db, [batch('p', 0, 0, 10)]);
    const [overlap] = await appendBatches(db, [batch('p', 0, 5, 10)]);
    expect(first).toEqual({ baseOffset: 0, appended: 10, duplicates: 0 });
    expect(again).toMatchObject({ appended: 0, duplicates: 10 });
    expect(overlap).toEqual({ baseOffset: 10, appended: 5, duplicates: 5 });
    const events = await readAll(db, {
      topic: 'clicks',
      partition: 0,
      fromOffset: 0,
      untilOffset: 15,
    });
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 15 }, (_, i) => i));
  });

  it('rejects a sequence gap and appends nothing of that call', async () => {
    const db = await freshLog();
    await expect(appendBatches(db, [batch('q', 1, 0, 3), batch('p', 0, 4, 3)])).rejects.toThrow(
      OutOfOrderSequenceError,
    );
    expect((await partitionsOf(db, 'clicks')).map((p) => p.highWatermark)).toEqual([0, 0, 0, 0]);
  });

  it('rejects a partition that does not exist', async () => {
    const db = await freshLog('clicks', 2);
    await expect(appendBatches(db, [batch('p', 2, 0, 1)])).rejects.toThrow(
      UnknownTopicOrPartitionError,
    );
  });

  it('stores first and max timestamps of each batch', async () => {
    const db = await freshLog();
    await appendBatches(db, [batch('p', 0, 0, 4)]);
    const range = { topic: 'clicks', partition: 0, fromOffset: 0, untilOffset: 4 };
    const stored = [];
    for await (const page of fetchBatches(db, range)) stored.push(...page);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      baseOffset: 0,
      count: 4,
      firstTimestamp: 1000,
      maxTimestamp: 1003,
    });
  });
});

describe('fetchBatches', () => {
  it('reads exactly a range that starts and ends inside batches', async () => {
    const db = await freshLog();
    for (let i = 0; i < 10; i++) await appendBatches(db, [batch('p', 0, i * 10, 10)]);
    const range = { topic: 'clicks', partition: 0, fromOffset: 15, untilOffset: 73 };
    const events = await readAll(db, range);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 58 }, (_, i) => 15 + i));
    expect(await readAll(db, { ...range, fromOffset: 40, untilOffset: 40 })).toEqual([]);
  });
});
