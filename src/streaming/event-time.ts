import { EmptyCollectionError, keyId, op, Op, type Dataset } from '../engine';
import type { DStream } from './dstream';
import type { DriverFn } from './driver-fn';
import type { AnyDStream, Operator } from './operator';
import { WindowPairs } from './window-pairs';

/** How `countByEventTime` reads and groups the event times of a stream's records. */
export interface EventTimeSpec<K> {
  /** What records are counted by: an operator of the record, `op.field('value.page')`. */
  readonly key: Op;
  /** The field path of a record's event time, in ms since the epoch: `'value.ts'`, or Kafka's `'timestamp'`. */
  readonly eventTime: string;
  /** The width of a pane: event times are grouped by pane, and windows move by whole panes. */
  readonly paneMs: number;
  /** How far back a batch's records are kept (the longest window): older ones are left out. */
  readonly horizonMs: number;
  /**
   * The batch's counts by `key`, if the job makes them anyway (`map(key).countByValue()`):
   * read instead of counting again when the batch's records all fall in one pane.
   */
  readonly counted?: DStream<[K, number]>;
}

/** A pair's key as `countByEventTime` makes it: the key, and the end of its event time's pane. */
export type Paned<K> = readonly [K, number];

/**
 * The pane of event time `eventTime` in batch `time`, named by its end: pane p holds the
 * times in (p - paneMs, p], as a batch p holds its interval's. One that is not a number
 * (a record without one) is the batch's time, as Spark Streaming times records; one after its
 * batch (a clock ahead) is the batch's time too.
 */
export function paneOf(eventTime: unknown, time: number, paneMs: number): number {
  const at =
    typeof eventTime === 'number' && Number.isFinite(eventTime) ? Math.min(eventTime, time) : time;
  return Math.ceil(at / paneMs) * paneMs;
}

const isTime = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/**
 * Structured Streaming's `groupBy(window(eventTime, pane), key).count()` over one batch,
 * with a watermark of `horizonMs`: each batch's records counted by key and by the pane of
 * their event time, as `[[key, pane], count]`; records whose pane ends `horizonMs` or more
 * before the batch are left out (as are those without an event time, in a batch whose newest
 * is older than the horizon), so a backlog read at once (a restart, a recount) is counted
 * where it happened, not as new. Reads the column of event times once for the greatest, once
 * more for the least unless all are older than the horizon; the records are read again with
 * their event times only when the batch spans more than one pane of the horizon.
 */
export class EventTimeCounts<K> implements Operator<[Paned<K>, number]> {
  readonly kind = 'countByEventTime';
  readonly parents: readonly AnyDStream[];
  readonly replayable: boolean;

  /**
   * `span`: the greatest (and on demand the least) event time of each batch of `input`
   * (`eventTimeSpan`'s), shared by every count over the same input and field.
   */
  constructor(
    private readonly input: AnyDStream,
    private readonly span: DStream<EventTimeSpan>,
    readonly spec: EventTimeSpec<K>,
  ) {
    const { paneMs, horizonMs } = spec;
    if (!(paneMs > 0) || !(horizonMs >= paneMs))
      throw new RangeError(
        `tabstream: countByEventTime needs a pane (${paneMs} ms) > 0 and a horizon (${horizonMs} ms) of at least a pane`,
      );
    this.parents = [input, span, ...(spec.counted ? [spec.counted] : [])];
    this.replayable = this.parents.every((parent) => parent.replayable);
  }

  describe(): string {
    const { key, eventTime, paneMs, horizonMs, counted } = this.spec;
    return JSON.stringify([key.expr, eventTime, paneMs, horizonMs, counted?.id ?? null]);
  }

