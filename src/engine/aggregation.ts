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
}

const identity = (value: unknown): unknown => value;

/** Compiles an aggregation once per task. */
export function compileAggregation(
  aggregation: Aggregation,
  resolve?: (params: unknown) => unknown,
): CompiledAggregation {
  switch (aggregation.kind) {
    case 'reduce': {
      const f = compileFn(aggregation.fn, resolve);
      return { create: identity, merge: f, combine: f, finish: identity };
    }
    case 'fold': {
      const seq = compileFn(aggregation.seq, resolve);
      const { zero } = aggregation;
      return {
        create: (value) => seq(structuredClone(zero), value),
        merge: seq,
        combine: compileFn(aggregation.comb, resolve),
        finish: identity,
      };
    }
    case 'list':
      return {
        create: (value) => [value],
        merge: (list, value) => ((list as unknown[]).push(value), list),
        combine: (a, b) => (a as unknown[]).concat(b as unknown[]),
        finish: identity,
      };
    case 'builtin':
      return builtin(aggregation.name, aggregation.expr ? compileExpr(aggregation.expr) : identity);
  }
}

function builtin(name: AggregateName, of: (value: unknown) => unknown): CompiledAggregation {
  const num = (value: unknown) => Number(of(value));
  switch (name) {
    case 'count':
      return numeric(
        () => 1,
        (a, b) => a + b,
      );
    case 'sum':
      return numeric(num, (a, b) => a + b);
    case 'min':
      return numeric(num, Math.min);
    case 'max':
      return numeric(num, Math.max);
    case 'avg':
      return {
        create: (value) => [num(value), 1],
        merge: (c, value) => add(c as number[], [num(value), 1]),
        combine: (a, b) => add(a as number[], b as number[]),
        finish: (c) => (c as number[])[0]! / (c as number[])[1]!,
      };
    case 'approxDistinct':
      return {
        create: (value) => observe(new Array<number>(HLL_REGISTERS).fill(0), of(value)),
        merge: (c, value) => observe(c as number[], of(value)),
        combine: (a, b) => (a as number[]).map((r, i) => Math.max(r, (b as number[])[i]!)),
        finish: (c) => estimate(c as number[]),
      };
  }
}

function numeric(
  create: (value: unknown) => number,
  f: (a: number, b: number) => number,
): CompiledAggregation {
  return {
    create,
    merge: (c, value) => f(c as number, create(value)),
    combine: (a, b) => f(a as number, b as number),
    finish: identity,
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
