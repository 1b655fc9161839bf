import {
  commitOffsets,
  committedOffsets,
  partitionId,
  type ConsumerRecord,
  type LogDB,
  type PartitionState,
  type TopicPartitionOffset,
} from '../log';

/** The consumer group of the sink: its committed offsets are what Kafka acknowledged. */
export const SINK_GROUP = 'tabstream-sink';

/** A log id as `randomId()` makes them. */
const LOG_ID = /^[0-9a-f]{32}$/;

/** `<log id>:<topic>:<partition>:<offset>`: a record's `_id`, unique and stable. */
export function recordId(logId: string, { topic, partition, offset }: ConsumerRecord): string {
  return `${logId}:${topic}:${partition}:${offset}`;
}

/**
 * The log id of each partition of `states`: the random id its records' `_id`s begin with, kept
 * as the metadata of the group's committed offset (Kafka's OffsetAndMetadata), so that it
 * lives and dies with the offsets it numbers.
 * - must keep a partition's id once committed: `_id`s stay the same across retries, reloads
 *   and new sinks;
 * - must commit `fresh` as the id of a partition that has none, at the offset the sink starts
 *   from, before any of its records ships: a cleared log, or a topic deleted and created
 *   again, numbers its offsets from 0 again, under an id never used.
 */
export async function logIdsOf(
  db: LogDB,
  states: readonly PartitionState[],
  fresh: string,
): Promise<{ logId: string; offset: number }[]> {
  const committed = await committedOffsets(db, SINK_GROUP, states);
  const missing: TopicPartitionOffset[] = [];
  const found = states.map(({ topic, partition, logStartOffset }, i) => {
    const offset = committed[i]?.offset ?? logStartOffset;
    const metadata = committed[i]?.metadata ?? '';
    if (LOG_ID.test(metadata)) return { logId: metadata, offset };
    missing.push({ topic, partition, offset });
    return { logId: fresh, offset };
  });
  if (missing.length > 0) await commitOffsets(db, SINK_GROUP, missing, fresh);
  return found;
}

/**
 * Commits, for each partition of `records` (in offset order per partition), the offset after its
 * last one, with the partition's log id; resolves with what it committed.
 */
export async function commitShipped(
  db: LogDB,
  records: readonly ConsumerRecord[],
  logIdOf: (record: ConsumerRecord) => string,
): Promise<TopicPartitionOffset[]> {
  const last = new Map<string, ConsumerRecord>();
  for (const record of records) last.set(partitionId(record.topic, record.partition), record);
  const commits = [...last.values()].map((record) => ({
    offset: { topic: record.topic, partition: record.partition, offset: record.offset + 1 },
    logId: logIdOf(record),
  }));
  await Promise.all(
    commits.map(({ offset, logId }) => commitOffsets(db, SINK_GROUP, [offset], logId)),
  );
  return commits.map(({ offset }) => offset);
}
