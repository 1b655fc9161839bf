import type { DomStorage } from '../shared';
import { randomId } from '../shared';
import { reportOnce } from '../shared';
import { sleep, yieldToEventLoop } from '../shared';
import {
  appendBatches,
  OutOfOrderSequenceError,
  type AppendResult,
  type Durability,
  type ProducerBatch,
} from './append';
import { isConnectionClosed, openLog, UnknownTopicOrPartitionError, type LogDB } from './log-db';
import { Partitioner } from './partitioner';
import { checkRecord, DEFAULT_MAX_RECORD_BYTES } from './record-check';
import type { LogEvent, ProducerRecord } from './record-batch';
import { enforceRetention } from './retention';
import { HandOver, writeSpill } from './spill-format';
import { partitionId } from './offsets';
import { partitionsOf } from './topics';

export interface ProducerConfig {
  /** The log (IndexedDB database) to append to: Kafka's `bootstrap.servers`. */
  readonly log: string;
  /** How long a record may wait for others to fill its batch (Kafka's `linger.ms`). Default 100. */
  readonly lingerMs?: number;
  /** The most records in one batch (Kafka's `batch.size`, counted in records). Default 16384. */
  readonly batchSize?: number;
  /** IndexedDB durability of appends; with 'strict' a send resolves once on disk. Default 'strict'. */
  readonly durability?: Durability;
  /** How long a send waits for its topic to exist before it fails (Kafka's `max.block.ms`). */
  readonly maxBlockMs?: number;
  /**
   * In a page, spill what is not yet appended to localStorage when the page is hidden or goes
   * away (see `spill`), for the next page of the site to append. Default true.
   */
  readonly spillOnHide?: boolean;
  /** How often appends also apply the topics' retention (Kafka's `log.retention.check.interval.ms`). Default 300000. */
  readonly retentionCheckIntervalMs?: number;
  /** The largest record `send` takes, in bytes (Kafka's `max.request.size`). Default 1 MiB. */
  readonly maxRecordBytes?: number;
}

/**
 * Where a sent record landed. `offset` is -1 for a record that another tab appended first, while
 * recovering this page's spill (the page was hidden, then came back): it is in the log once.
 */
export interface RecordMetadata {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/**
 * Rejects a flush when the browser's storage for the origin is full even after retention ran:
 * the records stay with the producer, which keeps retrying; nothing is dropped.
 */
export class LogFullError extends Error {
  override name = 'LogFullError';
}

/** Rejects a send whose record was handed to the spill before its topic was known. */
export class RecordSpilledError extends Error {
  override name = 'RecordSpilledError';
}

/** A record sent and its send's settlement: itself the record its batch holds, not a copy. */
interface Pending extends ProducerRecord {
  readonly topic: string;
  resolve(metadata: RecordMetadata): void;
  reject(error: unknown): void;
}

interface SealedBatch {
  /** Renumbered when a batch before it, of its partition, fails for good. */
  batch: ProducerBatch;
  readonly pending: readonly Pending[];
  /** Appended, or failed for good: nothing more will happen to it. */
  settled?: boolean;
  /** What it was split into, one record each, to find the record that fails it. */
  parts?: readonly SealedBatch[];
}

/**
 * Records per batch by default. Large, because a batch's column chunks are what readers fetch:
 * a string column carries its own dictionary, so bigger batches repeat fewer strings, and
 * chunks over 64 KB are kept by Chromium as files rather than in LevelDB, which reads them
 * several times faster (see the README's performance table). A page's clicks, a few per
 * `linger.ms`, never come near it.
 */
export const DEFAULT_BATCH_SIZE = 16384;

const RETRY_MS = [100, 500, 2000, 10000];
/** Record batches per append transaction: enough to amortise it, few enough to encode in one task (~30 ms). */
const MAX_BATCHES_PER_APPEND = 48;
/** Append transactions in flight at once. */
const MAX_IN_FLIGHT = 8;

/**
 * Kafka's idempotent producer over the IndexedDB log: records accumulate per partition and are
 * appended as record batches, one transaction for all batches ready at once.
 * Guarantees: records of one partition are appended in send order; a record is never appended
 * twice, even when retried or recovered from a spill; a record that could not be appended stays
 * with the producer and is retried, never dropped.
 */
export class Producer {
  readonly producerId = randomId();
  private readonly config: Required<ProducerConfig>;
  private db: Promise<LogDB>;
  private readonly partitions = new Map<string, number>();
  private readonly partitioners = new Map<string, Partitioner>();
  private readonly metadataLoads = new Map<string, Promise<void>>();
  private readonly unassigned = new Map<string, Pending[]>();
  private readonly open = new Map<string, Pending[]>();
  private readonly partitionIds = new Map<string, string[]>();
  private readonly nextSequence = new Map<string, number>();
  private readonly handedOver = new HandOver();
  private sealed: SealedBatch[] = [];
  private inFlight: SealedBatch[] = [];
  private draining: Promise<void> | null = null;
  private paused = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  /** After a failure that no retry can mend, append one batch at a time, to find its batch. */
  private isolating = false;
  private spills = 0;
  private retentionCheckedAt = 0;
  private supersededSpills: string[] = [];

