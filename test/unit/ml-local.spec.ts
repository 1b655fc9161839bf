// The driver-side parts of k-means, in Node: MLlib's local k-means++ on weighted candidates,
// and the packed point blocks the executors iterate over.
import { describe, expect, it } from 'vitest';
import { eachClosest, pack, pointAt } from '../../src/ml/blocks';
import { kMeansPlusPlus } from '../../src/ml/local-kmeans';
import { seededRandom } from '../../src/ml/random';

const near = (a: number[], b: number[]) => Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!);

describe('local k-means++ (MLlib LocalKMeans)', () => {
  const candidates = [
    [0, 0],
    [1, 0],
    [100, 0],
    [101, 1],
    [0, 100],
    [1, 101],
  ];

  it('picks one centre per group of candidates, at their weighted mean', () => {
    const weights = [3, 1, 1, 1, 2, 2];
    const centres = kMeansPlusPlus(candidates, weights, 3, 30, seededRandom(1));
    const expected = [
      [0.25, 0],
      [100.5, 0.5],
      [0.5, 100.5],
    ];
    for (const e of expected)
      expect(Math.min(...centres.map((c) => near(c, e)))).toBeLessThan(1e-9);
  });

  it('is the same for the same seed, and never picks a weightless candidate first', () => {
    const weights = [0, 0, 5, 0, 0, 0];
    const a = kMeansPlusPlus(candidates, weights, 1, 0, seededRandom(9));
    expect(a).toEqual([[100, 0]]);
    const b = kMeansPlusPlus(candidates, [1, 1, 1, 1, 1, 1], 3, 30, seededRandom(4));
    expect(kMeansPlusPlus(candidates, [1, 1, 1, 1, 1, 1], 3, 30, seededRandom(4))).toEqual(b);
  });
});

describe('point blocks', () => {
  it('packs a partition and finds each point its nearest centre, the first of equals', () => {
    const points = [
      [0, 0],
      [5, 5],
      [10, 0],
    ];
    const blocks = pack(points);
    expect(blocks).toHaveLength(1);
    expect(pointAt(blocks[0]!, 2)).toEqual([10, 0]);
    const seen: [number, number][] = [];
    eachClosest(
      blocks,
      [
        [0, 0],
        [10, 0],
      ],
      (_b, _p, nearest, cost) => seen.push([nearest, cost]),
    );
    expect(seen).toEqual([
      [0, 0],
      [0, 50],
      [1, 0],
    ]);
    expect(pack([])).toEqual([]);
  });
});
