import type { Dataset } from '../engine';
import { warnOnce } from '../shared';
import {
  commitOffsets,
  committedOffsets,
  offsetsForTimes,
  partitionsOf,
  type ConsumerRecord,
  type OffsetRange,
  type PartitionState,
} from '../log';
import { StateLostError, type BatchRanges } from './checkpoint';
import type { HistoryChange } from './checkpoint-delta';
import type { Operator, StreamGraph } from './operator';

/** How a direct stream starts and reports its progress. */
export interface LogInputOptions {
  /**
   * A consumer group of the log: a stateless job with no checkpoint starts from the group's
   * committed offsets, and every committed batch commits its offsets to the group too (for its
   * lag in `log.listConsumerGroupOffsets`). The checkpoint, not the group, is what recovery
   * trusts: a job with state and no checkpoint, whose group committed offsets, lost its
   * checkpoint, and rebuilds its state from the log start.
   */
  readonly group?: string;
  /**
   * Where a job with no checkpoint starts in partitions the group has no offset for:
   * 'earliest' (default, every record still in the log), 'latest' (only records appended from
   * now on), or an offset per partition.
   */
  readonly startingOffsets?: 'earliest' | 'latest' | readonly number[];
}

/** An input's part of a checkpoint. */
export interface InputState {
  readonly offsets: readonly number[];
  readonly history: readonly BatchRanges[];
}

/**
 * Spark's direct Kafka stream over a topic of the log: each batch is one dataset with one
 * partition per log partition's offset range `[from, until)` (a KafkaRDD), read by the
 * executors; `count()` of it reads nothing. The ranges of recent batches are kept, so windows
 * and recovery recompute a batch exactly.
 */
export class LogInput implements Operator<ConsumerRecord> {
  readonly kind = 'fromLog';
  readonly parents = [];
  readonly replayable = true;
  readonly id: string;
  private committed: InputState | null = null;
  private pending: BatchRanges | null = null;
  /** Where a job with no checkpoint starts, fixed on its first batch ('latest' must not move). */
  private initial: readonly number[] | null = null;
  /** Rebuilding the job's state: start at each partition's log-start offset, whatever the group says. */
  private fromLogStart = false;

  constructor(
    private readonly graph: StreamGraph,
    readonly topic: string,
    private readonly options: LogInputOptions,
  ) {
    this.id = graph.nextId('input');
  }

  describe(): string {
    return JSON.stringify([this.topic, this.options.group ?? null]);
  }

  /** The batch times this input remembers, oldest first. */
  get times(): readonly number[] {
    return (this.committed?.history ?? []).map(({ time }) => time);
  }

  /** Records of the batch under way. */
  get pendingRecords(): number {
    return this.pending ? sizeOf(this.pending.ranges) : 0;
  }

  records(time: number): number | null {
    const batch = this.batchAt(time);
    return batch ? sizeOf(batch.ranges) : null;
  }

  /** Records of batch `time` whose timestamp is before `timestamp` (see `StreamGraph`). */
  async recordsBefore(time: number, timestamp: number): Promise<number> {
    const ranges = (this.batchAt(time)?.ranges ?? []).filter((r) => r.untilOffset > r.fromOffset);
    if (ranges.length === 0) return 0;
    const from = await offsetsForTimes(this.graph.logDB(), this.topic, timestamp);
    return ranges.reduce((n, r) => {
      const reached = from[r.partition]?.offset ?? Infinity; // none that late: all before
      return n + Math.max(0, Math.min(r.untilOffset, reached) - r.fromOffset);
    }, 0);
  }

  /** True if a batch after `time` read records: windows may still hold them. */
  hasInputAfter(time: number): boolean {
    return (this.committed?.history ?? []).some(
      (batch) => batch.time > time && batch.ranges.some((r) => r.untilOffset > r.fromOffset),
    );
  }

  /** Per partition, the records not yet in a committed batch. */
  private async lags(): Promise<{ partitions: PartitionState[]; from: number[]; lags: number[] }> {
    const partitions = await partitionsOf(this.graph.logDB(), this.topic);
    const from = await this.startOffsets(partitions);
    return { partitions, from, lags: partitions.map((p, i) => p.highWatermark - from[i]!) };
  }

  /**
   * Fixes the offset ranges of batch `time`: from the committed offsets to the high
   * watermarks, at most `limits(lags)[i]` records of partition i.
   */
  async plan(
    time: number,
    limitsOf: (lags: readonly number[]) => readonly number[],
  ): Promise<readonly OffsetRange[]> {
    const { partitions, from, lags } = await this.lags();
    const limits = limitsOf(lags);
    const ranges = partitions.map(({ partition }, i) => ({
      topic: this.topic,
      partition,
      fromOffset: from[i]!,
      untilOffset: from[i]! + Math.min(lags[i]!, limits[i] ?? Infinity),
    }));
    this.pending = { time, ranges };
    return ranges;
  }

