import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { RecordBatch } from './record-batch';

/** A topic: a named, partitioned log. Its partition count never shrinks. */
export interface TopicConfig {
  readonly name: string;
  readonly partitions: number;
  readonly createdAt: number;
}

/**
 * Where one partition stands. `highWatermark` is the offset the next appended record gets;
 * records `[logStartOffset, highWatermark)` are readable. Both only grow.
 */
export interface PartitionState {
  readonly topic: string;
  readonly partition: number;
  logStartOffset: number;
  highWatermark: number;
}

/** The last sequence a producer appended to a partition: what makes its appends idempotent. */
export interface ProducerState {
  readonly producerId: string;
  readonly topic: string;
  readonly partition: number;
  lastSequence: number;
  updatedAt: number;
}

export interface LogSchema extends DBSchema {
  topics: { key: string; value: TopicConfig };
  partitions: { key: [string, number]; value: PartitionState };
  batches: { key: [string, number, number]; value: RecordBatch };
  producers: { key: [string, string, number]; value: ProducerState };
}

export type LogDB = IDBPDatabase<LogSchema>;

const VERSION = 1;

/**
 * Opens (creating if needed) the log database `name`.
 * - must work alike on the main thread and in a worker of the same origin;
 * - must close itself when a newer version of the schema asks to upgrade, rather than block it.
 */
export function openLog(name: string): Promise<LogDB> {
  return openDB<LogSchema>(name, VERSION, {
    upgrade(db) {
      db.createObjectStore('topics', { keyPath: 'name' });
      db.createObjectStore('partitions', { keyPath: ['topic', 'partition'] });
      db.createObjectStore('batches', { keyPath: ['topic', 'partition', 'baseOffset'] });
      db.createObjectStore('producers', { keyPath: ['producerId', 'topic', 'partition'] });
    },
    blocking(_current, _next, event) {
      (event.target as IDBDatabase).close();
    },
  });
}

/** Thrown when a topic or one of its partitions does not exist. */
export class UnknownTopicOrPartitionError extends Error {
  override name = 'UnknownTopicOrPartitionError';
  constructor(topic: string, partition?: number) {
    super(
      partition === undefined
        ? `tabstream: topic "${topic}" does not exist`
        : `tabstream: partition ${partition} of topic "${topic}" does not exist`,
    );
  }
}
