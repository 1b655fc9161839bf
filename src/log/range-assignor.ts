import type { TopicPartition } from './offsets';

/**
 * Kafka's range assignor for one topic: members sorted by id; each gets a contiguous range of
 * partitions, the first `partitions % members` one more.
 */
export function rangeAssign(
  topic: string,
  partitions: number,
  members: readonly string[],
  memberId: string,
): TopicPartition[] {
  const sorted = [...members].sort();
  const index = sorted.indexOf(memberId);
  if (index < 0) return [];
  const share = Math.floor(partitions / sorted.length);
  const extra = partitions % sorted.length;
  const start = index * share + Math.min(index, extra);
  const count = share + (index < extra ? 1 : 0);
  return Array.from({ length: count }, (_, i) => ({ topic, partition: start + i }));
}
