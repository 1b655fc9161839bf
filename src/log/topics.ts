import { abortQuietly } from './abort-quietly';
import {
  UnknownTopicOrPartitionError,
  type LogDB,
  type LogTx,
  type PartitionState,
} from './log-db';
import { reportDamage } from '../shared';
import { newStates, readTopic, repairTopic, repairTopicIn } from './checked-topic';
import { batchKeys } from './partition-state';
import { columnsOf, type RecordBatchHeader } from './record-batch';
import { headerProblem, isTopicName, show, topicConfigProblem } from './schema';
import {
  defaultRetentionBytes,
  topicConfig,
  type NewTopic,
  type TopicConfig,
} from './topic-config';

/** Thrown when creating a topic that exists. */
export class TopicExistsError extends Error {
  override name = 'TopicExistsError';
}

/** A partition as `describeTopic` reports it (Kafka's `kafka-topics --describe`, plus sizes). */
export interface PartitionDescription extends PartitionState {
  /** The first readable record's timestamp, or null for an empty partition. */
  readonly firstTimestamp: number | null;
  /** The largest timestamp appended, or null if none. */
  readonly lastTimestamp: number | null;
}

export interface TopicDescription {
  readonly config: TopicConfig;
  readonly partitions: readonly PartitionDescription[];
}

/**
 * Creates a topic.
 * - must be atomic: of tabs creating the same topic at once, one succeeds and the others get
 *   TopicExistsError;
 * - must throw InvalidTopicConfigError for an invalid config, creating nothing;
 * - must give a topic created without `retentionBytes` a share of the origin's storage quota
 *   (`defaultRetentionBytes`), so that a page's log cannot grow until the quota is full.
 */
export async function createTopic(db: LogDB, spec: NewTopic): Promise<TopicConfig> {
  const retentionBytes = spec.retentionBytes ?? (await defaultRetentionBytes(spec.partitions ?? 1));
  const config = topicConfig({ ...spec, retentionBytes });
  const tx = db.transaction(['topics', 'partitions', 'batches', 'columns'], 'readwrite');
  const [existing, state] = await Promise.all([
    tx.objectStore('topics').get(config.name),
    tx
      .objectStore('partitions')
      .getKey(IDBKeyRange.bound([config.name, 0], [config.name, Infinity])),
  ]);
  if (existing || state) {
    // A topic whose config was lost still has its partitions: it exists, repaired.
    if (!existing) await repairTopicIn(tx, config.name);
    await tx.done;
    throw new TopicExistsError(`tabstream: topic "${config.name}" already exists`);
  }
  const states = await newStates(tx, config.name, 0, config.partitions);
  await Promise.all([
    tx.objectStore('topics').add(config),
    ...states.map((s) => tx.objectStore('partitions').add(s)),
    tx.done,
  ]);
  return config;
}

/**
 * Creates topic `spec.name` unless it exists, and returns its config.
 * - must keep an existing topic as it is, whatever `spec` asks for.
 */
export async function ensureTopic(db: LogDB, spec: NewTopic): Promise<TopicConfig> {
  try {
    return await createTopic(db, spec);
  } catch (error) {
    if (!(error instanceof TopicExistsError)) throw error;
    return topicOf(db, spec.name);
  }
}

/** The configs of every topic, by name, checked (a damaged one repaired, or left out if nameless). */
export async function listTopics(db: LogDB): Promise<TopicConfig[]> {
  const tx = db.transaction('topics');
  const [names, configs] = await Promise.all([tx.store.getAllKeys(), tx.store.getAll()]);
  const checked: TopicConfig[] = [];
  for (const [i, config] of configs.entries()) {
    const name: unknown = names[i];
    if (!topicConfigProblem(config)) checked.push(config);
    else if (isTopicName(name)) checked.push(await topicOf(db, name as string));
    else
      reportDamage({
        database: db.name,
        store: 'topics',
        at: `key ${show(name)}`,
        problem: 'a config stored under no topic name; left out',
      });
  }
  return checked;
}

/** A topic's config, checked (repaired, and reported, if damaged or lost). */
export async function topicOf(db: LogDB, name: string): Promise<TopicConfig> {
  const config = await db.get('topics', name);
  if (config && !topicConfigProblem(config)) return config;
  return (await repairTopic(db, name)).config;
}

/**
 * The state of every partition of a topic, in partition order, read in one transaction so that
 * the offsets form one consistent snapshot; checked against the schema and the record batches
 * stored, and repaired (and reported) where damaged.
 */
export async function partitionsOf(db: LogDB, name: string): Promise<PartitionState[]> {
  const tx = db.transaction(['topics', 'partitions', 'batches', 'columns']);
  const topic = await readTopic(tx, name);
  return (topic ?? (await repairTopic(db, name))).states;
}

/** A topic's config and partitions, checked. */
export async function describeTopic(db: LogDB, name: string): Promise<TopicDescription> {
  const states = await partitionsOf(db, name);
  const config = await topicOf(db, name);
  const tx = db.transaction('batches');
  const partitions = await Promise.all(
    states.map(async (state) => {
      const first = await tx.store.openCursor(batchKeys(name, state.partition));
      const firstTimestamp = first?.value.firstTimestamp;
      return {
        ...state,
        firstTimestamp: Number.isFinite(firstTimestamp) ? firstTimestamp! : null,
        lastTimestamp: state.maxTimestamp < 0 ? null : state.maxTimestamp,
      };
    }),
  );
  return { config, partitions };
}

/**
 * Changes a topic's retention (Kafka's `kafka-configs --alter`); it applies at the next check.
 * - must throw InvalidTopicConfigError, changing nothing, for an invalid value.
 */
