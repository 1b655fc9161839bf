import { openDB } from 'idb';
import { abortQuietly } from './abort-quietly';
import type { LogDB, LogSchema } from './log-schema';
import { upgradeFromV1 } from './upgrade-v1';

export type {
  CommittedOffset,
  LogDB,
  LogSchema,
  LogTx,
  PartitionState,
  ProducerState,
} from './log-schema';

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
