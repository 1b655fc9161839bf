import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

/**
 * A streaming job's progress after `batchId` batches: its state, and per partition the next
 * offset to read. Both live in one record, written in one transaction, so they never disagree:
 * a job that resumes from a checkpoint counts every record exactly once.
 */
export interface Checkpoint<S> {
  readonly id: string;
  readonly batchId: number;
  readonly offsets: readonly number[];
  readonly state: S;
  readonly time: number;
}

interface CheckpointSchema extends DBSchema {
  checkpoints: { key: string; value: Checkpoint<unknown> };
}

export type CheckpointDB = IDBPDatabase<CheckpointSchema>;

/** Thrown when a batch is committed over a checkpoint another run of the job moved meanwhile. */
export class CheckpointConflictError extends Error {
  override name = 'CheckpointConflictError';
}

/** Opens the checkpoint store of log `log`. */
export function openCheckpoints(log: string): Promise<CheckpointDB> {
  return openDB<CheckpointSchema>(`${log}:checkpoints`, 1, {
    upgrade(db) {
      db.createObjectStore('checkpoints', { keyPath: 'id' });
    },
    blocking(_current, _next, event) {
      (event.target as IDBDatabase).close();
    },
  });
}

/** The last checkpoint of job `id`, or batch 0 with `initial` state if it never committed. */
export async function loadCheckpoint<S>(
  db: CheckpointDB,
  id: string,
  initial: S,
): Promise<Checkpoint<S>> {
  const stored = (await db.get('checkpoints', id)) as Checkpoint<S> | undefined;
  return stored ?? { id, batchId: 0, offsets: [], state: initial, time: 0 };
}

/**
 * Commits the checkpoint of batch `next.batchId`.
 * - must write state and offsets in one transaction;
 * - must reject with CheckpointConflictError, writing nothing, unless the stored checkpoint is
 *   batch `next.batchId - 1`: a second leader, or a batch run twice, can never count twice.
 */
export async function commitCheckpoint<S>(db: CheckpointDB, next: Checkpoint<S>): Promise<void> {
  const tx = db.transaction('checkpoints', 'readwrite');
  const stored = await tx.store.get(next.id);
  const storedBatch = stored?.batchId ?? 0;
  if (storedBatch !== next.batchId - 1) {
    tx.abort();
    await tx.done.catch(() => {});
    throw new CheckpointConflictError(
      `tabstream: checkpoint "${next.id}" is at batch ${storedBatch}, not ${next.batchId - 1}`,
    );
  }
  await Promise.all([tx.store.put(next), tx.done]);
}
