import { ConsoleConsumer, type ConsoleConsumerOptions } from './console-consumer';
import { ConsoleProducer, type ConsoleProducerOptions } from './console-producer';
import { Consumer, type ConsumerConfig } from './consumer';
import { openLog, type LogDB } from './log-db';
import { committedOffsets, lagOf, offsetsForTimes, type TopicPartition } from './offsets';
import { Producer, type ProducerConfig } from './producer';
import { InvalidTopicError } from './record-check';
import { enforceRetention } from './retention';
import { isTopicName } from './schema';
import { describeLines, topicId } from './topic-command';
import type { NewTopic, TopicConfig } from './topic-config';
import {
  alterTopic,
  createPartitions,
  createTopic,
  deleteRecords,
  deleteTopic,
  describeTopic,
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

  /**
   * Creates a topic (Kafka's `kafka-topics --create`).
   * - must throw TopicExistsError naming a topic that exists, InvalidTopicError for a name no
   *   topic can have, InvalidTopicConfigError for another invalid setting; creating nothing.
   */
  createTopic(spec: NewTopic): Promise<TopicConfig> {
    const name: unknown = spec?.name;
    if (!isTopicName(name)) {
      const shown = typeof name === 'string' ? `"${name}"` : String(name);
      return Promise.reject(
        new InvalidTopicError(
          `tabstream: invalid topic name ${shown}: 1–249 of letters, digits, ".", "_" and "-"`,
        ),
      );
    }
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
   * Prints topics as `kafka-topics --describe` does (all of them, or `name`), one
   * `console.log` per line, and resolves with their descriptions.
   */
  async describe(name?: string): Promise<TopicDescription[]> {
    const names = name === undefined ? (await this.listTopics()).map((t) => t.name) : [name];
    const descriptions = await Promise.all(names.map((topic) => this.describeTopic(topic)));
    for (const description of descriptions) {
      const { name: topic, createdAt } = description.config;
      for (const line of describeLines(description, await topicId(topic, createdAt))) {
        console.log(line);
      }
    }
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

  /**
   * Kafka's `kafka-console-producer` for `topic`: `send(line)` appends a record whose value is
   * `{ value: line }`; `close()` appends what is left.
   */
  consoleProducer(topic: string, options?: ConsoleProducerOptions): ConsoleProducer {
    return new ConsoleProducer(this.log, topic, options);
  }

  /**
   * Kafka's `kafka-console-consumer` for `topic`: prints each record's value, one
   * `console.log` each, until `stop()` (or `maxMessages`), which resolves with how many.
   */
  consoleConsumer(topic: string, options?: ConsoleConsumerOptions): ConsoleConsumer {
    return new ConsoleConsumer(this.log, topic, options);
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
