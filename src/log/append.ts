import { abortQuietly } from './abort-quietly';
import { setChunkBaseOffset } from './column-chunk';
import { notifyAppended } from './log-events';
import {
  UnknownTopicOrPartitionError,
  type LogDB,
  type LogTx,
  type PartitionState,
  type ProducerState,
} from './log-db';
import {
  encodeRecords,
  type EncodedRecords,
  type ProducerRecord,
  type RecordBatchHeader,
} from './record-batch';
import { repairTopicIn, type RepairTx } from './checked-topic';
import { reportDamage } from '../shared';
import { logEndOffset, stateProblemAt } from './partition-state';
import { producerStateProblem, topicConfigProblem } from './schema';
import type { TopicConfig } from './topic-config';
import { truncateHead } from './topics';

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
  constructor(
    readonly topic: string,
    readonly partition: number,
    message: string,
  ) {
    super(message);
  }
}

type AppendTx = LogTx<
  ('topics' | 'partitions' | 'batches' | 'columns' | 'producers')[],
  'readwrite'
>;

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
  const stores = ['topics', 'partitions', 'batches', 'columns', 'producers'] as const;
  const tx = db.transaction([...stores], 'readwrite', { durability });
  try {
    const groups = groupByPartition(encoded);
    const results = await Promise.all(groups.map((group) => appendToPartition(tx, group)));
    await tx.done;
    notifyAppended(
      db.name,
      groups.map((group) => group[0]!.batch),
    );
    const byBatch = new Map(results.flat());
    return encoded.map((batch) => byBatch.get(batch)!);
  } catch (error) {
    abortQuietly(tx);
    throw error;
  }
}

interface EncodedBatch {
  readonly batch: ProducerBatch;
  readonly encoded: EncodedRecords;
}

/** Encoding happens before the transaction opens, so the transaction stays short. */
function encodeBatch(batch: ProducerBatch): EncodedBatch {
  return { batch, encoded: encodeRecords(batch.records) };
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
  const producers = new Map<string, ProducerState>();
  const firstOf = new Map<string, ProducerBatch>();
  for (const { batch } of group)
    if (!firstOf.has(batch.producerId)) firstOf.set(batch.producerId, batch);
  const [{ state, config }] = await Promise.all([
    checkedPartition(tx, topic, partition),
    // Each producer's state, read along with the partition's: one round trip for all.
    ...[...firstOf.values()].map((batch) => producerState(tx, producers, batch)),
  ]);
  const results: [EncodedBatch, AppendResult][] = [];
  const writes: Promise<unknown>[] = [];
  const write = (request: Promise<unknown>): void => {
    request.catch(() => {}); // failures surface once, through the transaction
    writes.push(request);
  };
  for (const encoded of group) {
    const producer = await producerState(tx, producers, encoded.batch);
    const { result, stored } = place(encoded, state, producer);
    if (stored) writeBatch(tx, encoded.batch, result.baseOffset, stored, write);
    results.push([encoded, result]);
  }
  await keepWithinRetentionBytes(tx, state, config.retentionBytes);
  write(tx.objectStore('partitions').put(state));
  for (const producer of producers.values()) write(tx.objectStore('producers').put(producer));
  await Promise.all(writes);
  return results;
}

/**
 * The partition's state and its topic's config, checked first: a damaged state is rebuilt from
 * the batches stored, so that offsets stay numbers and no append collides with a stored batch.
 * The state, the config and the end of the last stored batch are read at once: one round trip.
 */
async function checkedPartition(
  tx: AppendTx,
  topic: string,
  partition: number,
): Promise<{ state: PartitionState; config: TopicConfig }> {
  const repairTx = tx as unknown as RepairTx; // the append transaction spans the stores it needs
  const [stored, config, end] = await Promise.all([
    tx.objectStore('partitions').get([topic, partition]),
    tx.objectStore('topics').get(topic),
    logEndOffset(repairTx, topic, partition),
  ]);
  const fine = stored && config && !topicConfigProblem(config) && !stateProblemAt(stored, end);
  if (fine) return { state: stored, config };
  if (!stored && !config) throw new UnknownTopicOrPartitionError(topic, partition);
  const repaired = await repairTopicIn(repairTx, topic);
  const state = repaired.states[partition];
  if (!state) throw new UnknownTopicOrPartitionError(topic, partition);
  return { state, config: repaired.config };
}

