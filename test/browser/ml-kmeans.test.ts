// MLlib's KMeans on real executor workers: against skmeans (the same data, the same initial
// centres, the same centres found), k-means|| on well-separated blobs, cost and predict.
import { expect } from 'chai';
import 'skmeans/dist/browser/skmeans.js';
import { EngineContext, ExecutorPool } from '../../src/engine';
import { KMeans, KMeansModel } from '../../src/ml';
import { blobs, byPosition, cost, nearest, squared, type Point } from './ml-fixtures';
import { createWorker, uniqueLog } from './helpers';

/** skmeans' browser bundle sets `window.skmeans`. */
type SkMeans = (
  data: Point[],
  k: number,
  initial?: Point[],
  maxIterations?: number,
) => {
  centroids: Point[];
  it: number;
};
const skmeans = (window as unknown as { skmeans: SkMeans }).skmeans;

const TRUE_CENTRES = [
  [100, 120],
  [900, 150],
  [400, 700],
  [1300, 600],
];

let pool: ExecutorPool;
let context: EngineContext;

before(async () => {
  pool = await ExecutorPool.start({ size: 2, createWorker, taskTimeoutMs: 20000 });
  context = new EngineContext({ log: uniqueLog('ml-kmeans'), pool });
});

after(() => pool.terminate());

describe('KMeans (MLlib) on executor workers', () => {
  it('finds the centres skmeans finds from the same initial centres', async () => {
    // Overlapping blobs: Lloyd's iterations have work to do, and both must do the same.
    const points = blobs(
      [
        [0, 0],
        [60, 10],
        [30, 50],
      ],
      150,
      25,
      3,
    );
    const initial = [points[0]!, points[1]!, points[2]!];
    const expected = skmeans(
      points,
      3,
      initial.map((c) => [...c]),
      1000,
    );
    const model = await KMeans.train(context.parallelize(points, 4), {
      k: 3,
      initialModel: initial,
      maxIterations: 1000,
      epsilon: 1e-12,
    });
    expect(expected.it).to.be.greaterThan(2);
    expect(model.numIter).to.be.greaterThan(2);
    model.clusterCenters.forEach((centre, j) => {
      expect(centre[0]).to.be.closeTo(expected.centroids[j]![0]!, 1e-6);
      expect(centre[1]).to.be.closeTo(expected.centroids[j]![1]!, 1e-6);
    });
  });

  it('finds well-separated blobs with k-means||, the same for the same seed', async () => {
    const points = blobs(TRUE_CENTRES, 250, 20);
    const data = context.parallelize(points, 4);
    const model = await KMeans.train(data, { k: 4, seed: 42 });
    const found = byPosition(model.clusterCenters);
    byPosition(TRUE_CENTRES).forEach((centre, j) => {
      expect(Math.sqrt(squared(found[j]!, centre))).to.be.lessThan(5);
    });
    const again = await KMeans.train(data, { k: 4, seed: 42 });
    expect(again.clusterCenters).to.deep.equal(model.clusterCenters);
    expect(model.trainingCost).to.be.closeTo(
      cost(model.clusterCenters, points),
      1e-6 * model.trainingCost,
    );
  });

  it('finds them from a random sample too, and fewer clusters than k for fewer distinct points', async () => {
    const model = await KMeans.train(context.parallelize(blobs(TRUE_CENTRES, 100, 10), 3), {
      k: 4,
      seed: 9,
      initializationMode: 'random',
      maxIterations: 50,
    });
    expect(model.k).to.equal(4);
    const few = [
      [1, 1],
      [5, 5],
      [1, 1],
      [5, 5],
      [1, 1],
    ];
    const small = await KMeans.train(context.parallelize(few, 2), { k: 4, seed: 1 });
    expect(byPosition(small.clusterCenters)).to.deep.equal([
      [1, 1],
      [5, 5],
    ]);
    expect(small.trainingCost).to.equal(0);
  });

  it('computes cost and predicts, for a point and for a dataset', async () => {
    const points = blobs(TRUE_CENTRES, 50, 40, 11);
    const centres = [
      [0, 0],
      [1000, 0],
      [500, 800],
    ];
    const model = new KMeansModel(centres);
    const data = context.parallelize(points, 3);
    expect(await model.computeCost(data)).to.be.closeTo(cost(centres, points), 1e-6);
    expect(points.map((p) => model.predict(p))).to.deep.equal(
      points.map((p) => nearest(centres, p)),
    );
    expect(await model.predict(data).collect()).to.deep.equal(
      points.map((p) => nearest(centres, p)),
    );
  });

  it('caches an uncached input while it trains, and drops it after', async () => {
    const data = context.parallelize(blobs(TRUE_CENTRES, 50, 10), 4);
    let cachedDuring = 0;
    const unsubscribe = context.status.subscribe(() => {
      const cached = [...context.executorStatus().cachedPartitions.values()];
      cachedDuring = Math.max(
        cachedDuring,
        cached.reduce((a, b) => a + b, 0),
      );
    });
    try {
      await KMeans.train(data, { k: 4, seed: 5 });
    } finally {
      unsubscribe();
    }
    expect(cachedDuring).to.equal(4);
    expect(data.storageLevel).to.equal(null);
    const after = [...context.executorStatus().cachedPartitions.values()];
    expect(after.reduce((a, b) => a + b, 0)).to.equal(0);
  });

  it('rejects an empty dataset and a k below 1', async () => {
    const empty = context.parallelize<Point>([], 2);
    let error: unknown = null;
    await KMeans.train(empty, { k: 2 }).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(RangeError);
    error = null;
    await KMeans.train(empty, { k: 0 }).catch((e: unknown) => (error = e));
    expect(String(error)).to.match(/positive integer/);
    error = null;
    await KMeans.train(context.parallelize([[1, 2]]), { k: 2, initialModel: [[0, 0]] }).catch(
      (e: unknown) => (error = e),
    );
    expect(String(error)).to.match(/1 initial centres for k = 2/);
  });
});
