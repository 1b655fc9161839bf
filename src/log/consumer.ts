import { joinGroup, type Membership } from '../coord';
import { reportOnce } from '../shared';
import { sleepUntil } from '../shared';
import { fetchBatches, type CorruptRecordError } from './fetch';
import { onAppended } from './log-events';
import { isConnectionClosed, openLog, type LogDB, type PartitionState } from './log-db';
import {
  commitOffsets,
  committedOffsets,
  partitionId,
  type TopicPartition,
  type TopicPartitionOffset,
} from './offsets';
import { PartitionCursor, type ConsumerRecord } from './partition-cursor';
import type { RecordBatch } from './record-batch';
import { PartitionOwnership } from './partition-ownership';
import { rangeAssign } from './range-assignor';
import { partitionsOf } from './topics';

/** Where a consumer starts a partition it has no position or committed offset for. */
export type OffsetResetPolicy = 'earliest' | 'latest' | 'none';

export interface ConsumerConfig {
  /** The log (IndexedDB database) to read: Kafka's `bootstrap.servers`. */
  readonly log: string;
  /** The consumer group: needed to `subscribe` and to `commit`. */
  readonly groupId?: string;
  /** Kafka's `auto.offset.reset`. Default 'latest'. */
  readonly autoOffsetReset?: OffsetResetPolicy;
  /** The most records one poll returns (Kafka's `max.poll.records`). Default 500. */
  readonly maxPollRecords?: number;
  /** Commit positions as records are polled, every `autoCommitIntervalMs`, and on close. Default true. */
  readonly enableAutoCommit?: boolean;
  readonly autoCommitIntervalMs?: number;
  /** Check each batch's CRC-32 (Kafka's `check.crcs`). Default true. */
  readonly checkCrcs?: boolean;
  /** Skip corrupt record batches (counted in `metrics()`) instead of failing the poll. Default false. */
  readonly skipCorrupt?: boolean;
}

/** Called around a rebalance of a subscribed consumer, as Kafka's ConsumerRebalanceListener. */
export interface RebalanceListener {
  onPartitionsRevoked?(partitions: readonly TopicPartition[]): void | Promise<void>;
  onPartitionsAssigned?(partitions: readonly TopicPartition[]): void | Promise<void>;
}

/**
 * Thrown when a position is outside `[logStartOffset, highWatermark]` (retention deleted the
 * records it pointed to) and the reset policy is 'none'.
 */
export class OffsetOutOfRangeError extends Error {
  override name = 'OffsetOutOfRangeError';
  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly offset: number,
    readonly logStartOffset: number,
    readonly highWatermark: number,
  ) {
    super(
      `tabstream: offset ${offset} of ${topic}-${partition} is out of range ` +
        `[${logStartOffset}, ${highWatermark}] and auto.offset.reset is 'none'`,
    );
  }
}

interface Subscription {
  readonly topic: string;
  readonly listener: RebalanceListener;
  /** The topic's partition count at the last rebalance. */
  partitions: number;
}

/** What a consumer has done, for the monitor. */
export interface ConsumerMetrics {
  recordsConsumed: number;
  corruptBatchesSkipped: number;
  corruptRecordsSkipped: number;
  offsetResets: number;
  rebalances: number;
}

const POLL_RECHECK_MS = 250;

/**
 * Kafka's consumer over the IndexedDB log: reads assigned partitions from its positions, in
 * offset order per partition. Guarantees: a poll never returns a record twice nor skips one,
 * unless the consumer seeks, retention passes its position (then the reset policy applies), or
 * it skips a corrupt batch it was told to skip (counted in `metrics()`).
 */
export class Consumer {
  private readonly config: Required<Omit<ConsumerConfig, 'groupId'>> & { groupId?: string };
  private db: Promise<LogDB>;
  private readonly positions = new Map<string, number>();
  /**
   * Per partition, the batch the last poll stopped inside, decoded (Kafka's completed fetch):
   * the next poll takes from it rather than reading and decoding it again.
   */
  private readonly partial = new Map<string, RecordBatch>();
  private assigned: TopicPartition[] = [];
  private membership: Membership | null = null;
  private subscription: Subscription | null = null;
  private stopWatching: (() => void) | null = null;
  private ownership: PartitionOwnership | null = null;
  /** Polls and rebalances run one at a time, in order: a rebalance never lands mid-poll. */
  private chain: Promise<unknown> = Promise.resolve();
  private lastCommit = 0;
  private nextPartition = 0;
  private readonly stats: ConsumerMetrics = {
    recordsConsumed: 0,
    corruptBatchesSkipped: 0,
    corruptRecordsSkipped: 0,
    offsetResets: 0,
    rebalances: 0,
  };

