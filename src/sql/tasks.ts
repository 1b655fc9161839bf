import { defineFn } from '../engine';
import type { ConsumerRecord } from '../log';
import type { AggregateSpec, Bound, SortKey, WindowGroupSpec } from './bound';
import type { TimeWindow } from './logical';
import { compileAggregates, type CompiledAggregates } from './aggregates';
import { oncePerParams as once } from './once';
import { compileOrdering } from './ordering';
import { compileScalar, isTrue, type Row } from './scalar';
import { computeWindows } from './windows';

/**
 * The functions SQL's datasets run in the executors, by name (the engine's `fn(name, params)`):
 * their params are resolved expressions (data), compiled once per task, so a query crosses to
 * workers under any Content-Security-Policy. This module is loaded by every executor and by the
 * page (for tasks run where they are).
 */
export const TASK = {
  filter: 'tabstream.sql.filter',
  project: 'tabstream.sql.project',
  keyed: 'tabstream.sql.keyed',
  aggregateUpdate: 'tabstream.sql.aggregate-update',
  aggregateMerge: 'tabstream.sql.aggregate-merge',
  aggregateFinish: 'tabstream.sql.aggregate-finish',
  window: 'tabstream.sql.window',
  join: 'tabstream.sql.join',
  topN: 'tabstream.sql.top-n',
  fromRecord: 'tabstream.sql.from-record',
  timeWindows: 'tabstream.sql.time-windows',
  fromConsumerRecord: 'tabstream.sql.from-consumer-record',
  aggregateRow: 'tabstream.sql.aggregate-row',
  aggregateState: 'tabstream.sql.aggregate-state',
} as const;

const condition = once((p: { condition: Bound }) => compileScalar(p.condition));
defineFn(TASK.filter, (row, p) => isTrue(condition(p as { condition: Bound })(row as Row)));

const projection = once((p: { exprs: readonly Bound[] }) => {
  const exprs = p.exprs.map(compileScalar);
  return (row: Row) => exprs.map((expr) => expr(row));
});
defineFn(TASK.project, (row, p) => projection(p as { exprs: Bound[] })(row as Row));

/** `[key, row]`, the key an array of the key expressions' values (for shuffles by key). */
export interface KeyedParams {
  readonly keys: readonly Bound[];
  /** Rows with a null in their key match nothing: each gets a key of its own (outer joins keep them). */
  readonly nullsApart: boolean;
  /**
   * One key expression's value is the key itself, not an array of one: a key a shuffle's map
   * compares as it is, where an array is compared by its JSON text.
   */
  readonly single?: boolean;
}
let apart = 0;
const nullApart = (): string => `\u0000null ${++apart} ${Math.random()}`;
const keying = once((p: KeyedParams) => {
  const keys = p.keys.map(compileScalar);
  if (p.single && keys.length === 1) {
    const [only] = keys as [(row: Row) => unknown];
    return (row: Row): [unknown, Row] => {
      const key = only(row);
      return [p.nullsApart && key === null ? nullApart() : key, row];
    };
  }
  return (row: Row): [unknown, Row] => {
    const key = keys.map((k) => k(row));
    return [p.nullsApart && key.includes(null) ? nullApart() : key, row];
  };
});
defineFn(TASK.keyed, (row, p) => keying(p as KeyedParams)(row as Row));

type AggregateParams = { aggregates: readonly AggregateSpec[] };
const aggregator = once((p: AggregateParams): CompiledAggregates =>
  compileAggregates(p.aggregates),
);
defineFn(TASK.aggregateUpdate, (states, row, p) =>
  aggregator(p as AggregateParams).update(states as unknown[], row as Row),
);
defineFn(TASK.aggregateMerge, (a, b, p) =>
  aggregator(p as AggregateParams).merge(a as unknown[], b as unknown[]),
);
defineFn(TASK.aggregateFinish, (pair, p) => {
  const [key, states] = pair as [unknown, unknown[]];
  const values = aggregator(p as AggregateParams).finish(states);
  return (p as { single?: boolean }).single ? [key, ...values] : [...(key as unknown[]), ...values];
});

defineFn(TASK.window, (group, p) =>
  computeWindows((group as [unknown, Row[]])[1], (p as { spec: WindowGroupSpec }).spec),
);

