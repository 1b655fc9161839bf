import { defineFn, fn, op } from '../engine';
import { resultOf, type Checkpoint } from './checkpoint';
import { isOffset, isRecord, show } from './checkpoint-schema';
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
 * Where `<tabstream-counts>` gets its numbers: `window.tabstream`, or any object like it.
 * - `counts(view)` resolves with the counts of `view` as of the last batch;
 * - `subscribe(listener, view)` calls `listener` after every batch, until the returned
 *   function is called;
 * - `ready`, if any, resolves once counts can be read.
 */
export interface CountsSource {
  readonly ready?: Promise<void>;
  counts(view?: CountsView): Promise<Record<string, number>>;
  subscribe(
    listener: (counts: Readonly<Record<string, number>>) => void,
    view?: CountsView,
  ): () => void;
}

/**
 * The default job's checkpoint, per batch interval (its windows depend on it). A new plan of
 * the job gets a new version here, and counts the log again from its start.
 */
export function clickCountsCheckpoint(batchIntervalMs: number): string {
  return `clicks:counts:v3:${batchIntervalMs}ms`;
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

/** A window's length: rounded up to whole batch intervals. */
const lengthOf = (window: '1m' | '5m', interval: number): number =>
  Math.ceil(WINDOWS[window] / interval) * interval;

/**
 * The script tag's streaming job: the clicks of topic `topic` counted per page URL and per
 * target URL, as running totals (state), and over sliding windows of 1 and 5 minutes by the
 * clicks' own time (`ts`): a click counts in a window while it happened within it, however
 * late it was read (a backlog after a restart, a new leader, a recount), in panes of the
 * batch interval. Each is published under `resultName(by, window)`.
 */
export function clickCounts(ssc: StreamingContext, topic = 'clicks'): void {
  ssc.checkCheckpoint(clickCountsProblem);
  const clicks = ssc.fromLog(topic, { group: 'tabstream-counts' });
  const interval = ssc.batchIntervalMs;
  for (const by of ['page', 'target'] as const) {
    const key = op.field(`value.${by}`);
    const perBatch = clicks.map(key).countByValue();
    perBatch.updateStateByKey(fn('tabstream.total')).publish(resultName(by, 'all'));
    const horizonMs = lengthOf('5m', interval);
    const timed = clicks.countByEventTime(key, {
      eventTime: 'value.ts',
      horizonMs,
      counted: perBatch,
    });
    for (const window of ['1m', '5m'] as const) {
      const length = lengthOf(window, interval);
      timed
        .reduceByKeyAndEventWindow(op.sum, op.difference, length)
        .publish(resultName(by, window));
    }
  }
}

/** The prefix of a `ReducedWindow`'s state id: in this job, the panes of its windows by key. */
const PANES = 'window-state-';

/**
 * What is wrong with a checkpoint of the clicks job, beyond the schema of every checkpoint
 * (null if nothing): each key is a field's value (or none), with a time for a window's pane;
 * each count a whole number ≥ 0; the totals by page and by target each add up to the records
 * read, and no window holds more, so that a state emptied or changed is seen.
 */
export function clickCountsProblem(checkpoint: Checkpoint): string | null {
  const { records } = checkpoint;
  for (const by of ['page', 'target'] as const) {
    const name = resultName(by, 'all');
    const id = checkpoint.resultStates?.[name];
    if (id === undefined) return `it keeps no ${name} counts`;
    const totals = checkpoint.state[id];
    if (!Array.isArray(totals)) return `its ${name} counts are not [key, count] pairs`;
    const sum = sumOf(name, totals, FIELD_VALUE);
    if (typeof sum === 'string') return sum;
    if (sum !== records) return tooMany(name, sum, records);
    for (const window of ['1m', '5m'] as const) {
      const name = resultName(by, window);
      const id = checkpoint.resultStates?.[name];
      if (id === undefined) return `it keeps no ${name} counts`;
      const problem = windowProblem(name, checkpoint.state[id], FIELD_VALUE, records);
      if (problem) return problem;
    }
  }
  for (const [id, state] of Object.entries(checkpoint.state)) {
    const problem = id.startsWith(PANES) && windowProblem(id, state, PANED, records);
    if (problem) return problem;
  }
  return null;
}

/** What is wrong with a window's state (as read: anything) of `records` at most; null if nothing. */
function windowProblem(
  name: string,
  state: unknown,
  key: KeyCheck,
  records: number,
): string | null {
  if (state === undefined) return null; // an empty window
  const pairs = isRecord(state) ? state['pairs'] : undefined;
  if (!Array.isArray(pairs)) return `its ${name} counts are not [key, count] pairs`;
  const sum = sumOf(name, pairs, key);
  if (typeof sum === 'string') return sum;
  return sum > records ? tooMany(name, sum, records) : null;
}

const tooMany = (name: string, sum: number, records: number) =>
  `its ${name} counts add up to ${sum}, but it read ${records} records`;

/** A kind of key, and what it must be. */
interface KeyCheck {
  readonly is: (key: unknown) => boolean;
  readonly what: string;
}
const FIELD_VALUE: KeyCheck = { is: isFieldValue, what: 'a field value' };
const PANED: KeyCheck = {
  is: (key) =>
    Array.isArray(key) && key.length === 2 && isFieldValue(key[0]) && Number.isFinite(key[1]),
  what: 'a field value and a time',
};

/** The sum of `[key, count]` pairs (as read: anything), or what is wrong with one of them. */
function sumOf(name: string, pairs: readonly unknown[], key: KeyCheck): number | string {
  let sum = 0;
  for (const pair of pairs) {
    const [k, clicks] = Array.isArray(pair) ? (pair as unknown[]) : [];
    if (!key.is(k)) return `its ${name} counts have a key that is ${show(k)}, not ${key.what}`;
    if (!isOffset(clicks))
      return `its ${name} count of ${show(k)} is ${show(clicks)}, not a whole number ≥ 0`;
    sum += clicks;
  }
  return sum;
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