  constructor(config: ConsumerConfig) {
    this.config = {
      autoOffsetReset: 'latest',
      maxPollRecords: 500,
      enableAutoCommit: true,
      autoCommitIntervalMs: 5000,
      checkCrcs: true,
      skipCorrupt: false,
      ...config,
    };
    this.db = this.connect();
  }

  private connect(): Promise<LogDB> {
    const db = openLog(this.config.log);
    db.catch(() => {}); // surfaces through each operation
    return db;
  }

  /** Reads exactly these partitions, without a group's rebalancing (Kafka's `assign`). */
  assign(partitions: readonly TopicPartition[]): void {
    if (this.membership)
      throw new Error('tabstream: this consumer is subscribed; unsubscribe first');
    this.setAssignment(partitions);
  }

  /** The partitions this consumer reads now. */
  assignment(): TopicPartition[] {
    return [...this.assigned];
  }

  /**
   * Joins the consumer group and reads a share of `topic`'s partitions: the live members of the
   * group subscribed to that topic (tabs and workers of the origin) divide them as Kafka's range
   * assignor does, again whenever a member joins or leaves, or the topic gains partitions.
   * - must commit this member's positions (when auto-commit is on) before giving partitions up;
   * - must leave the group again if the first assignment fails.
   * A partition's next owner waits for this one to let go, after its commit (see
   * `PartitionOwnership`): records this member read but did not commit are read again, at least
   * once, as in Kafka.
   */
  async subscribe(topic: string, listener: RebalanceListener = {}): Promise<void> {
    const group = this.requireGroup('subscribe');
    if (this.membership) throw new Error('tabstream: this consumer is already subscribed');
    this.membership = await joinGroup(this.config.log, `consumer:${group}:${topic}`);
    this.ownership = new PartitionOwnership(this.config.log, group);
    this.subscription = { topic, listener, partitions: 0 };
    this.stopWatching = this.membership.onChange(() => {
      this.serial(() => this.rebalance()).catch((error: unknown) =>
        reportOnce('rebalancing the consumer group failed', error),
      );
    });
    try {
      await this.serial(() => this.rebalance());
    } catch (error) {
      await this.unsubscribe();
      throw error;
    }
  }

  /** Leaves the group (committing first, with auto-commit), and reads nothing. */
  unsubscribe(): Promise<void> {
    return this.serial(async () => {
      if (this.config.enableAutoCommit && this.config.groupId) await this.commit();
      this.stopWatching?.();
      this.stopWatching = null;
      this.subscription = null;
      this.ownership?.release(this.assigned);
      this.ownership = null;
      await this.membership?.leave();
      this.membership = null;
      this.setAssignment([]);
    });
  }

  /** Sets the next offset `poll` reads from a partition. */
  seek({ topic, partition }: TopicPartition, offset: number): void {
    this.requireAssigned(topic, partition);
    this.positions.set(partitionId(topic, partition), offset);
  }

  async seekToBeginning(partitions = this.assigned): Promise<void> {
    const states = await this.states();
    for (const tp of partitions) this.seek(tp, stateOf(states, tp).logStartOffset);
  }

  async seekToEnd(partitions = this.assigned): Promise<void> {
    const states = await this.states();
    for (const tp of partitions) this.seek(tp, stateOf(states, tp).highWatermark);
  }

  /** The next offset `poll` reads from a partition, resolved from committed offsets or the reset policy. */
  async position(tp: TopicPartition): Promise<number> {
    this.requireAssigned(tp.topic, tp.partition);
    await this.resolvePositions(await this.states());
    return this.positions.get(partitionId(tp.topic, tp.partition))!;
  }

  /**
   * Returns the next records of the assigned partitions, at most `maxRecords`, waiting up to
   * `timeoutMs` for some to be appended if there are none.
   * - must return each partition's records in offset order, from its position on, and advance it;
   * - must apply the reset policy (or throw OffsetOutOfRangeError) for a position retention passed;
   * - must return the records before a corrupt batch (or a gap no batch holds), and throw
   *   CorruptRecordError once the position reaches it, unless told to skip them: then it skips
   *   and counts them.
   */
  async poll({ maxRecords = this.config.maxPollRecords, timeoutMs = 0 } = {}): Promise<
    ConsumerRecord[]
  > {
    const deadline = Date.now() + timeoutMs;
    for (let reopened = false; ;) {
      const db = this.db;
      const records = await this.serial(async () => {
        await this.autoCommit(false);
        if (this.subscription && (await this.partitionCount()) !== this.subscription.partitions) {
          await this.rebalance();
        }
        return this.fetch(maxRecords);
      }).catch((error: unknown) => {
        // The connection closed under it (the log was deleted, say): open it again, once.
        if (reopened || !isConnectionClosed(error)) throw error;
        if (this.db === db) this.db = this.connect();
        reopened = true;
        return null;
      });
      if (records === null) continue;
      const left = deadline - Date.now();
      if (records.length > 0 || left <= 0) return records;
      await this.waitForAppends(left);
    }
  }

