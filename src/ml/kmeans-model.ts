import { fn, type Dataset } from '../engine';
import { packed, withCenters } from './center-stats';
import { TASK } from './tasks';
import { findClosest, type Vector } from './vectors';

/** MLlib's KMeansModel: the centres k-means found, and what it cost. */
export class KMeansModel {
  /**
   * @param trainingCost the sum of squared distances of the points to their nearest centre,
   * as the last iteration measured it (MLlib's), 0 for a model not trained here.
   * @param numIter the Lloyd iterations run.
   */
  constructor(
    readonly clusterCenters: readonly Vector[],
    readonly trainingCost = 0,
    readonly numIter = 0,
  ) {}

  get k(): number {
    return this.clusterCenters.length;
  }

  /** The index of the nearest centre of a point, or of each point of a dataset (lazily). */
  predict(point: Vector): number;
  predict(data: Dataset<Vector>): Dataset<number>;
  predict(input: Vector | Dataset<Vector>): number | Dataset<number> {
    if (Array.isArray(input)) return findClosest(this.clusterCenters, input)[0];
    return input.map<number>(fn(TASK.predict, { centers: this.clusterCenters }));
  }

  /** The sum of squared distances of the points to their nearest centre (one job). */
  async computeCost(data: Dataset<Vector>): Promise<number> {
    const costs = await withCenters<number>(packed(data), TASK.cost, this.clusterCenters);
    return costs.reduce((a, b) => a + b, 0);
  }
}
