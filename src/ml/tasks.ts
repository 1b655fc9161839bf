import { defineFn } from '../engine';
import { eachClosest, pack, pointAt, type PointBlock } from './blocks';
import { hashText, seededRandom } from './random';
import { findClosest, type Vector } from './vectors';

/**
 * The functions k-means runs in the executors, by name (the engine's `fn(name, params)`), so
 * that its jobs cross to workers under any Content-Security-Policy. They read partitions of
 * point blocks (`pack`); centres come in params as a broadcast (`{ centers }`, read as
 * `p.centers.value`). This module is loaded by every executor and by the page.
 */
export const TASK = {
  pack: 'tabstream.ml.pack',
  sums: 'tabstream.ml.kmeans-sums',
  addVectors: 'tabstream.ml.add-vectors',
  sample: 'tabstream.ml.sample',
  cost: 'tabstream.ml.cost',
  choose: 'tabstream.ml.kmeans-parallel-choose',
  closestCounts: 'tabstream.ml.closest-counts',
  predict: 'tabstream.ml.predict',
} as const;

type Centers = { readonly centers: { readonly value: readonly Vector[] } };

defineFn(TASK.pack, (points) => pack(points as Vector[]));

/**
 * Per partition, per centre that has points: `[centre, [sum…, count, cost]]`, the partial sums
 * MLlib's Lloyd iteration combines map-side (`cost`: the squared distances of its points).
 */
defineFn(TASK.sums, (blocks, p) => {
  const centers = (p as Centers).centers.value;
  const [k, dim] = [centers.length, centers[0]?.length ?? 0];
  const stats = new Float64Array(k * (dim + 2));
  eachClosest(blocks as PointBlock[], centers, ({ values }, point, nearest, cost) => {
    const at = nearest * (dim + 2);
    for (let i = 0; i < dim; i++) stats[at + i]! += values[point * dim + i]!;
    stats[at + dim]!++;
    stats[at + dim + 1]! += cost;
  });
  const out: [number, number[]][] = [];
  for (let j = 0; j < k; j++) {
    const s = stats.subarray(j * (dim + 2), (j + 1) * (dim + 2));
    if (s[dim]! > 0) out.push([j, Array.from(s)]);
  }
  return out;
});

defineFn(TASK.addVectors, (a, b) => (a as number[]).map((x, i) => x + (b as number[])[i]!));

/** A partition's generator: the same draws for the same seed and the same partition content. */
function partitionRandom(blocks: readonly PointBlock[], seed: number): () => number {
  const first = blocks[0] ? pointAt(blocks[0], 0) : null;
  const n = blocks.reduce((total, block) => total + block.n, 0);
  return seededRandom(seed ^ hashText(`${n} ${JSON.stringify(first)}`));
}

/** Every point of the blocks, with a draw of the partition's generator. */
function drawn(blocks: unknown, seed: number): [number, PointBlock, number][] {
  const random = partitionRandom(blocks as PointBlock[], seed);
  const out: [number, PointBlock, number][] = [];
  for (const block of blocks as PointBlock[])
    for (let p = 0; p < block.n; p++) out.push([random(), block, p]);
  return out;
}

/**
 * A partition's part of a sample without replacement of `n` points: its `n` points of smallest
 * draw, as `[draw, point]`; the driver keeps the `n` smallest of all partitions'.
 */
defineFn(TASK.sample, (blocks, p) => {
  const { seed, n } = p as { seed: number; n: number };
  return drawn(blocks, seed)
    .sort((a, b) => a[0] - b[0])
    .slice(0, n)
    .map(([u, block, point]) => [u, pointAt(block, point)]);
});

/** A partition's cost: `[sum of squared distances to the nearest centre]`. */
defineFn(TASK.cost, (blocks, p) => {
  let sum = 0;
  eachClosest(
    blocks as PointBlock[],
    (p as Centers).centers.value,
    (_block, _p, _nearest, cost) => (sum += cost),
  );
  return [sum];
});

/**
 * k-means||'s step (MLlib's `initKMeansParallel`): each point is chosen with probability
 * `2 k cost / sumCosts` (about 2k points a step), its cost its distance to the centres so far.
 */
defineFn(TASK.choose, (blocks, p) => {
  const { centers, seed, step, k, sumCosts } = p as Centers & {
    seed: number;
    step: number;
    k: number;
    sumCosts: number;
  };
  const random = partitionRandom(blocks as PointBlock[], seed ^ (step << 16));
  const chosen: Vector[] = [];
  eachClosest(blocks as PointBlock[], centers.value, (block, point, _nearest, cost) => {
    if (random() < (2 * cost * k) / sumCosts) chosen.push(pointAt(block, point));
  });
  return chosen;
});

/** `[counts]`: how many of the partition's points each centre is nearest to. */
defineFn(TASK.closestCounts, (blocks, p) => {
  const centers = (p as Centers).centers.value;
  const counts = new Array<number>(centers.length).fill(0);
  eachClosest(blocks as PointBlock[], centers, (_block, _p, nearest) => counts[nearest]!++);
  return [counts];
});

/** The nearest centre's index; centres in params as they are (a lazy dataset outlives a broadcast). */
defineFn(
  TASK.predict,
  (point, p) => findClosest((p as { centers: Vector[] }).centers, point as Vector)[0],
);
