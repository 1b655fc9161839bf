import type { Dataset } from '../engine';
import type { PointBlock } from './blocks';
import { centerStats, packed, withCenters } from './center-stats';
import { KMeansModel } from './kmeans-model';
import { kMeansPlusPlus } from './local-kmeans';
import { seededRandom } from './random';
import { TASK } from './tasks';
import { squaredDistance, type Vector } from './vectors';

/** What `KMeans.train` is asked for: MLlib's parameters, with its defaults. */
export interface KMeansOptions {
  /** The number of clusters wanted (fewer if the data has fewer distinct points). */
  readonly k: number;
  /** Default 20. */
  readonly maxIterations?: number;
  /** A centre that moved no more than this has converged; default 1e-4. */
  readonly epsilon?: number;
  /** The same seed, the same centres; default: a random one. */
  readonly seed?: number;
  /** Default 'k-means||'. */
  readonly initializationMode?: 'k-means||' | 'random';
  /** k-means||'s steps; default 2. */
  readonly initializationSteps?: number;
  /** Start from these centres (MLlib's `setInitialModel`) instead of choosing them. */
  readonly initialModel?: KMeansModel | readonly Vector[];
  /**
   * Whether `train` caches the points, packed, in the executors (default true); false reads
   * the input again every iteration, as MLlib does with an uncached input (the bench's
   * baseline).
   */
  readonly persistInput?: boolean;
}

/** k-means++'s Lloyd iterations on the k-means|| candidates, as MLlib runs them. */
const LOCAL_ITERATIONS = 30;

/**
 * MLlib's KMeans (`org.apache.spark.mllib.clustering.KMeans`) on a dataset of points: initial
 * centres by k-means|| (or a random sample), then Lloyd iterations, one job each over the
 * cached input, until no centre moves more than epsilon or maxIterations.
 */
export const KMeans = {
  /**
   * Trains a model.
   * - must cache the points in the executors, one block of them per partition (Spark ML's
   *   blocks), read from the input once, and unpersist them when done, unless `persistInput`
   *   is false (then the input is read again every job, as MLlib does with an uncached one);
   * - must give the same centres for the same seed and the same data;
   * - must reject for an empty dataset, k < 1, or an initial model of another k.
   */
  async train(data: Dataset<Vector>, options: KMeansOptions): Promise<KMeansModel> {
    const { k, maxIterations = 20, epsilon = 1e-4 } = options;
    if (!(Number.isInteger(k) && k >= 1))
      throw new RangeError(`tabstream: KMeans k must be a positive integer, not ${k}`);
    const initial = options.initialModel;
    const given = initial instanceof KMeansModel ? initial.clusterCenters : initial;
    if (given && given.length !== k)
      throw new RangeError(`tabstream: KMeans: ${given.length} initial centres for k = ${k}`);
    const random = seededRandom(options.seed ?? Math.floor(Math.random() * 2 ** 32));
    const blocks = packed(data);
    const caching = options.persistInput !== false;
    if (caching) blocks.cache();
    try {
      const centers = given
        ? given.map((center) => [...center])
        : options.initializationMode === 'random'
          ? await initRandom(blocks, k, random)
          : await initKMeansParallel(blocks, k, options.initializationSteps ?? 2, random);
      if (centers.length === 0) throw new RangeError('tabstream: KMeans.train of an empty dataset');
      return await lloyd(blocks, centers, maxIterations, epsilon);
    } finally {
      if (caching) await blocks.unpersist();
    }
  },
};

async function lloyd(
  data: Dataset<PointBlock>,
  centers: Vector[],
  maxIterations: number,
  epsilon: number,
): Promise<KMeansModel> {
  let iteration = 0;
  let converged = false;
  let cost = 0;
  while (iteration < maxIterations && !converged) {
    const stats = await centerStats(data, centers);
    converged = true;
    cost = 0;
    for (const [j, { sum, count, cost: c }] of stats) {
      const center = sum.map((s) => s / count);
      if (squaredDistance(center, centers[j]!) > epsilon * epsilon) converged = false;
      centers[j] = center;
      cost += c;
    }
    iteration++;
  }
  return new KMeansModel(centers, cost, iteration);
}

/** `n` distinct points drawn without replacement (MLlib's `takeSample`, then `distinct`). */
async function takeSample(data: Dataset<PointBlock>, n: number, seed: number): Promise<Vector[]> {
  const drawn = await data
    .mapPartitions<[number, Vector]>({ fn: TASK.sample, params: { seed, n } })
    .collect();
  return distinct(
    drawn
      .sort((a, b) => a[0] - b[0])
      .slice(0, n)
      .map(([, point]) => point),
  );
}

const nextSeed = (random: () => number) => Math.floor(random() * 2 ** 32);

function initRandom(data: Dataset<PointBlock>, k: number, random: () => number): Promise<Vector[]> {
  return takeSample(data, k, nextSeed(random));
}

/**
 * MLlib's `initKMeansParallel` (k-means||, Bahmani et al.): one random point, then each step
 * samples about 2k points with probability proportional to their cost (two jobs: the sum of
 * costs, then the draw); if more than k distinct candidates, each is weighted by the points
 * nearest to it (one job) and k-means++ picks k of them in the driver.
 */
async function initKMeansParallel(
  data: Dataset<PointBlock>,
  k: number,
  steps: number,
  random: () => number,
): Promise<Vector[]> {
  const seed = nextSeed(random);
  const centers = await takeSample(data, 1, seed);
  if (centers.length === 0) return [];
  for (let step = 0; step < steps; step++) {
    const sumCosts = (await withCenters<number>(data, TASK.cost, centers)).reduce(
      (a, b) => a + b,
      0,
    );
    if (!(sumCosts > 0)) break; // every point is a centre already
    const params = { seed, step, k, sumCosts };
    centers.push(...(await withCenters<Vector>(data, TASK.choose, centers, params)));
  }
  const candidates = distinct(centers);
  if (candidates.length <= k) return candidates;
  const counts = await withCenters<number[]>(data, TASK.closestCounts, candidates);
  const weights = candidates.map((_, j) => counts.reduce((n, part) => n + part[j]!, 0));
  return kMeansPlusPlus(candidates, weights, k, LOCAL_ITERATIONS, random);
}

/** The points once each, in their first order. */
function distinct(points: readonly Vector[]): Vector[] {
  const seen = new Set<string>();
  return points.filter((point) => {
    const key = JSON.stringify(point);
    return !seen.has(key) && !!seen.add(key);
  });
}
