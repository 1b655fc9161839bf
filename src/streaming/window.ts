import { keyId, type Dataset, type FnLike } from '../engine';
import { reportOnce, warnOnce } from '../shared';
import { driverFn, type DriverFn } from './driver-fn';
import type { DStream } from './dstream';
import type { AnyDStream, Operator, StreamGraph } from './operator';
import { WindowPairs } from './window-pairs';

/** The batch times in `(from, until]`, of those still remembered. */
function timesIn(graph: StreamGraph, from: number, until: number): number[] {
  return graph.times().filter((time) => time > from && time <= until);
}

/**
 * Whether a window of slide `slideMs` moves at batch `time`: at every multiple of the slide,
 * and at every batch when the slide is the batch interval, a batch that `runBatch()` ran off
 * the interval's grid included (`flush()`'s): the window then ends at that batch, and every
 * view of a checkpoint has the same records.
 */
function slidesAt(graph: StreamGraph, time: number, slideMs: number): boolean {
  return slideMs === graph.batchIntervalMs || time % slideMs === 0;
}

/**
 * Says once if batch `time`, the first a window of `lengthMs` computes, holds records from
 * before the window (a backlog: `startingOffsets: 'earliest'`, a restart, a recount): a
 * window by batch time counts them as within it.
 */
async function warnOfBacklog(graph: StreamGraph, time: number, lengthMs: number): Promise<void> {
  const start = time - lengthMs;
  let older = 0;
  try {
    older = await graph.recordsBefore(time, start);
  } catch (error) {
    reportOnce("reading the timestamps of a window's first batch failed", error);
  }
  if (older === 0) return;
  warnOnce(
    `tabstream: streaming job "${graph.checkpointId}": the first batch of a window of ` +
      `${lengthMs} ms holds ${older} records older than the window (from before ` +
      `${new Date(start).toISOString()}), and counts them as within it: windows go by batch ` +
      "time, as Spark Streaming's do. To count each record where it happened, window by event " +
      "time: countByEventTime(key, { eventTime: 'timestamp' (or an event's own, 'value.ts'), " +
      'horizonMs }).reduceByKeyAndEventWindow(…); ' +
      "or start the input at startingOffsets: 'latest'.",
  );
}

/**
 * Checks a window's durations and parent, and makes the graph remember enough batches.
 * - must throw unless both durations are multiples of the batch interval;
 * - must throw for a stateful parent: its past batches cannot be recomputed.
 */
function checkWindow(parent: AnyDStream, lengthMs: number, slideMs: number): void {
  const interval = parent.graph.batchIntervalMs;
  for (const [what, ms] of [
    ['length', lengthMs],
    ['slide', slideMs],
  ] as const) {
    if (!(ms > 0) || ms % interval !== 0) {
      throw new RangeError(
        `tabstream: a window's ${what} (${ms} ms) must be a positive multiple of the batch interval (${interval} ms)`,
      );
    }
  }
  if (!parent.replayable) {
    throw new TypeError(
      'tabstream: a window over a stateful stream (updateStateByKey, mapWithState, a window ' +
        'kept with an inverse) is not supported: its past batches cannot be recomputed',
    );
  }
  parent.graph.remember(lengthMs + slideMs);
}

/** Spark's window: the union of the parent's batches in `(time - length, time]`, every slide. */
export class Window<T> implements Operator<T> {
  readonly kind = 'window';
  readonly replayable = true;
  readonly parents: readonly AnyDStream[];
  /** Its first batch was checked for records older than the window. */
  private checked = false;

  constructor(
    private readonly parent: DStream<T>,
    private readonly lengthMs: number,
    private readonly slideMs: number,
  ) {
    checkWindow(parent, lengthMs, slideMs);
    this.parents = [parent];
    parent.persistForWindows();
  }

  describe(): string {
    return `${this.lengthMs} ${this.slideMs}`;
  }

  async compute(time: number): Promise<Dataset<T> | readonly T[] | null> {
    if (!slidesAt(this.parent.graph, time, this.slideMs)) return null;
    if (!this.checked) {
      this.checked = true;
      await warnOfBacklog(this.parent.graph, time, this.lengthMs);
    }
    const times = timesIn(this.parent.graph, time - this.lengthMs, time);
    const batches = await Promise.all(times.map((t) => this.parent.datasetAt(t)));
    const present = batches.filter((b): b is Dataset<T> => b !== null);
    if (present.length === 0) return [];
    return present.length === 1 ? present[0]! : present[0]!.union(...present.slice(1));
  }
}

