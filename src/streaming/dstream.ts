import { op, toFnSpec, type Dataset, type FnLike, type NamedFn, type Op } from '../engine';
import { driverFn } from './driver-fn';
import {
  EventTimeCounts,
  eventTimeSpan,
  EventWindow,
  type EventTimeSpan,
  type EventTimeSpec,
  type Paned,
} from './event-time';
import type { AnyDStream, Generated, Operator, StreamGraph } from './operator';
import { ForeachBatch, Print, Publish, SaveToLog } from './outputs';
import { MapWithState, UpdateStateByKey, type StateSpec } from './state';
import { DatasetTransform, DriverAction, DriverMap, Union } from './transform';
import { ReducedWindow, Window } from './window';

/** What an operator or a named function returns: its type is not known statically. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Fn1<T, U> = ((record: T, params: any) => U) | Op | NamedFn;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Fn2<A, B, U> = ((a: A, b: B, params: any) => U) | Op | NamedFn;

/**
 * Spark's DStream: a stream declared once as transformations of datasets, computed every batch
 * interval as one dataset per batch. Transformations and outputs may only be added before the
 * StreamingContext starts.
 * Guarantees: a batch's dataset is generated once (shared by every operator that reads it);
 * the batches of a replayable stream (no state above it) can be recomputed from the offset
 * ranges of its inputs, which is what windows and recovery do.
 */
export class DStream<T> {
  readonly id: string;
  private readonly generated = new Map<number, Promise<Generated<T> | null>>();
  private readonly collected = new Map<number, Promise<readonly T[] | null>>();
  /** Kept in the executors while windows may read them again (Spark persists them too). */
  private persistBatches = false;
  /** The event-time windows over this stream's panes, by reduce, inverse and slide: one state for all. */
  private readonly panes = new Map<string, AnyDStream>();
  /** The least and greatest event time of each batch, by field: one job for every count by it. */
  private readonly spans = new Map<string, DStream<EventTimeSpan>>();

  constructor(
    readonly graph: StreamGraph,
    readonly operator: Operator<T>,
  ) {
    this.id = graph.nextId(operator.kind);
    graph.addStream(this);
  }

  get parents(): readonly AnyDStream[] {
    return this.operator.parents;
  }

  /** True if any batch can be recomputed from input ranges: no stateful operator above. */
  get replayable(): boolean {
    return this.operator.replayable;
  }

  /** The batch of `time` as a dataset, or null where this stream has none. */
  async datasetAt(time: number): Promise<Dataset<T> | null> {
    const generated = await this.generate(time);
    if (generated === null || !Array.isArray(generated)) return generated as Dataset<T> | null;
    return this.graph.engine.parallelize(generated as readonly T[], 1);
  }

  /** The batch of `time` as values on the driver (collected once if it is a dataset). */
  valuesAt(time: number): Promise<readonly T[] | null> {
    let values = this.collected.get(time);
    if (!values) {
      values = this.generate(time).then((g) =>
        g === null || Array.isArray(g) ? (g as readonly T[] | null) : (g as Dataset<T>).collect(),
      );
      this.collected.set(time, values);
    }
    return values;
  }

  /** Records of batch `time`, if known without running a job (driver values). */
  async recordsAt(time: number): Promise<number | null> {
    const known = this.operator.records?.(time);
    if (known !== undefined) return known;
    if (!this.generated.has(time)) return null;
    const generated = await this.generated.get(time)!.catch(() => null);
    return Array.isArray(generated) ? generated.length : null;
  }

  /** Drops the batches before `time` (and their cached partitions). */
  forget(time: number): void {
    for (const [t, generated] of this.generated) {
      if (t >= time) continue;
      this.generated.delete(t);
      this.collected.delete(t);
      if (this.persistBatches) void generated.then((g) => g && unpersist(g)).catch(() => {});
    }
  }

  /** Keeps this stream's batch datasets cached in the executors until forgotten. */
  persistForWindows(): void {
    this.persistBatches = true;
  }

  private generate(time: number): Promise<Generated<T> | null> {
    let generated = this.generated.get(time);
    if (!generated) {
      generated = this.operator.compute(time).then((g) => {
        if (g && this.persistBatches && !Array.isArray(g)) (g as Dataset<T>).cache();
        return g;
      });
      this.generated.set(time, generated);
      // A failed batch is generated afresh when tried again.
      generated.catch(() => this.generated.get(time) === generated && this.forgetAt(time));
    }
    return generated;
  }

  /** Drops batch `time`, which failed: it is generated afresh when tried again. */
  forgetAt(time: number): void {
    this.generated.delete(time);
    this.collected.delete(time);
  }

  // --- Transformations of each batch's dataset (Spark's DStream API). ---

  map<U = Any>(f: Fn1<T, U>, params?: unknown): DStream<U> {
    return this.eachBatch('map', fnText(f, params), (d) => d.map(f, params));
  }

  filter(f: Fn1<T, unknown>, params?: unknown): DStream<T> {
    return this.eachBatch('filter', fnText(f, params), (d) => d.filter(f, params));
  }

