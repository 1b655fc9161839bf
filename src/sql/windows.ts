import type { WindowFnSpec, WindowGroupSpec } from './bound';
import { compileAggregate, type CompiledAggregate } from './aggregates';
import type { FunctionInfo } from './function-kit';
import { compareKey } from './ordering';
import type { Compiled, Row } from './runtime-error';
import { SqlRuntimeError } from './runtime-error';
import { compileScalar } from './scalar';
import { computeFrames, defaultFrame, type Frames, type Peers } from './window-frames';

/** The window functions of their own (aggregates over windows are AGGREGATES'), by arity. */
export const WINDOW_FUNCTIONS: ReadonlyMap<string, FunctionInfo> = new Map([
  ['row_number', { min: 0, max: 0 }],
  ['rank', { min: 0, max: 0 }],
  ['dense_rank', { min: 0, max: 0 }],
  ['percent_rank', { min: 0, max: 0 }],
  ['cume_dist', { min: 0, max: 0 }],
  ['ntile', { min: 1, max: 1 }],
  ['lag', { min: 1, max: 3 }],
  ['lead', { min: 1, max: 3 }],
  ['first_value', { min: 1, max: 2 }],
  ['last_value', { min: 1, max: 2 }],
  ['nth_value', { min: 2, max: 3 }],
]);

/** One partition, sorted, with what the functions need of it. */
interface Partition {
  readonly rows: Row[];
  readonly n: number;
  /** Computed on first use (row_number and lag/lead need none). */
  readonly peers: () => Peers;
  readonly firstKey: (i: number) => unknown;
  readonly ordered: boolean;
}

/** A window function compiled: the column of its values over one partition. */
type Column = (p: Partition) => unknown[];

interface CompiledGroup {
  readonly keys: readonly Compiled[];
  readonly columns: readonly Column[];
}

/** Specs are compiled once, not once per partition (a query may have many small ones). */
const compiledGroups = new WeakMap<WindowGroupSpec, CompiledGroup>();

/**
 * The window functions of `spec` over ONE window partition: its rows in ORDER BY order (a
 * stable sort), each a new array of the row's values then one value per `spec.fns`.
 *
 * must: rank functions and lag/lead ignore frames; the default frame's running aggregates are
 * one pass (not O(n²)).
 */
export function computeWindows(rows: Row[], spec: WindowGroupSpec): Row[] {
  let group = compiledGroups.get(spec);
  if (!group) {
    group = {
      keys: spec.orderBy.map((k) => compileScalar(k.expr)),
      columns: spec.fns.map((fn) => compileFn(fn, spec)),
    };
    compiledGroups.set(spec, group);
  }
  const partition = sortPartition(rows, spec, group.keys);
  const columns = group.columns.map((column) => column(partition));
  return partition.rows.map((row, i) => {
    const width = row.length;
    const out = new Array<unknown>(width + columns.length);
    for (let k = 0; k < width; k++) out[k] = row[k];
    for (let c = 0; c < columns.length; c++) out[width + c] = columns[c]![i];
    return out;
  });
}

function sortPartition(rows: Row[], spec: WindowGroupSpec, exprs: readonly Compiled[]): Partition {
  const n = rows.length;
  const m = exprs.length;
  // The keys in one flat array: no array per row.
  const keys = new Array<unknown>(n * m);
  for (let i = 0; i < n; i++) for (let k = 0; k < m; k++) keys[i * m + k] = exprs[k]!(rows[i]!);
  const compare =
    numericOrder(keys, spec) ??
    ((a: number, b: number): number => {
      for (let k = 0; k < m; k++) {
        const c = compareKey(keys[a * m + k], keys[b * m + k], spec.orderBy[k]!);
        if (c !== 0) return c;
      }
      return 0;
    });
  const order = Array.from({ length: n }, (_, i) => i);
  if (m > 0) order.sort((a, b) => compare(a, b) || a - b);
  let peers: Peers | null = null;
  return {
    rows: order.map((i) => rows[i]!),
    n,
    peers: () => (peers ??= peerGroups(order, compare)),
    firstKey: (i) => (m > 0 ? (keys[order[i]! * m] ?? null) : null),
    ordered: m > 0,
  };
}

