import { reportOnce } from '../diagnostics';
import { op, type EngineContext } from '../engine';
import { partitionsOf, type LogDB, type OffsetRange } from '../log';
import {
  CheckpointConflictError,
  commitCheckpoint,
  loadCheckpoint,
  type Checkpoint,
  type CheckpointDB,
} from './checkpoint';

export interface StreamingOptions {
  /** The log the job reads, and the executors with it. */
  readonly log: string;
  readonly logDB: LogDB;
  readonly checkpoints: CheckpointDB;
  /** The engine that runs each batch's job on the executors. */
  readonly context: EngineContext;
  readonly topic: string;
  /** The job: count records by this field, with running totals as state. */
  readonly field: string;
  /** Which checkpoint the job resumes from and commits to. */
  readonly checkpointId: string;
  readonly batchIntervalMs: number;
}

/** One committed batch: what it read, the totals after it, and what it cost. */
export interface BatchInfo {
  readonly batchId: number;
  readonly ranges: readonly OffsetRange[];
  readonly offsets: readonly number[];
  readonly inputRecords: number;
  readonly counts: Readonly<Counts>;
  readonly processingMs: number;
}

/** Counts by value: the job's running totals, as the checkpoint keeps them. */
export type Counts = Record<string, number>;

/**
 * Spark Streaming over the log, as a direct stream: every batch interval, each partition's new
 * offset range `[committed, highWatermark)` becomes one partition of a dataset whose
 * `countByValue` job runs on the executors; the counts are added to the running totals, and
 * totals and offsets are committed together.
 * Guarantees: batches run one at a time, in order; a batch that fails or loses a checkpoint
 * race commits nothing, and its ranges are read again by the next batch.
 */
export class StreamingContext {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private busy = false;
  private last: Checkpoint<Counts> | null = null;
  private readonly listeners = new Set<(batch: BatchInfo) => void>();

  constructor(private readonly options: StreamingOptions) {}

  /** Runs a batch at every multiple of the batch interval, until stopped. */
  start(): void {
    if (this.timer !== null) return;
    const tick = (): void => {
      const interval = this.options.batchIntervalMs;
      this.timer = setTimeout(tick, interval - (Date.now() % interval));
      if (!this.busy)
        this.runBatch().catch((error) => reportOnce('a streaming batch failed', error));
    };
    tick();
  }

  /** Stops the timer, then waits for the batch under way. */
  async stop(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.queue;
  }

  /** Runs one batch now, after any under way; resolves with it, or null if there was no input. */
  runBatch(): Promise<BatchInfo | null> {
    const batch = this.queue.then(() => this.batch());
    this.queue = batch.catch(() => null);
    return batch;
  }

  /** Calls `listener` after every committed batch; returns the unsubscribe. */
  onBatch(listener: (batch: BatchInfo) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async batch(): Promise<BatchInfo | null> {
    this.busy = true;
    const started = performance.now();
    try {
      const { logDB, checkpoints, context, topic, field, checkpointId } = this.options;
      const checkpoint = (this.last ??= await loadCheckpoint<Counts>(
        checkpoints,
        checkpointId,
        {},
      ));
      const partitions = await partitionsOf(logDB, topic);
      const ranges = partitions
        .map(({ partition, highWatermark }) => ({
          topic,
          partition,
          fromOffset: checkpoint.offsets[partition] ?? 0,
          untilOffset: highWatermark,
        }))
        .filter((range) => range.untilOffset > range.fromOffset);
      if (ranges.length === 0) return null;
      const batch = context.fromLog(topic, ranges).map(op.field(`value.${field}`));
      const counts = { ...checkpoint.state };
      for (const [value, n] of await batch.countByValue()) {
        if (value !== null) counts[String(value)] = (counts[String(value)] ?? 0) + n;
      }
      const next: Checkpoint<Counts> = {
        id: checkpointId,
        batchId: checkpoint.batchId + 1,
        offsets: partitions.map((p) =>
          Math.max(p.highWatermark, checkpoint.offsets[p.partition] ?? 0),
        ),
        state: counts,
        time: Date.now(),
      };
      await this.commit(next);
      const info: BatchInfo = {
        batchId: next.batchId,
        ranges,
        offsets: next.offsets,
        inputRecords: ranges.reduce((sum, r) => sum + r.untilOffset - r.fromOffset, 0),
        counts,
        processingMs: performance.now() - started,
      };
      for (const listener of this.listeners) {
        try {
          listener(info);
        } catch (error) {
          reportOnce('a batch listener threw', error);
        }
      }
      return info;
    } finally {
      this.busy = false;
    }
  }

  private async commit(next: Checkpoint<Counts>): Promise<void> {
    try {
      await commitCheckpoint(this.options.checkpoints, next);
      this.last = next;
    } catch (error) {
      // Someone else moved the checkpoint: forget ours, and resume from theirs next batch.
      if (error instanceof CheckpointConflictError) this.last = null;
      throw error;
    }
  }
}
