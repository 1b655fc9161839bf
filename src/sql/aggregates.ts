import type { AggregateSpec, Bound } from './bound';
import { toNumber } from './cast';
import { compareValues } from './compare';
import type { FunctionInfo } from './function-kit';
import type { Compiled, Row } from './runtime-error';
import { SqlRuntimeError } from './runtime-error';
import { compileScalar, isTrue } from './scalar';
import {
  addDistinct,
  addQuantile,
  countDistinct,
  addValue,
  mergeDistinct,
  mergeValues,
  newDistinctSketch,
  newDistinctValues,
  newQuantileSketch,
  quantiles,
  type DistinctSketch,
  type DistinctValues,
  type QuantileSketch,
} from './sketches';

/**
 * One aggregate over the values of its argument. States are JSON-safe (they cross shuffles as
 * JSON). `add` gets non-null values only, unless `nulls` (first/last keep them).
 *
 * must: `add` and `merge` may mutate and return their state; `finish` must not mutate it (a
 * window's running aggregate finishes the same state at every row).
 */
interface Aggregator {
  readonly nulls?: boolean;
  readonly init: () => unknown;
  readonly add: (state: unknown, value: unknown) => unknown;
  readonly merge: (a: unknown, b: unknown) => unknown;
  readonly finish: (state: unknown) => unknown;
}

/** A literal argument of an aggregate (a percentage, an accuracy, ignoreNulls). */
function constant(arg: Bound | undefined, fallback: unknown): unknown {
  return arg === undefined ? fallback : compileScalar(arg)([]);
}

const count: Aggregator = {
  init: () => 0,
  add: (s) => (s as number) + 1,
  merge: (a, b) => (a as number) + (b as number),
  finish: (s) => s,
};

const sum: Aggregator = {
  init: () => null,
  add: (s, v) => (s === null ? toNumber(v) : (s as number) + toNumber(v)),
  merge: (a, b) => (a === null ? b : b === null ? a : (a as number) + (b as number)),
  finish: (s) => s,
};

/** avg's state: [sum, count]. */
const avg: Aggregator = {
  init: () => [0, 0],
  add: (s, v) => {
    const st = s as [number, number];
    st[0] += toNumber(v);
    st[1]++;
    return st;
  },
  merge: (a, b) => {
    const [x, y] = [a as [number, number], b as [number, number]];
    x[0] += y[0];
    x[1] += y[1];
    return x;
  },
  finish: (s) => {
    const [total, n] = s as [number, number];
    return n === 0 ? null : total / n;
  },
};

function extreme(sign: 1 | -1): Aggregator {
  const pick = (a: unknown, b: unknown): unknown =>
    a === null ? b : b === null ? a : sign * compareValues(b, a) > 0 ? b : a;
  return { init: () => null, add: pick, merge: pick, finish: (s) => s };
}

/** first/last's state: [seen (0/1), value]; nulls count unless ignoreNulls. */
function firstOrLast(last: boolean, ignoreNulls: boolean): Aggregator {
  return {
    nulls: !ignoreNulls,
    init: () => [0, null],
    add: (s, v) => ((s as [number, unknown])[0] === 1 && !last ? s : [1, v]),
    merge: (a, b) => {
      const [x, y] = [a as [number, unknown], b as [number, unknown]];
      if (x[0] === 0) return y;
      return last && y[0] === 1 ? y : x;
    },
    finish: (s) => (s as [number, unknown])[1],
  };
}

const collectList: Aggregator = {
  init: () => [],
  add: (s, v) => {
    (s as unknown[]).push(v);
    return s;
  },
  merge: (a, b) => {
    for (const v of b as unknown[]) (a as unknown[]).push(v);
    return a;
  },
  finish: (s) => (s as unknown[]).slice(),
};

/** collect_set's state (and every DISTINCT's): the distinct values. */
const collectSet: Aggregator = {
  init: newDistinctValues,
  add: (s, v) => {
    addValue(s as DistinctValues, v);
    return s;
  },
  merge: (a, b) => mergeValues(a as DistinctValues, b as DistinctValues),
  finish: (s) => (s as DistinctValues).values.slice(),
};

const approxCountDistinct: Aggregator = {
  init: newDistinctSketch,
  add: (s, v) => addDistinct(s as DistinctSketch, v),
  merge: (a, b) => mergeDistinct(a as DistinctSketch, b as DistinctSketch),
  finish: (s) => countDistinct(s as DistinctSketch),
};

function percentileApprox(args: readonly Bound[]): Aggregator {
  const percentage = constant(args[1], null);
  const accuracy = toNumber(constant(args[2], 10000));
  const ps = Array.isArray(percentage) ? percentage : [percentage];
  if (ps.some((p) => typeof p !== 'number' || !(p >= 0 && p <= 1)))
    throw new SqlRuntimeError(
      `[DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE] Cannot resolve "percentile_approx": the percentage must be between 0.0 and 1.0, but got ${JSON.stringify(percentage)}.`,
    );
  if (!(accuracy > 0))
    throw new SqlRuntimeError(
      `[DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE] Cannot resolve "percentile_approx": the accuracy must be positive, but got ${accuracy}.`,
    );
  const limit = Math.max(4 * accuracy, 4096);
  return {
    init: newQuantileSketch,
    add: (s, v) => {
      addQuantile(s as QuantileSketch, v, 1, limit);
      return s;
    },
    merge: (a, b) => {
      const y = b as QuantileSketch;
      y.values.forEach((v, i) => addQuantile(a as QuantileSketch, v, y.weights[i]!, limit));
      return a;
    },
    finish: (s) => {
      const answers = quantiles(s as QuantileSketch, ps as number[], 1 / accuracy);
      return Array.isArray(percentage) ? answers : answers[0];
    },
  };
}

