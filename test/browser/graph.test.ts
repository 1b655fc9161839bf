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

interface View {
  type: 'pageview';
  kind: 'load';
  page: string;
  ts: number;
  tabId: string;
  sessionId: string;
  pageviewId: string;
}

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
