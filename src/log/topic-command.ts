// `kafka-topics --describe`'s lines, as Kafka's TopicCommand prints them.
import type { TopicDescription } from './topics';

/**
 * A topic's id as Kafka prints it (a UUID in URL-safe base64, 22 characters). The log stores
 * none, so it is derived from the topic's name and creation time: the same for as long as the
 * topic lives, another one for a topic deleted and created again under its name.
 */
export async function topicId(name: string, createdAt: number): Promise<string> {
  const text = new TextEncoder().encode(`${name}\u0000${createdAt}`);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', text)).subarray(0, 16);
  return btoa(String.fromCharCode(...digest))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
}

/**
 * The lines `kafka-topics --describe` prints for a topic: one for the topic, then one per
 * partition (one tab first). One browser holds every replica: the leader, the only replica and
 * the only in-sync one is broker 0, as on the quick start's single broker.
 */
export function describeLines({ config, partitions }: TopicDescription, id: string): string[] {
  const configs = `retention.ms=${config.retentionMs},retention.bytes=${config.retentionBytes}`;
  return [
    `Topic: ${config.name}\tTopicId: ${id}\tPartitionCount: ${config.partitions}\t` +
      `ReplicationFactor: 1\tConfigs: ${configs}`,
    ...partitions.map(
      (p) => `\tTopic: ${p.topic}\tPartition: ${p.partition}\tLeader: 0\tReplicas: 0\tIsr: 0`,
    ),
  ];
}
