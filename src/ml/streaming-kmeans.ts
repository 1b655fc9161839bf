import type { Dataset } from '../engine';
import type { DStream } from '../streaming';
import { centerStats, packed } from './center-stats';
import { KMeansModel } from './kmeans-model';
import { nextGaussian, seededRandom } from './random';
import type { Vector } from './vectors';

/** How decay is counted: per mini-batch, or per point seen (MLlib's BATCHES and POINTS). */
export type TimeUnit = 'batches' | 'points';

/** A smallest cluster lighter than this fraction of the largest is dying: MLlib splits the largest. */
const DYING = 1e-8;

/** MLlib's StreamingKMeansModel: centres with weights, updated one mini-batch at a time. */
export class StreamingKMeansModel extends KMeansModel {
  constructor(
    clusterCenters: readonly Vector[],
    readonly clusterWeights: readonly number[],
  ) {
    super(clusterCenters);
  }

  /**
   * The model after one mini-batch (MLlib's update rule): each centre's points summed in the
   * executors (one job); the old weights discounted (by `decayFactor` per batch, or to the power
   * of the batch's points), then each centre moved to the weighted mean of old and new:
   * `c' = c (1 - λ) + (sum / n) λ` with `λ = n / (w·discount + n)`. If the lightest cluster
   * weighs under 1e-8 of the heaviest, the heaviest is split in two around its centre.
   */
  async update(
    data: Dataset<Vector>,
    decayFactor: number,
    timeUnit: TimeUnit,
  ): Promise<StreamingKMeansModel> {
    const stats = await centerStats(packed(data), this.clusterCenters);
    const newPoints = [...stats.values()].reduce((n, s) => n + s.count, 0);
    const discount = timeUnit === 'batches' ? decayFactor : decayFactor ** newPoints;
    const weights = this.clusterWeights.map((w) => w * discount);
    const centers = this.clusterCenters.map((center) => [...center]);
    for (const [j, { sum, count }] of stats) {
      const updated = weights[j]! + count;
      const lambda = count / Math.max(updated, 1e-16);
      weights[j] = updated;
      centers[j] = centers[j]!.map((c, i) => c * (1 - lambda) + (lambda / count) * sum[i]!);
    }
    splitDying(centers, weights);
    return new StreamingKMeansModel(centers, weights);
  }
}

function splitDying(centers: number[][], weights: number[]): void {
  const largest = weights.indexOf(Math.max(...weights));
  const smallest = weights.indexOf(Math.min(...weights));
  const [max, min] = [weights[largest]!, weights[smallest]!];
  if (!(min < DYING * max)) return;
  weights[largest] = weights[smallest] = (max + min) / 2;
  const center = centers[largest]!;
  centers[smallest] = center.map((x) => x - 1e-14 * Math.max(Math.abs(x), 1));
  centers[largest] = center.map((x) => x + 1e-14 * Math.max(Math.abs(x), 1));
}

export interface StreamingKMeansOptions {
  readonly k: number;
  /** How much of the past each batch keeps: 1 keeps all of it, 0 forgets it; default 1. */
  readonly decayFactor?: number;
  /** Default 'batches'. */
  readonly timeUnit?: TimeUnit;
}

/**
 * MLlib's StreamingKMeans: k-means on a stream, one update per mini-batch, older data decayed.
 * Set initial centres (given, or random) before `trainOn` or `update`.
 */
export class StreamingKMeans {
  readonly k: number;
  decayFactor: number;
  timeUnit: TimeUnit;
  private model: StreamingKMeansModel | null = null;

  constructor({ k, decayFactor = 1, timeUnit = 'batches' }: StreamingKMeansOptions) {
    if (!(Number.isInteger(k) && k >= 1))
      throw new RangeError(`tabstream: StreamingKMeans k must be a positive integer, not ${k}`);
    if (!(decayFactor >= 0)) throw new RangeError('tabstream: decayFactor must be ≥ 0');
    this.k = k;
    this.decayFactor = decayFactor;
    this.timeUnit = timeUnit;
  }

  /** The decay factor that halves a point's weight after `halfLife` batches or points. */
  setHalfLife(halfLife: number, timeUnit: TimeUnit): this {
    if (!(halfLife > 0)) throw new RangeError('tabstream: halfLife must be > 0');
    this.decayFactor = Math.exp(Math.log(0.5) / halfLife);
    this.timeUnit = timeUnit;
    return this;
  }

  /** Must throw unless there are as many weights as centres, and at least one centre. */
  setInitialCenters(centers: readonly Vector[], weights: readonly number[]): this {
    if (centers.length === 0 || centers.length !== weights.length)
      throw new RangeError('tabstream: setInitialCenters needs as many weights as centres (≥ 1)');
    this.model = new StreamingKMeansModel(
      centers.map((c) => [...c]),
      [...weights],
    );
    return this;
  }

  /** k centres of `dim` standard normal coordinates, each of weight `weight` (seeded). */
  setRandomCenters(dim: number, weight: number, seed = Math.floor(Math.random() * 2 ** 32)): this {
    if (!(dim > 0 && weight >= 0)) throw new RangeError('tabstream: dim > 0 and weight ≥ 0');
    const random = seededRandom(seed);
    const centers = Array.from({ length: this.k }, () =>
      Array.from({ length: dim }, () => nextGaussian(random)),
    );
    return this.setInitialCenters(centers, new Array<number>(this.k).fill(weight));
  }

  /** Must throw before initial centres are set. */
  latestModel(): StreamingKMeansModel {
    if (!this.model)
      throw new Error('tabstream: StreamingKMeans: set initial centres first (setInitialCenters)');
    return this.model;
  }

  /** Updates the model with one mini-batch. */
  async update(data: Dataset<Vector>): Promise<StreamingKMeansModel> {
    this.model = await this.latestModel().update(data, this.decayFactor, this.timeUnit);
    return this.model;
  }

  /** Updates the model with every batch of `stream` (Spark's `foreachRDD`), in order. */
  trainOn(stream: DStream<Vector>): void {
    this.latestModel();
    stream.foreachBatch((dataset) => this.update(dataset));
  }

  /** Each point's nearest centre, by the model as it is when the batch runs. */
  predictOn(stream: DStream<Vector>): DStream<number> {
    this.latestModel();
    return stream.transform((dataset) => this.latestModel().predict(dataset));
  }
}
