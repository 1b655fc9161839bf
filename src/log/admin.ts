import { Consumer, type ConsumerConfig } from './consumer';
import { openLog, type LogDB } from './log-db';
import { committedOffsets, lagOf, offsetsForTimes, type TopicPartition } from './offsets';
import { Producer, type ProducerConfig } from './producer';
import { enforceRetention } from './retention';
import type { NewTopic, TopicConfig } from './topic-config';
import {
  alterTopic,
  createPartitions,
  createTopic,
  deleteRecords,
  deleteTopic,
  describeTopic,
  formatDescription,
  listTopics,
  partitionsOf,
  type TopicDescription,
} from './topics';

/**
 * A consumer group's position in a partition: its committed offset (null if it committed none),
 * the high watermark, and the lag: records from the committed offset (or the log start, if
 * later or none) to the high watermark.
 */
export interface GroupPartitionOffset extends TopicPartition {
  readonly offset: number | null;
  readonly highWatermark: number;
  readonly lag: number;
}

/**
 * One log as an application or the devtools console sees it: Kafka's AdminClient, plus
 * producers and consumers of the same log. Every method opens the log on first use.
 */
export class Admin {
  private db: Promise<LogDB> | null = null;

  constructor(readonly log: string) {}

  listTopics(): Promise<TopicConfig[]> {
    return this.with(listTopics);
  }

  createTopic(spec: NewTopic): Promise<TopicConfig> {
    return this.with((db) => createTopic(db, spec));
  }

  deleteTopic(name: string): Promise<void> {
    return this.with((db) => deleteTopic(db, name));
  }

  /** Changes a topic's retention (Kafka's `kafka-configs --alter`). */
  alterTopic(
    name: string,
    changes: Partial<Pick<TopicConfig, 'retentionMs' | 'retentionBytes'>>,
  ): Promise<TopicConfig> {
    return this.with((db) => alterTopic(db, name, changes));
  }

  /** Raises a topic's partition count (Kafka's `createPartitions`). */
  createPartitions(name: string, count: number): Promise<TopicConfig> {
    return this.with((db) => createPartitions(db, name, count));
  }

  describeTopic(name: string): Promise<TopicDescription> {
    return this.with((db) => describeTopic(db, name));
  }

  /**
   * Prints topics as `kafka-topics --describe` does (all of them, or `name`), and resolves with
   * what it printed.
   */
  async describe(name?: string): Promise<TopicDescription[]> {
    const names = name === undefined ? (await this.listTopics()).map((t) => t.name) : [name];
    const descriptions = await Promise.all(names.map((topic) => this.describeTopic(topic)));
    console.log(descriptions.map(formatDescription).join('\n') || '(no topics)');
    return descriptions;
  }

  /** Deletes a partition's records before `offset` (Kafka's `deleteRecords`); resolves with the new log-start offset. */
  deleteRecords(topic: string, partition: number, offset: number): Promise<number> {
    return this.with((db) => deleteRecords(db, topic, partition, offset));
  }

  /** Per partition, the earliest offset whose timestamp is at or after `timestamp` (Kafka's `offsetsForTimes`). */
  offsetsForTimes(topic: string, timestamp: number): ReturnType<typeof offsetsForTimes> {
    return this.with((db) => offsetsForTimes(db, topic, timestamp));
  }

  /** A group's committed offsets of a topic, with each partition's lag (Kafka's `kafka-consumer-groups --describe`). */
  async listConsumerGroupOffsets(group: string, topic: string): Promise<GroupPartitionOffset[]> {
    const db = await this.open();
    const states = await partitionsOf(db, topic);
    const committed = await committedOffsets(db, group, states);
    return states.map((state, i) => {
      const offset = committed[i]?.offset ?? null;
      const { partition, highWatermark } = state;
      return { topic, partition, offset, highWatermark, lag: lagOf(offset, state) };
    });
  }

  /** Applies every topic's retention now; resolves with the number of records deleted. */
  enforceRetention(): Promise<number> {
    return this.with((db) => enforceRetention(db));
  }

  producer(config: Omit<ProducerConfig, 'log'> = {}): Producer {
    return new Producer({ ...config, log: this.log });
  }

  consumer(config: Omit<ConsumerConfig, 'log'> = {}): Consumer {
    return new Consumer({ ...config, log: this.log });
  }

  async close(): Promise<void> {
    const db = this.db;
    this.db = null;
    if (db) (await db).close();
  }

  private open(): Promise<LogDB> {
    this.db ??= openLog(this.log);
    this.db.catch(() => (this.db = null));
    return this.db;
  }

  private async with<T>(operation: (db: LogDB) => Promise<T>): Promise<T> {
    return operation(await this.open());
  }
}
