import { EngineContext, fn, type AnyDataset, type Broadcast, type Dataset } from '../engine';
import { NO_STATS, RANK_TASK, type EdgeList, type Links, type RankStats } from './rank-tasks';
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
 * GraphX's PageRank as iterative jobs. Once: the vertices are numbered (their ids collected and
 * broadcast) in blocks, one per partition (GraphX's vertex partitions), and the out-edges
 * gathered by their source's block (edge lists per partition, merged by reduceByKey) with each
 * edge's share of its source's rank (`links`), hash-partitioned and cached. Then one job per iteration: `links.join(ranks)` (co-partitioned,
 * no shuffle), each partition's contributions summed per vertex in a dense vector, summed
 * across partitions by reduceByKey (per block), reset (`resetProb + (1 - resetProb) * sum`),
 * cached, and the previous iteration's ranks unpersisted. Ranks start at 1 and sum to the
 * number of vertices N, as GraphX's.
 *
 * Dangling vertices (no out-edges): their rank is spread over every vertex each iteration (as
 * graphology, NetworkX and the "random surfer" do), where GraphX drops it and rescales the
 * ranks to sum N once at the end. Spreading costs no job of its own: the ranks kept (`rank'`)
 * are computed without it, and each iteration's one job also sums them; the mass missing from
 * that sum is the dangling one, added back to every rank as `shift = (N - sum rank') / N`.
 * - must return every vertex, its rank summing to N over all (within rounding);
 * - must agree with graphology-metrics' pagerank (alpha = 1 - resetProb) times N;
 * - must keep only `links`, the last ranks and the ids' broadcast, for the caller to drop;
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
  const n = context.defaultParallelism;
  const ids = await graph.vertices.map<VertexId>(fn(TASK.vertexId)).collect();
  const count = ids.length;
  const size = Math.max(1, Math.ceil(count / n));
  const numbering = { ids: context.broadcast(ids), size };
  const links = graph.edges
    .mapPartitions<[number, EdgeList]>(
      fn(RANK_TASK.edgeLists, { ...numbering, weighted: graph.weighted }),
    )
    .reduceByKey<number, EdgeList>(fn(RANK_TASK.mergeEdges), undefined, n)
    .mapValues<number, EdgeList, Links>(fn(RANK_TASK.links))
    .setName('pageRank links')
    .cache();
  await links.count();
  const blocks = Array.from({ length: Math.ceil(count / size) }, (_, b): [number, number] => [
    b,
    b,
  ]);
  let ranks = context
    .parallelize(blocks)
    .reduceByKey<number, number>(fn(TASK.first), undefined, n)
    .mapValues<number, number, Float64Array>(fn(RANK_TASK.initial, { size, count }));
  let shift = 0;
  for (let iteration = 0; count > 0; iteration++) {
    if ('numIter' in until && iteration >= until.numIter) break;
    const next = links
      .join(ranks)
      .mapPartitions<[number, number[]]>(fn(RANK_TASK.contribute, { shift, size, count }))
      .reduceByKey<number, number[]>(fn(RANK_TASK.sumVectors), undefined, n)
      .mapValues<number, number[], Float64Array>(fn(RANK_TASK.reset, { resetProb }))
      .setName(`pageRank ranks ${iteration + 1}`)
      .cache();
    const [sum, lo, hi] = await next
      .join(ranks)
      .aggregate<RankStats>(NO_STATS, fn(RANK_TASK.stats), fn(RANK_TASK.mergeStats));
    if (ranks.storageLevel) await ranks.unpersist();
    ranks = next;
    const nextShift = (count - sum) / count;
    const moved = Math.max(Math.abs(hi + nextShift - shift), Math.abs(lo + nextShift - shift));
    shift = nextShift;
    if ('tol' in until && moved <= until.tol) break;
  }
  return {
    ranks: ranks.flatMap<[VertexId, number]>(fn(RANK_TASK.vertices, { ...numbering, shift })),
    edges: links.flatMap<Edge<number>>(fn(RANK_TASK.edges, numbering)),
    cached: [links, ranks, numbering.ids],
  };
}
