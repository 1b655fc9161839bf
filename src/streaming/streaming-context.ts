import { NodeStore, NoNodeError } from '../coord';
import { notifyAll, reportOnce, warnOnce } from '../shared';
import { isUnrecoverable, type EngineContext } from '../engine';
import {
  isConnectionClosed,
  openLog,
  type ConsumerRecord,
  type LogDB,
  type OffsetRange,
} from '../log';
import {
  checkpointPath,
  CheckpointConflictError,
  commitCheckpoint,
  jobProblem,
  loadCheckpoint,
  PlanMismatchError,
  readCheckpoint,
  reportCheckpointDamage,
  resultsOf,
  StateLostError,
  type Checkpoint,
  type CheckpointChecks,
  type DeltasSince,
  type Result,
  type StoredCheckpoint,
} from './checkpoint';
import { changeOf, type CheckpointDelta } from './checkpoint-delta';
import { checkpointChecksum } from './checkpoint-schema';
import { DStream } from './dstream';
import { LogInput, type InputState, type LogInputOptions } from './log-input';
import type { AnyDStream, OperatorOutput, Output, Stateful, StreamGraph } from './operator';
import { Publish, type Published } from './outputs';
import { Backpressure } from './backpressure';
import { planOf, type Plan } from './plan';
import { startTicker, type StopTicker } from './ticker';

export interface StreamingContextOptions {
  /** How often a batch runs, in ms. Default 1000. */
  readonly batchIntervalMs?: number;
  /** Which checkpoint the job resumes from and commits to. Default 'default'. */
  readonly checkpointId?: string;
  /** At most this many records of a partition per batch. Default: no limit. */
  readonly maxEventsPerPartitionPerBatch?: number;
  /** Whether to cap batches at the rate the job keeps up with (Spark's PID estimator). Default true. */
  readonly backpressure?: boolean;
  /** Failed batches in a row after which the context stops with the error. Default 3. */
  readonly maxConsecutiveFailures?: number;
  /**
   * What a checkpoint written by another plan does: 'fail' (default, Spark's rule: start()
   * rejects with PlanMismatchError), or 'rebuild': the job's state is a cache of the log, and
   * is rebuilt from it (said once), replacing the checkpoint.
   */
  readonly onPlanChange?: 'fail' | 'rebuild';
  /**
   * Spark's ManualClock, for tests: batch times come from `clock.now()`, and batches run only
   * when `runBatch()` is called, as the batch due then. Default: the real clock and a timer.
   */
  readonly clock?: { now(): number };
}

/** One committed batch, as Spark's streaming UI shows it. */
export interface BatchInfo {
  readonly checkpointId: string;
  /** How many batches the job has committed, this one included. */
  readonly batch: number;
  /** The time the batch was due (a multiple of the batch interval), in ms since the epoch. */
  readonly batchTime: number;
  readonly inputEvents: number;
  /** Input events per second of batch interval. */
  readonly inputRate: number;
  /** How long the batch waited to start after its time. */
  readonly schedulingDelayMs: number;
  readonly processingMs: number;
  /** Scheduling delay plus processing time. */
  readonly totalDelayMs: number;
  readonly ranges: readonly OffsetRange[];
  /** Records each operator produced, where known without a job. */
  readonly operators: readonly OperatorOutput[];
  /** The engine jobs started while the batch ran (its job group), for the monitor. */
  readonly jobIds: readonly number[];
  /** The rate backpressure allowed this batch, events/s (Infinity if none yet); null without backpressure. */
  readonly rateLimit: number | null;
  /** What the batch wrote of its checkpoint (its change, or a snapshot): its JSON length. */
  readonly checkpointBytes: number;
  /** The whole checkpoint after the batch, as a snapshot of it would be: its JSON length. */
  readonly checkpointSnapshotBytes: number;
}

type ContextState = 'initialized' | 'active' | 'stopped';

const KEPT_BATCHES = 100;
/**
 * A batch writes a snapshot instead of its change once the changes since the last snapshot
 * would be this many, or would add up to more than the snapshot: a reader then reads at most
 * about twice the checkpoint, and a batch writes on average about twice its change.
 */
