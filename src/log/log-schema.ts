// The log database's stores and what each holds (IndexedDB's schema, as idb types it).
import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { RecordBatchHeader } from './record-batch';
import type { TopicConfig } from './topic-config';

/**
 * Where one partition stands. `highWatermark` is the offset the next appended record gets;
 * records `[logStartOffset, highWatermark)` are readable. Both only grow. `bytes` and
 * `batchCount` are what the readable batches hold; `maxTimestamp` is the largest timestamp ever
 * appended (-1 before the first).
 */
export interface PartitionState {
  readonly topic: string;
  readonly partition: number;
  logStartOffset: number;
  highWatermark: number;
  bytes: number;
  batchCount: number;
  maxTimestamp: number;
}

/** The last sequence a producer appended to a partition: what makes its appends idempotent. */
export interface ProducerState {
  readonly producerId: string;
  readonly topic: string;
  readonly partition: number;
  lastSequence: number;
  updatedAt: number;
}

/** A consumer group's committed offset of one partition: the next offset it will read. */
export interface CommittedOffset {
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly metadata: string;
  readonly committedAt: number;
}

export interface LogSchema extends DBSchema {
  topics: { key: string; value: TopicConfig };
  partitions: { key: [string, number]; value: PartitionState };
  batches: { key: [string, number, number]; value: RecordBatchHeader };
  /** Column chunks, keyed `[topic, partition, column, baseOffset]`: one column reads as one range. */
  columns: { key: [string, number, string, number]; value: ArrayBuffer };
  producers: { key: [string, string, number]; value: ProducerState };
  offsets: { key: [string, string, number]; value: CommittedOffset };
}

export type LogDB = IDBPDatabase<LogSchema>;
export type LogTx<
  S extends StoreNames<LogSchema>[],
  M extends IDBTransactionMode,
> = IDBPTransaction<LogSchema, S, M>;