  flatMap<U = Any>(f: Fn1<T, Iterable<U>>, params?: unknown): DStream<U> {
    return this.eachBatch('flatMap', fnText(f, params), (d) => d.flatMap(f, params));
  }

  mapPartitions<U = Any>(f: Fn1<T[], Iterable<U>>, params?: unknown): DStream<U> {
    return this.eachBatch('mapPartitions', fnText(f, params), (d) => d.mapPartitions(f, params));
  }

  /** Any dataset-to-dataset function of each batch (Spark's transform). */
  transform<U>(f: (dataset: Dataset<T>, time: number) => Dataset<U>): DStream<U> {
    return this.eachBatch('transform', String(f), f);
  }

  /** Values combined by key within each batch, on the executors (a shuffle). */
  reduceByKey<K, V>(
    this: DStream<[K, V]>,
    f: Fn2<V, V, V>,
    params?: unknown,
    numPartitions?: number,
  ): DStream<[K, V]> {
    return this.eachBatch('reduceByKey', `${fnText(f, params)} ${numPartitions ?? ''}`, (d) =>
      d.reduceByKey(f, params, numPartitions),
    );
  }

  union(...others: DStream<T>[]): DStream<T> {
    return new DStream(this.graph, new Union<T>([this, ...others]));
  }

  /** Each batch's record count, one value per batch; free for a log input (no read). */
  count(): DStream<number> {
    return this.driver('count', async (d) => [await d.count()]);
  }

  /** `[value, count]` pairs of each batch, counted in the executors and merged on the driver. */
  countByValue(): DStream<[T, number]> {
    return this.driver('countByValue', async (d) => [...(await d.countByValue())]);
  }

  // --- Windows: over the batches of the last `lengthMs`, every `slideMs`. ---

  /** Every batch in the window, as one dataset (each batch's partitions cached meanwhile). */
  window(lengthMs: number, slideMs = this.graph.batchIntervalMs): DStream<T> {
    return new DStream(this.graph, new Window<T>(this, lengthMs, slideMs));
  }

  /** How many records the window holds, kept incrementally. */
  countByWindow(lengthMs: number, slideMs = this.graph.batchIntervalMs): DStream<number> {
    const keyed = this.count().driverMap('keyed', (ns) => ns.map((n): [null, number] => [null, n]));
    const windowed = keyed.reduceByKeyAndWindow(op.sum, op.difference, lengthMs, slideMs);
    return windowed.driverMap('values', (pairs) => (pairs.length ? pairs.map(([, n]) => n) : [0]));
  }

  /**
   * Values combined by key over the window. With `inverse` (which undoes `reduce`), the window
   * is kept as state and updated with the batches that enter and leave it, as Spark does;
   * pairs that `keep` rejects are dropped (by default those whose value fell to 0). Without,
   * the window's batches are combined again on every slide.
   */
  reduceByKeyAndWindow<K, V>(
    this: DStream<[K, V]>,
    reduce: Fn2<V, V, V>,
    inverse: Fn2<V, V, V> | null,
    lengthMs: number,
    slideMs = this.graph.batchIntervalMs,
    keep?: (pair: [K, V]) => boolean,
  ): DStream<[K, V]> {
    if (inverse === null) return this.window(lengthMs, slideMs).reduceByKey(reduce);
    const operator = new ReducedWindow<K, V>(this, { reduce, inverse, keep, lengthMs, slideMs });
    return new DStream(this.graph, operator);
  }

  // --- Windows by event time (Structured Streaming's), over the records' own timestamps. ---

  /**
   * `[[key, pane], count]` pairs of each batch: its records counted by `key` and by the pane
   * (of `paneMs`, by default the batch interval) of their event time, the number at field
   * path `eventTime` (a record without one is timed by its batch); a pane is named by its
   * end. Records whose pane ends `horizonMs` or more before their batch are left out (a
   * watermark): a backlog read at once counts where it happened. What
   * `reduceByKeyAndEventWindow` windows.
   */
  countByEventTime<K = Any>(
    key: Op,
    spec: Omit<EventTimeSpec<K>, 'key' | 'paneMs'> & { readonly paneMs?: number },
  ): DStream<[Paned<K>, number]> {
    const paneMs = spec.paneMs ?? this.graph.batchIntervalMs;
    const { eventTime } = spec;
    let span = this.spans.get(eventTime);
    if (!span) {
      span = this.driver('eventTimeSpan', (d) => eventTimeSpan(d, eventTime));
      this.spans.set(eventTime, span);
    }
    const counts = new EventTimeCounts<K>(this, span, { ...spec, key, paneMs });
    return new DStream(this.graph, counts);
  }