  /**
   * Commits offsets for the group: the given ones, or the current positions of all assigned
   * partitions (the offset of the next record to read, as in Kafka).
   */
  async commit(offsets?: readonly TopicPartitionOffset[]): Promise<void> {
    const group = this.requireGroup('commit');
    const positions =
      offsets ??
      this.assigned.flatMap(({ topic, partition }) => {
        const offset = this.positions.get(partitionId(topic, partition));
        return offset === undefined ? [] : [{ topic, partition, offset }];
      });
    await commitOffsets(await this.db, group, positions);
    this.lastCommit = Date.now();
  }

  /** The group's committed offsets of `partitions` (null where none). */
  async committed(partitions = this.assigned): Promise<(TopicPartitionOffset | null)[]> {
    const group = this.requireGroup('read committed offsets');
    const found = await committedOffsets(await this.db, group, partitions);
    return partitions.map((tp, i) => (found[i] ? { ...tp, offset: found[i].offset } : null));
  }

  metrics(): Readonly<ConsumerMetrics> {
    return { ...this.stats };
  }

  /** Commits (with auto-commit), leaves the group, and closes the connection to the log. */
  async close(): Promise<void> {
    if (this.membership) await this.unsubscribe();
    else if (this.config.enableAutoCommit && this.config.groupId) await this.commit();
    (await this.db).close();
  }

  private async fetch(maxRecords: number): Promise<ConsumerRecord[]> {
    const states = await this.states();
    await this.resolvePositions(states);
    const records: ConsumerRecord[] = [];
    const partitions = rotate(this.assigned, this.nextPartition++);
    for (const tp of partitions) {
      if (records.length >= maxRecords) break;
      const state = stateOf(states, tp);
      const failure = await this.fetchPartition(tp, state, maxRecords - records.length, records);
      // The records before it first; the next poll starts at it, and throws.
      if (failure && records.length === 0) throw failure;
      if (failure) break;
    }
    this.stats.recordsConsumed += records.length;
    return records;
  }

  /** Reads a partition's records into `into`; resolves with the corrupt batch it stopped at, if any. */
  private async fetchPartition(
    { topic, partition }: TopicPartition,
    state: PartitionState,
    maxRecords: number,
    into: ConsumerRecord[],
  ): Promise<CorruptRecordError | null> {
    const key = partitionId(topic, partition);
    const limit = into.length + maxRecords;
    const position = this.positions.get(key)!;
    const cursor = new PartitionCursor(position, this.stats, this.config.skipCorrupt);
    let last = this.partialAt(key, position, state);
    if (last) cursor.take(last, limit - into.length, into);
    const range = {
      topic,
      partition,
      fromOffset: cursor.position,
      untilOffset: state.highWatermark,
    };
    const options = {
      fields: 'all',
      keys: true,
      checkCrcs: this.config.checkCrcs,
      onCorrupt: cursor.onCorrupt,
      pageSize: 32,
      maxRecords: limit - into.length,
    } as const;
    const read = into.length < limit ? fetchBatches(await this.db, range, options) : [];
    for await (const page of read) {
      for (const batch of page) {
        if (!cursor.take(batch, limit - into.length, into)) break;
        last = batch;
      }
      if (into.length >= limit || cursor.stopped) break;
      cursor.passSkipped();
    }
    cursor.passSkipped();
    this.positions.set(key, cursor.position);
    const inside = last && cursor.position < last.baseOffset + last.count;
    if (inside && !cursor.stopped) this.partial.set(key, last!);
    return cursor.failure;
  }

  /**
   * The batch the last poll of a partition stopped inside, if the position is still inside it:
   * no seek, reset or rebalance moved it (a position the log-start offset passed was reset, in
   * `resolvePositions`, before this); taken once.
   */
  private partialAt(key: string, position: number, state: PartitionState): RecordBatch | null {
    const batch = this.partial.get(key);
    this.partial.delete(key);
    if (!batch || position < batch.baseOffset) return null;
    const end = batch.baseOffset + batch.count;
    return position < end && end <= state.highWatermark ? batch : null;
  }