export async function alterTopic(
  db: LogDB,
  name: string,
  changes: Partial<Pick<TopicConfig, 'retentionMs' | 'retentionBytes'>>,
): Promise<TopicConfig> {
  await topicOf(db, name); // repaired first, if damaged
  const tx = db.transaction('topics', 'readwrite');
  const config = await tx.store.get(name);
  if (!config) throw new UnknownTopicOrPartitionError(name);
  const altered = { ...topicConfig({ ...config, ...changes }), createdAt: config.createdAt };
  await Promise.all([tx.store.put(altered), tx.done]);
  return altered;
}

/**
 * Raises a topic's partition count to `count` (Kafka's `createPartitions`). Keyed records may
 * then map to other partitions than before, as in Kafka.
 * - must throw RangeError, changing nothing, unless `count` exceeds the current count.
 */
export async function createPartitions(
  db: LogDB,
  name: string,
  count: number,
): Promise<TopicConfig> {
  const tx = db.transaction(['topics', 'partitions', 'batches', 'columns'], 'readwrite');
  const { config } = await repairTopicIn(tx, name);
  if (!Number.isInteger(count) || count <= config.partitions) {
    abortQuietly(tx);
    throw new RangeError(
      `tabstream: topic "${name}" has ${config.partitions} partitions; ask for more, not ${count}`,
    );
  }
  const grown = { ...config, partitions: count };
  const states = await newStates(tx, name, config.partitions, count);
  await Promise.all([
    tx.objectStore('topics').put(grown),
    ...states.map((s) => tx.objectStore('partitions').add(s)),
    tx.done,
  ]);
  return grown;
}

const TOPIC_STORES = [
  'topics',
  'partitions',
  'batches',
  'columns',
  'producers',
  'offsets',
] as const;

/**
 * Deletes a topic: its config, partitions, record batches, producer states and the offsets
 * consumer groups committed for it, in one transaction.
 */
export async function deleteTopic(db: LogDB, name: string): Promise<void> {
  const tx = db.transaction([...TOPIC_STORES], 'readwrite');
  if (!(await tx.objectStore('topics').get(name))) throw new UnknownTopicOrPartitionError(name);
  await Promise.all([
    tx.objectStore('topics').delete(name),
    tx.objectStore('partitions').delete(IDBKeyRange.bound([name, 0], [name, Infinity])),
    tx.objectStore('batches').delete(IDBKeyRange.bound([name, 0, 0], [name, Infinity, Infinity])),
    tx.objectStore('columns').delete(IDBKeyRange.bound([name], [name, []])),
    deleteOfTopic(tx, 'producers', name),
    deleteOfTopic(tx, 'offsets', name),
    tx.done,
  ]);
}

/**
 * Deletes the record batches of a partition before `offset` and moves its log-start offset
 * there (Kafka's `deleteRecords`); a batch straddling `offset` stays, its first records hidden.
 * Resolves with the new log-start offset.
 */
export async function deleteRecords(
  db: LogDB,
  topic: string,
  partition: number,
  offset: number,
): Promise<number> {
  const tx = db.transaction(['topics', 'partitions', 'batches', 'columns'], 'readwrite');
  const state = (await repairTopicIn(tx, topic)).states[partition];
  if (!state) throw new UnknownTopicOrPartitionError(topic, partition);
  const target = Math.min(Math.max(offset, state.logStartOffset), state.highWatermark);
  await truncateHead(tx, state, (header) => header.baseOffset + header.count <= target);
  state.logStartOffset = Math.max(state.logStartOffset, target);
  await Promise.all([tx.objectStore('partitions').put(state), tx.done]);
  return state.logStartOffset;
}

type TruncateTx = Pick<
  LogTx<('partitions' | 'batches' | 'columns')[], 'readwrite'>,
  'objectStore' | 'db'
>;

/**
 * Deletes whole record batches from the head of a partition while `shouldDelete(header)` holds,
 * updating `state` (log-start offset, bytes, batch count; the caller puts it); resolves with the
 * number of records deleted.
 */
export async function truncateHead(
  tx: TruncateTx,
  state: PartitionState,
  shouldDelete: (header: RecordBatchHeader) => boolean,
): Promise<number> {
  const { topic, partition } = state;
  const keys = IDBKeyRange.bound([topic, partition, 0], [topic, partition, Infinity]);
  let deleted = 0;
  for (let cursor = await tx.objectStore('batches').openCursor(keys); cursor;) {
    const header = cursor.value;
    const problem = headerProblem(header);
    if (problem) {
      // Which chunks are its, and how many records, cannot be known: it stays, named.
      reportDamage({
        database: tx.db.name,
        store: 'batches',
        at: `${topic}-${partition} offset ${header.baseOffset}`,
        problem: `${problem}; retention stops before it`,
      });
      break;
    }
    if (!shouldDelete(header)) break;
    // Failures surface once, through the transaction.
    for (const column of columnsOf(header)) {
      tx.objectStore('columns')
        .delete([topic, partition, column, header.baseOffset])
        .catch(() => {});
    }
    cursor.delete().catch(() => {});
    state.logStartOffset = Math.max(state.logStartOffset, header.baseOffset + header.count);
    state.bytes -= header.bytes;
    state.batchCount--;
    deleted += header.count;
    cursor = await cursor.continue();
  }
  return deleted;
}

/** Deletes the keys of `store` whose topic (the key's second part) is `topic`. */
async function deleteOfTopic(
  tx: LogTx<(typeof TOPIC_STORES)[number][], 'readwrite'>,
  store: 'producers' | 'offsets',
  topic: string,
): Promise<void> {
  const keys = await tx.objectStore(store).getAllKeys();
  await Promise.all(
    keys.filter((key) => key[1] === topic).map((key) => tx.objectStore(store).delete(key)),
  );
}
