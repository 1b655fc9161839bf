import { defineFn, fn, op } from '../engine';
import { resultOf, type Checkpoint } from './checkpoint';
import { isOffset, show } from './checkpoint-schema';
import type { StreamingContext } from './streaming-context';

/** What the script tag's job counts clicks by. */
export type CountsBy = 'page' | 'target';
/** Over what time: all time, or the last minute or 5 minutes of batches. */
export type CountsWindow = 'all' | '1m' | '5m';

/** Clicks per URL, as the job publishes them. */
export type Counts = Record<string, number>;

/** Which counts: by page URL (default) or target URL, over all time (default) or a window. */
export interface CountsView {
  readonly by?: CountsBy;
  readonly window?: CountsWindow;
}

/**
 * The default job's checkpoint, per batch interval (its windows depend on it). A new plan of
 * the job gets a new version here, and counts the log again from its start.
 */
export function clickCountsCheckpoint(batchIntervalMs: number): string {
  return `clicks:counts:v2:${batchIntervalMs}ms`;
}

const WINDOWS = { '1m': 60_000, '5m': 300_000 } as const;

/** The result that holds the counts by `by` over `window`. */
export function resultName(by: CountsBy, window: CountsWindow): string {
  return window === 'all' ? by : `${by}:${window}`;
}

// Named, so that the plan's hash is the same in every build of the script.
defineFn('tabstream.total', (values, state) =>
  (values as number[]).reduce((a, b) => a + b, (state as number | undefined) ?? 0),
);

/**
 * The script tag's streaming job: the clicks of topic `topic` counted per page URL and per
 * target URL, as running totals (state) and over sliding windows of 1 and 5 minutes (kept
 * incrementally with an inverse; rounded up to whole batch intervals), each published under
 * `resultName(by, window)`.
 */
export function clickCounts(ssc: StreamingContext, topic = 'clicks'): void {
  ssc.checkCheckpoint(clickCountsProblem);
  const clicks = ssc.fromLog(topic, { group: 'tabstream-counts' });
  const interval = ssc.batchIntervalMs;
  for (const by of ['page', 'target'] as const) {
    const perBatch = clicks.map(op.field(`value.${by}`)).countByValue();
    perBatch.updateStateByKey(fn('tabstream.total')).publish(resultName(by, 'all'));
    for (const window of ['1m', '5m'] as const) {
      const length = Math.ceil(WINDOWS[window] / interval) * interval;
      perBatch.reduceByKeyAndWindow(op.sum, op.difference, length).publish(resultName(by, window));
    }
  }
}

/**
 * What is wrong with a checkpoint of the clicks job, beyond the schema of every checkpoint
 * (null if nothing): each key is a field's value (or none), each count a
 * whole number ≥ 0, and the totals by page and by target
 * each add up to the records read, so that a state emptied or changed is seen.
 */
export function clickCountsProblem(checkpoint: Checkpoint): string | null {
  for (const by of ['page', 'target'] as const) {
    for (const window of ['all', '1m', '5m'] as const) {
      const name = resultName(by, window);
      const id = checkpoint.resultStates?.[name];
      if (id === undefined) return `it keeps no ${name} counts`;
      const state = checkpoint.state[id];
      const pairs = window === 'all' ? state : (state as { pairs?: unknown } | undefined)?.pairs;
      if (window !== 'all' && state === undefined) continue; // an empty window
      if (!Array.isArray(pairs)) return `its ${name} counts are not [key, count] pairs`;
      let sum = 0;
      for (const pair of pairs as unknown[]) {
        const [key, clicks] = Array.isArray(pair) ? (pair as unknown[]) : [];
        if (!isFieldValue(key))
          return `its ${name} counts have a key that is ${show(key)}, not a field value`;
        if (!isOffset(clicks))
          return `its ${name} count of ${show(key)} is ${show(clicks)}, not a whole number ≥ 0`;
        sum += clicks;
      }
      if (window === 'all' ? sum !== checkpoint.records : sum > checkpoint.records)
        return `its ${name} counts add up to ${sum}, but it read ${checkpoint.records} records`;
    }
  }
  return null;
}

/** The counts by `by` over `window` in a checkpoint of the job (only that result is read). */
export function countsOf(
  checkpoint: Checkpoint | undefined,
  by: CountsBy = 'page',
  window: CountsWindow = 'all',
): Counts {
  return { ...((resultOf(checkpoint, resultName(by, window)) ?? {}) as Counts) };
}

/** The next offset per partition of topic `clicks` that the job's checkpoint has counted. */
export function countedOffsets(checkpoint: Checkpoint | undefined): readonly number[] {
  return Object.values(checkpoint?.offsets ?? {})[0] ?? [];
}

/** What a field of an event can be (a missing one is read as undefined or null). */
function isFieldValue(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    typeof value === 'number'
  );
}