  constructor(config: ProducerConfig) {
    this.config = {
      lingerMs: 100,
      batchSize: DEFAULT_BATCH_SIZE,
      durability: 'strict',
      maxBlockMs: 60000,
      retentionCheckIntervalMs: 300000,
      maxRecordBytes: DEFAULT_MAX_RECORD_BYTES,
      spillOnHide: true,
      ...config,
    };
    if (this.config.spillOnHide && typeof document !== 'undefined') {
      addEventListener('pagehide', this.onHide);
      document.addEventListener('visibilitychange', this.onHide);
    }
    this.db = this.connect();
  }

  private connect(): Promise<LogDB> {
    const db = Promise.resolve().then(() => openLog(this.config.log)); // never throw from the constructor
    db.catch(() => {}); // a failed open surfaces through each operation that needs it
    return db;
  }

  /**
   * Opens the log again if `error` says the connection `db` is closed (the browser closed it, or
   * the database was deleted and the connection gave way); returns whether it did.
   */
  private reopenAfter(error: unknown, db: Promise<LogDB>): boolean {
    if (!isConnectionClosed(error)) return false;
    if (this.db === db) this.db = this.connect();
    return true;
  }

  /**
   * Sends a record; resolves with its offset once appended.
   * - must return at once, doing no I/O on the caller's turn;
   * - must send records with the same key to the same partition, in send order;
   * - must reject at once a record that can never be appended (see `checkRecord`: a topic name
   *   no topic can have, a value or key that cannot be stored, a bad timestamp, too large a
   *   record), which then takes no part in any batch.
   */
  send(
    topic: string,
    value: LogEvent,
    key: string | null = null,
    timestamp = Date.now(),
  ): Promise<RecordMetadata> {
    try {
      checkRecord(topic, value, key, timestamp, this.config.maxRecordBytes);
    } catch (error) {
      return Promise.reject(asError(error));
    }
    return new Promise((resolve, reject) => {
      const pending: Pending = { value, key, timestamp, topic, resolve, reject };
      const partitions = this.partitions.get(topic);
      if (partitions === undefined) this.awaitMetadata(topic, pending);
      else this.accumulate(pending, partitions);
    });
  }

  /**
   * Learns `topic`'s partitions (Kafka's `partitionsFor`), once: its records sent after this
   * resolves start no read of the log (a record sent as the page is hidden must not).
   * - must resolve with the topic's number of partitions, reading the log at most once a topic;
   * - must reject with UnknownTopicOrPartitionError if the topic is not there within `maxBlockMs`.
   */
  async partitionsFor(topic: string): Promise<number> {
    if (!this.metadataLoads.has(topic)) this.metadataLoads.set(topic, this.loadMetadata(topic));
    await this.metadataLoads.get(topic);
    const partitions = this.partitions.get(topic);
    if (partitions === undefined) throw new UnknownTopicOrPartitionError(topic);
    return partitions;
  }