/**
 * The common ORDER BY of one numeric key (a timestamp) without nulls or NaN, compared as
 * numbers in a typed array: the generic comparator's calls cost more than the sort itself.
 */
function numericOrder(
  keys: readonly unknown[],
  spec: WindowGroupSpec,
): ((a: number, b: number) => number) | null {
  if (spec.orderBy.length !== 1) return null;
  const values = new Float64Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const v = keys[i];
    if (typeof v !== 'number' || v !== v) return null;
    values[i] = v;
  }
  return spec.orderBy[0]!.descending
    ? (a, b) => values[b]! - values[a]!
    : (a, b) => values[a]! - values[b]!;
}

function peerGroups(order: readonly number[], compare: (a: number, b: number) => number): Peers {
  const n = order.length;
  const start = new Int32Array(n);
  const end = new Int32Array(n);
  for (let i = 1; i < n; i++)
    start[i] = compare(order[i - 1]!, order[i]!) === 0 ? start[i - 1]! : i;
  for (let i = n - 1; i >= 0; i--)
    end[i] = i < n - 1 && start[i + 1] === start[i] ? end[i + 1]! : i + 1;
  return { start, end };
}

/** A constant argument (an offset, a bucket count, ignoreNulls). */
function constant(fn: WindowFnSpec, index: number, fallback: unknown): unknown {
  const arg = fn.args[index];
  return arg === undefined ? fallback : (compileScalar(arg)([]) ?? fallback);
}

function compileFn(fn: WindowFnSpec, spec: WindowGroupSpec): Column {
  if (fn.aggregate) return aggregateColumn(compileAggregate(fn.aggregate), fn, spec);
  const range = (p: Partition, f: (i: number) => unknown): unknown[] =>
    Array.from({ length: p.n }, (_, i) => f(i));
  switch (fn.fn) {
    case 'row_number':
      return (p) => range(p, (i) => i + 1);
    case 'rank':
      return (p) => {
        const { start } = p.peers();
        return range(p, (i) => start[i]! + 1);
      };
    case 'dense_rank':
      return (p) => {
        const { start } = p.peers();
        let rank = 0;
        return range(p, (i) => (start[i] === i ? ++rank : rank));
      };
    case 'percent_rank':
      return (p) => {
        const { start } = p.peers();
        return range(p, (i) => (p.n > 1 ? start[i]! / (p.n - 1) : 0));
      };
    case 'cume_dist':
      return (p) => {
        const { end } = p.peers();
        return range(p, (i) => end[i]! / p.n);
      };
    case 'ntile':
      return ntile(Number(constant(fn, 0, 1)));
    case 'lag':
    case 'lead':
      return offsetColumn(fn);
    case 'first_value':
    case 'last_value':
    case 'nth_value':
      return valueInFrame(fn, spec);
    default:
      throw new SqlRuntimeError(
        `[UNRESOLVED_ROUTINE] Cannot resolve window function \`${fn.fn}\`.`,
      );
  }
}

/** Spark's NTile: n rows in k buckets, the first n % k buckets one row larger. */
function ntile(buckets: number): Column {
  if (!(buckets > 0))
    throw new SqlRuntimeError(
      `[DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE] The buckets of ntile must be positive, but got ${buckets}.`,
    );
  return (p) => {
    const size = Math.floor(p.n / buckets);
    const larger = p.n % buckets;
    return Array.from({ length: p.n }, (_, i) =>
      i < larger * (size + 1)
        ? Math.floor(i / (size + 1)) + 1
        : larger + Math.floor((i - larger * (size + 1)) / size) + 1,
    );
  };
}

