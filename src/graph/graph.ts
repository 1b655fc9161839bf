import { Broadcast, fn, type AnyDataset, type Dataset } from '../engine';
import { pageRankOf, type RankedGraph, type Until } from './pagerank';
import { TASK } from './tasks';
import type { Edge, VertexId } from './types';

export interface GraphOptions {
  /**
   * Each edge's attr is a count: the edge stands for that many parallel edges (GraphX's
   * multigraph, collapsed), and degrees and PageRank count it that many times. Default false:
   * every edge counts once, whatever its attr.
   */
  readonly weighted?: boolean;
  /**
   * What this graph keeps in the executors for its own parts, dropped by `unpersist`: cached
   * datasets, and broadcasts (destroyed).
   */
  readonly cached?: readonly (AnyDataset | Broadcast<unknown>)[];
}

/**
 * GraphX's `Graph`: a property graph as two datasets, `vertices` (`[id, attr]`) and `edges`
 * (`{ srcId, dstId, attr }`), both lazily computed on the executors. Every edge's ends must be
 * vertices (`fromEdges` makes them so).
 */
export class Graph<VD, ED> {
  readonly weighted: boolean;
  private readonly cached: readonly (AnyDataset | Broadcast<unknown>)[];

  constructor(
    readonly vertices: Dataset<[VertexId, VD]>,
    readonly edges: Dataset<Edge<ED>>,
    options: GraphOptions = {},
  ) {
    this.weighted = options.weighted ?? false;
    this.cached = options.cached ?? [];
  }

  /** GraphX's `Graph.fromEdges`: the vertices are the edges' ends, each with `defaultValue`. */
  static fromEdges<VD, ED>(
    edges: Dataset<Edge<ED>>,
    defaultValue: VD,
    options: Pick<GraphOptions, 'weighted'> = {},
  ): Graph<VD, ED> {
    const vertices = edges
      .flatMap<[VertexId, VD]>(fn(TASK.edgeEnds, { value: defaultValue }))
      .reduceByKey<VertexId, VD>(fn(TASK.first));
    return new Graph(vertices, edges, options);
  }

  /** Each vertex with an in-edge, and how many it has (GraphX's: degree-0 vertices left out). */
  inDegrees(): Dataset<[VertexId, number]> {
    return this.edges
      .map<[VertexId, number]>(fn(TASK.inEdge, { weighted: this.weighted }))
      .reduceByKey<VertexId, number>(fn(TASK.sum))
      .setName('inDegrees');
  }

  /** Each vertex with an out-edge, and how many it has. */
  outDegrees(): Dataset<[VertexId, number]> {
    return this.edges
      .map<[VertexId, number]>(fn(TASK.outEdge, { weighted: this.weighted }))
      .reduceByKey<VertexId, number>(fn(TASK.sum))
      .setName('outDegrees');
  }

  /** Each vertex with an edge, and how many edges touch it (a self-loop twice). */
  degrees(): Dataset<[VertexId, number]> {
    return this.edges
      .flatMap<[VertexId, number]>(fn(TASK.bothEdges, { weighted: this.weighted }))
      .reduceByKey<VertexId, number>(fn(TASK.sum))
      .setName('degrees');
  }

  /** GraphX's `numVertices`. */
  numVertices(): Promise<number> {
    return this.vertices.count();
  }

  /** Keeps both datasets in the executors' memory (GraphX's `cache`). */
  cache(): this {
    this.vertices.cache();
    this.edges.cache();
    return this;
  }

  /** Drops both datasets, and what this graph holds for them, from the executors. */
  async unpersist(): Promise<this> {
    await Promise.all(
      [this.vertices, this.edges, ...this.cached].map((held) =>
        held instanceof Broadcast ? held.destroy() : held.unpersist(),
      ),
    );
    return this;
  }

  /**
   * GraphX's `pageRank(tol)`: iterates until no vertex's rank changes more than `tol` (ranks
   * sum to the number of vertices). See `pageRankOf` for the jobs and the dangling vertices.
   * - must resolve with every vertex's rank and the edges with attr weight / out-degree;
   * - the result keeps its links cached, and the ids' and out-weights' broadcasts, until its
   *   `unpersist()`.
   */
  async pageRank(tol: number, resetProb = 0.15): Promise<Graph<number, number>> {
    if (!(tol > 0)) throw new RangeError(`tabstream: pageRank's tol must be > 0, not ${tol}`);
    return this.ranked({ tol }, resetProb);
  }

  /** GraphX's `staticPageRank(numIter)`: exactly `numIter` iterations, one job each. */
  async staticPageRank(numIter: number, resetProb = 0.15): Promise<Graph<number, number>> {
    if (!(Number.isInteger(numIter) && numIter >= 0))
      throw new RangeError(`tabstream: numIter must be a whole number >= 0, not ${numIter}`);
    return this.ranked({ numIter }, resetProb);
  }

  private async ranked(until: Until, resetProb: number): Promise<Graph<number, number>> {
    const { ranks, edges, cached }: RankedGraph = await pageRankOf(this, until, resetProb);
    return new Graph(ranks, edges, { cached });
  }
}
