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

/** What `createTopic` may set; the rest defaults as in Kafka (`retentionBytes`: from the quota). */
export type NewTopic = Pick<TopicConfig, 'name'> &
  Partial<Pick<TopicConfig, 'partitions' | 'retentionMs' | 'retentionBytes'>>;

/** Kafka's defaults: `retention.ms` 7 days, `retention.bytes` -1 (none; see `defaultRetentionBytes`). */
export const DEFAULT_RETENTION = { retentionMs: 7 * 24 * 3600 * 1000, retentionBytes: -1 } as const;

/** The share of the origin's storage quota that a topic created without `retentionBytes` keeps. */
export const DEFAULT_RETENTION_QUOTA_SHARE = 0.1;
const MIN_DEFAULT_RETENTION_BYTES = 64 * 1024;
const MAX_DEFAULT_RETENTION_BYTES = 1024 ** 3;

/**
 * The `retentionBytes` of a topic of `partitions` created without one: a page's log must not
 * grow until the origin's quota is full, so it keeps DEFAULT_RETENTION_QUOTA_SHARE (10%) of
 * `navigator.storage.estimate()`'s quota, split over its partitions, within [64 KiB, 1 GiB] a
 * partition; -1 (no limit) where the quota is unknown. The limit counts the batches' chunk
 * bytes, as Kafka counts segment bytes: the origin also pays for headers and IndexedDB's own
 * overhead, which the 90% left over covers.
 */
export async function defaultRetentionBytes(partitions: number): Promise<number> {
  const quota = await storageQuota();
  if (quota === null) return DEFAULT_RETENTION.retentionBytes;
  const share = Math.floor((quota * DEFAULT_RETENTION_QUOTA_SHARE) / Math.max(1, partitions));
  return Math.min(MAX_DEFAULT_RETENTION_BYTES, Math.max(MIN_DEFAULT_RETENTION_BYTES, share));
}

async function storageQuota(): Promise<number | null> {
  try {
    const { quota } = (await globalThis.navigator?.storage?.estimate?.()) ?? {};
    return typeof quota === 'number' && quota > 0 ? quota : null;
  } catch {
    return null; // no storage manager here (an opaque origin, or Node)
  }
}

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
