import { compareValues } from './compare';

/**
 * The JSON-safe sketches of the approximate aggregates (their states cross shuffles as JSON:
 * arrays and plain objects, no Set, Map or NaN).
 */

/** A value as a key of a plain object, typed so that 1 and '1' differ ('__proto__' cannot occur). */
export function keyOf(v: unknown): string {
  if (typeof v === 'string') return `s${v}`;
  if (typeof v === 'number') return `n${v === 0 ? 0 : v}`;
  if (typeof v === 'boolean') return v ? 'bt' : 'bf';
  return `o${JSON.stringify(v)}`;
}

/** 32-bit FNV-1a of a string, finished with murmur3's mix, under a seed. */
function hash32(s: string, seed: number): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * approx_count_distinct's state: the exact keys while there are few (answers are exact there,
 * as Spark's HyperLogLog++ is for small counts), then a HyperLogLog of 2^12 registers
 * (about 1.6 % error, finer than Spark's default 5 %).
 */
export type DistinctSketch = {
  keys: Record<string, 1> | null;
  registers: number[] | null;
  size: number;
};

const EXACT_LIMIT = 4096;
const P = 12;
const M = 1 << P;

export const newDistinctSketch = (): DistinctSketch => ({ keys: {}, registers: null, size: 0 });

export function addDistinct(s: DistinctSketch, key: string): DistinctSketch {
  if (s.keys) {
    if (s.keys[key] === undefined) {
      s.keys[key] = 1;
      if (++s.size > EXACT_LIMIT) toRegisters(s);
    }
  } else addHashed(s.registers!, key);
  return s;
}

function addHashed(registers: number[], key: string): void {
  const index = hash32(key, 0) >>> (32 - P);
  const rank = Math.clz32(hash32(key, 0x9e3779b9)) + 1;
  if (rank > registers[index]!) registers[index] = rank;
}

function toRegisters(s: DistinctSketch): void {
  const registers = new Array<number>(M).fill(0);
  for (const key of Object.keys(s.keys!)) addHashed(registers, key);
  s.keys = null;
  s.registers = registers;
}

export function mergeDistinct(a: DistinctSketch, b: DistinctSketch): DistinctSketch {
  if (b.keys && a.keys) {
    for (const key of Object.keys(b.keys)) addDistinct(a, key);
    return a;
  }
  if (a.keys) toRegisters(a);
  if (b.keys) for (const key of Object.keys(b.keys)) addHashed(a.registers!, key);
  else b.registers!.forEach((r, i) => (a.registers![i] = Math.max(a.registers![i]!, r)));
  return a;
}

export function countDistinct(s: DistinctSketch): number {
  if (s.keys) return s.size;
  const registers = s.registers!;
  let sum = 0;
  let zeros = 0;
  for (const r of registers) {
    sum += 2 ** -r;
    if (r === 0) zeros++;
  }
  const estimate = ((0.7213 / (1 + 1.079 / M)) * M * M) / sum;
  if (estimate <= 2.5 * M && zeros > 0) return Math.round(M * Math.log(M / zeros));
  return Math.round(estimate);
}

/**
 * percentile_approx's state: the values with their weights (1 each until the list outgrows
 * `limit`; then neighbours in sorted order merge, halving it). Exact below the limit.
 */
export type QuantileSketch = { values: unknown[]; weights: number[] };

export const newQuantileSketch = (): QuantileSketch => ({ values: [], weights: [] });

export function addQuantile(s: QuantileSketch, v: unknown, weight: number, limit: number): void {
  s.values.push(v);
  s.weights.push(weight);
  if (s.values.length > limit) compact(s);
}

function compact(s: QuantileSketch): void {
  const order = s.values.map((_, i) => i).sort((i, j) => compareValues(s.values[i], s.values[j]));
  const values: unknown[] = [];
  const weights: number[] = [];
  for (let k = 0; k < order.length; k += 2) {
    const last = order[Math.min(k + 1, order.length - 1)]!;
    values.push(s.values[last]);
    weights.push(s.weights[order[k]!]! + (k + 1 < order.length ? s.weights[last]! : 0));
  }
  s.values = values;
  s.weights = weights;
}

/**
 * Spark's answers (QuantileSummaries.query), one per percentage: the smallest value whose rank
 * is at least ceil(p·n); within the relative error of either end, the least or greatest value.
 */
export function quantiles(
  s: QuantileSketch,
  ps: readonly number[],
  relativeError: number,
): unknown[] {
  const order = s.values.map((_, i) => i).sort((i, j) => compareValues(s.values[i], s.values[j]));
  const total = s.weights.reduce((a, b) => a + b, 0);
  return ps.map((p) => {
    if (order.length === 0) return null;
    if (p <= relativeError) return s.values[order[0]!];
    const lastValue = s.values[order[order.length - 1]!];
    if (p >= 1 - relativeError) return lastValue;
    const rank = Math.ceil(p * total);
    let seen = 0;
    for (const i of order) {
      seen += s.weights[i]!;
      if (seen >= rank) return s.values[i];
    }
    return lastValue;
  });
}
