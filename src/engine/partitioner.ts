/**
 * How a shuffle places keys in partitions. Both kinds are data, so executors apply them:
 * - `hash`: by a hash of the key, the same in every executor (Spark's HashPartitioner);
 * - `range`: by sorted bounds sampled from the data (Spark's RangePartitioner, for sortBy);
 * - `round-robin`: no key; records are dealt out evenly (repartition).
 */
export type Partitioner =
  | { readonly kind: 'hash'; readonly numPartitions: number }
  | {
      readonly kind: 'range';
      readonly numPartitions: number;
      readonly ascending: boolean;
      readonly bounds: readonly unknown[];
    }
  | { readonly kind: 'round-robin'; readonly numPartitions: number };

export function samePartitioner(a: Partitioner | null, b: Partitioner | null): boolean {
  return (
    a !== null &&
    b !== null &&
    a.kind === 'hash' &&
    b.kind === 'hash' &&
    a.numPartitions === b.numPartitions
  );
}

/** The partition of `key` under a hash or range partitioner. */
export function partitionOf(partitioner: Partitioner, key: unknown): number {
  if (partitioner.kind === 'range') {
    const { bounds, ascending } = partitioner;
    let lo = 0;
    let hi = bounds.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareKeys(bounds[mid], key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return ascending ? lo : bounds.length - lo;
  }
  return hashKey(key) % partitioner.numPartitions;
}

/**
 * A 32-bit FNV-1a hash of the key's canonical text: equal keys hash equally in every realm.
 * Undefined is null, as it is once a shuffle block (JSON) has carried it.
 */
export function hashKey(key: unknown): number {
  const text = typeof key === 'string' ? key : JSON.stringify(key ?? null);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** What identifies a key in a Map: a primitive itself (undefined as null), a composite by its JSON. */
export function keyId(key: unknown): unknown {
  if (key === undefined) return null;
  return typeof key === 'object' && key !== null ? `\u0000${JSON.stringify(key)}` : key;
}

const typeRank = (value: unknown): number => {
  if (value === null || value === undefined) return 0;
  const rank = ['boolean', 'number', 'string'].indexOf(typeof value);
  return rank >= 0 ? rank + 1 : Array.isArray(value) ? 4 : 5;
};

/**
 * A total order on keys: null first, then booleans, numbers, strings, arrays (element by
 * element, as Spark orders tuples) and other objects (by their JSON text).
 */
export function compareKeys(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 4) return compareArrays(a as unknown[], b as unknown[]);
  const [x, y] = ra === 5 ? [JSON.stringify(a), JSON.stringify(b)] : [a as number, b as number];
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareArrays(a: readonly unknown[], b: readonly unknown[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const order = compareKeys(a[i], b[i]);
    if (order !== 0) return order;
  }
  return a.length - b.length;
}

/** `numPartitions - 1` bounds splitting a sample of keys into ranges of equal weight. */
export function rangeBounds(sample: unknown[], numPartitions: number): unknown[] {
  const sorted = sample.sort(compareKeys);
  const bounds: unknown[] = [];
  for (let i = 1; i < numPartitions && sorted.length; i++) {
    const bound =
      sorted[Math.min(sorted.length - 1, Math.floor((i * sorted.length) / numPartitions))];
    if (bounds.length === 0 || compareKeys(bounds[bounds.length - 1], bound) < 0)
      bounds.push(bound);
  }
  return bounds;
}
