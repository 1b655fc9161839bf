// Raw IndexedDB doing the log's work, for the baselines of suites `log` and `layout`: the same
// stores and keys as the log, written and read with plain calls.
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction } from 'idb';
import {
  DEFAULT_BATCH_SIZE,
  encodeRecords,
  setChunkBaseOffset,
  type ProducerRecord,
} from '../src/log';
import type { syntheticClicks } from './suites/figure';

export type Events = ReturnType<typeof syntheticClicks>;

/** Records per batch: the producer's default, so the log holds what a producer would write. */
const BATCH = DEFAULT_BATCH_SIZE;
const BATCHES_PER_TX = 10;

export interface RawSchema extends DBSchema {
  /** The log's record-batch headers, or another layout's whole batches. */
  batches: { key: [string, number, number]; value: unknown };
  columns: { key: [string, number, string, number]; value: ArrayBuffer };
}

export type RawDB = IDBPDatabase<RawSchema>;
export type RawTx = IDBPTransaction<RawSchema, ('batches' | 'columns')[], 'readwrite'>;

/** Opens a fresh database with the log's stores; `keyPath` false keys `batches` out of line. */
export function openRaw(name: string, keyPath = true): Promise<RawDB> {
  return openDB<RawSchema>(name, 1, {
    upgrade(db) {
      db.createObjectStore(
        'batches',
        keyPath ? { keyPath: ['topic', 'partition', 'baseOffset'] } : {},
      );
      db.createObjectStore('columns');
    },
  });
}

/**
 * Writes `events` in batches of BATCH, round-robin over `partitions`, BATCHES_PER_TX batches per
 * strict transaction, the transactions issued without waiting for one another; `put` puts one
 * batch at its base offset.
 */
export async function writeBatches(
  db: RawDB,
  events: Events,
  partitions: number,
  put: (tx: RawTx, partition: number, baseOffset: number, batch: Events) => void,
): Promise<void> {
  const offsets = new Array<number>(partitions).fill(0);
  const done: Promise<void>[] = [];
  let tx: RawTx | null = null;
  for (let b = 0, n = 0; b < events.length; b += BATCH, n++) {
    const partition = n % partitions;
    if (n % BATCHES_PER_TX === 0) {
      tx = db.transaction(['batches', 'columns'], 'readwrite', { durability: 'strict' });
      done.push(tx.done);
    }
    const batch = events.slice(b, b + BATCH);
    put(tx!, partition, offsets[partition]!, batch);
    offsets[partition]! += batch.length;
  }
  await Promise.all(done);
}

/** Puts a batch of topic `clicks` as the log stores it: a header, and a chunk per column. */
export function putColumnChunks(tx: RawTx, partition: number, baseOffset: number, events: Events) {
  const records = events.map((event) => ({ value: event, key: null, timestamp: event.ts }));
  putBatch(tx, partition, baseOffset, records, 'raw');
}

/** The two stores a batch goes into, in a raw database or in the log's own. */
interface BatchStores {
  objectStore(name: 'batches' | 'columns'): {
    put(value: unknown, key?: [string, number, string, number]): unknown;
  };
}

/**
 * Puts `records` as one batch of topic `clicks` at `baseOffset`, as the log stores it: its
 * header in `batches`, a chunk per column in `columns`. Returns the header.
 */
export function putBatch(
  tx: BatchStores,
  partition: number,
  baseOffset: number,
  records: readonly ProducerRecord[],
  producerId: string,
) {
  const { chunks, ...header } = encodeRecords(records);
  const meta = { topic: 'clicks', partition, baseOffset, producerId, baseSequence: 0 };
  void tx.objectStore('batches').put({ ...header, ...meta });
  for (const [column, chunk] of chunks) {
    setChunkBaseOffset(chunk, baseOffset);
    void tx.objectStore('columns').put(chunk, ['clicks', partition, column, baseOffset]);
  }
  return header;
}
