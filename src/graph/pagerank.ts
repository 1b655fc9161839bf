import { EngineContext, fn, type AnyDataset, type Broadcast, type Dataset } from '../engine';
import { RANK_TASK, type Links } from './rank-tasks';
import { TASK } from './tasks';
import type { Edge, VertexId } from './types';

/** What PageRank reads of a graph. */
export interface RankedGraphInput<VD, ED> {
  readonly vertices: Dataset<[VertexId, VD]>;
  readonly edges: Dataset<Edge<ED>>;
  readonly weighted: boolean;
}

/** When PageRank stops: after `numIter` iterations, or once no rank changes more than `tol`. */
export type Until = { readonly numIter: number } | { readonly tol: number };

/** PageRank's answer: GraphX's rank graph's parts, and what it keeps in the executors. */
export interface RankedGraph {
  readonly ranks: Dataset<[VertexId, number]>;
  readonly edges: Dataset<Edge<number>>;
  readonly cached: readonly (AnyDataset | Broadcast<unknown>)[];
}

/**
 * GraphX's PageRank as iterative jobs, in MLlib's k-means pattern: the ranks are one dense
 * vector on the driver, the edges cached in the executors. Once: the vertices are numbered
 * (their ids collected and broadcast) and each partition of edges, coalesced to one per
 * executor, packed into typed arrays (`links`) and cached; a first job sums each source's
 * out-weight. Then one job per iteration, one stage, no shuffle: each task sums its links'
 * contributions per target in a dense vector (given each source's rank over its out-weight in
 * its params), `aggregate` adds the tasks' vectors on the driver, and the driver resets the
 * ranks (`resetProb + (1 - resetProb) * (sum + dangling / N)`). Ranks start at 1 and sum to
 * the number of vertices N, as GraphX's.
 *
 * Why no join of cached rank blocks, as GraphX does: on 2 workers an iteration's cost is the
 * engine's per-stage and per-task overhead, not its arithmetic, and the driver already holds
 * the N ids. A vector crosses to each task and back per iteration (8 bytes a vertex), in
 * params rather than by broadcast (which would add two round trips to every executor per
 * iteration for the same bytes, tasks being one per executor): fine up to a few million
 * vertices.
 *
 * Dangling vertices (no out-edges): their rank is spread over every vertex each iteration (as
 * graphology, NetworkX and the "random surfer" do), where GraphX drops it and rescales the
 * ranks to sum N once at the end.
 * - must return every vertex, its rank summing to N over all (within rounding);
 * - must agree with graphology-metrics' pagerank (alpha = 1 - resetProb) times N;
 * - must keep only `links`, the ids' and the out-weights' broadcasts, for the caller to drop;
 * - must fail a job naming an edge end that is not a vertex.
 */
export async function pageRankOf<VD, ED>(
  graph: RankedGraphInput<VD, ED>,
  until: Until,
  resetProb: number,
): Promise<RankedGraph> {
  if (!(resetProb > 0 && resetProb < 1))
    throw new RangeError(`tabstream: resetProb must be in (0, 1), not ${resetProb}`);
  const context = graph.vertices.context;
  if (!(context instanceof EngineContext))
    throw new TypeError('tabstream: PageRank runs on the datasets of an EngineContext');
  const ids = await graph.vertices.map<VertexId>(fn(TASK.vertexId)).collect();
  const count = ids.length;
  const numbering = context.broadcast(ids);
  const links = graph.edges
    .coalesce(context.defaultParallelism)
    .mapPartitions<Links>(fn(RANK_TASK.links, { ids: numbering, weighted: graph.weighted }))
    .setName('pageRank links')
    .cache();
  const zero = new Float64Array(count);
  const sum = (task: string, params?: unknown) =>
    links.aggregate<Float64Array>(zero, fn(task, params), fn(RANK_TASK.addVectors));
  const outWeights = await sum(RANK_TASK.outWeights);
  let ranks: Float64Array = new Float64Array(count).fill(1);
  for (let iteration = 0; count > 0; iteration++) {
    if ('numIter' in until && iteration >= until.numIter) break;
    const perWeight = new Float64Array(count);
    let dangling = 0;
    for (let v = 0; v < count; v++)
      if (outWeights[v]! > 0) perWeight[v] = ranks[v]! / outWeights[v]!;
      else dangling += ranks[v]!;
    const sums = await sum(RANK_TASK.contribute, { perWeight });
    let moved = 0;
    for (let v = 0; v < count; v++) {
      const rank = resetProb + (1 - resetProb) * (sums[v]! + dangling / count);
      moved = Math.max(moved, Math.abs(rank - ranks[v]!));
      sums[v] = rank;
    }
    ranks = sums;
    if ('tol' in until && moved <= until.tol) break;
  }
  const shares = context.broadcast(outWeights);
  return {
    ranks: context.parallelize(ids.map((id, v): [VertexId, number] => [id, ranks[v]!])),
    edges: links.flatMap<Edge<number>>(fn(RANK_TASK.edges, { ids: numbering, outWeights: shares })),
    cached: [links, numbering, shares],
  };
}
