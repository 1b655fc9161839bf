import { abortQuietly } from './abort-quietly';
import { writeBatch } from './append';
import { planRuns, type BatchSpan } from './compaction-plan';
import { CorruptRecordError, fetchBatches } from './fetch';
import type { LogDB } from './log-db';
import { consumerRecordAt } from './partition-cursor';
import { batchKeys } from './partition-state';
import { DEFAULT_BATCH_SIZE } from './producer';
import {
  columnsOf,
  encodeRecords,
  type ProducerRecord,
  type RecordBatch,
  type RecordBatchHeader,
} from './record-batch';
import { headerProblem, partitionStateProblem } from './schema';
import { partitionsOf } from './topics';

/** How a compaction picks the runs of small record batches it merges. */
export interface CompactOptions {
  /** The most records of a merged batch: the producer's `batch.size` (records). Default 16384. */
  readonly batchSize?: number;
  /**
   * Merge a run of consecutive small batches only once it holds `fanIn` times the records of
   * its largest batch (or ¾ of `batchSize`). 1 (default) merges every run of two or more, as
   * Delta Lake's OPTIMIZE does; 8 rewrites a record about log8(batchSize) times as small
   * batches keep coming (size-tiered, as in an LSM tree), which is what the leader does.
   */
  readonly fanIn?: number;
  /**
   * The most batches one merge takes: what its transaction deletes grows with them (about
   * 1 ms per 20 chunks), and appends wait for it. Default: no limit.
   */
  readonly maxBatchesPerMerge?: number;
  /** Stop after this many merges (one transaction each). Default: no limit. */
  readonly maxMerges?: number;
  /** Merge only batches wholly inside `[fromOffset, untilOffset)`. Default: all. */
  readonly fromOffset?: number;
  readonly untilOffset?: number;
}

/** What a compaction did. */
export interface CompactionResult {
  /** Merges committed: one transaction, one merged batch each. */
  readonly merges: number;
  /** Record batches merged away, and their bytes. */
  readonly batchesBefore: number;
  readonly bytesBefore: number;
  /** The merged batches written in their place, and their bytes. */
  readonly batchesAfter: number;
  readonly bytesAfter: number;
  /** Records rewritten. */
  readonly records: number;
}

/** What a compaction that merged nothing did. */
export const NO_COMPACTION: CompactionResult = {
  merges: 0,
  batchesBefore: 0,
  bytesBefore: 0,
  batchesAfter: 0,
  bytesAfter: 0,
  records: 0,
};

/** Record batches read per IndexedDB transaction while merging: small ones, so many at once. */
const READ_PAGE = 512;
/** Headers read per IndexedDB request while planning. */
const HEADER_PAGE = 1000;
/** What a merged batch of several producers says it was appended by: none (Kafka's -1). */
const NO_PRODUCER = '';

/**
 * Compacts partition `partition` of `topic` (Delta Lake's OPTIMIZE, Iceberg's bin-packing
 * `rewrite_data_files`, for the log): merges runs of consecutive small record batches into
 * batches of up to `batchSize` records.
 * - must keep every record's offset, timestamp, key and value (a field a record lacks reads as
 *   null, as it does in any batch holding records that have it), in offset order;
 * - must merge each run in one readwrite transaction that checks the run is still stored as it
 *   was read (the same batches, by key), so that a concurrent retention or compaction makes it
 *   skip that run, and a merge cut short (the tab closed) leaves the old batches;
 * - must keep the partition's state (`bytes`, `batchCount`) the sum of its batches, and leave
 *   the producers' sequence state alone: appends deduplicate by it, not by batch headers;
 * - must leave damaged batches (a bad header or chunk, a lost header) as they are, merging
 *   around them.
 */
