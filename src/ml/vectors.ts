/** A dense vector: a point of k-means, a centre. */
export type Vector = number[];

export function squaredDistance(a: Vector, b: Vector): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    sum += d * d;
  }
  return sum;
}

/**
 * The index of the centre nearest to `point` and its squared distance (MLlib's `findClosest`):
 * the first of equally near centres.
 */
export function findClosest(centers: readonly Vector[], point: Vector): [number, number] {
  let best = 0;
  let bestDistance = Infinity;
  for (let j = 0; j < centers.length; j++) {
    const distance = squaredDistance(centers[j]!, point);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = j;
    }
  }
  return [best, bestDistance];
}