/** Every aggregate function's arity, for the analyzer. */
export const AGGREGATES: ReadonlyMap<string, FunctionInfo> = new Map([
  ['count', { min: 0, max: Infinity }],
  ['sum', { min: 1, max: 1 }],
  ['avg', { min: 1, max: 1 }],
  ['mean', { min: 1, max: 1 }],
  ['min', { min: 1, max: 1 }],
  ['max', { min: 1, max: 1 }],
  ['approx_count_distinct', { min: 1, max: 2 }],
  ['percentile_approx', { min: 2, max: 3 }],
  ['approx_percentile', { min: 2, max: 3 }],
  ['first', { min: 1, max: 2 }],
  ['first_value', { min: 1, max: 2 }],
  ['last', { min: 1, max: 2 }],
  ['last_value', { min: 1, max: 2 }],
  ['any_value', { min: 1, max: 2 }],
  ['collect_list', { min: 1, max: 1 }],
  ['array_agg', { min: 1, max: 1 }],
  ['collect_set', { min: 1, max: 1 }],
]);

function aggregator(spec: AggregateSpec): Aggregator {
  const ignoreNulls = (): boolean => constant(spec.args[1], false) === true;
  switch (spec.fn) {
    case 'count':
      return count;
    case 'sum':
      return sum;
    case 'avg':
    case 'mean':
      return avg;
    case 'min':
      return extreme(-1);
    case 'max':
      return extreme(1);
    case 'approx_count_distinct':
      return approxCountDistinct;
    case 'percentile_approx':
    case 'approx_percentile':
      return percentileApprox(spec.args);
    case 'first':
    case 'first_value':
    case 'any_value':
      return firstOrLast(false, ignoreNulls());
    case 'last':
    case 'last_value':
      return firstOrLast(true, ignoreNulls());
    case 'collect_list':
    case 'array_agg':
      return collectList;
    case 'collect_set':
      return collectSet;
    default:
      throw new SqlRuntimeError(`[UNRESOLVED_ROUTINE] Cannot resolve aggregate \`${spec.fn}\`.`);
  }
}

/**
 * What an aggregate takes from a row: its argument; for count, true when every argument is
 * non-null (count(*): always); for count(DISTINCT a, b), the tuple.
 */
function argumentOf(spec: AggregateSpec): Compiled {
  const args = spec.fn === 'count' ? spec.args : spec.args.slice(0, 1);
  const compiled = args.map(compileScalar);
  if (spec.fn !== 'count') return compiled[0]!;
  if (compiled.length === 0) return () => true;
  if (compiled.length === 1) return compiled[0]!;
  return (row) => {
    const values = compiled.map((c) => c(row));
    return values.some((v) => v == null) ? null : spec.distinct ? values : true;
  };
}

/** One compiled aggregate: its state's life, with its FILTER and DISTINCT applied. */
export interface CompiledAggregate {
  readonly init: () => unknown;
  readonly update: (state: unknown, row: Row) => unknown;
  readonly merge: (a: unknown, b: unknown) => unknown;
  readonly finish: (state: unknown) => unknown;
}

export function compileAggregate(spec: AggregateSpec): CompiledAggregate {
  const base = aggregator(spec);
  const arg = argumentOf(spec);
  const filter = spec.filter ? compileScalar(spec.filter) : null;
  // DISTINCT keeps the distinct values (collect_set's state), then aggregates them at the end.
  const agg: Aggregator = spec.distinct
    ? {
        init: collectSet.init,
        add: collectSet.add,
        merge: collectSet.merge,
        finish: (s) => {
          let state = base.init();
          for (const v of (s as DistinctValues).values) state = base.add(state, v);
          return base.finish(state);
        },
      }
    : base;
  const nulls = agg.nulls === true;
  return {
    init: agg.init,
    update: (state, row) => {
      if (filter !== null && !isTrue(filter(row))) return state;
      const v = arg(row);
      return v == null && !nulls ? state : agg.add(state, v ?? null);
    },
    merge: agg.merge,
    finish: agg.finish,
  };
}

export interface CompiledAggregates {
  /** One state per spec, JSON-safe. */
  init(): unknown[];
  /** may mutate and return states. */
  update(states: unknown[], row: Row): unknown[];
  merge(a: unknown[], b: unknown[]): unknown[];
  /** The aggregates' values, in spec order. */
  finish(states: unknown[]): unknown[];
}

/**
 * A group's aggregates, compiled once: map-side partial states (init/update), combined after
 * the shuffle (merge), finished once per group.
 *
 * must: merging the states of any split of the rows equals one pass over them all (up to
 * floating-point order for sums of doubles, and HyperLogLog's estimate past 4096 values).
 */
export function compileAggregates(specs: readonly AggregateSpec[]): CompiledAggregates {
  const aggs = specs.map(compileAggregate);
  const n = aggs.length;
  return {
    init: () => aggs.map((a) => a.init()),
    update: (states, row) => {
      for (let i = 0; i < n; i++) states[i] = aggs[i]!.update(states[i], row);
      return states;
    },
    merge: (a, b) => {
      for (let i = 0; i < n; i++) a[i] = aggs[i]!.merge(a[i], b[i]);
      return a;
    },
    finish: (states) => aggs.map((a, i) => a.finish(states[i])),
  };
}
