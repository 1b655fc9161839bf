import { defineFn } from '../engine';
import type { Edge, VertexId } from './types';

/**
 * The functions of PageRank's jobs, by name. PageRank numbers the vertices once (0..N-1, from a
 * broadcast of their ids) and packs each partition of edges into one `Links` of typed arrays, so
 * an iteration's work per edge is arithmetic on typed arrays, and what crosses between the
 * driver and a task is one dense vector each way.
 */
export const RANK_TASK = {
  links: 'tabstream.graph.rank.links',
  outWeights: 'tabstream.graph.rank.out-weights',
  contribute: 'tabstream.graph.rank.contribute',
  addVectors: 'tabstream.graph.rank.add-vectors',
  edges: 'tabstream.graph.rank.edges',
} as const;

/** The vertices' ids, numbered by their place (a broadcast's value). */
export interface Numbering {
  readonly ids: { readonly value: readonly VertexId[] };
}

/** A partition's edges, cached: sources and targets by number, and weights. */
export interface Links {
  readonly src: Int32Array;
  readonly dst: Int32Array;
  readonly weight: Float64Array;
}

const numberings = new WeakMap<readonly VertexId[], Map<VertexId, number>>();

/** The vertices' numbers by id, built once per executor from the broadcast ids. */
function numbersOf(ids: readonly VertexId[]): (id: VertexId) => number {
  let index = numberings.get(ids);
  if (!index) numberings.set(ids, (index = new Map(ids.map((v, i) => [v, i]))));
  const numbers = index;
  return (id) => {
    const n = numbers.get(id);
    if (n === undefined)
      throw new Error(`tabstream: edge end "${id}" is not a vertex of the graph`);
    return n;
  };
}

/** A partition of edges → its one `Links`. */
defineFn(RANK_TASK.links, (edges, p) => {
  const { ids, weighted } = p as Numbering & { weighted: boolean };
  const list = edges as Edge<unknown>[];
  const numberOf = numbersOf(ids.value);
  const links: Links = {
    src: new Int32Array(list.length),
    dst: new Int32Array(list.length),
    weight: new Float64Array(list.length),
  };
  list.forEach(({ srcId, dstId, attr }, e) => {
    links.src[e] = numberOf(srcId);
    links.dst[e] = numberOf(dstId);
    links.weight[e] = weighted ? (attr as number) : 1;
  });
  return [links];
});

/** Seq of an aggregate from `Float64Array(N)`: each source's out-weight, summed. */
defineFn(RANK_TASK.outWeights, (total, links) => {
  const sums = total as Float64Array;
  const { src, weight } = links as Links;
  for (let e = 0; e < src.length; e++) sums[src[e]!]! += weight[e]!;
  return sums;
});

/**
 * Seq of an aggregate from `Float64Array(N)`: each target's contributions, given `perWeight`,
 * each source's rank over its out-weight (so an edge gives `perWeight[src] * weight`).
 */
defineFn(RANK_TASK.contribute, (total, links, p) => {
  const sums = total as Float64Array;
  const { src, dst, weight } = links as Links;
  const { perWeight } = p as { perWeight: Float64Array };
  for (let e = 0; e < src.length; e++) sums[dst[e]!]! += perWeight[src[e]!]! * weight[e]!;
  return sums;
});

/** Comb of both aggregates: two partitions' vectors, summed into the first. */
defineFn(RANK_TASK.addVectors, (a, b) => {
  const into = a as Float64Array;
  const from = b as Float64Array;
  for (let i = 0; i < into.length; i++) into[i]! += from[i]!;
  return into;
});

/** A partition's links → GraphX's rank graph's edges: attr weight / out-weight of the source. */
defineFn(RANK_TASK.edges, (links, p) => {
  const { src, dst, weight } = links as Links;
  const { ids, outWeights } = p as Numbering & { outWeights: { value: Float64Array } };
  return Array.from(src, (s, e) => ({
    srcId: ids.value[s]!,
    dstId: ids.value[dst[e]!]!,
    attr: weight[e]! / outWeights.value[s]!,
  }));
});
