import {
  committedOffsetProblem,
  lagOf,
  partitionStateProblem,
  type CommittedOffset,
  type LogDB,
  type PartitionState,
} from '../log';
import type { PartitionStatus, TopicStatus } from './snapshot';

/**
 * Every topic's partitions with each consumer group's position, read in one transaction.
 * - must leave out what is damaged (the log names and mends it where it reads it to work).
 */
export async function logStatus(db: LogDB): Promise<TopicStatus[]> {
  const tx = db.transaction(['topics', 'partitions', 'offsets']);
  const [keys, stored, committedStored] = await Promise.all([
    tx.objectStore('topics').getAllKeys(),
    tx.objectStore('partitions').getAll(),
    tx.objectStore('offsets').getAll(),
  ]);
  const topics = keys.filter((key): key is string => typeof key === 'string');
  const partitions = stored.filter((p): p is PartitionState => !partitionStateProblem(p));
  const offsets = committedStored.filter((o): o is CommittedOffset => !committedOffsetProblem(o));
  const key = (group: string, topic: string, partition: number) =>
    JSON.stringify([group, topic, partition]);
  const committed = new Map(offsets.map((o) => [key(o.group, o.topic, o.partition), o.offset]));
  return topics.map((topic) => {
    // The groups that committed an offset in the topic, listed in each of its partitions.
    const groups = [
      ...new Set(offsets.filter((o) => o.topic === topic).map((o) => o.group)),
    ].sort();
    const positions = (state: PartitionState): PartitionStatus['groups'] =>
      groups.map((group) => {
        const offset = committed.get(key(group, topic, state.partition)) ?? null;
        return { group, offset, lag: lagOf(offset, state) };
      });
    return {
      topic,
      partitions: partitions
        .filter((p) => p.topic === topic)
        .map((state) => ({
          partition: state.partition,
          logStartOffset: state.logStartOffset,
          highWatermark: state.highWatermark,
          bytes: state.bytes,
          batches: state.batchCount,
          groups: positions(state),
        })),
    };
  });
}
