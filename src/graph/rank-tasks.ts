import { defineFn } from '../engine';
import type { Edge, VertexId } from './types';

/**
 * The functions of PageRank's jobs, by name. PageRank numbers the vertices once (0..N-1, from a
 * broadcast of their ids) and cuts them into blocks of `size` consecutive numbers, GraphX's
 * vertex partitions: a block's ranks are one dense vector, and its source vertices' out-edges
 * one edge list, so an iteration's work per edge is arithmetic on typed arrays, and its shuffle
 * one vector of partial sums per block per partition.
 */
export const RANK_TASK = {
  edgeLists: 'tabstream.graph.rank.edge-lists',
  mergeEdges: 'tabstream.graph.rank.merge-edges',
  links: 'tabstream.graph.rank.links',
  initial: 'tabstream.graph.rank.initial',
  contribute: 'tabstream.graph.rank.contribute',
  sumVectors: 'tabstream.graph.rank.sum-vectors',
  reset: 'tabstream.graph.rank.reset',
  stats: 'tabstream.graph.rank.stats',
  mergeStats: 'tabstream.graph.rank.merge-stats',
  vertices: 'tabstream.graph.rank.vertices',
  edges: 'tabstream.graph.rank.edges',
} as const;

/** The vertices' numbering: their ids (a broadcast's value) and blocks of `size`. */
export interface Numbering {
  readonly ids: { readonly value: readonly VertexId[] };
  readonly size: number;
}

/** A block's out-edges as they are gathered: sources, targets, weights (plain: they shuffle as JSON). */
export interface EdgeList {
  readonly src: number[];
  readonly dst: number[];
  readonly weight: number[];
}

/** A block's out-edges, cached: each with its share of its source's rank (weight / out-degree). */
export interface Links {
  readonly src: Int32Array;
  readonly dst: Int32Array;
  readonly share: Float64Array;
}

/** `[sum of rank', least and greatest change of rank']`. */
export type RankStats = [number, number, number];
export const NO_STATS: RankStats = [0, Infinity, -Infinity];

const numbers = new WeakMap<readonly VertexId[], Map<VertexId, number>>();

/** Each vertex's number, built once per executor from the broadcast ids. */
function numberOf(ids: readonly VertexId[], id: VertexId): number {
  let index = numbers.get(ids);
  if (!index) numbers.set(ids, (index = new Map(ids.map((v, i) => [v, i]))));
  const n = index.get(id);
  if (n === undefined) throw new Error(`tabstream: edge end "${id}" is not a vertex of the graph`);
  return n;
}

/** A partition of edges → `[block, its edges here as an EdgeList]` per source block. */
defineFn(RANK_TASK.edgeLists, (edges, p) => {
  const { ids, size, weighted } = p as Numbering & { weighted: boolean };
  const lists = new Map<number, { src: number[]; dst: number[]; weight: number[] }>();
  for (const { srcId, dstId, attr } of edges as Edge<unknown>[]) {
    const src = numberOf(ids.value, srcId);
    const block = Math.floor(src / size);
    let list = lists.get(block);
    if (!list) lists.set(block, (list = { src: [], dst: [], weight: [] }));
    list.src.push(src);
    list.dst.push(numberOf(ids.value, dstId));
    list.weight.push(weighted ? (attr as number) : 1);
  }
  return lists;
});
/** Two partitions' edge lists of a block, as one; no spread: a block may hold millions. */
defineFn(RANK_TASK.mergeEdges, (a, b) => {
  const into = a as EdgeList;
  const from = b as EdgeList;
  for (let i = 0; i < from.src.length; i++) {
    into.src.push(from.src[i]!);
    into.dst.push(from.dst[i]!);
    into.weight.push(from.weight[i]!);
  }
  return into;
});
/** A block's edge list → its Links: each edge's share of its source's rank. */
defineFn(RANK_TASK.links, (list) => {
  const { src, dst, weight } = list as EdgeList;
  const total = new Map<number, number>();
  src.forEach((s, i) => total.set(s, (total.get(s) ?? 0) + weight[i]!));
  return {
    src: Int32Array.from(src),
    dst: Int32Array.from(dst),
    share: Float64Array.from(weight, (w, i) => w / total.get(src[i]!)!),
  } satisfies Links;
});

/** A block's number → its first ranks: 1 for each of its vertices. */
defineFn(RANK_TASK.initial, (block, p) => {
  const { size, count } = p as { size: number; count: number };
  return new Float64Array(Math.min(size, count - (block as number) * size)).fill(1);
});

/**
 * A partition of `[block, [links, rank' of the block]]` → for every block, the partition's
 * partial sums of contributions to its vertices (zeros included, so that every block has
 * ranks next time), combined here as MLlib combines map-side. A rank is `rank' + shift`: see
 * pagerank.ts for the dangling vertices' mass the shift carries.
 */
defineFn(RANK_TASK.contribute, (joined, p) => {
  const { shift, size, count } = p as { shift: number; size: number; count: number };
  const sums = new Float64Array(count);
  for (const [block, [links, ranks]] of joined as [number, [Links, Float64Array]][]) {
    const { src, dst, share } = links;
    const first = block * size;
    for (let e = 0; e < src.length; e++)
      sums[dst[e]!]! += (ranks[src[e]! - first]! + shift) * share[e]!;
  }
  const out: [number, number[]][] = [];
  for (let first = 0, block = 0; first < count; first += size, block++)
    out.push([block, Array.from(sums.subarray(first, Math.min(count, first + size)))]);
  return out;
});
defineFn(RANK_TASK.sumVectors, (a, b) => {
  const into = a as number[];
  (b as number[]).forEach((x, i) => (into[i]! += x));
  return into;
});
defineFn(RANK_TASK.reset, (sums, p) => {
  const { resetProb } = p as { resetProb: number };
  return Float64Array.from(sums as number[], (sum) => resetProb + (1 - resetProb) * sum);
});

/** Stats so far, and a block's `[rank', old rank']`. */
defineFn(RANK_TASK.stats, (stats, joined) => {
  let [sum, lo, hi] = stats as RankStats;
  const [, [next, previous]] = joined as [number, [Float64Array, Float64Array]];
  for (let i = 0; i < next.length; i++) {
    sum += next[i]!;
    const change = next[i]! - previous[i]!;
    if (change < lo) lo = change;
    if (change > hi) hi = change;
  }
  return [sum, lo, hi];
});
defineFn(RANK_TASK.mergeStats, (a, b) => {
  const [s, lo, hi] = a as RankStats;
  const [t, lo2, hi2] = b as RankStats;
  return [s + t, Math.min(lo, lo2), Math.max(hi, hi2)];
});

/** A block's ranks → `[id, rank' + shift]` per vertex. */
defineFn(RANK_TASK.vertices, (pair, p) => {
  const [block, ranks] = pair as [number, Float64Array];
  const { ids, size, shift } = p as Numbering & { shift: number };
  return Array.from(ranks, (rank, i) => [ids.value[block * size + i]!, rank + shift]);
});
/** A block's links → GraphX's rank graph's edges: attr weight / out-degree. */
defineFn(RANK_TASK.edges, (pair, p) => {
  const [, links] = pair as [number, Links];
  const { ids } = p as Numbering;
  return Array.from(links.src, (src, e) => ({
    srcId: ids.value[src]!,
    dstId: ids.value[links.dst[e]!]!,
    attr: links.share[e]!,
  }));
});
