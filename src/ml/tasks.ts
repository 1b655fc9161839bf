import { defineFn } from '../engine';
import { hashText, seededRandom } from './random';
import { findClosest, pointCost, type Vector } from './vectors';

/**
 * The functions k-means runs in the executors, by name (the engine's `fn(name, params)`), so
 * that its jobs cross to workers under any Content-Security-Policy. Centres come in params as a
 * broadcast (`{ centers }`, read as `p.centers.value`). This module is loaded by every executor
 * and by the page.
 */
export const TASK = {
  sums: 'tabstream.ml.kmeans-sums',
  addVectors: 'tabstream.ml.add-vectors',
  sample: 'tabstream.ml.sample',
  cost: 'tabstream.ml.cost',
  choose: 'tabstream.ml.kmeans-parallel-choose',
  closestCounts: 'tabstream.ml.closest-counts',
  predict: 'tabstream.ml.predict',
} as const;

type Centers = { readonly centers: { readonly value: readonly Vector[] } };

/**
 * Per partition, per centre that has points: `[centre, [sum…, count, cost]]`, the partial sums
 * MLlib's Lloyd iteration combines map-side (`cost`: the squared distances of its points).
 */
defineFn(TASK.sums, (points, p) => {
  const centers = (p as Centers).centers.value;
  const [k, dim] = [centers.length, centers[0]?.length ?? 0];
  // The hot loop of every Lloyd iteration: centres flat, distances inline, no allocation.
  const flat = Float64Array.from(centers.flat());
  const stats = new Float64Array(k * (dim + 2));
  for (const point of points as Vector[]) {
    let best = 0;
    let bestCost = Infinity;
    for (let j = 0, at = 0; j < k; j++, at += dim) {
      let cost = 0;
      for (let i = 0; i < dim; i++) {
        const d = point[i]! - flat[at + i]!;
        cost += d * d;
      }
      if (cost < bestCost) {
        best = j;
        bestCost = cost;
      }
    }
    const at = best * (dim + 2);
    for (let i = 0; i < dim; i++) stats[at + i]! += point[i]!;
    stats[at + dim]!++;
    stats[at + dim + 1]! += bestCost;
  }
  const out: [number, number[]][] = [];
  for (let j = 0; j < k; j++) {
    const s = stats.subarray(j * (dim + 2), (j + 1) * (dim + 2));
    if (s[dim]! > 0) out.push([j, Array.from(s)]);
  }
  return out;
});

defineFn(TASK.addVectors, (a, b) => (a as number[]).map((x, i) => x + (b as number[])[i]!));

/** A partition's generator: the same draws for the same seed and the same partition content. */
function partitionRandom(points: readonly Vector[], seed: number): () => number {
  return seededRandom(seed ^ hashText(`${points.length} ${JSON.stringify(points[0] ?? null)}`));
}

/**
 * A partition's part of a sample without replacement of `n` points: its `n` points of smallest
 * draw, as `[draw, point]`; the driver keeps the `n` smallest of all partitions'.
 */
defineFn(TASK.sample, (points, p) => {
  const { seed, n } = p as { seed: number; n: number };
  const random = partitionRandom(points as Vector[], seed);
  const drawn = (points as Vector[]).map((point): [number, Vector] => [random(), point]);
  return drawn.sort((a, b) => a[0] - b[0]).slice(0, n);
});

/** A partition's cost: `[sum of squared distances to the nearest centre]`. */
defineFn(TASK.cost, (points, p) => {
  const centers = (p as Centers).centers.value;
  let sum = 0;
  for (const point of points as Vector[]) sum += pointCost(centers, point);
  return [sum];
});

/**
 * k-means||'s step (MLlib's `initKMeansParallel`): each point is chosen with probability
 * `2 k cost / sumCosts` (about 2k points a step), its cost its distance to the centres so far.
 */
defineFn(TASK.choose, (points, p) => {
  const { centers, seed, step, k, sumCosts } = p as Centers & {
    seed: number;
    step: number;
    k: number;
    sumCosts: number;
  };
  const random = partitionRandom(points as Vector[], seed ^ (step << 16));
  return (points as Vector[]).filter(
    (point) => random() < (2 * pointCost(centers.value, point) * k) / sumCosts,
  );
});

/** `[counts]`: how many of the partition's points each centre is nearest to. */
defineFn(TASK.closestCounts, (points, p) => {
  const centers = (p as Centers).centers.value;
  const counts = new Array<number>(centers.length).fill(0);
  for (const point of points as Vector[]) counts[findClosest(centers, point)[0]]!++;
  return [counts];
});

/** The nearest centre's index; centres in params as they are (a lazy dataset outlives a broadcast). */
defineFn(
  TASK.predict,
  (point, p) => findClosest((p as { centers: Vector[] }).centers, point as Vector)[0],
);
