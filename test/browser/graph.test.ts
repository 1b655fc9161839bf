// GraphX on the page views of a real log, on real executor workers: transitions, paths and
// PageRank, each checked against an answer worked out by hand or in plain JavaScript here, and
// PageRank against graphology-metrics' pagerank.
import { expect } from 'chai';
import { EngineContext, ExecutorPool } from '../../src/engine';
import { Graph, pageRanks, paths, transitionGraph, transitions, type Edge } from '../../src/graph';
import { ensureTopic, openLog, Producer } from '../../src/log';
import { createWorker, uniqueLog } from './helpers';

const T0 = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000;
const ORDERS = [{ pattern: '/orders/[^/]+$', replacement: '/orders/*' }];

/** Four sessions, by hand: [tabId, sessionId, first ts, pages]. t1 and t2 share session s1. */
const SESSIONS: [string, string, number, string[]][] = [
  ['t1', 's1', T0, ['/', '/pricing', '/orders/12', '/checkout']],
  ['t1', 's2', T0 + 10_000, ['/', '/docs', '/pricing', '/checkout']],
  ['t2', 's1', T0 + 20_000, ['/docs', '/', '/pricing', '/orders/7', '/pricing']],
  ['t3', 's3', T0 + 30_000, ['/blog']],
];

type View = {
  type: 'pageview';
  kind: 'load';
  page: string;
  ts: number;
  tabId: string;
  sessionId: string;
  pageviewId: string;
};

const viewsOf = (sessions: typeof SESSIONS): View[] =>
  sessions.flatMap(([tabId, sessionId, first, pages]) =>
    pages.map((page, i) => ({
      type: 'pageview' as const,
      kind: 'load' as const,
      page,
      ts: first + i * 1000,
      tabId,
      sessionId,
      pageviewId: `${tabId}-${sessionId}-${i}`,
    })),
  );

/** A log with `views` on topic `pageviews` (3 partitions, keyed by view: a session's views spread). */
async function logOf(views: readonly View[], topics = ['pageviews']): Promise<string> {
  const log = uniqueLog('graph');
  const db = await openLog(log);
  for (const name of topics) await ensureTopic(db, { name, partitions: 3 });
  db.close();
  const producer = new Producer({ log, batchSize: 7 });
  for (const view of views) void producer.send('pageviews', view, view.pageviewId, view.ts);
  await producer.close();
  return log;
}

/** Views written newest first, so that only sorting by ts puts a session in order. */
const HAND_VIEWS = viewsOf(SESSIONS).reverse();

let pool: ExecutorPool;
let context: EngineContext;

before(async () => {
  pool = await ExecutorPool.start({ size: 2, createWorker, taskTimeoutMs: 20000 });
  expect(pool.mode).to.equal('workers');
  context = new EngineContext({ log: await logOf(HAND_VIEWS), pool });
});

after(() => pool.terminate());

/**
 * graphology and graphology-metrics' pagerank, loaded as the CommonJS they are (Web Test Runner
 * serves node_modules as ES modules only): their files fetched and run with a small `require`.
 */
async function graphologyOracle() {
  const files: Record<string, string> = {
    graphology: 'graphology/dist/graphology.umd.min.js',
    pagerank: 'graphology-metrics/centrality/pagerank.js',
    'graphology-utils/is-graph': 'graphology-utils/is-graph.js',
    'graphology-utils/defaults': 'graphology-utils/defaults.js',
    'graphology-utils/getters': 'graphology-utils/getters.js',
    'graphology-indices/neighborhood': 'graphology-indices/neighborhood.js',
    'mnemonist/utils/typed-arrays': 'mnemonist/utils/typed-arrays.js',
  };
  const sources = new Map<string, string>();
  for (const [id, path] of Object.entries(files))
    sources.set(id, await (await fetch(`/node_modules/${path}`)).text());
  const loaded = new Map<string, unknown>();
  const require = (id: string): unknown => {
    if (!loaded.has(id)) {
      const module = { exports: {} as unknown };
      // eslint-disable-next-line @typescript-eslint/no-implied-eval
      const run = new Function('module', 'exports', 'require', sources.get(id)!) as (
        ...args: unknown[]
      ) => void;
      run(module, module.exports, require);
      loaded.set(id, module.exports);
    }
    return loaded.get(id);
  };
  type OracleGraph = { mergeNode(id: string): void; addEdge(a: string, b: string): void };
  const graphology = require('graphology') as { MultiDirectedGraph: new () => OracleGraph };
  const pagerank = require('pagerank') as (
    graph: OracleGraph,
    options: { alpha: number; tolerance: number; maxIterations: number },
  ) => Record<string, number>;
  /** Normalised PageRank of the multigraph of `edges` (each parallel edge its own). */
  return (edges: readonly Edge<unknown>[]): Record<string, number> => {
    const graph = new graphology.MultiDirectedGraph();
    for (const { srcId, dstId } of edges) {
      graph.mergeNode(srcId);
      graph.mergeNode(dstId);
      graph.addEdge(srcId, dstId);
    }
    return pagerank(graph, { alpha: 0.85, tolerance: 1e-13, maxIterations: 1000 });
  };
}

