import { findClosest, squaredDistance, type Vector } from './vectors';

/**
 * MLlib's `LocalKMeans.kMeansPlusPlus`: k-means++ on weighted points in the driver (k-means||'s
 * candidates, weighted by how many points each is nearest to), then up to `maxIterations`
 * weighted Lloyd iterations; an empty centre takes a random point.
 */
export function kMeansPlusPlus(
  points: readonly Vector[],
  weights: readonly number[],
  k: number,
  maxIterations: number,
  random: () => number,
): Vector[] {
  const dim = points[0]!.length;
  const centers: Vector[] = [pickWeighted(points, weights, random)];
  const costs = points.map((point) => squaredDistance(point, centers[0]!));
  for (let i = 1; i < k; i++) {
    const sum = costs.reduce((total, cost, p) => total + cost * weights[p]!, 0);
    const r = random() * sum;
    let cumulative = 0;
    let j = 0;
    while (j < points.length && cumulative < r) cumulative += weights[j]! * costs[j++]!;
    const center = points[Math.max(0, j - 1)]!;
    centers.push(center);
    for (let p = 0; p < points.length; p++)
      costs[p] = Math.min(squaredDistance(points[p]!, center), costs[p]!);
  }
  const closest = new Array<number>(points.length).fill(-1);
  let moved = true;
  for (let iteration = 0; moved && iteration < maxIterations; iteration++) {
    moved = false;
    const counts = new Array<number>(k).fill(0);
    const sums = centers.map(() => new Array<number>(dim).fill(0));
    points.forEach((point, i) => {
      const index = findClosest(centers, point)[0];
      for (let d = 0; d < dim; d++) sums[index]![d]! += weights[i]! * point[d]!;
      counts[index]! += weights[i]!;
      if (index !== closest[i]) moved = true;
      closest[i] = index;
    });
    for (let j = 0; j < k; j++)
      centers[j] =
        counts[j] === 0
          ? points[Math.floor(random() * points.length)]!
          : sums[j]!.map((s) => s / counts[j]!);
  }
  return centers;
}

/** A point drawn with probability proportional to its weight. */
function pickWeighted(points: readonly Vector[], weights: readonly number[], random: () => number) {
  const r = random() * weights.reduce((a, b) => a + b, 0);
  let i = 0;
  let current = 0;
  while (i < points.length && current < r) current += weights[i++]!;
  return points[Math.max(0, i - 1)]!;
}