/**
 * Retention by bytes, applied as batches are appended: the partition never holds more than
 * `retentionBytes`, so steady appends cannot fill the origin's storage. The newest batch stays,
 * as Kafka keeps the active segment.
 */
async function keepWithinRetentionBytes(
  tx: AppendTx,
  state: PartitionState,
  retentionBytes: number,
): Promise<void> {
  if (retentionBytes < 0 || state.bytes <= retentionBytes) return;
  const over = (header: RecordBatchHeader): boolean =>
    state.bytes > retentionBytes && header.baseOffset + header.count < state.highWatermark;
  // The append transaction spans the stores truncateHead needs, and more.
  await truncateHead(tx, state, over);
}

async function producerState(
  tx: AppendTx,
  cache: Map<string, ProducerState>,
  batch: ProducerBatch,
): Promise<ProducerState> {
  const { producerId, topic, partition, baseSequence } = batch;
  let state = cache.get(producerId);
  if (!state) {
    const stored = await tx.objectStore('producers').get([producerId, topic, partition]);
    const problem = stored && producerStateProblem(stored);
    if (problem) {
      reportDamage({
        database: tx.db.name,
        store: 'producers',
        at: `producer ${producerId} in ${topic}-${partition}`,
        problem: `${problem}; its next batch is taken as in sequence (a duplicate may get in)`,
      });
    }
    state = stored && !problem ? stored : newProducerState(batch, problem ? baseSequence : 0);
    cache.set(producerId, state);
  }
  return state;
}

/** A producer's state before its first append, or after its next expected `nextSequence`. */
function newProducerState(
  { producerId, topic, partition }: ProducerBatch,
  nextSequence: number,
): ProducerState {
  return { producerId, topic, partition, lastSequence: nextSequence - 1, updatedAt: 0 };
}

/**
 * Gives a batch its offsets at the partition's high watermark, less the records its producer
 * appended before, and advances the partition's and the producer's states. Returns the records
 * to store, or null if all were appended before.
 */
function place(
  { batch, encoded }: EncodedBatch,
  state: PartitionState,
  producer: ProducerState,
): { result: AppendResult; stored: EncodedRecords | null } {
  const expected = producer.lastSequence + 1;
  if (batch.baseSequence > expected) {
    throw new OutOfOrderSequenceError(
      batch.topic,
      batch.partition,
      `tabstream: producer ${batch.producerId} sent sequence ${batch.baseSequence} to ` +
        `${batch.topic}-${batch.partition} but the log expected ${expected}`,
    );
  }
  const duplicates = Math.min(batch.records.length, expected - batch.baseSequence);
  const appended = batch.records.length - duplicates;
  const result = { baseOffset: state.highWatermark, appended, duplicates };
  if (appended === 0) return { result, stored: null };
  const stored = duplicates ? encodeRecords(batch.records.slice(duplicates)) : encoded;
  state.highWatermark += appended;
  state.bytes += stored.bytes;
  state.batchCount++;
  state.maxTimestamp = Math.max(state.maxTimestamp, stored.maxTimestamp);
  producer.lastSequence = batch.baseSequence + batch.records.length - 1;
  producer.updatedAt = Date.now();
  return { result, stored };
}

/** Writes a batch's header and its chunks, stamped with the batch's base offset. */
export function writeBatch(
  tx: AppendTx,
  batch: ProducerBatch,
  baseOffset: number,
  { chunks, ...header }: EncodedRecords,
  write: (request: Promise<unknown>) => void,
): void {
  const { topic, partition, producerId } = batch;
  const baseSequence = batch.baseSequence + batch.records.length - header.count;
  write(
    tx
      .objectStore('batches')
      .add({ ...header, topic, partition, baseOffset, producerId, baseSequence }),
  );
  for (const [column, chunk] of chunks) {
    setChunkBaseOffset(chunk, baseOffset);
    write(tx.objectStore('columns').put(chunk, [topic, partition, column, baseOffset]));
  }
}