const MAX_DELTAS = 200;
const MAX_DELTA_BYTES = 1;
const NO_DELTAS: DeltasSince = { count: 0, bytes: 0, tip: 0 };
const VANISHED = 'its checkpoint node vanished (deleted, or its coord database was)';
/** A batch's tasks take free executor slots before those of console jobs (priority 0). */
const STREAMING_PRIORITY = 1;

/**
 * Spark Streaming's StreamingContext over the log: declare inputs (`fromLog`), transformations
 * and outputs, then `start()`; every batch interval one batch runs on the engine's executors.
 * Guarantees:
 * - batches run one at a time, in order;
 * - a batch's offsets, operator state and published results are committed in one transaction
 *   (a versioned node: `CheckpointConflictError` if another run moved it; what the batch changed
 *   is appended to it, the whole of it written now and then), so after a crash
 *   or in another tab the job resumes where the last commit left it and counts each record
 *   exactly once; a batch that did not commit is computed again from its offset ranges;
 * - a checkpoint is restored only by the plan that wrote it (`PlanMismatchError`);
 * - the job's state is a cache of the log, as Kafka Streams treats its state stores: a
 *   checkpoint that is damaged (reported), out of the log's range, lost (its node or database
 *   deleted, before or while the job runs) or missing while the input's group shows a job
 *   counted before, is rebuilt from each partition's log-start offset (said once); the batch
 *   that rebuilds it commits even with no new records;
 * - no record is skipped: backpressure only delays records to later batches.
 */
export class StreamingContext implements StreamGraph {
  state: ContextState = 'initialized';
  readonly batchIntervalMs: number;
  readonly checkpointId: string;
  rememberMs = 0;
  /** The last batches committed here, oldest first. */
  readonly batches: BatchInfo[] = [];
  private readonly maxConsecutiveFailures: number;
  private readonly clock: { now(): number } | null;
  private readonly streams: AnyDStream[] = [];
  private readonly inputs: LogInput[] = [];
  private readonly stateful: Stateful[] = [];
  private readonly outputs: Output[] = [];
  private readonly listeners = new Set<(batch: BatchInfo) => void>();
  private ids = 0;
  private db: LogDB | null = null;
  private nodes: NodeStore | null = null;
  private plan: Plan | null = null;
  /**
   * The checkpoint the next batch builds on; undefined if none (a new job, or a rebuild); null
   * until loaded (again, after a conflict).
   */
  private last: StoredCheckpoint | undefined | null = null;
  /** The version of the checkpoint node the next commit expects; undefined while there is none. */
  private version: number | undefined = undefined;
  /** The changes appended to the checkpoint node since its snapshot (none: no checkpoint). */
  private deltas: DeltasSince = NO_DELTAS;
  /** The state was rebuilt: the next batch commits even with no records, replacing what was lost. */
  private rebuilt = false;
  private readonly onPlanChange: 'fail' | 'rebuild';
  private readonly checks: ((checkpoint: Checkpoint) => string | null)[] = [];
  private current: number | null = null;
  private stopTicker: StopTicker | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private running = false;
  private missed: number | null = null;
  private failures = 0;
  private readonly backpressure: Backpressure;
  private readonly termination: Promise<void>;
  private terminate!: (error?: unknown) => void;

  constructor(
    readonly engine: EngineContext,
    options: StreamingContextOptions = {},
  ) {
    this.batchIntervalMs = options.batchIntervalMs ?? 1000;
    if (!(this.batchIntervalMs > 0))
      throw new RangeError(
        `tabstream: batchIntervalMs must be positive, not ${this.batchIntervalMs}`,
      );
    this.checkpointId = options.checkpointId ?? 'default';
    this.maxConsecutiveFailures = options.maxConsecutiveFailures ?? 3;
    this.clock = options.clock ?? null;
    this.onPlanChange = options.onPlanChange ?? 'fail';
    this.backpressure = new Backpressure(
      this.batchIntervalMs,
      options.maxEventsPerPartitionPerBatch ?? Infinity,
      options.backpressure ?? true,
    );
    this.termination = new Promise((resolve, reject) => {
      this.terminate = (error) =>
        error === undefined
          ? resolve()
          : reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
    });
    this.termination.catch(() => {}); // rejected only for those who await it
  }

