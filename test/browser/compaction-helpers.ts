// Shared by the compaction tests: a log written the way pages write it (a few records a batch,
// from several producers), and every record of it as a reader sees it.
import {
  appendBatches,
  Consumer,
  createTopic,
  openLog,
  type ConsumerRecord,
  type FieldValue,
  type LogDB,
  type ProducerBatch,
  type ProducerRecord,
} from '../../src/log';
import { uniqueLog } from './helpers';

export const T0 = Date.UTC(2026, 0, 1);

/** Record `n`: fields of every type (one set only now and then), keys, timestamps out of order. */
export function recordOf(n: number): ProducerRecord {
  const value: Record<string, FieldValue> = {
    page: `/p/${n % 7}`,
    i: n,
    x: n % 3 === 0 ? null : n * 1.5,
    flag: n % 5 === 0 ? true : `yes-${n % 2}`,
  };
  if (n % 10 === 0) value['rare'] = `r${n}`;
  return { value, key: n % 4 === 0 ? null : `s${n % 3}`, timestamp: T0 + ((n * 37) % 101) * 1000 };
}

/**
 * A log with topic `t` of `partitions` partitions, holding `records` records in each, appended
 * in batches of 1–5 records by two producers taking turns (their sequences their own).
 */
export async function pageLikeLog(
  records: number,
  partitions = 1,
): Promise<{ log: string; db: LogDB; producers: Map<string, number> }> {
  const log = uniqueLog('compaction');
  const db = await openLog(log);
  await createTopic(db, { name: 't', partitions, retentionMs: -1 });
  const producers = new Map<string, number>(); // `${producerId}:${partition}` → next sequence
  const batches: ProducerBatch[] = [];
  for (let partition = 0; partition < partitions; partition++) {
    for (let n = 0, b = 0; n < records; b++) {
      const size = Math.min(records - n, 1 + ((b * 7) % 5));
      const producerId = b % 2 ? 'A' : 'B';
      const id = `${producerId}:${partition}`;
      const baseSequence = producers.get(id) ?? 0;
      producers.set(id, baseSequence + size);
      const sent = Array.from({ length: size }, (_, i) => recordOf(n + i));
      batches.push({ topic: 't', partition, producerId, baseSequence, records: sent });
      n += size;
    }
  }
  for (let i = 0; i < batches.length; i += 40) await appendBatches(db, batches.slice(i, i + 40));
  return { log, db, producers };
}

/**
 * Every record of `t`'s partition `partition` from `from` on (`'earliest'`: the log start), as
 * a consumer polls them; with `skipCorrupt`, the readable ones.
 */
export async function recordsOf(
  log: string,
  partition = 0,
  from: number | 'earliest' = 0,
  skipCorrupt = false,
): Promise<ConsumerRecord[]> {
  const consumer = new Consumer({ log, enableAutoCommit: false, skipCorrupt });
  consumer.assign([{ topic: 't', partition }]);
  if (from === 'earliest') await consumer.seekToBeginning();
  else consumer.seek({ topic: 't', partition }, from);
  const all: ConsumerRecord[] = [];
  try {
    for (;;) {
      const records = await consumer.poll({ maxRecords: 700 });
      if (records.length === 0) return all.map(withoutNulls);
      all.push(...records);
    }
  } finally {
    await consumer.close();
  }
}

/**
 * A record with its null fields left out: a field a record lacks reads as null where another
 * record of its batch has it, so a merged batch may show as null what a small one left out.
 */
export function withoutNulls(record: ConsumerRecord): ConsumerRecord {
  const value = Object.fromEntries(Object.entries(record.value).filter(([, v]) => v !== null));
  return { ...record, value };
}

/** What a record should read as: `recordOf(offset)`, at its offset, null fields left out. */
export function expected(partition: number, offsets: readonly number[]): ConsumerRecord[] {
  return offsets.map((offset) =>
    withoutNulls({ topic: 't', partition, offset, ...recordOf(offset) }),
  );
}

/** `[from, until)`. */
export function range(from: number, until: number): number[] {
  return Array.from({ length: until - from }, (_, i) => from + i);
}