export interface ReducedWindowSpec<K, V> {
  readonly reduce: FnLike;
  readonly inverse: FnLike;
  /** Which pairs stay in the window; by default those whose value is not 0. */
  readonly keep?: (pair: [K, V]) => boolean;
  readonly lengthMs: number;
  readonly slideMs: number;
  /** Its pairs are keyed by event-time pane (`reduceByKeyAndEventWindow`): no backlog to warn of. */
  readonly byEventTime?: boolean;
}

/**
 * Spark's reduceByKeyAndWindow with an inverse function: the window's pairs are state, and
 * each slide adds the batches that entered and takes out, with `inverse`, those that left.
 * Cost per slide: the batches that moved, not the whole window.
 */
export class ReducedWindow<K, V> extends WindowPairs<K, V> implements Operator<[K, V]> {
  readonly kind = 'reduceByKeyAndWindow';
  readonly replayable = false;
  readonly parents: readonly AnyDStream[];
  readonly id: string;
  private readonly reduce: DriverFn;
  private readonly inverse: DriverFn;
  /** Its first batch since its state was restored was checked for records older than the window. */
  private checked = false;

  constructor(
    private readonly parent: DStream<[K, V]>,
    private readonly spec: ReducedWindowSpec<K, V>,
  ) {
    super();
    checkWindow(parent, spec.lengthMs, spec.slideMs);
    this.parents = [parent];
    this.reduce = driverFn(parent.graph.engine, spec.reduce, 2);
    this.inverse = driverFn(parent.graph.engine, spec.inverse, 2);
    this.id = parent.graph.nextId('window-state');
    parent.graph.addStateful(this);
  }

  describe(): string {
    const { keep, lengthMs, slideMs } = this.spec;
    const kept = keep ? String(keep) : 'nonzero';
    return `${this.reduce.text} ${this.inverse.text} ${kept} ${lengthMs} ${slideMs}`;
  }

  async compute(time: number): Promise<readonly [K, V][] | null> {
    if (!slidesAt(this.parent.graph, time, this.spec.slideMs)) return null;
    const { lengthMs, keep = nonZero, byEventTime } = this.spec;
    if (!this.checked && !byEventTime) await warnOfBacklog(this.parent.graph, time, lengthMs);
    this.checked = true;
    const reduce = this.reduce.call as (a: V, b: V) => V;
    const inverse = this.inverse.call as (a: V, b: V) => V;
    const graph = this.parent.graph;
    const previous = this.last;
    // A previous window that has wholly left is not subtracted: it is dropped.
    const fresh = !previous || previous.time <= time - lengthMs;
    const pairs = new Map<unknown, [K, V]>();
    if (!fresh) for (const pair of previous.pairs) pairs.set(keyId(pair[0]), [...pair]);
    const from = fresh ? time - lengthMs : previous.time;
    for (const values of await this.valuesIn(timesIn(graph, from, time)))
      combine(pairs, values, reduce);
    if (!fresh) {
      const left = timesIn(graph, previous.time - lengthMs, time - lengthMs);
      for (const values of await this.valuesIn(left)) combine(pairs, values, inverse, true);
    }
    const kept = [...pairs.values()].filter(keep);
    this.set({ time, pairs: kept });
    return kept;
  }

  override restore(saved: unknown): void {
    super.restore(saved);
    this.checked = false;
  }

  private valuesIn(times: readonly number[]): Promise<(readonly [K, V][] | null)[]> {
    return Promise.all(times.map((t) => this.parent.valuesAt(t)));
  }
}

const nonZero = ([, value]: [unknown, unknown]): boolean => value !== 0;

/**
 * Combines `values` into `pairs` with `f(current, value)`. A key not there is added by a
 * reduce; an inverse never meets one, since what leaves a window entered it before.
 */
function combine<K, V>(
  pairs: Map<unknown, [K, V]>,
  values: readonly [K, V][] | null,
  f: (a: V, b: V) => V,
  inverse = false,
): void {
  for (const [key, value] of values ?? []) {
    const id = keyId(key);
    const pair = pairs.get(id);
    if (pair) pair[1] = f(pair[1], value);
    else if (!inverse) pairs.set(id, [key, value]);
  }
}
