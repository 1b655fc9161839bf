import type { Damage } from '../shared';
import type { CompactOptions, OffsetRange } from '../log';
import type { Aggregation } from './aggregation';
import type { FnSpec } from './fn';
import type { Partitioner } from './partitioner';

/**
 * What a task computes for one partition, as data: a dataset's lineage within one stage,
 * pipelined (Spark's narrow dependencies), down to its sources: data shipped with the task, a
 * file range, a log range the executor reads itself, shuffle blocks, or a cached partition.
 */
export type Compute =
  | { readonly kind: 'parallelize'; readonly data: readonly unknown[] }
  | { readonly kind: 'text'; readonly blob: Blob; readonly start: number; readonly end: number }
  | {
      readonly kind: 'log';
      readonly log: string;
      readonly range: OffsetRange;
      readonly columns?: LogColumns | null;
    }
  | {
      readonly kind: 'shuffle';
      readonly shuffleId: number;
      readonly partition: number;
      /** Where each map partition's output is: the executor that wrote it. */
      readonly locations: readonly string[];
      /** Merge combiners by key (a keyed shuffle with an aggregation), then finish them. */
      readonly aggregation: Aggregation | null;
    }
  | { readonly kind: 'ops'; readonly input: Compute; readonly ops: readonly NarrowOp[] }
  | { readonly kind: 'union'; readonly inputs: readonly Compute[] }
  | { readonly kind: 'cogroup'; readonly inputs: readonly Compute[] }
  | {
      readonly kind: 'cached';
      readonly rddId: number;
      readonly partition: number;
      readonly serialized: boolean;
      readonly input: Compute;
    };

/**
 * A log range read as rows: one array per record, of the named columns only (`_partition`,
 * `_offset`, `_timestamp`, `_key`, or a value field), so a job reads no other column's bytes.
 * Batches whose newest record is older than `minTimestamp` are skipped unread.
 */
export interface LogColumns {
  /** The row's columns; null for a slot left null (a column the job does not read). */
  readonly names: readonly (string | null)[];
  readonly minTimestamp: number | null;
}

/** A narrow transformation, applied record by record (or to the whole partition). */
export type NarrowOp =
  | {
      readonly kind: 'map' | 'filter' | 'flatMap' | 'mapPartitions' | 'mapValues' | 'keyBy';
      readonly fn: FnSpec;
    }
  | { readonly kind: 'combine'; readonly aggregation: Aggregation }
  | { readonly kind: 'sortByKey'; readonly ascending: boolean }
  | { readonly kind: 'join'; readonly outer: 'inner' | 'left' };

/** What a task does with its partition. */
export type Sink =
  | { readonly kind: 'result'; readonly action: Action }
  | {
      readonly kind: 'shuffle-write';
      readonly shuffleId: number;
      readonly mapId: number;
      readonly partitioner: Partitioner;
      /** Combine values by key before writing (map-side combine). */
      readonly aggregation: Aggregation | null;
    };

/** An action's per-partition part; the driver merges the partitions' results. */
export type Action =
  | { readonly kind: 'collect' | 'count' | 'countByValue' | 'countByKey' }
  | { readonly kind: 'take'; readonly n: number }
  | { readonly kind: 'sample-keys'; readonly size: number }
  | { readonly kind: 'reduce'; readonly fn: FnSpec }
  | { readonly kind: 'aggregate'; readonly aggregation: Aggregation }
  | { readonly kind: 'foreach'; readonly fn: FnSpec; readonly partitionwise: boolean }
  | { readonly kind: 'save-to-log'; readonly log: string; readonly topic: string }
  /** Compacts the partitions of a log's topic that are the task's records. */
  | {
      readonly kind: 'compact-log';
      readonly log: string;
      readonly topic: string;
      readonly options: CompactOptions;
    };

/** One task: a partition of a stage, on some executor, in some attempt. */
export interface TaskDescription {
  readonly taskId: number;
  readonly jobId: number;
  readonly stageId: number;
  readonly partition: number;
  readonly attempt: number;
  readonly compute: Compute;
  readonly sink: Sink;
}

/** What a task measured: the data of Spark UI's task table. */
export interface TaskMetrics {
  readonly executorId: string;
  readonly durationMs: number;
  /** Records read from the task's sources (log, file, shipped data, cache, shuffle). */
  readonly recordsIn: number;
  /** Records the task's last operator produced, into its action or shuffle. */
  readonly recordsOut: number;
  readonly batchesRead: number;
  /** Record batches skipped because their bytes did not match their CRC, or were missing. */
  readonly corruptBatches: number;
  /** The offsets those batches (or a gap where a batch is missing) held: records not read. */
  readonly corruptRecords: number;
  readonly shuffleReadBytes: number;
  readonly shuffleWriteBytes: number;
  /** Damage the task met in storage (at most the last 20), for the driver to count as its own. */
  readonly damage: readonly Damage[];
}

/** A finished task: its action's partial result, or its map output's sizes. */
export interface TaskOutcome {
  readonly value: unknown;
  readonly metrics: TaskMetrics;
  /** Bytes written per reduce partition, for a shuffle map task. */
  readonly shuffleSizes: readonly number[] | null;
  /** Accumulator updates, applied by the driver once the task succeeded. */
  readonly accumulators: Readonly<Record<number, number>>;
  /** Partitions this task cached, now kept by its executor. */
  readonly cached: readonly { readonly rddId: number; readonly partition: number }[];
}
