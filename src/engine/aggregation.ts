import { compileExpr, type Expr } from './expr';
import { compileFn, type FnSpec } from './fn';
import { hashKey } from './partitioner';

/** The built-in aggregations: what `agg.*` makes, for `aggregateByKey` and `aggregate`. */
export type AggregateName = 'count' | 'sum' | 'min' | 'max' | 'avg' | 'approxDistinct';

/**
 * How values combine by key before and after a shuffle (Spark's Aggregator): a combiner is made
 * from a key's first value, values merge into it on the map side, and combiners merge on the
 * reduce side; `finish` turns the last combiner into the result.
 */
export type Aggregation =
  | { readonly kind: 'reduce'; readonly fn: FnSpec }
  | { readonly kind: 'fold'; readonly zero: unknown; readonly seq: FnSpec; readonly comb: FnSpec }
  | { readonly kind: 'list' }
  | { readonly kind: 'builtin'; readonly name: AggregateName; readonly expr: Expr | null };

/** A built-in aggregation, made by `agg.*`. */
export class Aggregator {
  constructor(
    readonly name: AggregateName,
    readonly expr: Expr | null,
  ) {}
}

type Of = { readonly expr: Expr } | undefined;

/** Built-in aggregations of a value (or of an operator applied to it). */
export const agg = {
  count: () => new Aggregator('count', null),
  sum: (of?: Of) => new Aggregator('sum', of?.expr ?? null),
  min: (of?: Of) => new Aggregator('min', of?.expr ?? null),
  max: (of?: Of) => new Aggregator('max', of?.expr ?? null),
  avg: (of?: Of) => new Aggregator('avg', of?.expr ?? null),
  /** HyperLogLog with 2^11 registers: about 2.3% standard error. */
  approxDistinct: (of?: Of) => new Aggregator('approxDistinct', of?.expr ?? null),
} as const;

export interface CompiledAggregation {
  readonly create: (value: unknown) => unknown;
  readonly merge: (combiner: unknown, value: unknown) => unknown;
  readonly combine: (a: unknown, b: unknown) => unknown;
  readonly finish: (combiner: unknown) => unknown;
  /** A fold's zero, a fresh copy per call: every partition, and the driver, start from it. */
  readonly zero: (() => unknown) | null;
  /** The result of aggregating nothing. */
  readonly empty: unknown;
}

const identity = (value: unknown): unknown => value;

/** Compiles an aggregation once per task. */
export function compileAggregation(
  aggregation: Aggregation,
  resolve: (params: unknown) => unknown,
): CompiledAggregation {
  const plain = { finish: identity, zero: null, empty: null };
  switch (aggregation.kind) {
    case 'reduce': {
      const f = compileFn(aggregation.fn, resolve, 2);
      return { ...plain, create: identity, merge: f, combine: f };
    }
    case 'fold': {
      const seq = compileFn(aggregation.seq, resolve, 2);
      const zero = () => structuredClone(aggregation.zero);
      const combine = compileFn(aggregation.comb, resolve, 2);
      return { ...plain, create: (value) => seq(zero(), value), merge: seq, combine, zero };
    }
    case 'list':
      return {
        ...plain,
        create: (value) => [value],
        merge: (list, value) => ((list as unknown[]).push(value), list),
        combine: (a, b) => (a as unknown[]).concat(b as unknown[]),
      };
    case 'builtin':
      return builtin(aggregation.name, aggregation.expr ? compileExpr(aggregation.expr) : identity);
  }
}

/** The built-in aggregations; as in SQL, null values are skipped, and only count counts them. */
function builtin(name: AggregateName, of: (value: unknown) => unknown): CompiledAggregation {
  const num = (value: unknown): number | null => {
    const x = of(value);
    return x === null || x === undefined ? null : Number(x);
  };
  const least = (a: number | null, b: number | null) =>
    a === null ? b : b === null ? a : Math.min(a, b);
  const most = (a: number | null, b: number | null) =>
    a === null ? b : b === null ? a : Math.max(a, b);
  const sum = (a: number, b: number | null) => a + (b ?? 0);
  switch (name) {
    case 'count':
      return numeric<number>(
        () => 1,
        (a, b) => a + b,
        0,
      );
    case 'sum':
      return numeric<number>((value) => num(value) ?? 0, sum, null);
    case 'min':
      return numeric(num, least, null);
    case 'max':
      return numeric(num, most, null);
    case 'avg':
      return {
        create: (value) => pairOf(num(value)),
        merge: (c, value) => add(c as number[], pairOf(num(value))),
        combine: (a, b) => add(a as number[], b as number[]),
        finish: (c) => ((c as number[])[1] ? (c as number[])[0]! / (c as number[])[1]! : null),
        zero: null,
        empty: null,
      };
    case 'approxDistinct':
      return {
        create: (value) => observe(new Array<number>(HLL_REGISTERS).fill(0), of(value)),
        merge: (c, value) => observe(c as number[], of(value)),
        combine: (a, b) => (a as number[]).map((r, i) => Math.max(r, (b as number[])[i]!)),
        finish: (c) => estimate(c as number[]),
        zero: null,
        empty: 0,
      };
  }
}

/** A sum and a count, of one value (none if null). */
const pairOf = (value: number | null): number[] => (value === null ? [0, 0] : [value, 1]);

function numeric<C extends number | null>(
  create: (value: unknown) => C,
  f: (a: C, b: C) => C,
  empty: unknown,
): CompiledAggregation {
  return {
    create,
    merge: (c, value) => f(c as C, create(value)),
    combine: (a, b) => f(a as C, b as C),
    finish: identity,
    zero: null,
    empty,
  };
}

function add(into: number[], more: readonly number[]): number[] {
  into[0]! += more[0]!;
  into[1]! += more[1]!;
  return into;
}

const HLL_BITS = 11;
const HLL_REGISTERS = 1 << HLL_BITS;

function observe(registers: number[], value: unknown): number[] {
  if (value === null || value === undefined) return registers;
  const hash = mix(hashKey(value));
  const index = hash >>> (32 - HLL_BITS);
  const rank = Math.min(Math.clz32((hash << HLL_BITS) | (1 << (HLL_BITS - 1))) + 1, 32);
  if (rank > registers[index]!) registers[index] = rank;
  return registers;
}

function estimate(registers: readonly number[]): number {
  const m = registers.length;
  let sum = 0;
  let zeros = 0;
  for (const r of registers) {
    sum += 2 ** -r;
    if (r === 0) zeros++;
  }
  const raw = ((0.7213 / (1 + 1.079 / m)) * m * m) / sum;
  return Math.round(raw <= 2.5 * m && zeros > 0 ? m * Math.log(m / zeros) : raw);
}

/** murmur3's finaliser: spreads FNV's bits, which HyperLogLog's leading-zero count needs. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
