// Figure `pagerank` of suite `ml`: 20 iterations of GraphX's staticPageRank over the page
// transition graph of 1,000,000 page views (3,000 pages Zipf-like, sessions of 1 to 8 views in
// 20,000 tabs; short mode 20,000 views over 300 pages), on 2 executor workers, against
// graphology-metrics' pagerank on the same graph in this page's main thread.
// - The views are written as writeClickLog writes clicks (topic `clicks`, keyed by tab; the
//   page views' fields, and a click's that nothing here reads), and read with `topic: 'clicks'`.
// - tabstream: the transition graph is built from the log and cached before the clock starts;
//   timed is the whole `staticPageRank(20)` call: its preparation (the vertices numbered and
//   broadcast, the edges packed into cached links and their sources' out-weights summed: two
//   jobs), then 20 jobs, one per iteration; the ranks are collected after the clock.
// - graphology: a DirectedGraph of the same edges (weight = transitions, as tabstream's collapsed
//   parallel edges), built before the clock; timed is `pagerank(graph, { maxIterations: 20 })`,
//   its index of the graph included, with tolerance 0: it runs exactly 20 iterations, then
//   throws "failed to converge", which is caught. (A tolerance between its 19th and 20th
//   iterations' changes would not stop it there reliably: this graph converges within 20
//   iterations, and those changes are rounding noise, ~1e-17, that differs between the sides.)
// Every round, tabstream's ranks (divided by the number of pages) must agree within 1e-6 on
// every page with graphology's converged ranks (tolerance 1e-13, worked out before the rounds)
// before anything is emitted. Figures are medians of the rounds, sides alternating.
import { DirectedGraph } from 'graphology';
import pagerank from 'graphology-metrics/centrality/pagerank';
import { deleteDB } from 'idb';
import { EngineContext, ExecutorPool } from '../src/engine';
import { Graph, transitionGraph } from '../src/graph';
import { createExecutorWorker } from '../workers/index';
import { seededRandom, shopPages, writeClickLog, zipfSampler, type LeanClick } from './clicks';
import { collectGarbage, median, rounds, type Figure, type SuiteOptions } from './suites/figure';

const ITERATIONS = 20;
const RESET_PROB = 0.15;
const SIDES = ['tabstream', 'graphology'] as const;
const WORKERS = 2;
const PARTITIONS = 4;
const FULL = { views: 1_000_000, pages: 3000, tabs: 20_000, repetitions: 3 };
const SHORT = { views: 20_000, pages: 300, tabs: 400, repetitions: 1 };
const START = Date.UTC(2026, 11, 7, 9, 0, 0);

interface PageView extends LeanClick {
  readonly tabId: string;
}

/** Sessions of 1 to 8 views, each view's page drawn Zipf-like, a second apart. */
function pageViews(n: number, distinctPages: number, tabs: number): PageView[] {
  const random = seededRandom(11);
  const pages = shopPages(distinctPages);
  const page = zipfSampler(distinctPages, random);
  const tabIds = Array.from({ length: tabs }, (_, i) => `tab-${i}`);
  const views: PageView[] = [];
  for (let session = 0; views.length < n; session++) {
    const sessionId = `session-${session}`;
    const tabId = tabIds[session % tabs]!;
    const length = Math.min(n - views.length, 1 + Math.floor(random() * 8));
    for (let i = 0; i < length; i++)
      views.push({
        ts: START + session * 10_000 + i * 1000,
        page: pages[page()]!,
        target: null,
        sessionId,
        tabId,
      });
  }
  return views;
}

type Ranks = Map<string, number>;

/** A rank graph's ranks divided by their count: graphology's scale (they sum to 1). */
async function normalised(ranked: Graph<number, number>): Promise<Ranks> {
  const ranks = await ranked.vertices.collect();
  return new Map(ranks.map(([page, rank]) => [page, rank / ranks.length]));
}

/** graphology's pagerank of exactly ITERATIONS iterations, timed; its ranks are not kept. */
function graphologyIterations(oracle: DirectedGraph): void {
  try {
    pagerank(oracle, {
      alpha: 1 - RESET_PROB,
      maxIterations: ITERATIONS,
      tolerance: 0,
      getEdgeWeight: 'weight',
    });
  } catch (error) {
    if (!String(error).includes('failed to converge')) throw error;
    return;
  }
  throw new Error('pagerank: graphology converged with tolerance 0');
}

/** Throws unless the two rank vectors agree within 1e-6 on every page. */
function checkAgree(tabstream: Ranks, graphology: Record<string, number>): void {
  const pages = Object.keys(graphology);
  if (pages.length !== tabstream.size)
    throw new Error(
      `pagerank: tabstream ranked ${tabstream.size} pages, graphology ${pages.length}`,
    );
  for (const page of pages) {
    const gap = Math.abs(tabstream.get(page)! - graphology[page]!);
    if (!(gap <= 1e-6)) throw new Error(`pagerank: ${page}: ranks differ by ${gap}`);
  }
}

export async function pagerankFigures(
  emit: (figure: Figure) => void,
  options: SuiteOptions,
): Promise<void> {
  const size = options.short ? SHORT : FULL;
  const { from, to } = rounds(options, size.repetitions);
  const setupStart = performance.now();
  const log = `bench-pagerank-${Date.now()}`;
  const db = await writeClickLog(
    log,
    pageViews(size.views, size.pages, size.tabs),
    PARTITIONS,
    (view) => view.tabId,
  );
  db.close();
  const pool = await ExecutorPool.start({ size: WORKERS, createWorker: createExecutorWorker });
  const times = { tabstream: [] as number[], graphology: [] as number[] };
  try {
    if (pool.mode !== 'workers') throw new Error('executor workers did not start');
    const context = new EngineContext({ log, pool });
    const graph = (await transitionGraph(context, { topic: 'clicks' })).cache();
    const edges = await graph.edges.collect();
    const pages = await graph.numVertices();
    const oracle = new DirectedGraph();
    for (const [page] of await graph.vertices.collect()) oracle.addNode(page);
    for (const { srcId, dstId, attr } of edges) oracle.addEdge(srcId, dstId, { weight: attr });
    const converged = pagerank(oracle, {
      alpha: 1 - RESET_PROB,
      tolerance: 1e-13,
      maxIterations: 1000,
      getEdgeWeight: 'weight',
    });
    note(
      `${size.views} page views, ${pages} pages, ${edges.length} edges; setup ${((performance.now() - setupStart) / 1000).toFixed(1)} s`,
    );
    for (let r = from; r < to; r++) {
      for (const side of r % 2 ? SIDES.slice().reverse() : SIDES) {
        collectGarbage();
        const start = performance.now();
        if (side === 'tabstream') {
          const ranked = await graph.staticPageRank(ITERATIONS, RESET_PROB);
          const ms = performance.now() - start;
          checkAgree(await normalised(ranked), converged);
          await ranked.unpersist();
          if (r >= 0) times.tabstream.push(ms);
        } else {
          graphologyIterations(oracle);
          if (r >= 0) times.graphology.push(performance.now() - start);
        }
      }
    }
  } finally {
    await pool.terminate();
    await deleteDB(log);
  }
  const ours = median(times.tabstream);
  const theirs = median(times.graphology);
  emit({
    suite: 'ml',
    name: 'pagerank',
    value: Math.round(ours),
    unit: 'ms',
    baseline: 'graphology',
    baseline_value: Math.round(theirs * 10) / 10,
    ratio: Math.round((theirs / ours) * 100) / 100,
  });
}

/** A line for the log of the run (stderr), not a figure. */
function note(text: string): void {
  console.log(`BENCH-NOTE ${text}`);
}
