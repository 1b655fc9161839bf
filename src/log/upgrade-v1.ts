import type { IDBPTransaction, StoreNames } from 'idb';
import { encodeChunk, setChunkBaseOffset } from './column-chunk';
import type { LogSchema, PartitionState } from './log-schema';
import {
  columnName,
  KEY_COLUMN,
  TIMESTAMP_COLUMN,
  type Column,
  type RecordBatchHeader,
} from './record-batch';
import { reportDamage } from '../shared';
import { headerProblem } from './schema';
import { DEFAULT_RETENTION } from './topic-config';

/** A record batch of schema 1: header and columns in one record. */
export interface RecordBatchV1 extends Omit<RecordBatchHeader, 'fields' | 'keyed' | 'bytes'> {
  readonly timestamps: Float64Array;
  readonly keys: Column;
  readonly columns: Readonly<Record<string, Column>>;
}

type UpgradeTx = IDBPTransaction<LogSchema, StoreNames<LogSchema>[], 'versionchange'>;

/** Converts schema 1's batches to headers and column chunks, in the upgrade transaction. */
export async function upgradeFromV1(tx: UpgradeTx): Promise<void> {
  const stats = new Map<string, Pick<PartitionState, 'bytes' | 'batchCount' | 'maxTimestamp'>>();
  for (let cursor = await tx.objectStore('batches').openCursor(); cursor;) {
    const old = cursor.value as unknown as RecordBatchV1;
    const header = convertedOrNull(tx, old);
    if (!header) {
      // One damaged batch must not keep the whole log from opening: it goes, named.
      await cursor.delete();
      reportDamage({
        database: tx.db.name,
        store: 'batches',
        at: `${String(old.topic)}-${String(old.partition)} offset ${String(old.baseOffset)}`,
        problem: 'a record batch of schema 1 cannot be converted; it is dropped',
      });
      cursor = await cursor.continue();
      continue;
    }
    await cursor.update(header);
    const id = `${old.partition}:${old.topic}`;
    const stat = stats.get(id) ?? { bytes: 0, batchCount: 0, maxTimestamp: -1 };
    stat.bytes += header.bytes;
    stat.batchCount++;
    stat.maxTimestamp = Math.max(stat.maxTimestamp, header.maxTimestamp);
    stats.set(id, stat);
    cursor = await cursor.continue();
  }
  for (const state of await tx.objectStore('partitions').getAll()) {
    const stat = stats.get(`${state.partition}:${state.topic}`);
    const empty = { bytes: 0, batchCount: 0, maxTimestamp: -1 };
    await tx.objectStore('partitions').put({ ...empty, ...state, ...stat });
  }
  for (const topic of await tx.objectStore('topics').getAll()) {
    await tx.objectStore('topics').put({ ...DEFAULT_RETENTION, ...topic });
  }
}

/**
 * Converts a batch of schema 1, writing its chunks; null, writing nothing, for a batch whose
 * fields are not what schema 1 wrote.
 */
function convertedOrNull(tx: UpgradeTx, old: RecordBatchV1): RecordBatchHeader | null {
  let converted: ReturnType<typeof convert>;
  try {
    converted = convert(old);
  } catch {
    return null;
  }
  const { header, chunks } = converted;
  if (headerProblem(header)) return null;
  for (const [column, chunk] of chunks) {
    setChunkBaseOffset(chunk, old.baseOffset);
    const key: [string, number, string, number] = [
      old.topic,
      old.partition,
      column,
      old.baseOffset,
    ];
    tx.objectStore('columns')
      .put(chunk, key)
      .catch(() => {}); // a failure aborts the upgrade
  }
  return header;
}

function convert(old: RecordBatchV1): {
  header: RecordBatchHeader;
  chunks: [string, ArrayBuffer][];
} {
  if (!(old.timestamps instanceof Float64Array) || old.timestamps.length < old.count)
    throw new TypeError('timestamps are not a Float64Array of the count');
  const chunks: [string, ArrayBuffer][] = [
    [
      TIMESTAMP_COLUMN,
      encodeChunk({ type: 'number', values: old.timestamps, nulls: null }, old.count),
    ],
  ];
  const keyed = !(old.keys.type === 'string' && old.keys.dictionary.length === 0);
  if (keyed) chunks.push([KEY_COLUMN, encodeChunk(old.keys, old.count)]);
  const fields = Object.keys(old.columns);
  for (const field of fields)
    chunks.push([columnName(field), encodeChunk(old.columns[field]!, old.count)]);
  const { topic, partition, baseOffset, count, firstTimestamp, maxTimestamp } = old;
  const bytes = chunks.reduce((n, [, chunk]) => n + chunk.byteLength, 0);
  const { producerId, baseSequence } = old;
  const header = {
    ...{ topic, partition, baseOffset, count, firstTimestamp, maxTimestamp },
    ...{ producerId, baseSequence, fields, keyed, bytes },
  };
  return { header, chunks };
}