  /** A direct stream over `topic` of the engine's log (Spark's createDirectStream). */
  fromLog(topic: string, options: LogInputOptions = {}): DStream<ConsumerRecord> {
    const input = new LogInput(this, topic, options);
    this.inputs.push(input);
    return new DStream(this, input);
  }

  /**
   * Restores the checkpoint, then runs a batch every interval.
   * - must reject if there is no output operation, or if already started (Spark's rules);
   * - must reject with PlanMismatchError, reading and writing nothing, if the checkpoint was
   *   written by another plan.
   */
  async start(): Promise<void> {
    if (this.state !== 'initialized')
      throw new Error(`tabstream: a streaming context cannot start when ${this.state}`);
    if (this.outputs.length === 0)
      throw new Error(
        'tabstream: no output operation: add foreachBatch, print, saveToLog or publish first',
      );
    this.plan = planOf(this.streams, this.outputs);
    [this.db, this.nodes] = await Promise.all([
      openLog(this.engine.log),
      NodeStore.open(this.engine.log),
    ]);
    try {
      await this.load().catch((error: unknown) => {
        if (!(error instanceof StateLostError)) throw error;
        this.rebuild(error);
      });
    } catch (error) {
      this.halt(error);
      throw error;
    }
    this.state = 'active';
    if (!this.clock) {
      this.stopTicker = startTicker(this.batchIntervalMs, () => this.tick());
      this.tick(this.alignedNow()); // the first batch at once: what piled up while no job ran
    }
  }

  /**
   * Stops running batches. Waits for the batch under way; when `graceful`, also runs batches
   * until every record appended before the call is committed (Spark's graceful stop).
   */
  async stop({ graceful = false }: { graceful?: boolean } = {}): Promise<void> {
    if (this.state !== 'active') {
      if (this.state === 'initialized') this.terminate();
      this.state = 'stopped';
      return;
    }
    this.stopTicker?.();
    this.stopTicker = null;
    await this.queue;
    if (graceful) await this.drain();
    this.halt();
  }

  /** Resolves once stopped; rejects with the error that stopped the context, if one did. */
  awaitTermination(): Promise<void> {
    return this.termination;
  }

  /**
   * Runs one batch now, after any under way; resolves with its metrics, or null if there were
   * no new records. Rejects with the batch's error (it committed nothing). A batch run within
   * the interval of another gets a time just after it, off the interval's grid, so windows
   * never move faster than the clock: a window that slides every batch interval ends at it
   * (its result has the batch's records), a longer slide takes it in at its next slide.
   */
  runBatch(): Promise<BatchInfo | null> {
    if (this.state !== 'active')
      return Promise.reject(new Error(`tabstream: the streaming context is ${this.state}`));
    // With a manual clock, this is the timer: the batch due at the clock's time.
    return this.enqueue(this.alignedNow(), this.clock === null);
  }

  /**
   * Adds a job's own rule to the checks of its checkpoint (types, offsets): a checkpoint that
   * breaks it is damage, and the state is rebuilt from the log.
   */
  checkCheckpoint(check: (checkpoint: Checkpoint) => string | null): void {
    this.beforeStart();
    this.checks.push(check);
  }

