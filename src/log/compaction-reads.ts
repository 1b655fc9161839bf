// What a read paging through a partition does when a compaction merges batches under it: the
// batch it read last may now be part of a merged batch that also holds offsets it has not read.
import type { LogTx } from './log-db';
import type { Column, RecordBatch, RecordBatchHeader } from './record-batch';
import { headerProblem } from './schema';

type ReadTx = Pick<LogTx<'batches'[], IDBTransactionMode>, 'objectStore'>;

/**
 * The base offset of a batch that a compaction merged since a read's last page, or null: when
 * the next page (`page`, read from after the last batch) starts past `next`, the offset the
 * read expects, a batch that starts before `next` and holds it is a merge of the batch read
 * last with later ones. The read goes on from it, sliced at `next` (`sliceBatch`). Costs one
 * cursor step, and only where the next page does not start at `next`.
 */
export async function mergedBefore(
  tx: ReadTx,
  topic: string,
  partition: number,
  next: number,
  untilOffset: number,
  page: readonly unknown[],
): Promise<number | null> {
  const first = (page[0] as Partial<RecordBatchHeader> | undefined)?.baseOffset;
  if (next >= untilOffset || (typeof first === 'number' && first <= next)) return null;
  const keys = IDBKeyRange.bound([topic, partition, 0], [topic, partition, next]);
  const cursor = await tx.objectStore('batches').openCursor(keys, 'prev');
  const header: RecordBatchHeader | undefined = cursor?.value;
  if (!header || headerProblem(header)) return null;
  const holds = header.baseOffset < next && header.baseOffset + header.count > next;
  return holds ? header.baseOffset : null;
}

/** The records of `batch` from offset `from` on, as a batch of their own (views, not copies). */
export function sliceBatch(batch: RecordBatch, from: number): RecordBatch {
  const start = from - batch.baseOffset;
  if (start <= 0) return batch;
  const values: Record<string, Column> = {};
  for (const field in batch.values) values[field] = sliceColumn(batch.values[field]!, start);
  return {
    ...batch,
    baseOffset: from,
    count: batch.count - start,
    timestamps: batch.timestamps?.subarray(start),
    keys: batch.keys && sliceColumn(batch.keys, start),
    values,
  };
}

function sliceColumn(column: Column, start: number): Column {
  switch (column.type) {
    case 'string':
      return { ...column, ids: column.ids.subarray(start) };
    case 'number':
      return {
        ...column,
        values: column.values.subarray(start),
        nulls: column.nulls?.subarray(start) ?? null,
      };
    case 'mixed':
      return { ...column, values: column.values.slice(start) };
  }
}