  /**
   * Values combined by key over a window by event time, every slide: of `countByEventTime`'s
   * pairs, those whose pane ends after the window's start (`time - lengthMs`), so
   * that records older than the window are left out of its result whenever they were read.
   * The pairs of the whole horizon are kept as `reduceByKeyAndWindow` with `inverse` keeps a
   * window, by key and pane, once for all the windows of a slide: a shorter window is the
   * newer of its panes.
   * - must throw unless called on `countByEventTime`'s pairs, of a horizon ≥ `lengthMs`.
   */
  reduceByKeyAndEventWindow<K, V>(
    this: DStream<[Paned<K>, V]>,
    reduce: Fn2<V, V, V>,
    inverse: Fn2<V, V, V>,
    lengthMs: number,
    slideMs = this.graph.batchIntervalMs,
  ): DStream<[K, V]> {
    const counts = this.operator;
    if (!(counts instanceof EventTimeCounts) || counts.spec.horizonMs < lengthMs)
      throw new TypeError(
        `tabstream: reduceByKeyAndEventWindow windows the pairs of countByEventTime, whose ` +
          `horizon must be at least the window's length (${lengthMs} ms)`,
      );
    const lengthOfPanes = counts.spec.horizonMs;
    const spec = { reduce, inverse, lengthMs: lengthOfPanes, slideMs, byEventTime: true };
    const id = `${fnText(reduce, undefined)} ${fnText(inverse, undefined)} ${slideMs}`;
    let panes = this.panes.get(id) as DStream<[Paned<K>, V]> | undefined;
    if (!panes) {
      panes = new DStream(this.graph, new ReducedWindow<Paned<K>, V>(this, spec));
      this.panes.set(id, panes);
    }
    const combine = driverFn(this.graph.engine, reduce, 2);
    return new DStream(this.graph, new EventWindow<K, V>(panes, combine, lengthMs));
  }

  // --- State across batches, checkpointed with the offsets. ---

  /**
   * Every key's state, updated each batch by `update(newValues, state)` for every key that
   * has new values or a state; `undefined` removes the key. Runs on the driver.
   */
  updateStateByKey<K, V, S>(
    this: DStream<[K, V]>,
    update: ((values: V[], state: S | undefined, params: Any) => S | undefined) | Op | NamedFn,
  ): DStream<[K, S]> {
    return new DStream(this.graph, new UpdateStateByKey<K, V, S>(this, update));
  }

  /**
   * Spark's mapWithState: `spec.fn(key, value, state)` for each new pair (and, with a
   * `timeoutMs`, once more for a key idle that long, as `state.isTimingOut()`), emitting
   * what it returns. `stateSnapshots()` of the result is every key's state.
   */
  mapWithState<K, V, S, U>(
    this: DStream<[K, V]>,
    spec: StateSpec<K, V, S, U>,
  ): StateDStream<K, S, U> {
    const operator = new MapWithState<K, V, S, U>(this, spec);
    const stream = new DStream(this.graph, operator) as StateDStream<K, S, U>;
    const snapshots = new DStream(this.graph, operator.snapshots(stream));
    stream.stateSnapshots = () => snapshots;
    return stream;
  }

  // --- Outputs: what runs every batch. ---

  /** Calls `f(dataset, time)` every batch on the driver; at least once, as in Spark. */
  foreachBatch(f: (dataset: Dataset<T>, time: number) => unknown): void {
    this.graph.addOutput(new ForeachBatch(this.graph, this, f));
  }

  /** Prints the first `n` records of every batch to the console. */
  print(n = 10): void {
    this.graph.addOutput(new Print(this.graph, this, n));
  }

  /**
   * Appends every batch's records to `topic`, exactly once: the records are numbered by
   * batch with an idempotent producer whose sequences are checkpointed, so a batch run again
   * after a crash appends nothing twice.
   */
  saveToLog(topic: string): void {
    this.graph.addOutput(new SaveToLog(this.graph, this, topic));
  }

  /**
   * Keeps every batch's `[key, value]` pairs as result `name` of the checkpoint, committed
   * with the offsets: what every tab reads with `results()` (Structured Streaming's memory sink).
   */
  publish<K, V>(this: DStream<[K, V]>, name: string): void {
    this.graph.addOutput(new Publish(this.graph, this, name));
  }

  private eachBatch<U>(
    kind: string,
    args: string,
    f: (dataset: Dataset<T>, time: number) => Dataset<U>,
  ): DStream<U> {
    return new DStream(this.graph, new DatasetTransform(kind, this, args, f));
  }

  private driver<U>(kind: string, action: (d: Dataset<T>) => Promise<readonly U[]>): DStream<U> {
    return new DStream(this.graph, new DriverAction(kind, this, action));
  }

  private driverMap<U>(kind: string, f: (values: readonly T[]) => readonly U[]): DStream<U> {
    return new DStream(this.graph, new DriverMap(kind, this, f));
  }
}

/** The stream mapWithState returns: what the function emitted, and the state itself. */
export type StateDStream<K, S, U> = DStream<U> & { stateSnapshots(): DStream<[K, S]> };

/** A function as the plan hash sees it: its source text, or its operator or name, and params. */
function fnText(f: FnLike, params: unknown): string {
  return JSON.stringify(toFnSpec(f, params));
}

function unpersist<T>(generated: Generated<T>): void {
  if (!Array.isArray(generated)) void (generated as Dataset<T>).unpersist();
}
