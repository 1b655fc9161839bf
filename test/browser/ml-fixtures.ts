// Points for the k-means tests: seeded blobs, and the plain-JavaScript answers to check against.
import { expect } from 'chai';
import { nextGaussian, seededRandom } from '../../src/ml/random';

export type Point = number[];

/** `perBlob` points around each centre, normally spread by `spread` px (seeded). */
export function blobs(centres: readonly Point[], perBlob: number, spread: number, seed = 7) {
  const random = seededRandom(seed);
  const points: Point[] = [];
  for (let i = 0; i < perBlob; i++)
    for (const centre of centres) points.push(centre.map((c) => c + nextGaussian(random) * spread));
  return points;
}

export const squared = (a: Point, b: Point) => a.reduce((s, x, i) => s + (x - b[i]!) ** 2, 0);

/** The index of the nearest centre (the first of equals). */
export function nearest(centres: readonly Point[], point: Point): number {
  let best = 0;
  for (let j = 1; j < centres.length; j++)
    if (squared(centres[j]!, point) < squared(centres[best]!, point)) best = j;
  return best;
}

/** The sum of squared distances to the nearest centre. */
export const cost = (centres: readonly Point[], points: readonly Point[]) =>
  points.reduce((s, p) => s + squared(centres[nearest(centres, p)]!, p), 0);

/** Centres in a canonical order, to compare two sets found in different orders. */
export const byPosition = (centres: readonly Point[]) =>
  [...centres].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);

/** MLlib's update rule, written out: what each batch must do to centres and weights. */
export function byHand(
  centres: Point[],
  weights: number[],
  batch: readonly Point[],
  decay: number,
  unit: 'batches' | 'points' = 'batches',
) {
  const discount = unit === 'batches' ? decay : decay ** batch.length;
  const next = centres.map((c) => [...c]);
  const w = weights.map((x) => x * discount);
  centres.forEach((_, j) => {
    const mine = batch.filter((p) => nearest(centres, p) === j);
    if (mine.length === 0) return;
    const mean = next[j]!.map((_, d) => mine.reduce((s, p) => s + p[d]!, 0) / mine.length);
    const lambda = mine.length / (w[j]! + mine.length);
    next[j] = next[j]!.map((c, d) => c * (1 - lambda) + mean[d]! * lambda);
    w[j] = w[j]! + mine.length;
  });
  return { centres: next, weights: w };
}

/** Each coordinate of `actual` within `tolerance` of `expected`'s. */
export function expectClose(
  actual: readonly (readonly number[])[],
  expected: readonly number[][],
  tolerance = 1e-9,
) {
  expect(actual).to.have.length(expected.length);
  actual.forEach((row, i) =>
    row.forEach((x, d) => expect(x).to.be.closeTo(expected[i]![d]!, tolerance)),
  );
}