/** How a join's cogrouped rows combine: `[key, [left rows, right rows]]` → joined rows. */
export interface JoinParams {
  readonly type: 'inner' | 'left' | 'right' | 'full' | 'cross';
  readonly leftWidth: number;
  readonly rightWidth: number;
  readonly residual: Bound | null;
}
const joiner = once((p: JoinParams) => {
  const residual = p.residual ? compileScalar(p.residual) : () => true;
  const leftNulls: Row = new Array<null>(p.leftWidth).fill(null);
  const rightNulls: Row = new Array<null>(p.rightWidth).fill(null);
  const keepLeft = p.type === 'left' || p.type === 'full';
  const keepRight = p.type === 'right' || p.type === 'full';
  return ([, [lefts, rights]]: [unknown, [Row[], Row[]]]): Row[] => {
    const out: Row[] = [];
    const rightMatched = new Uint8Array(rights.length);
    for (const l of lefts) {
      let matched = false;
      for (let j = 0; j < rights.length; j++) {
        const row = l.concat(rights[j]!);
        if (!isTrue(residual(row))) continue;
        out.push(row);
        matched = true;
        rightMatched[j] = 1;
      }
      if (!matched && keepLeft) out.push(l.concat(rightNulls));
    }
    if (keepRight) rights.forEach((r, j) => rightMatched[j] || out.push(leftNulls.concat(r)));
    return out;
  };
});
defineFn(TASK.join, (group, p) => joiner(p as JoinParams)(group as [unknown, [Row[], Row[]]]));

/** A partition's rows in order, at most `limit` of them (a top-n per partition). */
export interface TopNParams {
  readonly keys: readonly SortKey[];
  readonly limit: number | null;
  /** Rows to skip first (of `limit`): only where the partition is the whole dataset. */
  readonly offset?: number;
}
const ordering = once((p: TopNParams) => compileOrdering(p.keys));
defineFn(TASK.topN, (rows, p) => {
  const { keys, limit, offset = 0 } = p as TopNParams;
  const sorted = keys.length ? (rows as Row[]).sort(ordering(p as TopNParams)) : (rows as Row[]);
  return sorted.slice(offset, limit === null ? undefined : limit);
});

/** A view's record as a row: an object's named fields, or the record itself as one column. */
export interface FromRecordParams {
  readonly names: readonly string[] | null;
}
defineFn(TASK.fromRecord, (record, p) => {
  const { names } = p as FromRecordParams;
  if (!names) return [record];
  const object = record as Record<string, unknown> | null;
  return names.map((name) => object?.[name] ?? null);
});

const windowing = once((w: TimeWindow) => {
  const time = compileScalar(w.time);
  return (row: Row): Row[] => {
    const t = time(row);
    if (typeof t !== 'number') return [[...row, null]];
    const out: Row[] = [];
    const last = t - ((((t - w.startMs) % w.slideMs) + w.slideMs) % w.slideMs);
    for (let start = last; start > t - w.sizeMs; start -= w.slideMs)
      out.push([...row, { start, end: start + w.sizeMs }]);
    return out.reverse();
  };
});
defineFn(TASK.timeWindows, (row, p) => windowing(p as TimeWindow)(row as Row));

/** A consumer record (a stream's) as a row of a topic's table: its fields, then its metadata. */
defineFn(TASK.fromConsumerRecord, (record, p) => {
  const { partition, offset, timestamp, key, value } = record as ConsumerRecord;
  const meta: Record<string, unknown> = {
    _partition: partition,
    _offset: offset,
    _timestamp: timestamp,
    _key: key,
  };
  return (p as { names: readonly string[] }).names.map((name) =>
    name in meta ? meta[name] : ((value as Record<string, unknown>)[name] ?? null),
  );
});

/** `[key, states]` of one row: a stream's batch aggregates row by row, then by key. */
defineFn(TASK.aggregateRow, (row, p) => {
  const [key] = keying(p as KeyedParams)(row as Row);
  const aggregates = aggregator(p as AggregateParams);
  return [key, aggregates.update(aggregates.init(), row as Row)];
});

/** A key's state so far merged with its batch's states (updateStateByKey's function). */
defineFn(TASK.aggregateState, (states, state, p) => {
  const aggregates = aggregator(p as AggregateParams);
  // A copy: a merge changes its first state in place, and the old state must stay as it was
  // (the checkpoint keeps what changed).
  const from = state === undefined ? aggregates.init() : structuredClone(state as unknown[]);
  return (states as unknown[][]).reduce((a, b) => aggregates.merge(a, b), from);
});