function expectRanks(actual: Map<string, number>, expected: Record<string, number>): void {
  expect([...actual.keys()].sort()).to.deep.equal(Object.keys(expected).sort());
  for (const [page, rank] of actual) expect(rank).to.be.closeTo(expected[page]!, 1e-6);
}

/** Seeded page views: 300 sessions in 40 tabs over 12 pages, 1 to 8 views each, Zipf-like. */
function generatedViews(): View[] {
  let seed = 2024;
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const pages = Array.from({ length: 12 }, (_, i) => `/p/${i}`);
  const page = () => pages[Math.min(11, Math.floor(1 / (random() + 0.08)))]!;
  const sessions: typeof SESSIONS = Array.from({ length: 300 }, (_, i) => [
    `tab${i % 40}`,
    `s${i % 70}`,
    T0 + Math.floor(random() * 600_000),
    Array.from({ length: 1 + Math.floor(random() * 8) }, page),
  ]);
  // Some sessions share (tab, session) ids: their views then interleave, as one session's.
  return viewsOf(sessions).sort(() => random() - 0.5);
}

/** Each session's pages in ts order (ties by page), in plain JavaScript. */
function plainPaths(views: readonly View[]): string[][] {
  const sessions = new Map<string, View[]>();
  for (const view of views) {
    const key = `${view.tabId} ${view.sessionId}`;
    sessions.set(key, [...(sessions.get(key) ?? []), view]);
  }
  return [...sessions.values()].map((session) =>
    session
      .sort((a, b) => a.ts - b.ts || (a.page < b.page ? -1 : a.page > b.page ? 1 : 0))
      .map((view) => view.page),
  );
}

/** The transitions of `views` in plain JavaScript, one edge per transition (parallel edges kept). */
function plainTransitions(views: readonly View[]): Edge<number>[] {
  return plainPaths(views).flatMap((path) =>
    path.slice(1).map((page, i) => ({ srcId: path[i]!, dstId: page, attr: 1 })),
  );
}

const edgeText = (edges: readonly Edge<number>[]) =>
  edges.map((e) => `${e.srcId} > ${e.dstId} ${e.attr}`).sort();