export async function compact(
  db: LogDB,
  topic: string,
  partition: number,
  options: CompactOptions = {},
): Promise<CompactionResult> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const { fromOffset = 0, untilOffset = Infinity } = options;
  const unreadable = unreadableOf(db, topic, partition);
  const spans = (await spansOf(db, topic, partition)).map((span) =>
    span.baseOffset < fromOffset ||
    span.baseOffset + span.count > untilOffset ||
    unreadable.has(span.baseOffset)
      ? BARRIER
      : span,
  );
  const runs = planRuns(spans, batchSize, options.fanIn ?? 1, options.maxBatchesPerMerge);
  let result = NO_COMPACTION;
  let budget = options.maxMerges ?? Infinity;
  for (const run of runs) {
    if (budget <= 0) break;
    for (const part of await readRun(db, topic, partition, run)) {
      if (budget <= 0) break;
      const merged = await mergeRun(db, topic, partition, part);
      if (merged) budget--;
      result = addCompactions(result, merged ?? NO_COMPACTION);
    }
  }
  return result;
}

/** `compact` of every partition of `topic`, one after another; the results summed. */
export async function compactTopic(
  db: LogDB,
  topic: string,
  options: CompactOptions = {},
): Promise<CompactionResult> {
  let result = NO_COMPACTION;
  for (const { partition } of await partitionsOf(db, topic))
    result = addCompactions(result, await compact(db, topic, partition, options));
  return result;
}

/** Two compactions' figures, added. */
export function addCompactions(a: CompactionResult, b: CompactionResult): CompactionResult {
  return {
    merges: a.merges + b.merges,
    batchesBefore: a.batchesBefore + b.batchesBefore,
    bytesBefore: a.bytesBefore + b.bytesBefore,
    batchesAfter: a.batchesAfter + b.batchesAfter,
    bytesAfter: a.bytesAfter + b.bytesAfter,
    records: a.records + b.records,
  };
}

/** Every stored header's span, in offset order, a page per transaction; damaged ones marked. */
async function spansOf(db: LogDB, topic: string, partition: number): Promise<BatchSpan[]> {
  const spans: BatchSpan[] = [];
  let keys = batchKeys(topic, partition);
  for (;;) {
    const page = await db.getAll('batches', keys, HEADER_PAGE);
    for (const header of page) spans.push(spanOf(header));
    if (page.length < HEADER_PAGE) return spans;
    const last = page.at(-1)!;
    keys = IDBKeyRange.bound(
      [topic, partition, last.baseOffset],
      [topic, partition, Infinity],
      true,
    );
  }
}

/** What the planner never merges across. */
const BARRIER: BatchSpan = { baseOffset: -1, count: 0 };

function spanOf(header: RecordBatchHeader): BatchSpan {
  // A damaged header is a barrier: the planner never merges across it, nor reads it.
  return headerProblem(header) ? BARRIER : header;
}

/**
 * The batches of a partition found corrupt by an earlier compaction here: left out of later
 * ones, so that their damage is reported once, not again at every compaction.
 */
const unreadableBatches = new Map<string, Set<number>>();

function unreadableOf(db: LogDB, topic: string, partition: number): Set<number> {
  const id = `${db.name}\u0000${topic}\u0000${partition}`;
  let found = unreadableBatches.get(id);
  if (!found) unreadableBatches.set(id, (found = new Set()));
  return found;
}

/**
 * A planned run's batches as read, split where a batch could not be read whole (corrupt, or
 * changed since it was planned) into the parts that can merge: two or more batches each.
 */
async function readRun(
  db: LogDB,
  topic: string,
  partition: number,
  run: readonly BatchSpan[],
): Promise<RecordBatch[][]> {
  const first = run[0]!.baseOffset;
  const last = run.at(-1)!;
  const range = { topic, partition, fromOffset: first, untilOffset: last.baseOffset + last.count };
  const read = new Map<number, RecordBatch>();
  const options = {
    fields: 'all',
    keys: true,
    pageSize: READ_PAGE,
    onCorrupt: (error: CorruptRecordError) => unreadableOf(db, topic, partition).add(error.offset),
  } as const;
  const parts: RecordBatch[][] = [[]];
  for await (const page of fetchBatches(db, range, options))
    for (const batch of page) read.set(batch.baseOffset, batch);
  for (const span of run) {
    const batch = read.get(span.baseOffset);
    if (batch && batch.count === span.count) parts.at(-1)!.push(batch);
    else parts.push([]);
  }
  return parts.filter((part) => part.length >= 2);
}

