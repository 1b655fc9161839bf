import { fn, type AnyDataset, type Dataset } from '../engine';
import { NO_OUTS, NO_STATS, TASK, type Adjacency, type RankStats } from './tasks';
import type { Edge, VertexId } from './types';

/** What PageRank reads of a graph. */
export interface RankedGraphInput<VD, ED> {
  readonly vertices: Dataset<[VertexId, VD]>;
  readonly edges: Dataset<Edge<ED>>;
  readonly weighted: boolean;
}

/** When PageRank stops: after `numIter` iterations, or once no rank changes more than `tol`. */
export type Until = { readonly numIter: number } | { readonly tol: number };

/** PageRank's answer: GraphX's rank graph's parts, and the datasets it keeps cached. */
export interface RankedGraph {
  readonly ranks: Dataset<[VertexId, number]>;
  readonly edges: Dataset<Edge<number>>;
  readonly cached: readonly AnyDataset[];
}

/**
 * GraphX's PageRank as iterative jobs: the out-edges grouped by source, joined to the vertices
 * once and cached (`links`); then one job per iteration: every vertex's rank shared among its
 * out-edges (by weight), summed by reduceByKey, reset (`resetProb + (1 - resetProb) * sum`),
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
 * - must keep only `links` and the last ranks cached, for the caller to unpersist.
 */
export async function pageRankOf<VD, ED>(
  graph: RankedGraphInput<VD, ED>,
  until: Until,
  resetProb: number,
): Promise<RankedGraph> {
  if (!(resetProb > 0 && resetProb < 1))
    throw new RangeError(`tabstream: resetProb must be in (0, 1), not ${resetProb}`);
  const context = graph.vertices.context;
  const n = context.defaultParallelism;
  const outs = graph.edges
    .map<[VertexId, [VertexId, number]]>(fn(TASK.outLink, { weighted: graph.weighted }))
    .aggregateByKey<VertexId, [VertexId, number], Adjacency>(
      NO_OUTS,
      fn(TASK.addOut),
      fn(TASK.mergeOuts),
      undefined,
      n,
    );
  const links = graph.vertices
    .cogroup(outs, n)
    .mapValues<VertexId, [VD[], Adjacency[]], Adjacency>(fn(TASK.adjacency))
    .setName('pageRank links')
    .cache();
  const numVertices = await links.count();
  let ranks = links.mapValues<VertexId, Adjacency, number>(fn(TASK.initialRank));
  let shift = 0;
  for (let iteration = 0; numVertices > 0; iteration++) {
    if ('numIter' in until && iteration >= until.numIter) break;
    const next = links
      .join(ranks)
      .mapPartitions<[VertexId, number]>(fn(TASK.contribute, { shift }))
      .reduceByKey<VertexId, number>(fn(TASK.sum), undefined, n)
      .mapValues<VertexId, number, number>(fn(TASK.resetRank, { resetProb }))
      .setName(`pageRank ranks ${iteration + 1}`)
      .cache();
    const [sum, lo, hi] = await next
      .join(ranks)
      .aggregate<RankStats>(NO_STATS, fn(TASK.rankStats), fn(TASK.mergeStats));
    if (ranks.storageLevel) await ranks.unpersist();
    ranks = next;
    const nextShift = (numVertices - sum) / numVertices;
    const moved = Math.max(Math.abs(hi + nextShift - shift), Math.abs(lo + nextShift - shift));
    shift = nextShift;
    if ('tol' in until && moved <= until.tol) break;
  }
  return {
    ranks: ranks.mapValues<VertexId, number, number>(fn(TASK.addToRank, { shift })),
    edges: links.flatMap<Edge<number>>(fn(TASK.rankEdges)),
    cached: [links, ranks],
  };
}