  /** Gives every assigned partition a position within range: its own, the committed one, or the policy's. */
  private async resolvePositions(states: readonly PartitionState[]): Promise<void> {
    const missing = this.assigned.filter(
      (tp) => !this.positions.has(partitionId(tp.topic, tp.partition)),
    );
    if (missing.length > 0 && this.config.groupId) {
      const committed = await committedOffsets(await this.db, this.config.groupId, missing);
      missing.forEach((tp, i) => {
        const found = committed[i];
        if (found) this.positions.set(partitionId(tp.topic, tp.partition), found.offset);
      });
    }
    for (const tp of this.assigned) {
      const key = partitionId(tp.topic, tp.partition);
      const state = stateOf(states, tp);
      const position = this.positions.get(key);
      if (
        position !== undefined &&
        position >= state.logStartOffset &&
        position <= state.highWatermark
      )
        continue;
      const policy = this.config.autoOffsetReset;
      if (policy === 'none') {
        throw new OffsetOutOfRangeError(
          tp.topic,
          tp.partition,
          position ?? -1,
          state.logStartOffset,
          state.highWatermark,
        );
      }
      if (position !== undefined) this.stats.offsetResets++;
      this.positions.set(key, policy === 'earliest' ? state.logStartOffset : state.highWatermark);
    }
  }

  /** Takes this member's share of the subscribed topic, as of the members and partitions now. */
  private async rebalance(): Promise<void> {
    const subscription = this.subscription;
    const membership = this.membership;
    if (!subscription || !membership) return;
    const { topic, listener } = subscription;
    subscription.partitions = await this.partitionCount();
    const next = rangeAssign(
      topic,
      subscription.partitions,
      membership.members(),
      membership.memberId,
    );
    this.stats.rebalances++;
    const same = (a: TopicPartition, b: TopicPartition): boolean =>
      a.topic === b.topic && a.partition === b.partition;
    const revoked = this.assigned.filter((tp) => !next.some((n) => same(n, tp)));
    if (revoked.length > 0) {
      if (this.config.enableAutoCommit) await this.commit();
      await listener.onPartitionsRevoked?.(revoked);
    }
    this.ownership?.release(revoked);
    const added = next.filter((tp) => !this.assigned.some((a) => same(a, tp)));
    await this.ownership?.take(added);
    this.setAssignment(next);
    await listener.onPartitionsAssigned?.(next);
  }

  private async partitionCount(): Promise<number> {
    return (await partitionsOf(await this.db, this.subscription!.topic)).length;
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.chain.then(task);
    this.chain = run.catch(() => {}); // one failure does not stop the ones after it
    return run;
  }

  private setAssignment(partitions: readonly TopicPartition[]): void {
    const keep = new Set(partitions.map((tp) => partitionId(tp.topic, tp.partition)));
    for (const key of this.positions.keys()) if (!keep.has(key)) this.positions.delete(key);
    this.partial.clear();
    this.assigned = partitions.map(({ topic, partition }) => ({ topic, partition }));
  }

  private async autoCommit(force: boolean): Promise<void> {
    if (!this.config.enableAutoCommit || !this.config.groupId || this.positions.size === 0) return;
    if (force || Date.now() - this.lastCommit >= this.config.autoCommitIntervalMs)
      await this.commit();
  }

  private async states(): Promise<PartitionState[]> {
    const db = await this.db;
    const topics = [...new Set(this.assigned.map((tp) => tp.topic))];
    return (await Promise.all(topics.map((topic) => partitionsOf(db, topic)))).flat();
  }

  private waitForAppends(ms: number): Promise<void> {
    const mine = (p: TopicPartition): boolean =>
      this.assigned.some((tp) => tp.topic === p.topic && tp.partition === p.partition);
    return sleepUntil(
      (wake) => onAppended(this.config.log, (event) => event.partitions.some(mine) && wake()),
      Math.min(ms, POLL_RECHECK_MS),
    );
  }

  private requireGroup(what: string): string {
    if (!this.config.groupId) throw new Error(`tabstream: a consumer needs a groupId to ${what}`);
    return this.config.groupId;
  }

  private requireAssigned(topic: string, partition: number): void {
    if (!this.assigned.some((tp) => tp.topic === topic && tp.partition === partition)) {
      throw new Error(`tabstream: ${topic}-${partition} is not assigned to this consumer`);
    }
  }
}

function stateOf(
  states: readonly PartitionState[],
  { topic, partition }: TopicPartition,
): PartitionState {
  const state = states.find((s) => s.topic === topic && s.partition === partition);
  if (!state) throw new Error(`tabstream: ${topic}-${partition} does not exist`);
  return state;
}

function rotate<T>(items: readonly T[], by: number): T[] {
  if (items.length === 0) return [];
  const k = by % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}
