// GraphX's PageRank on tabstream's engine (local mode: the same jobs, on this thread) against
// graphology-metrics' pagerank on the same graphs: dangling vertices, cycles, self-loops and
// parallel edges, unweighted and weighted.
import { MultiDirectedGraph } from 'graphology';
import pagerank from 'graphology-metrics/centrality/pagerank';
import { describe, expect, it } from 'vitest';
import { EngineContext, ExecutorPool } from '../../src/engine';
import { Graph, type Edge } from '../../src/graph';
import { freshLog } from './helpers';

async function localContext(): Promise<EngineContext> {
  const db = await freshLog('pageviews', 1);
  db.close();
  return new EngineContext({
    log: db.name,
    pool: await ExecutorPool.start({ createWorker: null }),
  });
}

/** A seeded graph: `n` vertices, 0–4 out-edges each (repeats and self-loops allowed), a cycle. */
function randomEdges(n: number, seed: number): Edge<number>[] {
  let s = seed;
  const random = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const edges: Edge<number>[] = [];
  const edge = (a: number, b: number) => edges.push({ srcId: `v${a}`, dstId: `v${b}`, attr: 1 });
  for (let v = 0; v < n; v++) {
    const out = Math.floor(random() * 5);
    for (let e = 0; e < out; e++) edge(v, Math.floor(random() * n));
  }
  edge(0, 1);
  edge(1, 2);
  edge(2, 0);
  return edges;
}

/** graphology's multigraph of the same edges (each parallel edge its own), every end a node. */
function oracleGraph(edges: readonly Edge<number>[], weighted = false): MultiDirectedGraph {
  const graph = new MultiDirectedGraph();
  for (const { srcId, dstId, attr } of edges) {
    graph.mergeNode(srcId);
    graph.mergeNode(dstId);
    graph.addEdge(srcId, dstId, weighted ? { weight: attr } : {});
  }
  return graph;
}

const converged = (graph: MultiDirectedGraph, weighted = false) =>
  pagerank(graph, {
    alpha: 0.85,
    tolerance: 1e-13,
    maxIterations: 1000,
    getEdgeWeight: weighted ? 'weight' : null,
  });

/** Tabstream's ranks divided by their count: graphology's scale (they sum to 1). */
async function normalised(ranked: Graph<number, number>): Promise<Map<string, number>> {
  const ranks = await ranked.vertices.collect();
  return new Map(ranks.map(([page, rank]) => [page, rank / ranks.length]));
}

function expectClose(actual: Map<string, number>, expected: Record<string, number>): void {
  expect([...actual.keys()].sort()).toEqual(Object.keys(expected).sort());
  for (const [page, rank] of actual) expect(Math.abs(rank - expected[page]!)).toBeLessThan(1e-6);
}

describe('Graph.pageRank against graphology-metrics', () => {
  it('has dangling vertices, self-loops and parallel edges in the graphs it is checked on', () => {
    const edges = randomEdges(60, 7);
    const sources = new Set(edges.map((e) => e.srcId));
    const keys = edges.map((e) => `${e.srcId} ${e.dstId}`);
    expect(edges.some((e) => !sources.has(e.dstId))).toBe(true);
    expect(edges.some((e) => e.srcId === e.dstId)).toBe(true);
    expect(new Set(keys).size).toBeLessThan(keys.length);
  });

  for (const seed of [7, 11, 23])
    it(`agrees within 1e-6, to tolerance and statically (graph ${seed})`, async () => {
      const context = await localContext();
      const edges = randomEdges(60, seed);
      const expected = converged(oracleGraph(edges));
      const graph = Graph.fromEdges(context.parallelize(edges, 3), 0).cache();
      const byTol = await graph.pageRank(1e-10);
      expectClose(await normalised(byTol), expected);
      const byIterations = await graph.staticPageRank(150);
      expectClose(await normalised(byIterations), expected);
      const sum = [...(await normalised(byIterations)).values()].reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(1, 9);
    });

  it('weighs a collapsed edge as that many parallel edges', async () => {
    const context = await localContext();
    const edges = randomEdges(40, 5);
    const counts = new Map<string, Edge<number>>();
    for (const { srcId, dstId } of edges) {
      const key = `${srcId} ${dstId}`;
      const attr = (counts.get(key)?.attr ?? 0) + 1;
      counts.set(key, { srcId, dstId, attr });
    }
    const collapsed = [...counts.values()];
    expect(collapsed.length).toBeLessThan(edges.length);
    const graph = Graph.fromEdges(context.parallelize(collapsed, 2), 0, { weighted: true });
    const ranked = await graph.pageRank(1e-10);
    expectClose(await normalised(ranked), converged(oracleGraph(collapsed, true), true));
    expectClose(await normalised(ranked), converged(oracleGraph(edges)));
  });

  it('runs exactly numIter iterations, spreading a dangling vertex`s rank (by hand)', async () => {
    const context = await localContext();
    const graph = Graph.fromEdges(context.parallelize([{ srcId: 'a', dstId: 'b', attr: 1 }]), 0);
    // One iteration from ranks 1, 1: b is dangling, its rank spread over a and b (1/2 each).
    const once = new Map(await (await graph.staticPageRank(1)).vertices.collect());
    expect(once.get('a')).toBeCloseTo(0.15 + 0.85 * 0.5, 12);
    expect(once.get('b')).toBeCloseTo(0.15 + 0.85 * (1 + 0.5), 12);
    const none = new Map(await (await graph.staticPageRank(0)).vertices.collect());
    expect(none).toEqual(
      new Map([
        ['a', 1],
        ['b', 1],
      ]),
    );
  });

  it('fails naming an edge end that is not a vertex', async () => {
    const context = await localContext();
    const vertices = context.parallelize<[string, number]>([['a', 0]]);
    const edges = context.parallelize([{ srcId: 'a', dstId: 'b', attr: 1 }]);
    const error = await new Graph(vertices, edges).staticPageRank(1).catch((e: unknown) => e);
    expect(String(error)).toContain('edge end "b" is not a vertex');
  });

  it('returns GraphX`s rank graph: edges with attr 1 / out-degree', async () => {
    const context = await localContext();
    const edges = [
      { srcId: 'a', dstId: 'b', attr: 'x' },
      { srcId: 'a', dstId: 'c', attr: 'y' },
      { srcId: 'a', dstId: 'c', attr: 'z' },
      { srcId: 'c', dstId: 'a', attr: 'w' },
    ];
    const ranked = await Graph.fromEdges(context.parallelize(edges), null).staticPageRank(3);
    const out = (await ranked.edges.collect()).map((e) => `${e.srcId}>${e.dstId} ${e.attr}`);
    expect(out.sort()).toEqual([
      'a>b 0.3333333333333333',
      'a>c 0.3333333333333333',
      'a>c 0.3333333333333333',
      'c>a 1',
    ]);
    await ranked.unpersist();
  });

  it('returns a weighted graph`s rank graph: edges with attr weight / out-weight', async () => {
    const context = await localContext();
    const edges = [
      { srcId: 'a', dstId: 'b', attr: 1 },
      { srcId: 'a', dstId: 'c', attr: 3 },
      { srcId: 'c', dstId: 'a', attr: 2 },
    ];
    const graph = Graph.fromEdges(context.parallelize(edges, 2), 0, { weighted: true });
    const ranked = await graph.staticPageRank(3);
    const out = (await ranked.edges.collect()).map((e) => `${e.srcId}>${e.dstId} ${e.attr}`);
    expect(out.sort()).toEqual(['a>b 0.25', 'a>c 0.75', 'c>a 1']);
    await ranked.unpersist();
  });
});
