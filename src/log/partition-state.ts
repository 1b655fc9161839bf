import { reportDamage } from '../shared';
import { chunkCount } from './column-chunk';
import type { LogTx, PartitionState } from './log-db';
import { TIMESTAMP_COLUMN, type RecordBatchHeader } from './record-batch';
import { headerProblem, partitionStateProblem } from './schema';

/** A transaction that can read what a partition's state is checked against. */
export type CheckTx = Pick<
  LogTx<('partitions' | 'batches' | 'columns')[], IDBTransactionMode>,
  'objectStore' | 'db'
>;

/**
 * What is wrong with partition `topic-partition`'s stored state `value`, or null: its shape, or
 * its high watermark against the partition's last record batch. The last batch appended is the
 * last one stored (retention deletes from the head), so while any batch is stored the high
 * watermark is its end, as Kafka recovers a segment's end offset from its last batch.
 * Costs two cursor steps: the last header, and the key of the last timestamp chunk.
 */
export async function stateProblem(
  tx: CheckTx,
  topic: string,
  partition: number,
  value: PartitionState | undefined,
): Promise<string | null> {
  if (value === undefined) return 'the partition state is missing';
  return stateProblemAt(value, await logEndOffset(tx, topic, partition));
}

/** `stateProblem` given the partition's `logEndOffset`, read along with the state. */
export function stateProblemAt(
  value: PartitionState | undefined,
  end: number | null,
): string | null {
  if (value === undefined) return 'the partition state is missing';
  const problem = partitionStateProblem(value);
  if (problem) return problem;
  return end !== null && end !== value.highWatermark
    ? `highWatermark ${value.highWatermark} is not the end of the last record batch, ${end}`
    : null;
}

/**
 * The state of partition `topic-partition` rebuilt from what is intact: the high watermark from
 * its last batch, sizes from its headers, the log-start offset kept if it still fits. Reported
 * as damage (`problem`) in log `log`; the caller puts it.
 */
export async function rebuiltState(
  tx: CheckTx,
  log: string,
  topic: string,
  partition: number,
  damaged: unknown,
  problem: string,
): Promise<PartitionState> {
  const headers = (await tx.objectStore('batches').getAll(batchKeys(topic, partition))).filter(
    (header) => headerProblem(header) === null,
  );
  const old = (typeof damaged === 'object' && damaged !== null ? damaged : {}) as Partial<
    Record<keyof PartitionState, unknown>
  >;
  const kept = (field: keyof PartitionState, fallback: number): number =>
    Number.isSafeInteger(old[field]) && (old[field] as number) >= 0
      ? (old[field] as number)
      : fallback;
  const end = await logEndOffset(tx, topic, partition);
  const highWatermark = end ?? kept('highWatermark', kept('logStartOffset', 0));
  const first = headers[0]?.baseOffset ?? highWatermark;
  const logStartOffset = Math.min(kept('logStartOffset', first), highWatermark);
  const maxTimestamp = Math.max(
    Number.isFinite(old.maxTimestamp) ? (old.maxTimestamp as number) : -1,
    ...headers.map((header) => header.maxTimestamp),
  );
  const state: PartitionState = {
    topic,
    partition,
    logStartOffset,
    highWatermark,
    bytes: headers.reduce((sum, header) => sum + header.bytes, 0),
    batchCount: headers.length,
    maxTimestamp,
  };
  reportDamage({
    database: log,
    store: 'partitions',
    at: `${topic}-${partition}`,
    problem: `${problem}; rebuilt from the record batches (high watermark ${highWatermark})`,
  });
  return state;
}

/** The end offset of a partition's last stored batch, or null when none is stored. */
export async function logEndOffset(
  tx: CheckTx,
  topic: string,
  partition: number,
): Promise<number | null> {
  const [last, chunk] = await Promise.all([
    tx.objectStore('batches').openCursor(batchKeys(topic, partition), 'prev'),
    tx
      .objectStore('columns')
      .openKeyCursor(
        IDBKeyRange.bound(
          [topic, partition, TIMESTAMP_COLUMN, 0],
          [topic, partition, TIMESTAMP_COLUMN, Infinity],
        ),
        'prev',
      ),
  ]);
  const header: RecordBatchHeader | undefined = last?.value;
  const headerEnd = header && !headerProblem(header) ? header.baseOffset + header.count : null;
  const chunkBase = chunk?.key[3];
  // Every batch has a timestamp chunk: one past the last header means the last header is lost.
  if (chunkBase === undefined || (headerEnd !== null && chunkBase < headerEnd)) return headerEnd;
  const count = chunkCount(await tx.objectStore('columns').get(chunk!.key)) ?? 0;
  return Math.max(headerEnd ?? 0, chunkBase + count);
}

export function batchKeys(topic: string, partition: number): IDBKeyRange {
  return IDBKeyRange.bound([topic, partition, 0], [topic, partition, Infinity]);
}
