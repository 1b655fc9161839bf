import { defineFn } from '../engine';
import { cleaner } from './clean';
import { pathSteps, type PathEnds } from './path-steps';
import type { Edge, PathRule, VertexId } from './types';

/**
 * The functions GraphX's jobs run in the executors, by name (the engine's `fn(name, params)`):
 * params are data, compiled once per task where they need it, so every job crosses to workers
 * under any Content-Security-Policy. Every executor and the page load this module.
 */
export const TASK = {
  edgeEnds: 'tabstream.graph.edge-ends',
  first: 'tabstream.graph.first',
  sum: 'tabstream.graph.sum',
  sumPair: 'tabstream.graph.sum-pair',
  inEdge: 'tabstream.graph.in-edge',
  outEdge: 'tabstream.graph.out-edge',
  outLink: 'tabstream.graph.out-link',
  bothEdges: 'tabstream.graph.both-edges',
  edgeDegrees: 'tabstream.graph.edge-degrees',
  addOut: 'tabstream.graph.add-out',
  mergeOuts: 'tabstream.graph.merge-outs',
  adjacency: 'tabstream.graph.adjacency',
  initialRank: 'tabstream.graph.initial-rank',
  contribute: 'tabstream.graph.contribute',
  resetRank: 'tabstream.graph.reset-rank',
  rankStats: 'tabstream.graph.rank-stats',
  mergeStats: 'tabstream.graph.merge-stats',
  addToRank: 'tabstream.graph.add-to-rank',
  rankEdges: 'tabstream.graph.rank-edges',
  rankRow: 'tabstream.graph.rank-row',
  sessionView: 'tabstream.graph.session-view',
  sessionPath: 'tabstream.graph.session-path',
  pathTransitions: 'tabstream.graph.path-transitions',
  toEdge: 'tabstream.graph.to-edge',
  pageViews: 'tabstream.graph.page-views',
  pathSteps: 'tabstream.graph.path-steps',
} as const;

/** A vertex's out-edges, as PageRank's cached links hold them. */
export interface Adjacency {
  readonly dst: readonly VertexId[];
  readonly weight: readonly number[];
  /** The sum of `weight`: the out-degree, each edge counted as many times as it weighs. */
  readonly total: number;
}

/** In a weighted graph an edge's attr is how many parallel edges it stands for; else 1. */
type Weighing = { readonly weighted: boolean };
const weightOf = (edge: Edge<unknown>, p: Weighing): number =>
  p.weighted ? (edge.attr as number) : 1;

defineFn(TASK.edgeEnds, (edge, p) => {
  const { srcId, dstId } = edge as Edge<unknown>;
  const { value } = p as { value: unknown };
  return [
    [srcId, value],
    [dstId, value],
  ];
});
defineFn(TASK.first, (a) => a);
defineFn(TASK.sum, (a, b) => (a as number) + (b as number));
defineFn(TASK.sumPair, (a, b) => {
  const [x, y] = a as [number, number];
  const [u, v] = b as [number, number];
  return [x + u, y + v];
});

defineFn(TASK.inEdge, (edge, p) => [
  (edge as Edge<unknown>).dstId,
  weightOf(edge as Edge<unknown>, p as Weighing),
]);
defineFn(TASK.outEdge, (edge, p) => [
  (edge as Edge<unknown>).srcId,
  weightOf(edge as Edge<unknown>, p as Weighing),
]);
defineFn(TASK.bothEdges, (edge, p) => {
  const { srcId, dstId } = edge as Edge<unknown>;
  const w = weightOf(edge as Edge<unknown>, p as Weighing);
  return [
    [srcId, w],
    [dstId, w],
  ];
});
/** `[vertex, [in, out]]` of both ends of an edge. */
defineFn(TASK.edgeDegrees, (edge, p) => {
  const { srcId, dstId } = edge as Edge<unknown>;
  const w = weightOf(edge as Edge<unknown>, p as Weighing);
  return [
    [srcId, [0, w]],
    [dstId, [w, 0]],
  ];
});

/** A vertex's out-edges so far, and one more `[dst, weight]` (aggregateByKey's seq). */
defineFn(TASK.addOut, (adjacency, out) => {
  const a = adjacency as { dst: VertexId[]; weight: number[]; total: number };
  const [dst, weight] = out as [VertexId, number];
  a.dst.push(dst);
  a.weight.push(weight);
  a.total += weight;
  return a;
});
/** Two partitions' out-edges of a vertex, as one (aggregateByKey's comb); no spread: a hub has many. */
defineFn(TASK.mergeOuts, (a, b) => {
  const into = a as { dst: VertexId[]; weight: number[]; total: number };
  const from = b as Adjacency;
  for (let i = 0; i < from.dst.length; i++) {
    into.dst.push(from.dst[i]!);
    into.weight.push(from.weight[i]!);
  }
  into.total += from.total;
  return into;
});
/** A cogrouped `[vertex attrs, its Adjacency (or none: no out-edge)]` → its Adjacency. */
defineFn(TASK.adjacency, (grouped) => {
  const [, outs] = grouped as [unknown[], Adjacency[]];
  return outs[0] ?? NO_OUTS;
});
export const NO_OUTS: Adjacency = { dst: [], weight: [], total: 0 };
defineFn(TASK.initialRank, () => 1);

