import {
  UnknownTopicOrPartitionError,
  type LogDB,
  type PartitionState,
  type TopicConfig,
} from './log-db';

/**
 * Creates topic `name` with `partitions` partitions unless it exists, and returns its config.
 * - must be atomic: tabs creating the same topic at once end with one topic;
 * - must keep an existing topic as it is, whatever `partitions` asks for.
 */
export async function ensureTopic(
  db: LogDB,
  name: string,
  partitions: number,
): Promise<TopicConfig> {
  if (!Number.isInteger(partitions) || partitions < 1) {
    throw new RangeError(
      `tabstream: a topic needs a whole number of partitions ≥ 1, not ${partitions}`,
    );
  }
  const tx = db.transaction(['topics', 'partitions'], 'readwrite');
  const existing = await tx.objectStore('topics').get(name);
  if (existing) {
    await tx.done;
    return existing;
  }
  const topic: TopicConfig = { name, partitions, createdAt: Date.now() };
  const writes: Promise<unknown>[] = [tx.objectStore('topics').add(topic)];
  for (let partition = 0; partition < partitions; partition++) {
    const state: PartitionState = { topic: name, partition, logStartOffset: 0, highWatermark: 0 };
    writes.push(tx.objectStore('partitions').add(state));
  }
  await Promise.all([...writes, tx.done]);
  return topic;
}

/**
 * The state of every partition of a topic, in partition order, read in one transaction so that
 * the offsets form one consistent snapshot.
 */
export async function describeTopic(db: LogDB, name: string): Promise<PartitionState[]> {
  const range = IDBKeyRange.bound([name, 0], [name, Infinity]);
  const states = await db.getAll('partitions', range);
  if (states.length === 0) throw new UnknownTopicOrPartitionError(name);
  return states;
}
