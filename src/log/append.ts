import type { IDBPTransaction } from 'idb';
import {
  UnknownTopicOrPartitionError,
  type LogDB,
  type LogSchema,
  type PartitionState,
  type ProducerState,
} from './log-db';
import { encodeColumn, encodeColumns, type LogEvent, type RecordBatch } from './record-batch';

/** One record as a producer sends it. */
export interface ProducerRecord {
  readonly value: LogEvent;
  readonly key: string | null;
  readonly timestamp: number;
}

/**
 * Records of one partition from one producer, numbered: record `i` has sequence
 * `baseSequence + i`. The numbering is what lets the log drop a batch sent twice.
 */
export interface ProducerBatch {
  readonly topic: string;
  readonly partition: number;
  readonly producerId: string;
  readonly baseSequence: number;
  readonly records: readonly ProducerRecord[];
}

/**
 * Where a producer batch landed: its records not seen before got offsets
 * `[baseOffset, baseOffset + appended)`; its first `duplicates` records were already in the log.
 */
export interface AppendResult {
  readonly baseOffset: number;
  readonly appended: number;
  readonly duplicates: number;
}

export type Durability = 'strict' | 'relaxed';

/** Thrown when a producer's batch skips sequences: records before it were never appended. */
export class OutOfOrderSequenceError extends Error {
  override name = 'OutOfOrderSequenceError';
}

type AppendTx = IDBPTransaction<LogSchema, ('partitions' | 'batches' | 'producers')[], 'readwrite'>;

/**
 * Appends producer batches to their partitions in one transaction, and says where each landed.
 * - must assign offsets from each partition's high watermark inside that transaction, so that
 *   any number of tabs and workers appending at once get dense, distinct offsets;
 * - must append all batches or none;
 * - must skip records whose sequence their producer already appended, so a retried or
 *   recovered batch is never stored twice;
 * - must reject with OutOfOrderSequenceError, appending nothing, if a batch skips sequences.
 */
export async function appendBatches(
  db: LogDB,
  batches: readonly ProducerBatch[],
  durability: Durability = 'strict',
): Promise<AppendResult[]> {
  const encoded = batches.map(encodeBatch);
  const tx = db.transaction(['partitions', 'batches', 'producers'], 'readwrite', { durability });
  try {
    const groups = groupByPartition(encoded);
    const results = await Promise.all(groups.map((group) => appendToPartition(tx, group)));
    await tx.done;
    const byBatch = new Map(results.flat());
    return encoded.map((batch) => byBatch.get(batch)!);
  } catch (error) {
    abortQuietly(tx);
    throw error;
  }
}

interface EncodedBatch {
  readonly batch: ProducerBatch;
  readonly body: Pick<RecordBatch, 'timestamps' | 'keys' | 'columns'>;
}

/** Encoding happens before the transaction opens, so the transaction stays short. */
function encodeBatch(batch: ProducerBatch): EncodedBatch {
  return { batch, body: encodeRecords(batch.records) };
}

function encodeRecords(records: readonly ProducerRecord[]): EncodedBatch['body'] {
  return {
    timestamps: Float64Array.from(records, (record) => record.timestamp),
    keys: encodeColumn(records.map((record) => record.key)),
    columns: encodeColumns(records.map((record) => record.value)),
  };
}

function groupByPartition(batches: readonly EncodedBatch[]): EncodedBatch[][] {
  const groups = new Map<string, EncodedBatch[]>();
  for (const encoded of batches) {
    const id = `${encoded.batch.topic}\u0000${encoded.batch.partition}`;
    const group = groups.get(id);
    if (group) group.push(encoded);
    else groups.set(id, [encoded]);
  }
  return [...groups.values()];
}

async function appendToPartition(
  tx: AppendTx,
  group: readonly EncodedBatch[],
): Promise<[EncodedBatch, AppendResult][]> {
  const { topic, partition } = group[0]!.batch;
  const state = await tx.objectStore('partitions').get([topic, partition]);
  if (!state) throw new UnknownTopicOrPartitionError(topic, partition);
  const producers = new Map<string, ProducerState>();
  const results: [EncodedBatch, AppendResult][] = [];
  const writes: Promise<unknown>[] = [];
  const write = (request: Promise<unknown>): void => {
    request.catch(() => {}); // failures surface once, through the transaction
    writes.push(request);
  };
  for (const encoded of group) {
    const producer = await producerState(tx, producers, encoded.batch);
    const { result, batch } = place(encoded, state, producer);
    if (batch) write(tx.objectStore('batches').add(batch));
    results.push([encoded, result]);
  }
  write(tx.objectStore('partitions').put(state));
  for (const producer of producers.values()) write(tx.objectStore('producers').put(producer));
  await Promise.all(writes);
  return results;
}

async function producerState(
  tx: AppendTx,
  cache: Map<string, ProducerState>,
  { producerId, topic, partition }: ProducerBatch,
): Promise<ProducerState> {
  let state = cache.get(producerId);
  if (!state) {
    state = (await tx.objectStore('producers').get([producerId, topic, partition])) ?? {
      producerId,
      topic,
      partition,
      lastSequence: -1,
      updatedAt: 0,
    };
    cache.set(producerId, state);
  }
  return state;
}

/** Gives a batch its offsets at the partition's high watermark, less what was appended before. */
function place(
  { batch, body }: EncodedBatch,
  state: PartitionState,
  producer: ProducerState,
): { result: AppendResult; batch: RecordBatch | null } {
  const expected = producer.lastSequence + 1;
  if (batch.baseSequence > expected) {
    throw new OutOfOrderSequenceError(
      `tabstream: producer ${batch.producerId} sent sequence ${batch.baseSequence} to ` +
        `${batch.topic}-${batch.partition} but the log expected ${expected}`,
    );
  }
  const duplicates = Math.min(batch.records.length, expected - batch.baseSequence);
  const records = batch.records.length - duplicates;
  const baseOffset = state.highWatermark;
  const result = { baseOffset, appended: records, duplicates };
  if (records === 0) return { result, batch: null };
  const stored = duplicates ? encodeRecords(batch.records.slice(duplicates)) : body;
  state.highWatermark += records;
  producer.lastSequence = batch.baseSequence + batch.records.length - 1;
  producer.updatedAt = Date.now();
  return {
    result,
    batch: {
      topic: batch.topic,
      partition: batch.partition,
      baseOffset,
      count: records,
      firstTimestamp: stored.timestamps[0]!,
      maxTimestamp: maxOf(stored.timestamps),
      producerId: batch.producerId,
      baseSequence: batch.baseSequence + duplicates,
      ...stored,
    },
  };
}

function maxOf(values: Float64Array): number {
  let max = -Infinity;
  for (const value of values) if (value > max) max = value;
  return max;
}

function abortQuietly(tx: AppendTx): void {
  tx.done.catch(() => {});
  try {
    tx.abort();
  } catch {
    // Already finished or aborted: nothing of this transaction was, or will be, committed.
  }
}
