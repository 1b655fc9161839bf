// Shared by the log's fault tests: a small log to damage, and what reading it gives back.
import { deleteDB } from 'idb';
import { damageSeen, type Damage } from '../../../src/shared/diagnostics';
import {
  Consumer,
  createTopic,
  openLog,
  Producer,
  TIMESTAMP_COLUMN,
  type LogDB,
} from '../../../src/log';
import { uniqueLog } from '../helpers';

/** A log with topic `t` of one partition: 3 batches of 10 records (`i` = offset), by a real producer. */
export async function smallLog(prefix: string): Promise<{ log: string; db: LogDB }> {
  const log = uniqueLog(prefix);
  const db = await openLog(log);
  await createTopic(db, { name: 't', partitions: 1 });
  await sendAll(log, 0, 30);
  return { log, db };
}

/** Sends records `{page, i}` for i in [from, until), in batches of 10, and waits for them. */
export async function sendAll(log: string, from: number, until: number): Promise<number[]> {
  const producer = new Producer({ log, batchSize: 10, lingerMs: 0 });
  const sends: Promise<{ offset: number }>[] = [];
  for (let i = from; i < until; i++) sends.push(producer.send('t', { page: `/p/${i % 2}`, i }));
  await producer.close();
  return (await Promise.all(sends)).map((m) => m.offset);
}

/** Polls partition 0 of `t` from the start until a poll returns nothing: `i` of each record. */
export async function readAll(log: string, skipCorrupt = true): Promise<number[]> {
  const consumer = new Consumer({
    log,
    autoOffsetReset: 'earliest',
    enableAutoCommit: false,
    skipCorrupt,
  });
  consumer.assign([{ topic: 't', partition: 0 }]);
  const seen: number[] = [];
  try {
    for (;;) {
      const records = await consumer.poll({ maxRecords: 1000 });
      if (records.length === 0) return seen;
      for (const record of records) seen.push(record.value['i'] as number);
    }
  } finally {
    await consumer.close();
  }
}

/** `[from, until)`. */
export function range(from: number, until: number): number[] {
  return Array.from({ length: until - from }, (_, i) => from + i);
}

/** Runs `body` with console.error silenced (damage is logged there), and returns the damage it reported. */
export async function damageDuring(body: () => Promise<void>): Promise<Damage[]> {
  const before = damageSeen().count;
  const original = console.error;
  console.error = () => {};
  try {
    await body();
  } finally {
    console.error = original;
  }
  const after = damageSeen();
  return after.recent.slice(Math.max(0, after.recent.length - (after.count - before)));
}

/** Closes and deletes a test's log. */
export async function dropLog(log: string, db: LogDB): Promise<void> {
  db.close();
  await deleteDB(log);
}

/**
 * The key of the chunk holding column `column` of a batch of `smallLog` (topic `t`, partition 0):
 * its batches are small, so each keeps every column in one packed chunk, under `timestamp`.
 */
export function chunkKey(_column: string, baseOffset: number): [string, number, string, number] {
  return ['t', 0, TIMESTAMP_COLUMN, baseOffset];
}
