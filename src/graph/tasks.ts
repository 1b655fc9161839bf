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
  vertexId: 'tabstream.graph.vertex-id',
  first: 'tabstream.graph.first',
  sum: 'tabstream.graph.sum',
  sumPair: 'tabstream.graph.sum-pair',
  inEdge: 'tabstream.graph.in-edge',
  outEdge: 'tabstream.graph.out-edge',
  bothEdges: 'tabstream.graph.both-edges',
  edgeDegrees: 'tabstream.graph.edge-degrees',
  rankRow: 'tabstream.graph.rank-row',
  sessionView: 'tabstream.graph.session-view',
  sessionPath: 'tabstream.graph.session-path',
  pathTransitions: 'tabstream.graph.path-transitions',
  toEdge: 'tabstream.graph.to-edge',
  pageViews: 'tabstream.graph.page-views',
  pathSteps: 'tabstream.graph.path-steps',
} as const;

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
defineFn(TASK.vertexId, (pair) => (pair as [VertexId, unknown])[0]);
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

/** `[page, [rank, [in, out] | null]]` → a PageRankRow, its rank divided by `total`. */
defineFn(TASK.rankRow, (joined, p) => {
  const [page, [rank, degrees]] = joined as [VertexId, [number, [number, number] | null]];
  const [inDegree, outDegree] = degrees ?? [0, 0];
  return { page, rank: rank / (p as { total: number }).total, inDegree, outDegree };
});

/**
 * A page view's row `[tabId, sessionId, ts, page, _partition, _offset]` →
 * `[[tab, session], [ts, page, partition, offset]]`, if whole.
 */
defineFn(TASK.sessionView, (row, p) => {
  const [tabId, sessionId, ts, page, partition, offset] = row as unknown[];
  const { since } = p as { since: number | null };
  if (typeof page !== 'string' || typeof ts !== 'number') return [];
  if (since !== null && ts < since) return [];
  return [
    [
      [tabId ?? null, sessionId ?? null],
      [ts, page, partition, offset],
    ],
  ];
});
/**
 * A session `[key, views]` → its cleaned pages in time order; views of one millisecond in the
 * order they were appended (a tab's views share its partition), so runs agree.
 */
defineFn(TASK.sessionPath, (session, p) => {
  const clean = cleaner((p as { clean: readonly PathRule[] }).clean);
  type View = [number, string, number, number];
  return (session as [unknown, View[]])[1]
    .sort(([t, , q, o], [u, , r, n]) => t - u || q - r || o - n)
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