/**
 * A partition of `[vertex, [links, rank']]` → each vertex itself (with 0, so that every vertex
 * has a rank next time) and each out-neighbour with its shares of the ranks, summed here
 * (combined map-side, as MLlib does, with no pair made per edge). The rank is
 * `rank' + shift`: see pagerank.ts for the dangling vertices' mass the shift carries.
 */
defineFn(TASK.contribute, (joined, p) => {
  const { shift } = p as { shift: number };
  const sums = new Map<VertexId, number>();
  for (const [vertex, [links, rankPrime]] of joined as [VertexId, [Adjacency, number]][]) {
    if (!sums.has(vertex)) sums.set(vertex, 0);
    const share = (rankPrime + shift) / links.total;
    for (let i = 0; i < links.dst.length; i++) {
      const dst = links.dst[i]!;
      sums.set(dst, (sums.get(dst) ?? 0) + share * links.weight[i]!);
    }
  }
  return sums;
});
defineFn(TASK.resetRank, (sum, p) => {
  const { resetProb } = p as { resetProb: number };
  return resetProb + (1 - resetProb) * (sum as number);
});

/** `[sum of rank', least and greatest change of rank']` over `[vertex, [rank', old rank']]`. */
export type RankStats = [number, number, number];
export const NO_STATS: RankStats = [0, Infinity, -Infinity];
defineFn(TASK.rankStats, (stats, joined) => {
  const [sum, lo, hi] = stats as RankStats;
  const [, [next, previous]] = joined as [VertexId, [number, number]];
  const change = next - previous;
  return [sum + next, Math.min(lo, change), Math.max(hi, change)];
});
defineFn(TASK.mergeStats, (a, b) => {
  const [s, lo, hi] = a as RankStats;
  const [t, lo2, hi2] = b as RankStats;
  return [s + t, Math.min(lo, lo2), Math.max(hi, hi2)];
});
defineFn(TASK.addToRank, (rank, p) => (rank as number) + (p as { shift: number }).shift);
/** GraphX's rank graph's edges: each out-edge with attr weight / out-degree. */
defineFn(TASK.rankEdges, (pair) => {
  const [srcId, links] = pair as [VertexId, Adjacency];
  return links.dst.map((dstId, i) => ({ srcId, dstId, attr: links.weight[i]! / links.total }));
});
/** `[page, [rank, [in, out] | null]]` → a PageRankRow, its rank divided by `total`. */
defineFn(TASK.rankRow, (joined, p) => {
  const [page, [rank, degrees]] = joined as [VertexId, [number, [number, number] | null]];
  const [inDegree, outDegree] = degrees ?? [0, 0];
  return { page, rank: rank / (p as { total: number }).total, inDegree, outDegree };
});

/** A page view's row `[tabId, sessionId, ts, page]` → `[[tab, session], [ts, page]]`, if whole. */
defineFn(TASK.sessionView, (row, p) => {
  const [tabId, sessionId, ts, page] = row as unknown[];
  const { since } = p as { since: number | null };
  if (typeof page !== 'string' || typeof ts !== 'number') return [];
  if (since !== null && ts < since) return [];
  return [
    [
      [tabId ?? null, sessionId ?? null],
      [ts, page],
    ],
  ];
});
/** A session `[key, views]` → its cleaned pages in time order (ties by page, so runs agree). */
defineFn(TASK.sessionPath, (session, p) => {
  const clean = cleaner((p as { clean: readonly PathRule[] }).clean);
  return (session as [unknown, [number, string][]])[1]
    .sort(([t, a], [u, b]) => t - u || (a < b ? -1 : a > b ? 1 : 0))
    .map(([, page]) => clean(page));
});
defineFn(TASK.pathTransitions, (path) => {
  const pages = path as VertexId[];
  const out: [[VertexId, VertexId], number][] = [];
  for (let i = 1; i < pages.length; i++) out.push([[pages[i - 1]!, pages[i]!], 1]);
  return out;
});
defineFn(TASK.toEdge, (pair) => {
  const [[srcId, dstId], attr] = pair as [[VertexId, VertexId], number];
  return { srcId, dstId, attr } satisfies Edge<number>;
});
defineFn(TASK.pageViews, (path) => (path as VertexId[]).map((page) => [page, 1]));
defineFn(TASK.pathSteps, (path, p) => pathSteps(path as VertexId[], p as PathEnds));
defineFn(TASK.outLink, (edge, p) => {
  const e = edge as Edge<unknown>;
  return [e.srcId, [e.dstId, weightOf(e, p as Weighing)]];
});
