import type { LogDB } from './log-db';
import type { RecordBatch } from './record-batch';

/** Offsets `[fromOffset, untilOffset)` of one partition: what a task or a consumer reads. */
export interface OffsetRange {
  readonly topic: string;
  readonly partition: number;
  readonly fromOffset: number;
  readonly untilOffset: number;
}

/**
 * Reads the record batches that hold a range's offsets, in offset order, `pageSize` batches per
 * IndexedDB request (each page is one turn of the event loop: a reader on the main thread
 * yields between pages).
 * - must yield every batch holding an offset of the range, each once, whole: slice the first
 *   and last with `recordWindow`;
 * - must yield nothing for an empty range.
 */
export async function* fetchBatches(
  db: LogDB,
  range: OffsetRange,
  pageSize = 32,
): AsyncGenerator<RecordBatch[]> {
  const { topic, partition, fromOffset, untilOffset } = range;
  if (untilOffset <= fromOffset) return;
  let lower = await firstBaseOffset(db, range);
  let open = false;
  for (;;) {
    const keys = IDBKeyRange.bound(
      [topic, partition, lower],
      [topic, partition, untilOffset],
      open,
      true,
    );
    const page = await db.getAll('batches', keys, pageSize);
    if (page.length > 0) yield page;
    if (page.length < pageSize) return;
    lower = page[page.length - 1]!.baseOffset;
    open = true;
  }
}

/** The indexes `[start, end)` of a batch's records that fall in `[fromOffset, untilOffset)`. */
export function recordWindow(batch: RecordBatch, range: OffsetRange): [number, number] {
  const start = Math.max(0, range.fromOffset - batch.baseOffset);
  const end = Math.min(batch.count, range.untilOffset - batch.baseOffset);
  return [start, Math.max(start, end)];
}

/** The base offset of the batch holding `fromOffset`: the last batch starting at or before it. */
async function firstBaseOffset(db: LogDB, { topic, partition, fromOffset }: OffsetRange) {
  const keys = IDBKeyRange.bound([topic, partition, 0], [topic, partition, fromOffset]);
  const cursor = await db.transaction('batches').store.openKeyCursor(keys, 'prev');
  return cursor ? cursor.key[2] : fromOffset;
}
