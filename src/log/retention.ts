import type { LogDB } from './log-db';
import type { RecordBatchHeader } from './record-batch';
import { partitionStateProblem } from './schema';
import { listTopics, truncateHead } from './topics';

/**
 * How long the log remembers a producer's last sequence after its last append (Kafka's
 * `producer.id.expiration.ms`): long past any spill a page could leave behind.
 */
export const PRODUCER_EXPIRATION_MS = 7 * 24 * 3600 * 1000;

/**
 * Applies each topic's retention: deletes whole record batches from the head of each partition
 * while the oldest is past `retentionMs` (by its largest timestamp, as Kafka does) or the
 * partition holds more than `retentionBytes` (keeping its newest batch, as Kafka keeps the
 * active segment), and advances log-start offsets; one transaction per topic. Then forgets
 * producers idle for PRODUCER_EXPIRATION_MS. Resolves with the number of records deleted.
 */
export async function enforceRetention(db: LogDB, now = Date.now()): Promise<number> {
  let deleted = 0;
  for (const config of await listTopics(db)) {
    const { name, retentionMs, retentionBytes } = config;
    if (retentionMs < 0 && retentionBytes < 0) continue;
    const tx = db.transaction(['partitions', 'batches', 'columns'], 'readwrite');
    const range = IDBKeyRange.bound([name, 0], [name, Infinity]);
    // A damaged state is repaired by the next append or read, not guessed at here.
    const states = await tx.objectStore('partitions').getAll(range);
    for (const state of states.filter((s) => partitionStateProblem(s) === null)) {
      const expired = (header: RecordBatchHeader): boolean =>
        retentionMs > 0 && header.maxTimestamp < now - retentionMs;
      const oversized = (header: RecordBatchHeader): boolean =>
        retentionBytes > 0 &&
        state.bytes > retentionBytes &&
        header.baseOffset + header.count < state.highWatermark;
      const n = await truncateHead(tx, state, (header) => expired(header) || oversized(header));
      if (n > 0) await tx.objectStore('partitions').put(state);
      deleted += n;
    }
    await tx.done;
  }
  await expireProducers(db, now);
  return deleted;
}

async function expireProducers(db: LogDB, now: number): Promise<void> {
  const tx = db.transaction('producers', 'readwrite');
  for (let cursor = await tx.store.openCursor(); cursor; cursor = await cursor.continue()) {
    // A damaged state (no updatedAt to go by) goes too: appends report it when they meet it.
    const { updatedAt } = cursor.value;
    if (!Number.isFinite(updatedAt) || updatedAt < now - PRODUCER_EXPIRATION_MS)
      await cursor.delete();
  }
  await tx.done;
}
