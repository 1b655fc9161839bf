import {
  openDB,
  type DBSchema,
  type IDBPDatabase,
  type IDBPTransaction,
  type StoreNames,
} from 'idb';
import type { RecordBatchHeader } from './record-batch';
import type { TopicConfig } from './topic-config';
import { abortQuietly } from './abort-quietly';
import { upgradeFromV1 } from './upgrade-v1';

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

const VERSION = 2;

/**
 * Opens (creating or upgrading if needed) the log database `name`.
 * - must work alike on the main thread and in a worker of the same origin;
 * - must keep every record of an older schema, converted;
 * - must close itself when a newer version of the schema asks to upgrade, rather than block it.
 */
export function openLog(name: string): Promise<LogDB> {
  return openDB<LogSchema>(name, VERSION, {
    upgrade(db, oldVersion, _newVersion, tx) {
      if (oldVersion < 1) {
        db.createObjectStore('topics', { keyPath: 'name' });
        db.createObjectStore('partitions', { keyPath: ['topic', 'partition'] });
        db.createObjectStore('batches', { keyPath: ['topic', 'partition', 'baseOffset'] });
        db.createObjectStore('producers', { keyPath: ['producerId', 'topic', 'partition'] });
      }
      if (oldVersion < 2) {
        db.createObjectStore('columns');
        db.createObjectStore('offsets', { keyPath: ['group', 'topic', 'partition'] });
        // A failed conversion aborts the upgrade: the log stays at schema 1, whole.
        if (oldVersion === 1) upgradeFromV1(tx).catch(() => abortQuietly(tx));
      }
    },
    blocking(_current, _next, event) {
      (event.target as IDBDatabase).close();
    },
  });
}

/**
 * Whether an IndexedDB failure says the connection is closed: the browser closed it, or the
 * database was deleted (or upgraded) and the connection gave way. Opening it again mends it.
 */
export function isConnectionClosed(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'InvalidStateError';
}

/** Thrown when a topic or one of its partitions does not exist. */
export class UnknownTopicOrPartitionError extends Error {
  override name = 'UnknownTopicOrPartitionError';
  constructor(
    readonly topic: string,
    readonly partition?: number,
  ) {
    super(
      partition === undefined
        ? `tabstream: topic "${topic}" does not exist`
        : `tabstream: partition ${partition} of topic "${topic}" does not exist`,
    );
  }
}