  compute(time: number): Promise<Dataset<ConsumerRecord> | null> {
    const ranges = (this.batchAt(time)?.ranges ?? []).filter((r) => r.untilOffset > r.fromOffset);
    // No records: no dataset, so no job runs for a batch that only moves windows on.
    return Promise.resolve(ranges.length ? this.graph.engine.fromLog(this.topic, ranges) : null);
  }

  private batchAt(time: number): BatchRanges | undefined {
    if (this.pending?.time === time) return this.pending;
    return this.committed?.history.find((b) => b.time === time);
  }

  /** Takes the checkpoint's part; `fromLogStart`: none, and the job rebuilds its state from the log. */
  restore(state: InputState | undefined, fromLogStart = false): void {
    this.committed = state ?? null;
    this.initial = null;
    this.pending = null;
    this.fromLogStart = fromLogStart;
  }

  /** True if the input's consumer group committed offsets past the log start: a job counted them. */
  async groupAhead(): Promise<boolean> {
    const { group } = this.options;
    if (!group) return false;
    const partitions = await partitionsOf(this.graph.logDB(), this.topic);
    const offsets = await committedOffsets(this.graph.logDB(), group, partitions);
    return partitions.some((p, i) => (offsets[i]?.offset ?? 0) > p.logStartOffset);
  }

  /** The input's state once the batch under way commits: offsets, and the ranges to keep. */
  snapshot(): InputState {
    const pending = this.pending;
    const history = [...(this.committed?.history ?? []), ...(pending ? [pending] : [])];
    const offsets = [...(this.committed?.offsets ?? [])];
    for (const r of pending?.ranges ?? []) offsets[r.partition] = r.untilOffset;
    const { after } = this.historyChange();
    return { offsets, history: history.filter(({ time }) => time > after) };
  }

  /** What the batch under way changes of the history `snapshot()` keeps. */
  historyChange(): HistoryChange {
    const batch = this.pending ?? undefined;
    const after = (batch?.time ?? 0) - this.graph.rememberMs;
    return batch ? { batch, after } : { after };
  }

  commit(): void {
    this.committed = this.snapshot();
    this.pending = null;
  }

  discard(): void {
    this.pending = null;
  }

  /** Commits the offsets to the consumer group, if any: its lag for `listConsumerGroupOffsets`. */
  async commitToGroup(checkpointId: string): Promise<void> {
    const { group } = this.options;
    if (!group || !this.committed) return;
    const offsets = this.committed.offsets.map((offset, partition) => ({
      topic: this.topic,
      partition,
      offset,
    }));
    await commitOffsets(this.graph.logDB(), group, offsets, `checkpoint ${checkpointId}`);
  }

  /**
   * The first offset not yet committed per partition: the checkpoint's, else the group's,
   * else `startingOffsets`; moved up to the log-start offset where retention removed records.
   * - must throw StateLostError if a checkpointed offset lies outside the log (beyond the high
   *   watermark, or before the log start: retention removed records the job never read).
   */
  private async startOffsets(partitions: readonly PartitionState[]): Promise<number[]> {
    const committed = this.committed?.offsets;
    if (committed) this.checkInLog(committed, partitions);
    this.initial ??= committed ? [] : await this.initialOffsets(partitions);
    return partitions.map((p, i) => {
      const chosen = committed?.[i] ?? this.initial![i];
      const offset = chosen ?? p.logStartOffset;
      if (offset < p.logStartOffset) {
        warnOnce(
          `tabstream: retention removed records of ${this.topic}/${p.partition} before the ` +
            `streaming job read them; it resumes at offset ${p.logStartOffset}`,
        );
      }
      return Math.min(Math.max(offset, p.logStartOffset), p.highWatermark);
    });
  }

  private checkInLog(offsets: readonly number[], partitions: readonly PartitionState[]): void {
    for (const p of partitions) {
      const offset = offsets[p.partition];
      if (offset === undefined || (offset >= p.logStartOffset && offset <= p.highWatermark))
        continue;
      const where = `${this.topic}/${p.partition}`;
      throw new StateLostError(
        offset > p.highWatermark
          ? `its offset ${offset} of ${where} is beyond the high watermark ${p.highWatermark}`
          : `its offset ${offset} of ${where} is before the log start ${p.logStartOffset}: ` +
              'retention removed records it never read',
        true,
      );
    }
  }

  private async initialOffsets(partitions: readonly PartitionState[]): Promise<number[]> {
    if (this.fromLogStart) return partitions.map((p) => p.logStartOffset);
    const { group, startingOffsets: start = 'earliest' } = this.options;
    const groupOffsets = group ? await committedOffsets(this.graph.logDB(), group, partitions) : [];
    return partitions.map(
      (p, i) =>
        groupOffsets[i]?.offset ??
        (start === 'earliest'
          ? p.logStartOffset
          : start === 'latest'
            ? p.highWatermark
            : start[i]) ??
        p.logStartOffset,
    );
  }
}

function sizeOf(ranges: readonly OffsetRange[]): number {
  return ranges.reduce((n, r) => n + r.untilOffset - r.fromOffset, 0);
}
