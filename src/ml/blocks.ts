import type { Vector } from './vectors';

/**
 * A partition's points packed in one Float64Array (`n` points of `dim` coordinates, row after
 * row): what k-means caches and iterates over, as Spark ML's KMeans stacks points into blocks.
 * A cached partition of arrays costs an object per point, and each iteration chases them; a
 * block is read straight through.
 */
export interface PointBlock {
  readonly n: number;
  readonly dim: number;
  readonly values: Float64Array;
}

/** A partition's points as one block (none for an empty partition). */
export function pack(points: readonly Vector[]): PointBlock[] {
  if (points.length === 0) return [];
  const dim = points[0]!.length;
  const values = new Float64Array(points.length * dim);
  points.forEach((point, p) => values.set(point, p * dim));
  return [{ n: points.length, dim, values }];
}

/** Point `p` of a block, as an array. */
export const pointAt = (block: PointBlock, p: number): Vector =>
  Array.from(block.values.subarray(p * block.dim, (p + 1) * block.dim));

/**
 * Calls `f(block, p, nearest, cost)` for every point of the blocks: the index of the centre
 * nearest to it (MLlib's `findClosest`, the first of equally near ones) and its squared
 * distance. The hot loop of every iteration: centres flat, distances inline, no allocation.
 */
export function eachClosest(
  blocks: readonly PointBlock[],
  centers: readonly Vector[],
  f: (block: PointBlock, p: number, nearest: number, cost: number) => void,
): void {
  const flat = Float64Array.from(centers.flat());
  for (const block of blocks) {
    const { n, dim, values } = block;
    const k = flat.length / dim;
    for (let p = 0, start = 0; p < n; p++, start += dim) {
      let nearest = 0;
      let nearestCost = Infinity;
      for (let j = 0, at = 0; j < k; j++, at += dim) {
        let cost = 0;
        for (let i = 0; i < dim; i++) {
          const d = values[start + i]! - flat[at + i]!;
          cost += d * d;
        }
        if (cost < nearestCost) {
          nearest = j;
          nearestCost = cost;
        }
      }
      f(block, p, nearest, nearestCost);
    }
  }
}
