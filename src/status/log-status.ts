import type { CommittedOffset, LogDB, PartitionState } from '../log';
import type { PartitionStatus, TopicStatus } from './snapshot';

/** Every topic's partitions with each consumer group's position, read in one transaction. */
export async function logStatus(db: LogDB): Promise<TopicStatus[]> {
  const tx = db.transaction(['topics', 'partitions', 'offsets']);
  const [topics, partitions, offsets] = await Promise.all([
    tx.objectStore('topics').getAllKeys(),
    tx.objectStore('partitions').getAll(),
    tx.objectStore('offsets').getAll(),
  ]);
  const groups = [...new Set(offsets.map((o) => o.group))].sort();
  return topics.map((topic) => ({
    topic,
    partitions: partitions
      .filter((p) => p.topic === topic)
      .map((p) => partitionStatus(p, groupsOf(groups, offsets, p))),
  }));
}

/** The groups that committed an offset in `partition`'s topic, with their offset there (if any). */
function groupsOf(
  groups: readonly string[],
  offsets: readonly CommittedOffset[],
  { topic, partition }: PartitionState,
): [string, number | null][] {
  const inTopic = groups.filter((g) => offsets.some((o) => o.group === g && o.topic === topic));
  return inTopic.map((group) => [
    group,
    offsets.find((o) => o.group === group && o.topic === topic && o.partition === partition)
      ?.offset ?? null,
  ]);
}

function partitionStatus(
  { partition, logStartOffset, highWatermark, bytes }: PartitionState,
  groups: readonly [string, number | null][],
): PartitionStatus {
  return {
    partition,
    logStartOffset,
    highWatermark,
    bytes,
    groups: groups.map(([group, offset]) => ({
      group,
      offset,
      lag: highWatermark - Math.min(highWatermark, Math.max(offset ?? 0, logStartOffset)),
    })),
  };
}