  /**
   * Appends every record sent so far.
   * - must resolve only once every record sent before the call is appended;
   * - must reject if an append fails; the records stay with the producer and are retried.
   */
  async flush(): Promise<void> {
    await Promise.all(this.metadataLoads.values());
    this.sealAll();
    const sent = [...this.inFlight, ...this.sealed]; // not what is sent meanwhile: clicks go on
    while (sent.some((sealed) => !isSettled(sealed))) await this.drain();
    await this.draining; // the end of a drain that took the last records: retention, say
  }

  /**
   * Hands every record not known to be appended to `storage`, synchronously: for a page being
   * hidden or unloaded, which may not live to see IndexedDB answer. Records whose topic is
   * known stay with the producer too, and are appended if the page lives on; the spill's copy
   * is then a duplicate, which recovery skips. Records sent before their topic was known are handed over: the
   * producer forgets them, and whoever recovers the spill appends them.
   * - must throw, changing nothing, if storage refuses the spill.
   */
  spill(storage: DomStorage): void {
    this.sealAll();
    const unassigned = [...this.unassigned].map(([topic, pending]) =>
      this.handedOver.number(topic, pending.map(recordOf)),
    );
    const batches = [...this.inFlight, ...this.sealed].map(({ batch }) => ({
      ...batch,
      records: batch.records.map(recordOf),
    }));
    const spill = { producerId: this.producerId, batches, unassigned };
    const key = writeSpill(storage, this.config.log, spill, this.spills++);
    this.handedOver.written(unassigned);
    for (const [topic, pending] of this.unassigned) this.rejectHandedOver(topic, pending);
    this.unassigned.clear();
    // Earlier spills holding only batches are superseded: what they hold is in the log, or in this one.
    for (const earlier of this.supersededSpills) storage.removeItem(earlier);
    this.supersededSpills = key && unassigned.length === 0 ? [key] : [];
  }

  /** Appends what is left, then closes the producer's connection to the log. */
  async close(): Promise<void> {
    if (typeof document !== 'undefined') {
      removeEventListener('pagehide', this.onHide);
      document.removeEventListener('visibilitychange', this.onHide);
    }
    try {
      await this.flush();
    } finally {
      if (this.timer !== null) clearTimeout(this.timer);
      this.timer = null;
      (await this.db.catch(() => null))?.close();
    }
  }

  private readonly onHide = (event: Event): void => {
    if (event.type === 'visibilitychange' && document.visibilityState !== 'hidden') return;
    if (!this.hasUnsent() && this.unassigned.size === 0) return;
    try {
      this.spill(localStorage);
    } catch (error) {
      reportOnce('records not yet in the log could not be kept for the next page', error);
    }
    this.drain().catch((error) => reportOnce('appending to the log failed; retrying', error));
  };

  private awaitMetadata(topic: string, pending: Pending): void {
    const queue = this.unassigned.get(topic);
    if (queue) queue.push(pending);
    else this.unassigned.set(topic, [pending]);
    if (!this.metadataLoads.has(topic)) this.metadataLoads.set(topic, this.loadMetadata(topic));
  }

  private async loadMetadata(topic: string): Promise<void> {
    const deadline = Date.now() + this.config.maxBlockMs;
    for (let attempt = 0; ; attempt++) {
      const db = this.db;
      try {
        const partitions = (await partitionsOf(await db, topic)).length;
        this.partitions.set(topic, partitions);
        break;
      } catch (error) {
        if (this.reopenAfter(error, db) && attempt === 0) continue;
        if (Date.now() >= deadline) return this.failUnassigned(topic, error);
        await sleep(RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]!);
      }
    }
    const queue = this.unassigned.get(topic) ?? [];
    this.unassigned.delete(topic);
    for (const pending of queue) this.accumulate(pending, this.partitions.get(topic)!);
  }