  /** Calls `listener` after every batch committed here; returns the unsubscribe. */
  onBatch(listener: (batch: BatchInfo) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The published results of the last committed batch (of any tab), by name. */
  async results(): Promise<Readonly<Record<string, Result>>> {
    const nodes = this.nodes ?? (await NodeStore.open(this.engine.log));
    try {
      return resultsOf(
        (await loadCheckpoint(nodes, this.checkpointId, this.checkpointChecks))?.data,
      );
    } finally {
      if (nodes !== this.nodes) nodes.close();
    }
  }

  /** Deletes checkpoint `id` of `log` (its job then starts afresh); resolves if there is none. */
  static async deleteCheckpoint(log: string | EngineContext, id: string): Promise<void> {
    const nodes = await NodeStore.open(typeof log === 'string' ? log : log.log);
    try {
      await nodes.delete(checkpointPath(id)).catch((error: unknown) => {
        if ((error as Error).name !== 'NoNodeError') throw error;
      });
    } finally {
      nodes.close();
    }
  }

  // --- StreamGraph: what operators need. ---

  times(): readonly number[] {
    const times = [...(this.inputs[0]?.times ?? [])];
    if (this.current !== null) times.push(this.current);
    return times;
  }

  remember(ms: number): void {
    this.rememberMs = Math.max(this.rememberMs, ms);
  }

  async recordsBefore(time: number, timestamp: number): Promise<number> {
    const counts = await Promise.all(this.inputs.map((i) => i.recordsBefore(time, timestamp)));
    return counts.reduce((a, b) => a + b, 0);
  }

  nextId(kind: string): string {
    return `${kind}-${this.ids++}`;
  }

  logDB(): LogDB {
    if (!this.db) throw new Error('tabstream: the streaming context has not started');
    return this.db;
  }

  addStream(stream: AnyDStream): void {
    this.beforeStart();
    this.streams.push(stream);
  }

  addStateful(stateful: Stateful): void {
    this.beforeStart();
    this.stateful.push(stateful);
  }

  addOutput(output: Output): void {
    this.beforeStart();
    this.outputs.push(output);
  }

  // --- Batches. ---

  private beforeStart(): void {
    if (this.state !== 'initialized')
      throw new Error('tabstream: add streams and outputs before start(), as Spark requires');
  }

  /** Runs the batch due at `time` (the nearest multiple of the interval: timers drift). */
  private tick(time = Math.round(Date.now() / this.batchIntervalMs) * this.batchIntervalMs): void {
    if (this.running)
      this.missed = time; // run when the batch under way ends, late
    else this.enqueue(time, false).catch(() => {}); // reported in batch()
  }

  private alignedNow(): number {
    const interval = this.batchIntervalMs;
    return Math.floor((this.clock ?? Date).now() / interval) * interval;
  }

  /** `forced`: asked for, not due; it runs only if there are records to read. */
  private enqueue(due: number, forced: boolean): Promise<BatchInfo | null> {
    const batch = this.queue.then(() => this.batch(due, forced));
    this.queue = batch.catch(() => null);
    return batch;
  }

  private async batch(due: number, forced: boolean): Promise<BatchInfo | null> {
    if (this.state === 'stopped') return null;
    this.running = true;
    try {
      const info = await this.runAt(due, forced);
      this.failures = 0;
      return info;
    } catch (error) {
      // The log was deleted under the job: the next batch reads it through a new connection.
      if (isConnectionClosed(error) && this.db) this.db = await openLog(this.engine.log);
      this.failed(error);
      throw error;
    } finally {
      this.running = false;
      const missed = this.missed;
      this.missed = null;
      if (missed !== null && this.state === 'active') this.enqueue(missed, false).catch(() => {});
    }
  }

  /** Runs the batch due at `due`; if it finds the state lost, rebuilds it and runs it again. */
  private async runAt(due: number, forced: boolean): Promise<BatchInfo | null> {
    try {
      return await this.attempt(due, forced);
    } catch (error) {
      if (!(error instanceof StateLostError)) throw error;
      this.rebuild(error);
      return this.attempt(due, forced);
    }
  }

  private async attempt(due: number, forced: boolean): Promise<BatchInfo | null> {
    const started = Date.now();
    const schedulingDelayMs = Math.max(0, (this.clock ?? Date).now() - due);
    if (this.last === null) await this.load();
    // A batch's time is after the last one's: just after it, if they share an interval.
    const last = this.last?.data.time ?? -Infinity;
    const time = due > last ? due : last + 1;
    const ranges: OffsetRange[] = [];
    for (const input of this.inputs)
      ranges.push(...(await input.plan(time, (lags) => this.backpressure.limits(lags))));
    const inputEvents = this.inputs.reduce((n, input) => n + input.pendingRecords, 0);
    if (inputEvents === 0 && !this.rebuilt && (forced || !this.needsTime(time))) {
      this.discard(time);
      await this.checkStillThere();
      return null;
    }
    this.current = time;
    const group = this.jobGroup(time);
    this.engine.status.setJobGroup(group, STREAMING_PRIORITY);
    let written: Written;
    try {
      for (const output of this.outputs) await output.run(time);
      const next = this.next(time, inputEvents - this.skippedRecords(group));
      written = this.toWrite(next);
      const delta = written.delta && { change: written.delta, of: this.last! };
      this.last = await commitCheckpoint(this.nodes!, this.checkpointId, this.version, next, delta);
    } catch (error) {
      this.discard(time);
      if (error instanceof CheckpointConflictError) this.last = null; // reload theirs
      if (error instanceof NoNodeError) {
        this.version = undefined;
        throw new StateLostError(VANISHED, false, { cause: error });
      }
      throw error;
    } finally {
      this.current = null;
      if (this.engine.status.jobGroup === group) this.engine.status.setJobGroup(null);
    }
    this.version = this.last.version;
    const { count, bytes } = this.deltas;
    this.deltas = written.delta
      ? { count: count + 1, bytes: bytes + written.bytes, tip: written.delta.checksum }
      : { count: 0, bytes: 0, tip: this.last.data.checksum };
    this.rebuilt = false;
    for (const part of this.parts()) part.commit();
    for (const stream of this.streams) stream.forget(time - this.rememberMs);
    const processingMs = Date.now() - started;
    return this.committed(time, { schedulingDelayMs, processingMs }, ranges, inputEvents, written);
  }

  /**
   * What the batch writes of checkpoint `next`: its change since the last commit, or, for the
   * first batch, a rebuild, or once the changes since the snapshot are many or large, a snapshot.
   */
  private toWrite(next: Checkpoint): Written {
    const snapshotBytes = JSON.stringify(next).length;
    const snapshot = { bytes: snapshotBytes, snapshotBytes };
    if (!this.last || this.version === undefined || this.rebuilt) return snapshot;
    const parts = { inputs: this.inputs, stateful: this.stateful, publishes: this.publishes() };
    const delta = changeOf(parts, next, this.deltas.tip);
    const bytes = JSON.stringify(delta).length;
    if (
      this.deltas.count + 1 > MAX_DELTAS ||
      this.deltas.bytes + bytes > MAX_DELTA_BYTES * snapshotBytes
    )
      return snapshot;
    return { delta, bytes, snapshotBytes };
  }

  /**
   * Throws StateLostError if the checkpoint node it committed is gone (deleted, or its
   * database): an idle job, which commits nothing, rebuilds it now rather than at the next click.
   */
  private async checkStillThere(): Promise<void> {
    if (this.version === undefined) return;
    if (await this.nodes!.exists(checkpointPath(this.checkpointId))) return;
    this.version = undefined;
    throw new StateLostError(VANISHED, false);
  }

  /** The job group of batch `time`: the engine tags the batch's jobs with it. */
  private jobGroup(time: number): string {
    return `streaming ${this.checkpointId} ${time}`;
  }

  private needsTime(time: number): boolean {
    const since = time - this.rememberMs;
    return (
      this.stateful.some((s) => s.needsTime()) ||
      (this.rememberMs > 0 && this.inputs.some((input) => input.hasInputAfter(since)))
    );
  }

  /**
   * Records the batch's jobs could not read (in a corrupt batch, or a gap where one is missing):
   * the most any one job skipped, as each job of a batch reads its ranges (a checkpoint's
   * `records` are those counted, so that a job's totals can be checked against them).
   */
  private skippedRecords(group: string): number {
    const jobs = new Set(
      this.engine.status
        .jobs()
        .filter((job) => job.group === group)
        .map((job) => job.jobId),
    );
    const skipped = new Map<number, Map<string, number>>(); // by job, by stage and partition
    for (const stage of this.engine.status.stages()) {
      if (!jobs.has(stage.jobId)) continue;
      const tasks = skipped.get(stage.jobId) ?? new Map<string, number>();
      skipped.set(stage.jobId, tasks);
      for (const { status, metrics, partition } of stage.tasks)
        if (status === 'succeeded' && metrics)
          tasks.set(`${stage.stageId}:${partition}`, metrics.corruptRecords);
    }
    let most = 0;
    for (const tasks of skipped.values())
      most = Math.max(
        most,
        [...tasks.values()].reduce((a, b) => a + b, 0),
      );
    return most;
  }

  private next(time: number, inputEvents: number): Checkpoint {
    const offsets: Record<string, readonly number[]> = {};
    const history: Record<string, InputState['history']> = {};
    for (const input of this.inputs) {
      const snapshot = input.snapshot();
      offsets[input.id] = snapshot.offsets;
      history[input.id] = snapshot.history;
    }
    const state: Record<string, unknown> = {};
    for (const s of this.stateful) state[s.id] = s.snapshot();
    const results: Record<string, Result> = {};
    const resultStates: Record<string, string> = {};
    for (const { name, current } of this.publishes()) {
      if ('state' in current) resultStates[name] = current.state;
      else results[name] = current.result;
    }
    const summed = {
      planHash: this.plan!.hash,
      batches: (this.last?.data.batches ?? 0) + 1,
      records: (this.last?.data.records ?? 0) + inputEvents,
      time,
      offsets,
      history,
    };
    return {
      ...summed,
      plan: this.plan!.text,
      checksum: checkpointChecksum(summed),
      state,
      results,
      resultStates,
    };
  }

  private async committed(
    time: number,
    { schedulingDelayMs, processingMs }: { schedulingDelayMs: number; processingMs: number },
    ranges: readonly OffsetRange[],
    inputEvents: number,
    { bytes, snapshotBytes }: Written,
  ): Promise<BatchInfo> {
    const operators = await Promise.all(
      this.streams.map(async (s) => ({ id: s.id, records: await s.recordsAt(time) })),
    );
    const info: BatchInfo = {
      checkpointId: this.checkpointId,
      batch: this.last!.data.batches,
      batchTime: time,
      inputEvents,
      inputRate: (inputEvents * 1000) / this.batchIntervalMs,
      schedulingDelayMs,
      processingMs,
      totalDelayMs: schedulingDelayMs + processingMs,
      ranges,
      operators,
      jobIds: this.engine.status
        .jobs()
        .filter((job) => job.group === this.jobGroup(time))
        .map((job) => job.jobId),
      rateLimit: this.backpressure.rate,
      checkpointBytes: bytes,
      checkpointSnapshotBytes: snapshotBytes,
    };
    this.backpressure.update(time, inputEvents, processingMs, schedulingDelayMs);
    this.batches.push(info);
    if (this.batches.length > KEPT_BATCHES) this.batches.shift();
    for (const input of this.inputs) {
      input
        .commitToGroup(this.checkpointId)
        .catch((e) => reportOnce('committing offsets to the group failed', e));
    }
    notifyAll(this.listeners, (listener) => listener(info), 'a batch listener threw');
    return info;
  }

  /**
   * Reads the checkpoint and gives every input and operator its part.
   * - must throw StateLostError if it is damaged (or, with onPlanChange 'rebuild', of another
   *   plan), or missing while a stateful job's group shows a job counted before;
   * - must throw PlanMismatchError if it is of another plan (onPlanChange 'fail').
   */
  private async load(): Promise<void> {
    const read = await readCheckpoint(this.nodes!, this.checkpointId);
    this.version = read?.version;
    this.deltas = read?.deltas ?? NO_DELTAS;
    this.last = undefined;
    if (read?.problem !== undefined) throw new StateLostError(read.problem, !read.legacy);
    const stored = read?.stored;
    if (!stored) return this.startAfresh();
    const data = stored.data;
    if (data.planHash !== this.plan!.hash) {
      if (this.onPlanChange === 'fail')
        throw new PlanMismatchError(this.checkpointId, data.plan, this.plan!.text);
      throw new StateLostError(`it was written by another plan:\n${data.plan}`, false);
    }
    const problem = jobProblem(data, this.checkpointChecks);
    if (problem !== null) throw new StateLostError(problem, true);
    try {
      for (const input of this.inputs)
        input.restore({ offsets: data.offsets[input.id]!, history: data.history[input.id] ?? [] });
      for (const s of this.stateful) s.restore(data.state[s.id]);
      for (const p of this.publishes()) p.restore(publishedIn(data, p.name));
    } catch (error) {
      throw new StateLostError(`its state cannot be read: ${(error as Error)?.message}`, true, {
        cause: error,
      });
    }
    for (const stream of this.streams) stream.forget(Infinity);
    this.last = stored;
  }

  /** No checkpoint: a new job, unless its state was lost (a group shows a job counted). */
  private async startAfresh(): Promise<void> {
    if (this.stateful.length > 0) {
      for (const input of this.inputs) {
        if (await input.groupAhead())
          throw new StateLostError(
            `it has no checkpoint, yet consumer group of ${input.topic} committed offsets: ` +
              'its checkpoint was lost (or the job changed: its plan, or batch interval)',
            false,
          );
      }
    }
    this.reset(false);
  }

  /** Gives every part an empty state; `fromLogStart`: the inputs start at the log start. */
  private reset(fromLogStart: boolean): void {
    for (const input of this.inputs) input.restore(undefined, fromLogStart);
    for (const s of this.stateful) s.restore(undefined);
    for (const p of this.publishes()) p.restore(undefined);
    for (const stream of this.streams) stream.forget(Infinity);
  }

  /** Starts the state again from each partition's log start, and says why (once). */
  private rebuild(lost: StateLostError): void {
    if (lost.damaged) reportCheckpointDamage(this.nodes!, this.checkpointId, lost.message);
    else
      warnOnce(
        `tabstream: streaming job "${this.checkpointId}" of log "${this.engine.log}": ` +
          `${lost.message}; its state is ` +
          "rebuilt from the log (from each partition's log start)",
      );
    this.reset(true);
    this.last = undefined;
    this.rebuilt = true;
  }

  /** What its checkpoint is checked against: an offset list per input, and the job's own rules. */
  private get checkpointChecks(): CheckpointChecks {
    const checks = this.checks;
    return {
      inputs: this.inputs.map((input) => input.id),
      check: (checkpoint) => checks.reduce<string | null>((p, c) => p ?? c(checkpoint), null),
    };
  }

  private discard(time: number): void {
    for (const part of this.parts()) part.discard();
    for (const stream of this.streams) stream.forgetAt(time);
  }

  private failed(error: unknown): void {
    if (error instanceof CheckpointConflictError) return; // another run moved on: not a failure
    this.failures++;
    const fatal = error instanceof PlanMismatchError || isUnrecoverable(error);
    if (!fatal && this.failures < this.maxConsecutiveFailures) {
      reportOnce('a streaming batch failed; the next batch reads its records again', error);
      return;
    }
    console.error(`tabstream: streaming job "${this.checkpointId}" stopped:`, error);
    this.halt(error);
  }

  /** Runs batches until the records appended before now are committed. */
  private async drain(): Promise<void> {
    for (;;) {
      const info = await this.batch(this.alignedNow(), true);
      if (info === null || info.inputEvents === 0) return;
    }
  }

  private publishes(): Publish[] {
    return this.outputs.filter((o): o is Publish => o instanceof Publish);
  }

  /** Stops for good: no more ticks, databases closed, awaitTermination settled with `error`. */
  private halt(error?: unknown): void {
    this.stopTicker?.();
    this.stopTicker = null;
    this.state = 'stopped';
    this.db?.close();
    this.nodes?.close();
    this.db = null;
    this.nodes = null; // results() opens its own
    this.terminate(error);
  }

  /** Everything a checkpoint keeps, which commits or discards with the batch. */
  private parts(): (LogInput | Stateful | Publish)[] {
    return [...this.inputs, ...this.stateful, ...this.publishes()];
  }
}

/** What a batch wrote of its checkpoint: its change (none: a snapshot), and JSON lengths. */
interface Written {
  readonly delta?: CheckpointDelta;
  readonly bytes: number;
  readonly snapshotBytes: number;
}

/** What publish `name` kept in `checkpoint`, if anything. */
function publishedIn(checkpoint: Checkpoint | undefined, name: string): Published | undefined {
  const state = checkpoint?.resultStates?.[name];
  if (state !== undefined) return { state };
  const result = checkpoint?.results[name];
  return result && { result };
}