/** lag/lead(x, offset = 1, default = null): the default is evaluated on the current row. */
function offsetColumn(fn: WindowFnSpec): Column {
  const value = compileScalar(fn.args[0]!);
  const offset = Number(constant(fn, 1, 1)) * (fn.fn === 'lag' ? -1 : 1);
  const fallback = fn.args[2] ? compileScalar(fn.args[2]) : () => null;
  return (p) =>
    p.rows.map((row, i) => {
      const j = i + offset;
      return j >= 0 && j < p.n ? value(p.rows[j]!) : fallback(row);
    });
}

function framesOf(fn: WindowFnSpec, spec: WindowGroupSpec, p: Partition): Frames {
  return computeFrames(
    fn.frame ?? defaultFrame(p.ordered),
    p.n,
    p.peers,
    p.firstKey,
    spec.orderBy[0],
  );
}

/** first_value / last_value / nth_value(x, k) of each row's frame, optionally skipping nulls. */
function valueInFrame(fn: WindowFnSpec, spec: WindowGroupSpec): Column {
  const value = compileScalar(fn.args[0]!);
  const nth = fn.fn === 'nth_value' ? Number(constant(fn, 1, 1)) : 1;
  if (!(nth >= 1))
    throw new SqlRuntimeError(
      `[DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE] The offset of nth_value must be positive, but got ${nth}.`,
    );
  const ignoreNulls = constant(fn, fn.fn === 'nth_value' ? 2 : 1, false) === true;
  const fromEnd = fn.fn === 'last_value';
  return (p) => {
    const values = p.rows.map(value);
    const { lo, hi } = framesOf(fn, spec, p);
    return values.map((_, i) => {
      let seen = 0;
      for (let k = 0; k < hi[i]! - lo[i]!; k++) {
        const v = values[fromEnd ? hi[i]! - 1 - k : lo[i]! + k];
        if (ignoreNulls && v == null) continue;
        if (++seen === nth) return v ?? null;
      }
      return null;
    });
  };
}

/**
 * An aggregate over each row's frame: one running pass when frames only grow at one end
 * (UNBOUNDED PRECEDING, the default; or UNBOUNDED FOLLOWING, walked backwards), else each frame
 * on its own (consecutive equal frames, e.g. peers, computed once).
 */
function aggregateColumn(agg: CompiledAggregate, fn: WindowFnSpec, spec: WindowGroupSpec): Column {
  const onRows = (rows: Row[], from: number, to: number): unknown => {
    let state = agg.init();
    for (let j = from; j < to; j++) state = agg.update(state, rows[j]!);
    return agg.finish(state);
  };
  return (p) => {
    const { lo, hi } = framesOf(fn, spec, p);
    const out = new Array<unknown>(p.n);
    if (p.n === 0) return out;
    if (lo.every((l) => l === 0) && isSorted(hi)) {
      let state = agg.init();
      let done = 0;
      for (let i = 0; i < p.n; i++) {
        for (; done < hi[i]!; done++) state = agg.update(state, p.rows[done]!);
        out[i] = i > 0 && hi[i] === hi[i - 1] ? out[i - 1] : agg.finish(state);
      }
      return out;
    }
    if (hi.every((h) => h === p.n) && isSorted(lo)) {
      let state = agg.init();
      let done = p.n;
      for (let i = p.n - 1; i >= 0; i--) {
        // Earlier rows go in front (merge keeps order, for first, last and collect_list).
        for (; done > lo[i]!; done--)
          state = agg.merge(agg.update(agg.init(), p.rows[done - 1]!), state);
        out[i] = i < p.n - 1 && lo[i] === lo[i + 1] ? out[i + 1] : agg.finish(state);
      }
      return out;
    }
    for (let i = 0; i < p.n; i++)
      out[i] =
        i > 0 && lo[i] === lo[i - 1] && hi[i] === hi[i - 1]
          ? out[i - 1]
          : onRows(p.rows, lo[i]!, hi[i]!);
    return out;
  };
}

const isSorted = (a: Int32Array): boolean => a.every((v, i) => i === 0 || a[i - 1]! <= v);
