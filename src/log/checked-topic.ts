import { reportDamage } from '../shared';
import {
  UnknownTopicOrPartitionError,
  type LogDB,
  type LogTx,
  type PartitionState,
} from './log-db';
import { logEndOffset, rebuiltState, stateProblem } from './partition-state';
import { topicConfigProblem } from './schema';
import { DEFAULT_RETENTION, type TopicConfig } from './topic-config';

type TopicStores = ('topics' | 'partitions' | 'batches' | 'columns')[];
type ReadTx = LogTx<TopicStores, IDBTransactionMode>;
export type RepairTx = LogTx<TopicStores, 'readwrite'>;

/** A topic's config and the states of its partitions, in partition order, checked. */
export interface CheckedTopic {
  readonly config: TopicConfig;
  readonly states: PartitionState[];
}

/**
 * Reads topic `name` in `tx`, checking its config and every partition's state.
 * - must throw UnknownTopicOrPartitionError when neither its config nor any state is stored;
 * - must resolve with null, changing nothing, when something is damaged or missing.
 */
export async function readTopic(tx: ReadTx, name: string): Promise<CheckedTopic | null> {
  const [config, states] = await Promise.all([
    tx.objectStore('topics').get(name),
    tx.objectStore('partitions').getAll(statesOf(name)),
  ]);
  if (config === undefined && states.length === 0) throw new UnknownTopicOrPartitionError(name);
  if (config === undefined || topicConfigProblem(config) || states.length !== config.partitions)
    return null;
  const problems = await Promise.all(
    states.map((state, i) =>
      state.partition === i
        ? stateProblem(tx, name, i, state)
        : Promise.resolve('a partition state is missing'),
    ),
  );
  return problems.some((problem) => problem !== null) ? null : { config, states };
}

/**
 * Repairs topic `name` in `tx` from what is intact, reporting each damage it finds: a damaged
 * config gets its partition count from the states stored and Kafka's defaults for the rest; a
 * damaged or missing partition state is rebuilt from its record batches.
 * - must throw UnknownTopicOrPartitionError when neither its config nor any state is stored.
 */
export async function repairTopicIn(tx: RepairTx, name: string): Promise<CheckedTopic> {
  const log = tx.db.name;
  const [raw, stored] = await Promise.all([
    tx.objectStore('topics').get(name),
    tx.objectStore('partitions').getAll(statesOf(name)),
  ]);
  if (raw === undefined && stored.length === 0) throw new UnknownTopicOrPartitionError(name);
  const config = repairedConfig(log, name, raw, (stored.at(-1)?.partition ?? -1) + 1);
  // Failures surface once, through the transaction.
  if (config !== raw)
    tx.objectStore('topics')
      .put(config)
      .catch(() => {});
  const states: PartitionState[] = [];
  for (let partition = 0; partition < config.partitions; partition++) {
    let state = stored.find((s) => s.partition === partition);
    const problem = await stateProblem(tx, name, partition, state);
    if (problem) {
      state = await rebuiltState(tx, log, name, partition, state, problem);
      tx.objectStore('partitions')
        .put(state)
        .catch(() => {});
    }
    states.push(state!);
  }
  return { config, states };
}

/** `repairTopicIn`, in a transaction of its own. */
export async function repairTopic(db: LogDB, name: string): Promise<CheckedTopic> {
  const tx = db.transaction(['topics', 'partitions', 'batches', 'columns'], 'readwrite');
  const topic = await repairTopicIn(tx, name);
  await tx.done;
  return topic;
}

/**
 * The states of new partitions `[from, until)` of topic `name`: empty, unless record batches of
 * theirs are still stored (their state was lost): then rebuilt from them, so that no append
 * collides with a stored batch.
 */
export async function newStates(
  tx: RepairTx,
  name: string,
  from: number,
  until: number,
): Promise<PartitionState[]> {
  const states: PartitionState[] = [];
  for (let partition = from; partition < until; partition++) {
    const problem = 'the partition state is missing while its record batches are stored';
    states.push(
      (await logEndOffset(tx, name, partition)) === null
        ? { ...EMPTY, topic: name, partition }
        : await rebuiltState(tx, tx.db.name, name, partition, undefined, problem),
    );
  }
  return states;
}

const EMPTY = { logStartOffset: 0, highWatermark: 0, bytes: 0, batchCount: 0, maxTimestamp: -1 };

function repairedConfig(
  log: string,
  name: string,
  raw: TopicConfig | undefined,
  stored: number,
): TopicConfig {
  const problem =
    raw === undefined ? 'the topic config is missing' : topicConfigProblem({ ...raw, name });
  if (problem === null && raw!.partitions >= stored) return raw!;
  const old = (raw ?? {}) as Partial<Record<keyof TopicConfig, unknown>>;
  const valid = (field: keyof TopicConfig): boolean =>
    topicConfigProblem({
      ...DEFAULT_RETENTION,
      name,
      partitions: 1,
      createdAt: 0,
      [field]: old[field],
    }) === null;
  const config: TopicConfig = {
    name,
    partitions: Math.max(stored, valid('partitions') ? (old.partitions as number) : 1),
    createdAt: valid('createdAt') ? (old.createdAt as number) : Date.now(),
    retentionMs: valid('retentionMs') ? (old.retentionMs as number) : DEFAULT_RETENTION.retentionMs,
    retentionBytes: valid('retentionBytes')
      ? (old.retentionBytes as number)
      : DEFAULT_RETENTION.retentionBytes,
  };
  reportDamage({
    database: log,
    store: 'topics',
    at: `topic "${name}"`,
    problem: `${problem ?? `partitions ${raw!.partitions} is fewer than the ${stored} stored`}; repaired from the partitions stored and the defaults`,
  });
  return config;
}

function statesOf(name: string): IDBKeyRange {
  return IDBKeyRange.bound([name, 0], [name, Infinity]);
}