  private failUnassigned(topic: string, error: unknown): void {
    this.metadataLoads.delete(topic);
    for (const pending of this.unassigned.get(topic) ?? []) pending.reject(error);
    this.unassigned.delete(topic);
  }

  private accumulate(pending: Pending, partitions: number): void {
    const partitioner = this.partitionerOf(pending.topic);
    const partition = partitioner.partition(pending.key, partitions);
    const id = this.partitionIdOf(pending.topic, partition);
    const batch = this.open.get(id) ?? [];
    if (batch.length === 0) this.open.set(id, batch);
    batch.push(pending);
    if (batch.length >= this.config.batchSize) {
      this.seal(id, batch);
      this.schedule(0);
    } else {
      this.schedule(this.config.lingerMs);
    }
  }

  /** A partition's id, made once: not a new string (hashed again) per record. */
  private partitionIdOf(topic: string, partition: number): string {
    let ids = this.partitionIds.get(topic);
    if (!ids) this.partitionIds.set(topic, (ids = []));
    return (ids[partition] ??= partitionId(topic, partition));
  }

  private partitionerOf(topic: string): Partitioner {
    let partitioner = this.partitioners.get(topic);
    if (!partitioner) this.partitioners.set(topic, (partitioner = new Partitioner()));
    return partitioner;
  }

  private seal(id: string, pending: Pending[]): void {
    const { topic, partition } = parsePartitionId(id);
    const baseSequence = this.nextSequence.get(id) ?? 0;
    this.nextSequence.set(id, baseSequence + pending.length);
    this.sealed.push({
      batch: { topic, partition, producerId: this.producerId, baseSequence, records: pending },
      pending,
    });
    this.open.delete(id);
    // Null-key records move on to another partition with every batch, full or lingered.
    this.partitionerOf(topic).onNewBatch(partition, this.partitions.get(topic) ?? 1);
  }

  private sealAll(): void {
    for (const [id, pending] of this.open) this.seal(id, pending);
  }

  private rejectHandedOver(topic: string, pending: readonly Pending[]): void {
    const error = new RecordSpilledError(
      `tabstream: the page was hidden before topic "${topic}" was known; the record was ` +
        'handed to the spill, and the next recovery (a flush, or the next page) appends it',
    );
    for (const entry of pending) entry.reject(error);
  }

  private hasUnsent(): boolean {
    return this.open.size > 0 || this.sealed.length > 0 || this.inFlight.length > 0;
  }