  async compute(time: number): Promise<[Paned<K>, number][] | null> {
    const dataset = (await this.input.datasetAt(time)) as Dataset<unknown> | null;
    if (!dataset) return null;
    const { key, eventTime, paneMs, horizonMs, counted } = this.spec;
    const oldest = time - horizonMs;
    const [span] = (await this.span.valuesAt(time)) ?? [];
    if (!span) return []; // every record unreadable
    const { greatest } = span;
    if (isTime(greatest) && paneOf(greatest, time, paneMs) <= oldest) return []; // all older
    const least = await span.least();
    const timed = isTime(least) && isTime(greatest);
    const untimed = least === null && greatest === null;
    const pane = paneOf(least, time, paneMs);
    if (untimed || (timed && pane === paneOf(greatest, time, paneMs))) {
      if (pane <= oldest) return [];
      const counts = counted
        ? ((await counted.valuesAt(time)) ?? [])
        : [...(await dataset.map(key).countByValue())];
      return counts.map(([k, n]) => [[k as K, pane], n]);
    }
    // Older event times are read as one of the pane before the horizon: counted as one, left out.
    const field = op.field(eventTime);
    const at = timed ? new Op(['max', field.expr, ['lit', oldest - paneMs]]) : field;
    const byTime = await dataset.map(op.pair(key, at)).countByValue();
    const panes = new Map<unknown, [Paned<K>, number]>();
    for (const [[k, t], n] of byTime as Map<[K, unknown], number>) {
      const p = paneOf(t, time, paneMs);
      if (p <= oldest) continue;
      const id = keyId([k, p]);
      const entry = panes.get(id);
      if (entry) entry[1] += n;
      else panes.set(id, [[k, p], n]);
    }
    return [...panes.values()];
  }
}

/** The greatest and least event time of a batch (as read: anything; null if none has one). */
export interface EventTimeSpan {
  readonly greatest: unknown;
  /** Read on the first call, in a job of its own: not needed when all are older than a horizon. */
  least(): Promise<unknown>;
}

/**
 * The greatest and least of the numbers at field path `eventTime` of `records`, reduced in
 * the executors (one column read each, where the field is an event's); none if no record
 * could be read. A record without one does not change the greatest.
 */
export async function eventTimeSpan<T>(
  records: Dataset<T>,
  eventTime: string,
): Promise<EventTimeSpan[]> {
  const times = records.map(op.field(eventTime));
  try {
    const greatest: unknown = await times.reduce(op.max);
    let least: Promise<unknown> | null = null;
    return [{ greatest, least: () => (least ??= times.reduce(op.min)) }];
  } catch (error) {
    if (error instanceof EmptyCollectionError) return [];
    throw error;
  }
}

/**
 * An event-time window's pairs by key, from `panes` (the pairs of the horizon by key and
 * pane, kept as `reduceByKeyAndWindow` keeps a window): the values of the panes that end after
 * the window's start, combined by key. Kept as state, so that its publish refers to it and a
 * batch writes only the keys that changed.
 */
export class EventWindow<K, V> extends WindowPairs<K, V> implements Operator<[K, V]> {
  readonly kind = 'eventWindow';
  readonly replayable = false;
  readonly parents: readonly AnyDStream[];
  readonly id: string;

  constructor(
    private readonly panes: DStream<[Paned<K>, V]>,
    private readonly reduce: DriverFn,
    private readonly lengthMs: number,
  ) {
    super();
    this.parents = [panes];
    this.id = panes.graph.nextId('event-window');
    panes.graph.addStateful(this);
  }

  describe(): string {
    return `${this.reduce.text} ${this.lengthMs}`;
  }

  async compute(time: number): Promise<readonly [K, V][] | null> {
    const pairs = await this.panes.valuesAt(time);
    if (!pairs) return null; // between slides
    const reduce = this.reduce.call as (a: V, b: V) => V;
    const start = time - this.lengthMs;
    const byKey = new Map<unknown, [K, V]>();
    for (const [[key, pane], value] of pairs) {
      if (pane <= start) continue;
      const id = keyId(key);
      const pair = byKey.get(id);
      if (pair) pair[1] = reduce(pair[1], value);
      else byKey.set(id, [key, value]);
    }
    const window = [...byKey.values()];
    this.set({ time, pairs: window });
    return window;
  }
}
