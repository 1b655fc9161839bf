import { EngineContext, fn, type AnyDataset, type Dataset } from '../engine';
import type { PointBlock } from './blocks';
import { TASK } from './tasks';
import type { Vector } from './vectors';

/** A centre's points in one pass: their sum, how many, and their squared distances to it. */
export interface CenterStats {
  readonly sum: number[];
  readonly count: number;
  readonly cost: number;
}

/** The context a dataset's jobs run in: what broadcasts the centres. */
export function contextOf(data: AnyDataset): EngineContext {
  if (data.context instanceof EngineContext) return data.context;
  throw new TypeError('tabstream: k-means needs a dataset of an EngineContext');
}

/** Each partition's points as one block (see `PointBlock`), lazily. */
export const packed = (data: Dataset<Vector>): Dataset<PointBlock> =>
  data.mapPartitions<PointBlock>(fn(TASK.pack));

/**
 * One pass of MLlib's Lloyd iteration, as one job: the centres go by broadcast, each task sums
 * its partition's points per nearest centre (map-side combine), and reduceByKey adds the
 * partitions' sums (k of them: one reduce task). Centres no point is nearest to are absent.
 */
export async function centerStats(
  blocks: Dataset<PointBlock>,
  centers: readonly Vector[],
): Promise<Map<number, CenterStats>> {
  const broadcast = contextOf(blocks).broadcast(centers);
  try {
    const collected = await blocks
      .mapPartitions<[number, number[]]>(fn(TASK.sums, { centers: broadcast }))
      .reduceByKey<number, number[]>(fn(TASK.addVectors), undefined, 1)
      .collect();
    const dim = centers[0]!.length;
    return new Map(
      collected.map(([j, s]) => [j, { sum: s.slice(0, dim), count: s[dim]!, cost: s[dim + 1]! }]),
    );
  } finally {
    await broadcast.destroy();
  }
}

/** The partitions' results of a task over point blocks given the centres by broadcast. */
export async function withCenters<T>(
  blocks: Dataset<PointBlock>,
  name: string,
  centers: readonly Vector[],
  params: Record<string, unknown> = {},
): Promise<T[]> {
  const broadcast = contextOf(blocks).broadcast(centers);
  try {
    return await blocks.mapPartitions<T>(fn(name, { ...params, centers: broadcast })).collect();
  } finally {
    await broadcast.destroy();
  }
}