/**
 * Merges consecutive batches into one, in one transaction; resolves with what it did, or null
 * (nothing written) if the batches stored are no longer those read, or the state is damaged.
 */
async function mergeRun(
  db: LogDB,
  topic: string,
  partition: number,
  batches: readonly RecordBatch[],
): Promise<CompactionResult | null> {
  const records = batches.flatMap(recordsOf);
  // Encoded before the transaction opens, so that it stays short.
  const encoded = encodeRecords(records);
  const { baseOffset } = batches[0]!;
  const end = baseOffset + records.length;
  const stores = ['topics', 'partitions', 'batches', 'columns', 'producers'] as const;
  const tx = db.transaction([...stores], 'readwrite', { durability: 'relaxed' });
  try {
    const span = IDBKeyRange.bound(
      [topic, partition, baseOffset],
      [topic, partition, end],
      false,
      true,
    );
    // Keys, not headers (5,000 headers take half a second to read): nothing rewrites a stored
    // header in place, so the same keys are the same batches.
    const [stored, state] = await Promise.all([
      tx.objectStore('batches').getAllKeys(span),
      tx.objectStore('partitions').get([topic, partition]),
    ]);
    const unchanged =
      stored.length === batches.length &&
      stored.every((key, i) => key[2] === batches[i]!.baseOffset);
    if (!unchanged || !state || partitionStateProblem(state) || state.highWatermark < end) {
      abortQuietly(tx);
      return null;
    }
    const bytesBefore = batches.reduce((n, batch) => n + batch.bytes, 0);
    const writes: Promise<unknown>[] = [];
    const write = (request: Promise<unknown>): void => {
      request.catch(() => {}); // failures surface once, through the transaction
      writes.push(request);
    };
    write(tx.objectStore('batches').delete(span));
    const columns = new Set(batches.flatMap(columnsOf));
    for (const column of columns) {
      const keys = IDBKeyRange.bound(
        [topic, partition, column, baseOffset],
        [topic, partition, column, end],
        false,
        true,
      );
      write(tx.objectStore('columns').delete(keys));
    }
    writeBatch(
      tx,
      { topic, partition, ...producerOf(batches), records },
      baseOffset,
      encoded,
      write,
    );
    state.bytes += encoded.bytes - bytesBefore;
    state.batchCount -= batches.length - 1;
    write(tx.objectStore('partitions').put(state));
    await Promise.all([...writes, tx.done]);
    return {
      merges: 1,
      batchesBefore: batches.length,
      bytesBefore,
      batchesAfter: 1,
      bytesAfter: encoded.bytes,
      records: records.length,
    };
  } catch (error) {
    abortQuietly(tx);
    throw error;
  }
}

/**
 * Who appended the merged batch: its producer and first sequence when one producer appended
 * all its records in sequence, else none. Informational only: appends deduplicate by the
 * `producers` store, which a merge leaves as it is, so a producer retrying its last batch
 * after a merge is still told it is a duplicate.
 */
function producerOf(batches: readonly RecordBatch[]): { producerId: string; baseSequence: number } {
  const [first] = batches;
  const inSequence = batches.every(
    (batch) =>
      batch.producerId === first!.producerId &&
      batch.baseSequence === first!.baseSequence + batch.baseOffset - first!.baseOffset,
  );
  return inSequence
    ? { producerId: first!.producerId, baseSequence: first!.baseSequence }
    : { producerId: NO_PRODUCER, baseSequence: 0 };
}

/** A batch's records as a producer sent them (a consumer's record holds value, key and timestamp). */
function recordsOf(batch: RecordBatch): ProducerRecord[] {
  return Array.from({ length: batch.count }, (_, i) => consumerRecordAt(batch, i));
}
