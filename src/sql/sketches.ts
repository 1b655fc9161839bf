import { compareValues } from './compare';

/**
 * The JSON-safe sketches of the approximate aggregates (their states cross shuffles as JSON:
 * arrays and plain objects, no Set, Map or NaN).
 */

/**
 * A set of distinct values, JSON-safe: the values in an array. The lookup is a Set kept beside
 * them under a symbol (JSON and structured clone leave it behind; it is rebuilt from the array
 * on first use after a crossing). Primitives are their own keys (SameValueZero: 1 and '1'
 * differ, NaN is one value, -0 is 0, as Spark groups them); structs and arrays by their JSON.
 */
export type DistinctValues = { values: unknown[] };

const SEEN = Symbol('seen');
type Seen = { readonly primitives: Set<unknown>; readonly objects: Set<string> };

export const newDistinctValues = (): DistinctValues => ({ values: [] });

function seenOf(s: DistinctValues): Seen {
  const hidden = s as DistinctValues & { [SEEN]?: Seen };
  let seen = hidden[SEEN];
  if (!seen) {
    seen = { primitives: new Set(), objects: new Set() };
    Object.defineProperty(hidden, SEEN, { value: seen });
    for (const v of s.values) remember(seen, v);
  }
  return seen;
}

/** Whether `v` was new to `seen` (and is now in it). */
function remember(seen: Seen, v: unknown): boolean {
  if (typeof v !== 'object' || v === null) {
    if (seen.primitives.has(v)) return false;
    seen.primitives.add(v);
    return true;
  }
  const key = JSON.stringify(v);
  if (seen.objects.has(key)) return false;
  seen.objects.add(key);
  return true;
}

/** Adds `v` unless it is there; true if it was new. */
export function addValue(s: DistinctValues, v: unknown): boolean {
  if (!remember(seenOf(s), v)) return false;
  s.values.push(v);
  return true;
}

export function mergeValues(a: DistinctValues, b: DistinctValues): DistinctValues {
  for (const v of b.values) addValue(a, v);
  return a;
}

/** 32-bit FNV-1a of a value's typed text, finished with murmur3's mix, under a seed. */
function hash32(v: unknown, seed: number): number {
  const s = typeof v === 'string' ? `s${v}` : `o${JSON.stringify(v)}`;
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * approx_count_distinct's state: the exact values while there are few (answers are exact there,
 * as Spark's HyperLogLog++ is for small counts), then a HyperLogLog of 2^12 registers
 * (about 1.6 % error, finer than Spark's default 5 %).
 */
export type DistinctSketch = { values: unknown[] | null; registers: number[] | null };

const EXACT_LIMIT = 4096;
const P = 12;
const M = 1 << P;

export const newDistinctSketch = (): DistinctSketch => ({ values: [], registers: null });

export function addDistinct(s: DistinctSketch, v: unknown): DistinctSketch {
  if (s.values) {
    if (addValue(s as DistinctValues, v) && s.values.length > EXACT_LIMIT) toRegisters(s);
  } else addHashed(s.registers!, v);
  return s;
}

function addHashed(registers: number[], v: unknown): void {
  const index = hash32(v, 0) >>> (32 - P);
  const rank = Math.clz32(hash32(v, 0x9e3779b9)) + 1;
  if (rank > registers[index]!) registers[index] = rank;
}

function toRegisters(s: DistinctSketch): void {
  const registers = new Array<number>(M).fill(0);
  for (const v of s.values!) addHashed(registers, v);
  s.values = null;
  s.registers = registers;
}

export function mergeDistinct(a: DistinctSketch, b: DistinctSketch): DistinctSketch {
  if (b.values) {
    for (const v of b.values) addDistinct(a, v);
    return a;
  }
  if (a.values) toRegisters(a);
  b.registers!.forEach((r, i) => (a.registers![i] = Math.max(a.registers![i]!, r)));
  return a;
}

export function countDistinct(s: DistinctSketch): number {
  if (s.values) return s.values.length;
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
 * percentile_approx's state: values with weights, the first `sorted` of them in order. New
 * values (weight 1) go to the tail; past `limit` the tail is sorted (as numbers in a typed
 * array when it is numbers), merged into the head, and neighbours pair up, halving the list:
 * of each pair the lower or the upper is kept, alternately, so that rank errors cancel rather
 * than drift one way. Exact below the limit.
 */
export type QuantileSketch = { values: unknown[]; weights: number[]; sorted: number; flip: number };

export const newQuantileSketch = (): QuantileSketch => ({
  values: [],
  weights: [],
  sorted: 0,
  flip: 0,
});

export function addQuantile(s: QuantileSketch, v: unknown, weight: number, limit: number): void {
  s.values.push(v);
  s.weights.push(weight);
  if (s.values.length > limit) {
    sortAll(s);
    halve(s);
  }
}

/** Sorts the tail and merges it into the head: afterwards the whole list is in order. */
function sortAll(s: QuantileSketch): void {
  const tail = sortedTail(s);
  const values: unknown[] = [];
  const weights: number[] = [];
  let h = 0;
  let t = 0;
  while (h < s.sorted || t < tail.values.length) {
    const takeHead =
      t >= tail.values.length || (h < s.sorted && compareValues(s.values[h], tail.values[t]) <= 0);
    values.push(takeHead ? s.values[h] : tail.values[t]);
    weights.push(takeHead ? s.weights[h++]! : tail.weights[t++]!);
  }
  s.values = values;
  s.weights = weights;
  s.sorted = values.length;
}

function sortedTail(s: QuantileSketch): { values: unknown[]; weights: number[] } {
  const values = s.values.slice(s.sorted);
  const weights = s.weights.slice(s.sorted);
  if (values.every((v) => typeof v === 'number' && v === v) && weights.every((w) => w === 1))
    return { values: Array.from(Float64Array.from(values as number[]).sort()), weights };
  const order = values.map((_, i) => i).sort((i, j) => compareValues(values[i], values[j]));
  return { values: order.map((i) => values[i]), weights: order.map((i) => weights[i]!) };
}

function halve(s: QuantileSketch): void {
  const values: unknown[] = [];
  const weights: number[] = [];
  for (let k = 0; k < s.values.length; k += 2) {
    if (k + 1 === s.values.length) {
      values.push(s.values[k]);
      weights.push(s.weights[k]!);
      break;
    }
    s.flip ^= 1;
    values.push(s.values[k + s.flip]);
    weights.push(s.weights[k]! + s.weights[k + 1]!);
  }
  s.values = values;
  s.weights = weights;
  s.sorted = values.length;
}

/**
 * Spark's answers (QuantileSummaries.query), one per percentage: the smallest value whose rank
 * is at least ceil(p·n); within the relative error of either end, the least or greatest value.
 * Sorts the sketch in place (the same values and weights).
 */
export function quantiles(
  s: QuantileSketch,
  ps: readonly number[],
  relativeError: number,
): unknown[] {
  sortAll(s);
  const total = s.weights.reduce((a, b) => a + b, 0);
  const n = s.values.length;
  return ps.map((p) => {
    if (n === 0) return null;
    if (p <= relativeError) return s.values[0];
    if (p >= 1 - relativeError) return s.values[n - 1];
    const rank = Math.ceil(p * total);
    let seen = 0;
    for (let i = 0; i < n; i++) {
      seen += s.weights[i]!;
      if (seen >= rank) return s.values[i];
    }
    return s.values[n - 1];
  });
}
