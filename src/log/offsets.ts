import { reportDamage } from '../shared';
import { checkedColumn, CorruptRecordError, recordWindow } from './fetch';
import type { CommittedOffset, LogDB, PartitionState } from './log-db';
import { TIMESTAMP_COLUMN, type NumberColumn, type RecordBatchHeader } from './record-batch';
import { committedOffsetProblem, headerProblem } from './schema';
import { partitionsOf } from './topics';

/** A partition of a topic. */
export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** A partition's key in a map: `<partition>:<topic>`. */
export function partitionId(topic: string, partition: number): string {
  return `${partition}:${topic}`;
}

/** An offset of a partition: what consumers commit and lookups return. */
export interface TopicPartitionOffset extends TopicPartition {
  readonly offset: number;
}

/**
 * A group's lag in a partition: the records from its committed offset (or the log start, if
 * later or none) to the high watermark.
 */
export function lagOf(
  offset: number | null,
  { logStartOffset, highWatermark }: Pick<PartitionState, 'logStartOffset' | 'highWatermark'>,
): number {
  return highWatermark - Math.max(offset ?? logStartOffset, logStartOffset);
}

/**
 * Stores consumer group `group`'s offsets (the next offset to read, per partition) in one
 * transaction, with `metadata`.
 */
export async function commitOffsets(
  db: LogDB,
  group: string,
  offsets: readonly TopicPartitionOffset[],
  metadata = '',
): Promise<void> {
  const tx = db.transaction('offsets', 'readwrite');
  const committedAt = Date.now();
  await Promise.all([
    ...offsets.map(({ topic, partition, offset }) =>
      tx.store.put({ group, topic, partition, offset, metadata, committedAt }),
    ),
    tx.done,
  ]);
}

/**
 * Group `group`'s committed offsets of `partitions` (undefined where it committed none).
 * - must treat a damaged committed offset as none (the group's reset policy then applies), and
 *   report it.
 */
export async function committedOffsets(
  db: LogDB,
  group: string,
  partitions: readonly TopicPartition[],
): Promise<(CommittedOffset | undefined)[]> {
  const tx = db.transaction('offsets');
  const found = await Promise.all(
    partitions.map(({ topic, partition }) => tx.store.get([group, topic, partition])),
  );
  return found.map((offset, i) => {
    const problem = offset && committedOffsetProblem(offset);
    if (!problem) return offset;
    const { topic, partition } = partitions[i]!;
    reportDamage({
      database: db.name,
      store: 'offsets',
      at: `group "${group}" ${topic}-${partition}`,
      problem: `${problem}; taken as no committed offset (the reset policy applies)`,
    });
    return undefined;
  });
}

/**
 * Kafka's `offsetsForTimes`: per partition of `topic`, the earliest offset whose record's
 * timestamp is at or after `timestamp`, with that timestamp; null where no record is that late.
 * Reads batch headers up to the first batch that reaches it, and that batch's timestamps only.
 * - must throw CorruptRecordError if that batch's timestamps are corrupt.
 */
export async function offsetsForTimes(
  db: LogDB,
  topic: string,
  timestamp: number,
): Promise<({ partition: number; offset: number; timestamp: number } | null)[]> {
  const states = await partitionsOf(db, topic);
  return Promise.all(states.map((state) => offsetForTime(db, state, timestamp)));
}

async function offsetForTime(
  db: LogDB,
  {
    topic,
    partition,
    logStartOffset,
  }: { topic: string; partition: number; logStartOffset: number },
  timestamp: number,
): Promise<{ partition: number; offset: number; timestamp: number } | null> {
  const tx = db.transaction(['batches', 'columns']);
  const keys = IDBKeyRange.bound([topic, partition, 0], [topic, partition, Infinity]);
  // Timestamps are CreateTime, not ordered: the first batch whose largest timestamp reaches
  // `timestamp` holds the earliest such offset (Kafka's time index works the same way).
  for (
    let cursor = await tx.objectStore('batches').openCursor(keys);
    cursor;
    cursor = await cursor.continue()
  ) {
    const header = cursor.value;
    if (headerProblem(header) || header.maxTimestamp < timestamp) continue; // reads name it
    const key = [topic, partition, TIMESTAMP_COLUMN, header.baseOffset] as const;
    const column = timestampsOf(await tx.objectStore('columns').get([...key]), header);
    const range = { topic, partition, fromOffset: logStartOffset, untilOffset: Infinity };
    const [start, end] = recordWindow(header, range);
    for (let i = start; i < end; i++) {
      if (column.values[i]! >= timestamp) {
        return { partition, offset: header.baseOffset + i, timestamp: column.values[i]! };
      }
    }
  }
  return null;
}

function timestampsOf(buffer: ArrayBuffer | undefined, header: RecordBatchHeader): NumberColumn {
  const column = checkedColumn(buffer, header, TIMESTAMP_COLUMN);
  if (column?.type === 'number') return column;
  const { topic, partition, baseOffset, count } = header;
  throw new CorruptRecordError(topic, partition, baseOffset, count, 'timestamps are not numbers');
}