describe('transitions from the page views', () => {
  it('counts page → next page per session of a tab, in ts order, cleaned by the rules', async () => {
    const edges = await (await transitions(context, { clean: ORDERS })).collect();
    expect(edgeText(edges)).to.deep.equal(
      [
        '/ > /pricing 2',
        '/pricing > /orders/* 2',
        '/orders/* > /checkout 1',
        '/ > /docs 1',
        '/docs > /pricing 1',
        '/pricing > /checkout 1',
        '/docs > / 1',
        '/orders/* > /pricing 1',
      ].sort(),
    );
  });

  it('orders views of one millisecond as the tab appended them, not by page', async () => {
    const log = uniqueLog('graph-ties');
    const db = await openLog(log);
    await ensureTopic(db, { name: 'pageviews', partitions: 3 });
    db.close();
    const producer = new Producer({ log });
    // A router's navigations in one task: one ms, keyed by tab as the tracker keys them.
    for (const [i, page] of ['/z', '/b', '/y', '/a'].entries())
      void producer.send(
        'pageviews',
        { ...viewsOf([['t', 's', T0, [page]]])[0]!, pageviewId: `v${i}` },
        't',
        T0,
      );
    await producer.close();
    const tied = new EngineContext({ log, pool });
    const edges = await (await transitions(tied, {})).collect();
    expect(edgeText(edges)).to.deep.equal(['/z > /b 1', '/b > /y 1', '/y > /a 1'].sort());
  });

  it('keeps pages as they are without rules, and applies rules in order', async () => {
    const raw = edgeText(await (await transitions(context)).collect());
    expect(raw).to.include('/pricing > /orders/12 1');
    expect(raw).to.include('/orders/7 > /pricing 1');
    const chained = [...ORDERS, { pattern: '^/orders/\\*$', replacement: '/buy' }];
    const edges = edgeText(await (await transitions(context, { clean: chained })).collect());
    expect(edges).to.include('/pricing > /buy 2');
    expect(edges.join()).not.to.include('/orders');
  });

  it('rejects a rule that is not a RegExp, naming it', async () => {
    const bad = [{ pattern: '/orders/(', replacement: '' }];
    const error = await transitions(context, { clean: bad }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(SyntaxError);
    expect(String(error)).to.include('/orders/(');
  });

  it('reads only views since `since`', async () => {
    const edges = await (await transitions(context, { since: T0 + 20_000 })).collect();
    expect(edgeText(edges)).to.deep.equal(
      ['/docs > / 1', '/ > /pricing 1', '/pricing > /orders/7 1', '/orders/7 > /pricing 1'].sort(),
    );
  });

  it('gives the transition graph its pages (views) and weighted degrees', async () => {
    const graph = await transitionGraph(context, { clean: ORDERS });
    const views = new Map(await graph.vertices.collect());
    expect(views.get('/pricing')).to.equal(4);
    expect(views.get('/blog')).to.equal(1);
    const inDegrees = new Map(await graph.inDegrees().collect());
    const outDegrees = new Map(await graph.outDegrees().collect());
    expect(inDegrees.get('/pricing')).to.equal(4); // from /, /docs, /orders/*
    expect(outDegrees.get('/pricing')).to.equal(3);
    expect(inDegrees.has('/blog') || outDegrees.has('/blog')).to.equal(false);
    await graph.unpersist();
  });
});

describe('paths (a Sankey`s data)', () => {
  it('follows every session from its first view of start, every step', async () => {
    const answer = await paths(context, { start: '/', clean: ORDERS });
    expect(answer.sessions).to.equal(3);
    expect(answer.nodes).to.deep.equal([
      { step: 0, page: '/', count: 3, dropOff: 0 },
      { step: 1, page: '/pricing', count: 2, dropOff: 0 },
      { step: 1, page: '/docs', count: 1, dropOff: 0 },
      { step: 2, page: '/orders/*', count: 2, dropOff: 0 },
      { step: 2, page: '/pricing', count: 1, dropOff: 0 },
      { step: 3, page: '/checkout', count: 2, dropOff: 2 },
      { step: 3, page: '/pricing', count: 1, dropOff: 1 },
    ]);
    expect(answer.links).to.deep.equal([
      { step: 0, source: '/', target: '/pricing', count: 2 },
      { step: 0, source: '/', target: '/docs', count: 1 },
      { step: 1, source: '/pricing', target: '/orders/*', count: 2 },
      { step: 1, source: '/docs', target: '/pricing', count: 1 },
      { step: 2, source: '/orders/*', target: '/checkout', count: 1 },
      { step: 2, source: '/orders/*', target: '/pricing', count: 1 },
      { step: 2, source: '/pricing', target: '/checkout', count: 1 },
    ]);
  });

  it('walks back from each session`s last view of end (step 0 = end)', async () => {
    const answer = await paths(context, { end: '/checkout', clean: ORDERS });
    expect(answer).to.deep.include({ start: null, end: '/checkout', sessions: 2 });
    expect(answer.nodes).to.deep.equal([
      { step: 0, page: '/checkout', count: 2, dropOff: 0 },
      { step: 1, page: '/orders/*', count: 1, dropOff: 0 },
      { step: 1, page: '/pricing', count: 1, dropOff: 0 },
      { step: 2, page: '/docs', count: 1, dropOff: 0 },
      { step: 2, page: '/pricing', count: 1, dropOff: 0 },
      { step: 3, page: '/', count: 2, dropOff: 2 },
    ]);
    expect(answer.links.map((l) => `${l.step} ${l.source} > ${l.target} ${l.count}`)).to.deep.equal(
      [
        '0 /checkout > /orders/* 1',
        '0 /checkout > /pricing 1',
        '1 /orders/* > /pricing 1',
        '1 /pricing > /docs 1',
        '2 /docs > / 1',
        '2 /pricing > / 1',
      ],
    );
  });

  it('prunes links under minCount and the nodes only they reach', async () => {
    const answer = await paths(context, { start: '/', clean: ORDERS, minCount: 2 });
    expect(answer.links).to.deep.equal([
      { step: 0, source: '/', target: '/pricing', count: 2 },
      { step: 1, source: '/pricing', target: '/orders/*', count: 2 },
    ]);
    expect(answer.nodes.map((n) => `${n.step} ${n.page} ${n.count}`)).to.deep.equal([
      '0 / 3',
      '1 /pricing 2',
      '2 /orders/* 2',
    ]);
  });

  it('starts every session at its first page without start or end', async () => {
    const answer = await paths(context, {});
    expect(answer.sessions).to.equal(4);
    expect(answer.nodes.filter((n) => n.step === 0)).to.deep.equal([
      { step: 0, page: '/', count: 2, dropOff: 0 },
      { step: 0, page: '/blog', count: 1, dropOff: 1 },
      { step: 0, page: '/docs', count: 1, dropOff: 0 },
    ]);
    expect(Math.max(...answer.nodes.map((n) => n.step))).to.equal(4);
  });
});

describe('PageRank on real workers, against graphology-metrics', () => {
  let oracle: (edges: readonly Edge<unknown>[]) => Record<string, number>;
  let views: View[];
  let generated: EngineContext;
  before(async () => {
    oracle = await graphologyOracle();
    views = generatedViews();
    generated = new EngineContext({ log: await logOf(views), pool });
  });

  it('finds the generated log`s transitions, as counted in plain JavaScript', async () => {
    const counts = new Map<string, number>();
    for (const { srcId, dstId } of plainTransitions(views)) {
      const key = `${srcId} > ${dstId}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const expected = [...counts].map(([key, n]) => `${key} ${n}`).sort();
    expect(edgeText(await (await transitions(generated)).collect())).to.deep.equal(expected);
  });

  it('counts the generated log`s paths from a start as plain JavaScript does', async () => {
    const nodes = new Map<string, number>();
    const links = new Map<string, number>();
    let sessions = 0;
    for (const path of plainPaths(views)) {
      const from = path.indexOf('/p/1');
      if (from < 0) continue;
      sessions++;
      path.slice(from).forEach((page, step, walked) => {
        const node = `${step} ${page}`;
        nodes.set(node, (nodes.get(node) ?? 0) + 1);
        if (step === walked.length - 1) return;
        const link = `${step} ${page} > ${walked[step + 1]}`;
        links.set(link, (links.get(link) ?? 0) + 1);
      });
    }
    expect(sessions).to.be.greaterThan(50);
    expect(Math.max(...[...nodes.keys()].map((node) => parseInt(node)))).to.be.greaterThan(4);
    const answer = await paths(generated, { start: '/p/1' });
    expect(answer.sessions).to.equal(sessions);
    const counted = (map: Map<string, number>) => [...map].map(([k, n]) => `${k} ${n}`).sort();
    expect(answer.nodes.map((n) => `${n.step} ${n.page} ${n.count}`).sort()).to.deep.equal(
      counted(nodes),
    );
    expect(
      answer.links.map((l) => `${l.step} ${l.source} > ${l.target} ${l.count}`).sort(),
    ).to.deep.equal(counted(links));
  });

  it('ranks the pages as graphology does, highest first, with weighted degrees', async () => {
    const edges = plainTransitions(views);
    const rows = await pageRanks(generated, { tol: 1e-9 });
    const expected = oracle(edges);
    expectRanks(new Map(rows.map((row) => [row.page, row.rank])), expected);
    expect(rows.map((row) => row.rank)).to.deep.equal(
      rows.map((row) => row.rank).sort((a, b) => b - a),
    );
    const into = edges.filter((e) => e.dstId === rows[0]!.page).length;
    const out = edges.filter((e) => e.srcId === rows[0]!.page).length;
    expect(rows[0]).to.include({ inDegree: into, outDegree: out });
  });

  it('agrees statically, on a graph of parallel edges, cycles and dangling pages', async () => {
    const edges = plainTransitions(views);
    edges.push(
      { srcId: '/p/0', dstId: '/nowhere', attr: 1 },
      { srcId: '/p/0', dstId: '/nowhere', attr: 1 },
    );
    const graph = Graph.fromEdges(context.parallelize(edges, 4), 0).cache();
    const ranked = await graph.staticPageRank(120);
    const ranks = await ranked.vertices.collect();
    expectRanks(new Map(ranks.map(([page, rank]) => [page, rank / ranks.length])), oracle(edges));
    await Promise.all([ranked.unpersist(), graph.unpersist()]);
  });

  it('ranks a hub with 150,000 parallel out-edges (GraphX`s multigraph, not collapsed)', async () => {
    const edges: Edge<number>[] = Array.from({ length: 150_000 }, (_, i) => ({
      srcId: 'hub',
      dstId: `/p/${i % 3}`,
      attr: 1,
    }));
    edges.push({ srcId: '/p/0', dstId: 'hub', attr: 1 }, { srcId: '/p/1', dstId: '/p/2', attr: 1 });
    const ranked = await Graph.fromEdges(context.parallelize(edges, 2), 0).staticPageRank(120);
    const ranks = await ranked.vertices.collect();
    expectRanks(new Map(ranks.map(([page, rank]) => [page, rank / ranks.length])), oracle(edges));
    await ranked.unpersist();
  });

  it('iterates as one job of one stage each: a task per executor, no shuffle', async () => {
    const edges = plainTransitions(views);
    const graph = Graph.fromEdges(context.parallelize(edges, 4), 0).cache();
    await Promise.all([graph.edges.count(), graph.vertices.count()]);
    const last = Math.max(-1, ...context.status.jobs().map((job) => job.jobId));
    const ranked = await graph.staticPageRank(5);
    const jobs = context.status.jobs().filter((job) => job.jobId > last);
    const stages = new Map(context.status.stages().map((stage) => [stage.stageId, stage]));
    // the ids collected, the out-weights summed (links cached), then one job per iteration
    expect(jobs).to.have.length(2 + 5);
    for (const job of jobs.slice(1)) {
      expect(job.stageIds).to.have.length(1);
      expect(stages.get(job.stageIds[0]!)).to.include({ kind: 'result', numTasks: 2 });
    }
    const ranks = await ranked.vertices.collect();
    expect(ranks.reduce((sum, [, rank]) => sum + rank, 0)).to.be.closeTo(ranks.length, 1e-9);
    await Promise.all([ranked.unpersist(), graph.unpersist()]);
  });

  it('counts degrees as GraphX does: each edge once, a self-loop twice in degrees', async () => {
    const edges = [
      { srcId: 'a', dstId: 'b', attr: 'x' },
      { srcId: 'a', dstId: 'b', attr: 'y' },
      { srcId: 'b', dstId: 'b', attr: 'z' },
      { srcId: 'c', dstId: 'a', attr: 'w' },
    ];
    const graph = Graph.fromEdges(context.parallelize(edges, 2), 'page');
    const sorted = async (d: ReturnType<typeof graph.degrees>) => (await d.collect()).sort();
    expect(await sorted(graph.inDegrees())).to.deep.equal([
      ['a', 1],
      ['b', 3],
    ]);
    expect(await sorted(graph.outDegrees())).to.deep.equal([
      ['a', 2],
      ['b', 1],
      ['c', 1],
    ]);
    expect(await sorted(graph.degrees())).to.deep.equal([
      ['a', 3],
      ['b', 4],
      ['c', 1],
    ]);
    expect(await graph.numVertices()).to.equal(3);
  });
});

describe('an empty log', () => {
  it('answers empty for an absent topic and for a topic with no views', async () => {
    for (const topics of [[], ['pageviews']]) {
      const empty = new EngineContext({ log: await logOf([], topics), pool });
      expect(await (await transitions(empty)).collect()).to.deep.equal([]);
      expect(await paths(empty, { start: '/' })).to.deep.equal({
        start: '/',
        end: null,
        sessions: 0,
        nodes: [],
        links: [],
      });
      expect(await pageRanks(empty, {})).to.deep.equal([]);
    }
  });
});
