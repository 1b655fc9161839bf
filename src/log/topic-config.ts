import { isTopicName } from './schema';

/**
 * A topic: a named, partitioned log. Its partition count never shrinks. Retention deletes whole
 * record batches from the head of a partition once they are older than `retentionMs` (by their
 * largest timestamp) or the partition holds more than `retentionBytes`; -1 means no limit.
 */
export interface TopicConfig {
  readonly name: string;
  readonly partitions: number;
  readonly createdAt: number;
  readonly retentionMs: number;
  readonly retentionBytes: number;
}

/** What `createTopic` may set; the rest defaults as in Kafka. */
export type NewTopic = Pick<TopicConfig, 'name'> &
  Partial<Pick<TopicConfig, 'partitions' | 'retentionMs' | 'retentionBytes'>>;

/** Kafka's defaults: `retention.ms` 7 days, `retention.bytes` -1 (none). */
export const DEFAULT_RETENTION = { retentionMs: 7 * 24 * 3600 * 1000, retentionBytes: -1 } as const;

/** Thrown for a topic config no log can have; the message names the setting and what it takes. */
export class InvalidTopicConfigError extends RangeError {
  override name = 'InvalidTopicConfigError';
}

/**
 * A full topic config from `spec`.
 * - must throw InvalidTopicConfigError naming the first invalid setting.
 */
export function topicConfig(spec: NewTopic, now = Date.now()): TopicConfig {
  const config = { partitions: 1, ...DEFAULT_RETENTION, ...spec, createdAt: now };
  if (!isTopicName(config.name)) {
    invalid(`topic name "${config.name}": 1–249 of letters, digits, ".", "_" and "-"`);
  }
  if (!Number.isInteger(config.partitions) || config.partitions < 1) {
    invalid(`partitions ${config.partitions}: a whole number ≥ 1`);
  }
  for (const setting of ['retentionMs', 'retentionBytes'] as const) {
    const value = config[setting];
    if (!Number.isInteger(value) || value < -1 || value === 0) {
      invalid(`${setting} ${value}: a whole number ≥ 1, or -1 for no limit`);
    }
  }
  return config;
}

function invalid(what: string): never {
  throw new InvalidTopicConfigError(`tabstream: invalid topic config: ${what}`);
}