  /**
   * Schedules no append until `resume()` (an append under way, or `flush()`, still runs): for
   * a page going into the back/forward cache, where a transaction frozen with the page would
   * hold up the other tabs' (and get the page evicted). What it holds stays, and was spilled
   * by the caller.
   */
  pause(): void {
    this.paused = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  resume(): void {
    this.paused = false;
    if (this.hasUnsent()) this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.paused) return;
    if (this.timer !== null) {
      if (delayMs > 0) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.drain().catch((error) => reportOnce('appending to the log failed; retrying', error));
    }, delayMs);
  }

  /** Appends sealed batches until none is left; one drain at a time. */
  private drain(): Promise<void> {
    this.draining ??= this.appendAll().then(
      () => {
        this.draining = null;
        // Records that came while this drain was finishing joined it too late: go again.
        if (this.hasUnsent()) this.schedule(0);
      },
      (error: unknown) => {
        this.draining = null; // a retry is scheduled
        throw error;
      },
    );
    return this.draining;
  }

  /**
   * Appends sealed batches, at most MAX_BATCHES_PER_APPEND per transaction and MAX_IN_FLIGHT
   * transactions at once, so encoding the next overlaps writing the last (Kafka's
   * `max.in.flight.requests.per.connection`). IndexedDB runs them in the order they were opened,
   * so a partition's batches land in sequence order; when one fails, the later ones of its
   * partitions fail on the sequence gap, and all the failed ones are retried, in order. When
   * the origin's storage is full, retention runs and the drain tries once more; still full, it
   * rejects with LogFullError and the records stay.
   */
  private async appendAll(reopened = false): Promise<void> {
    const opened = this.db;
    const db = await opened;
    for (let retried = false; ;) {
      const before = this.inFlight.length + this.sealed.length;
      const error = await this.appendSealed(db);
      if (error === undefined) break;
      this.sealed = [...this.inFlight, ...this.sealed];
      this.inFlight = [];
      if (this.failPartition(error)) continue;
      if (!reopened && this.reopenAfter(error, opened)) return this.appendAll(true);
      if (!isRetriable(error)) {
        if (this.isolating) this.failFirst(error);
        this.isolating = true;
        continue;
      }
      // Full: retention once, and again whenever the retry got some batches in.
      const progressed = this.sealed.length < before;
      if (isQuotaExceeded(error) && (!retried || progressed)) {
        retried = true;
        await this.checkRetention(db, true);
        continue;
      }
      this.schedule(RETRY_MS[Math.min(this.failures++, RETRY_MS.length - 1)]!);
      throw isQuotaExceeded(error) ? logFull(this.sealed.length, error) : asError(error);
    }
    this.failures = 0;
    this.isolating = false;
    await this.checkRetention(db, false);
  }

  /**
   * Fails the first sealed batch, alone in the request that failed for good. Of several records,
   * which one failed cannot be told: each goes on alone, and only the one that fails again is
   * failed. A record failed rejects its send with `error`, and the later batches of its
   * partition take its sequence number, so that they follow the last record appended.
   */
  private failFirst(error: unknown): void {
    const failed = this.sealed.shift();
    if (!failed) return;
    const { batch, pending } = failed;
    if (batch.records.length > 1) {
      const parts = pending.map((entry, i) => ({
        batch: { ...batch, baseSequence: batch.baseSequence + i, records: [batch.records[i]!] },
        pending: [entry],
      }));
      failed.parts = parts;
      this.sealed.unshift(...parts);
      return;
    }
    failed.settled = true;
    for (const entry of pending) entry.reject(error);
    const { topic, partition } = batch;
    for (const sealed of this.sealed) {
      const later = sealed.batch;
      if (later.topic !== topic || later.partition !== partition) continue;
      sealed.batch = { ...later, baseSequence: later.baseSequence - 1 };
    }
    const id = partitionId(topic, partition);
    this.nextSequence.set(id, (this.nextSequence.get(id) ?? batch.baseSequence + 1) - 1);
  }

  /** Appends until nothing is sealed or a request fails; resolves with the first failure, by request order. */
  private async appendSealed(db: LogDB): Promise<unknown> {
    const requests: Promise<unknown>[] = [];
    const failures: { index: number; error: unknown }[] = [];
    for (this.sealAll(); this.sealed.length > 0 && failures.length === 0; this.sealAll()) {
      const request = this.sealed.splice(0, this.isolating ? 1 : MAX_BATCHES_PER_APPEND);
      const index = requests.length;
      this.inFlight.push(...request);
      const batches = request.map((sealed) => sealed.batch);
      const appended = appendBatches(db, batches, this.config.durability).then(
        (results) => this.acknowledge(request, results),
        (error: unknown) => void failures.push({ index, error }),
      );
      requests.push(appended);
      if (requests.length > MAX_IN_FLIGHT) await requests[requests.length - 1 - MAX_IN_FLIGHT];
      else await yieldToEventLoop(); // encoding the next request is a task of its own
    }
    await Promise.all(requests);
    return failures.sort((a, b) => a.index - b.index)[0]?.error;
  }

  /**
   * A partition that is gone (its topic deleted), or whose log lost this producer's sequence
   * (the topic was deleted and created again), will never take these batches: their sends
   * reject with the error, the partition's numbering starts over, and the other partitions'
   * batches go on. Returns whether `error` was such a failure.
   */
  private failPartition(error: unknown): boolean {
    if (!(
      error instanceof UnknownTopicOrPartitionError || error instanceof OutOfOrderSequenceError
    )) {
      return false;
    }
    const { topic, partition } = error;
    if (partition === undefined) return false;
    const mine = (sealed: SealedBatch): boolean =>
      sealed.batch.topic === topic && sealed.batch.partition === partition;
    for (const sealed of this.sealed.filter(mine)) {
      sealed.settled = true;
      for (const entry of sealed.pending) entry.reject(error);
    }
    this.sealed = this.sealed.filter((sealed) => !mine(sealed));
    this.nextSequence.delete(partitionId(topic, partition));
    return true;
  }

  private acknowledge(request: readonly SealedBatch[], results: readonly AppendResult[]): void {
    request.forEach((sealed, i) => acknowledge(sealed, results[i]!));
    const landed = new Set(request);
    this.inFlight = this.inFlight.filter((sealed) => !landed.has(sealed));
  }

  private async checkRetention(db: LogDB, now: boolean): Promise<void> {
    if (!now && Date.now() - this.retentionCheckedAt < this.config.retentionCheckIntervalMs) return;
    this.retentionCheckedAt = Date.now();
    await enforceRetention(db).catch((error) => reportOnce('applying retention failed', error));
    await this.refreshMetadata(db);
  }

  /**
   * Learns of partitions added since (Kafka's `metadata.max.age.ms`, here the retention
   * check's interval). A topic deleted meanwhile keeps its count: its appends fail, and say why.
   */
  private async refreshMetadata(db: LogDB): Promise<void> {
    for (const topic of this.partitions.keys()) {
      const partitions = await partitionsOf(db, topic).then(
        (states) => states.length,
        () => 0,
      );
      if (partitions > this.partitions.get(topic)!) this.partitions.set(topic, partitions);
    }
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function logFull(batches: number, cause: unknown): LogFullError {
  return new LogFullError(
    "tabstream: the browser's storage for this site is full, even after applying the topics' " +
      `retention; ${batches} record batches wait in the producer and are retried. Lower ` +
      'retentionBytes or retentionMs, or free storage.',
    { cause },
  );
}

/**
 * Whether a failed append may succeed when tried again: the storage was full, the connection
 * closed, the transaction aborted or timed out. Other failures (a value IndexedDB cannot clone
 * or a key it cannot take) fail the same way every time.
 */
function isRetriable(error: unknown): boolean {
  if (error instanceof LogFullError) return true;
  if (!(error instanceof DOMException)) return false;
  return !['DataError', 'DataCloneError', 'ConstraintError', 'SyntaxError'].includes(error.name);
}

/** Whether an IndexedDB failure is the browser's storage quota (it may come as the transaction's abort). */
function isQuotaExceeded(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'QuotaExceededError';
}

function isSettled(sealed: SealedBatch): boolean {
  return sealed.parts ? sealed.parts.every(isSettled) : sealed.settled === true;
}

function acknowledge(sealed: SealedBatch, result: AppendResult): void {
  const { batch, pending } = sealed;
  sealed.settled = true;
  const { topic, partition } = batch;
  for (let i = 0; i < pending.length; i++) {
    const offset = i < result.duplicates ? -1 : result.baseOffset + i - result.duplicates;
    pending[i]!.resolve({ topic, partition, offset });
  }
}

/** The record alone, as a spill keeps it. */
function recordOf({ value, key, timestamp }: ProducerRecord): ProducerRecord {
  return { value, key, timestamp };
}

function parsePartitionId(id: string): { topic: string; partition: number } {
  const colon = id.indexOf(':');
  return { partition: Number(id.slice(0, colon)), topic: id.slice(colon + 1) };
}

export { randomId };
