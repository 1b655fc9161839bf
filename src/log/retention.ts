import type { LogDB } from './log-db';
import { truncateHead } from './topics';

/**
 * Applies each topic's retention: deletes whole record batches from the head of each partition
 * while the oldest is past `retentionMs` (by its largest timestamp, as Kafka does) or the
 * partition holds more than `retentionBytes`, and advances log-start offsets. One transaction
 * per topic. Resolves with the number of records deleted.
 */
export async function enforceRetention(db: LogDB, now = Date.now()): Promise<number> {
  let deleted = 0;
  for (const config of await db.getAll('topics')) {
    const { name, retentionMs, retentionBytes } = config;
    if (retentionMs < 0 && retentionBytes < 0) continue;
    const tx = db.transaction(['partitions', 'batches', 'columns'], 'readwrite');
    const states = await tx
      .objectStore('partitions')
      .getAll(IDBKeyRange.bound([name, 0], [name, Infinity]));
    for (const state of states) {
      const expired = (maxTimestamp: number): boolean =>
        retentionMs > 0 && maxTimestamp < now - retentionMs;
      const oversized = (): boolean => retentionBytes > 0 && state.bytes > retentionBytes;
      const n = await truncateHead(
        tx,
        state,
        (header) => expired(header.maxTimestamp) || oversized(),
      );
      if (n > 0) await tx.objectStore('partitions').put(state);
      deleted += n;
    }
    await tx.done;
  }
  return deleted;
}
