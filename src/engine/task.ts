import type { OffsetRange } from '../log';

/**
 * A task: the unit of work an executor runs, described as data so it can cross to a worker.
 * `count-by-field` counts the records of one log partition's offset range by the value of one
 * field; records whose field is null or missing are not counted.
 */
export interface CountByFieldTask {
  readonly kind: 'count-by-field';
  /** The log (IndexedDB database) the executor reads the range from, itself. */
  readonly log: string;
  readonly range: OffsetRange;
  readonly field: string;
}

export type Task = CountByFieldTask;

/** Counts by value: what a counting task returns and what the driver merges. */
export type Counts = Record<string, number>;

/** What a task measured, for the monitor. */
export interface TaskMetrics {
  readonly executorId: string;
  readonly recordsRead: number;
  readonly batchesRead: number;
  /** Record batches skipped because their bytes did not match their CRC. */
  readonly corruptBatches: number;
  readonly durationMs: number;
}

export interface TaskResult {
  readonly counts: Counts;
  readonly metrics: TaskMetrics;
}

/** Adds `partial` into `total`, in place, and returns `total`. */
export function mergeCounts(total: Counts, partial: Readonly<Counts>): Counts {
  for (const key in partial) total[key] = (total[key] ?? 0) + partial[key]!;
  return total;
}
