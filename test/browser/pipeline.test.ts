import { expect } from 'chai';
import { init, type Tabstream } from '../../src/entries/index';
import { ensureTopic, openLog, Producer } from '../../src/log';
import { Pipeline } from '../../src/pipeline/pipeline';
import { StreamingContext } from '../../src/streaming';
import { TOPICS } from '../../src/tracker';
import { createWorker, tally, uniqueLog, until } from './helpers';
import { pageOwnLocalStorage } from './tracker-helpers';

const started: Tabstream[] = [];
function start(log: string): Tabstream {
  // The pages below differ by their query alone, and are reached by replaceState.
  const tabstream = init({
    log,
    createWorker,
    batchIntervalMs: 200,
    workers: 2,
    keepQuery: 'all',
    replaceState: 'url',
  });
  started.push(tabstream);
  return tabstream;
}

/** Clicks `n` links, each on its own page URL (history.pushState), and returns those URLs. */
function clickLinks(n: number): string[] {
  const link = document.createElement('a');
  link.href = 'https://elsewhere.example/';
  link.textContent = 'a link';
  link.addEventListener('click', (event) => event.preventDefault());
  document.body.append(link);
  const pages: string[] = [];
  for (let i = 0; i < n; i++) {
    history.replaceState(null, '', `?page=${i % 3}`);
    pages.push(location.href);
    link.click();
  }
  link.remove();
  return pages;
}

describe('the pipeline in one page', () => {
  const home = location.href;
  afterEach(async () => {
    history.replaceState(null, '', home);
    await Promise.all(started.splice(0).map((t) => t.close()));
  });

  it('counts every click per page URL once flushed, and tells subscribers', async () => {
    const tabstream = start(uniqueLog('pipeline'));
    const seen: Record<string, number>[] = [];
    tabstream.subscribe((counts) => seen.push({ ...counts }));
    await tabstream.ready;
    const pages = clickLinks(30);
    await tabstream.flush();
    expect(await tabstream.counts()).to.deep.equal(tally(pages));
    await until(() => seen.length > 0);
    expect(seen.at(-1)).to.deep.equal(tally(pages));
    expect(tabstream.isLeader).to.equal(true);
  });

  it('resumes after a reload: nothing lost, nothing counted twice', async () => {
    const log = uniqueLog('reload');
    const first = start(log);
    await first.ready;
    const before = clickLinks(12);
    await first.flush();
    const unflushed = clickLinks(7);
    // The page goes away: pagehide spills what is not yet in the log, and the producer's own
    // append may land too. The next page must count each click once.
    dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
    await first.close();
    const second = start(log);
    await second.ready;
    const after = clickLinks(5);
    await second.flush();
    expect(await second.counts()).to.deep.equal(tally([...before, ...unflushed, ...after]));
  });

  it('hands the streaming job to the next tab when the leader goes', async () => {
    const log = uniqueLog('leader');
    const leader = start(log);
    await leader.ready;
    await until(() => leader.isLeader);
    const follower = start(log);
    await follower.ready;
    expect(follower.isLeader).to.equal(false);
    await until(() => leader.tabs.length === 2); // each a live member of the site's tabs
    expect(follower.tabs).to.deep.equal(leader.tabs);
    const pages = clickLinks(20); // both instances capture these: 40 events
    await leader.flush();
    await follower.flush(); // a follower's flush asks the leader for a batch
    expect(await follower.counts()).to.deep.equal(tally([...pages, ...pages]));
    await leader.close();
    await until(() => follower.isLeader);
    await until(() => follower.tabs.length === 1);
    const more = clickLinks(4); // only the follower captures these
    await follower.flush();
    expect(await follower.counts()).to.deep.equal(tally([...pages, ...pages, ...more]));
  });

  it('has the flushed clicks in every view at once, in the leader and in a follower', async () => {
    // A batch interval of 10 minutes: every flush after the first runs a batch off the
    // interval's grid, just after the last one, as flush() does between the timer's batches.
    const log = uniqueLog('views');
    const options = { log, createWorker, workers: 1, keepQuery: 'all' as const };
    const leader = init({ ...options, batchIntervalMs: 600_000, replaceState: 'url' });
    started.push(leader);
    await leader.ready;
    await until(() => leader.isLeader);
    const follower = init({ ...options, batchIntervalMs: 600_000, replaceState: 'url' });
    started.push(follower);
    await follower.ready;
    const clicked: string[] = [];
    for (const [round, tab] of [leader, follower, leader, follower].entries()) {
      clicked.push(...clickLinks(3 + round)); // both tabs capture each click
      await (tab === leader ? follower : leader).flush(); // a flush is of its tab's events
      await tab.flush();
      const pages = tally([...clicked, ...clicked]);
      const targets = { 'https://elsewhere.example/': clicked.length * 2 };
      for (const window of ['all', '1m', '5m'] as const) {
        const view = `round ${round}, window ${window}`;
        expect(await tab.counts({ window }), `${view}, by page`).to.deep.equal(pages);
        expect(await tab.counts({ by: 'target', window }), `${view}, by target`).to.deep.equal(
          targets,
        );
      }
    }
  });

  it('counts in the last minute and 5 minutes only the clicks of them, after a reload, a recount and a new leader', async () => {
    // Clicks of an hour ago, in the log before the page loads (a tab that never counted
    // them, a checkpoint lost): read in the first batch, they are not "the last minute".
    const log = uniqueLog('backlog');
    const db = await openLog(log);
    await ensureTopic(db, { name: TOPICS.click, partitions: 4 });
    db.close();
    const appendOld = async (n: number) => {
      const producer = new Producer({ log });
      const hourAgo = Date.now() - 3_600_000;
      for (let i = 0; i < n; i++) {
        const click = { page: 'https://old.example/', target: null, ts: hourAgo + i };
        void producer.send(TOPICS.click, click, `old-tab-${i % 2}`, hourAgo + i);
      }
      await producer.close();
    };
    await appendOld(6);
    const old = { 'https://old.example/': 6 };
    const tabstream = start(log);
    await tabstream.ready;
    await until(() => tabstream.isLeader);
    const pages = clickLinks(5);
    await tabstream.flush();
    const recent = tally(pages);
    const views = async (tab = tabstream) => ({
      all: await tab.counts(),
      m1: await tab.counts({ window: '1m' }),
      m5: await tab.counts({ window: '5m' }),
    });
    expect(await views()).to.deep.equal({ all: { ...old, ...recent }, m1: recent, m5: recent });
    // The checkpoint is lost: the job counts the whole log again, old clicks still old.
    const checkpoint = tabstream.streaming!.checkpointId;
    await StreamingContext.deleteCheckpoint(log, checkpoint);
    const more = clickLinks(2);
    await tabstream.flush();
    const now = tally([...pages, ...more]);
    expect(await views()).to.deep.equal({ all: { ...old, ...now }, m1: now, m5: now });
    // The leader goes; old clicks arrive before another tab takes over (a page's spills).
    const next = start(log);
    await next.ready;
    await tabstream.close();
    await appendOld(6);
    await until(() => next.isLeader);
    const last = clickLinks(1);
    await next.flush();
    const latest = tally([...pages, ...more, ...last]);
    const twice = { 'https://old.example/': 12 };
    expect(await views(next)).to.deep.equal({
      all: { ...twice, ...latest },
      m1: latest,
      m5: latest,
    });
  });

  it('starts nothing after close(), even if closed before its idle start', async () => {
    const log = uniqueLog('closed');
    const tabstream = init({ log, createWorker, workers: 1, batchIntervalMs: 200 });
    await tabstream.close();
    // Idle callbacks run in the order asked (or as their equal timeouts pass): once this one
    // runs, the idle start asked for by init() has had its turn.
    await new Promise((resolve) => requestIdleCallback(resolve, { timeout: 2000 }));
    const { held = [] } = await navigator.locks.query();
    expect(held.map((lock) => lock.name).filter((name) => name?.includes(log))).to.deep.equal([]);
    expect(tabstream.streaming).to.equal(null);
  });

  it('joins the tabs once when the page is cached and shown again while the log opens', async () => {
    const log = uniqueLog('bfcache');
    const pipeline = new Pipeline({
      log,
      partitions: 1,
      batchIntervalMs: 200,
      workers: 1,
      createWorker,
      flushTimeoutMs: 5000,
    });
    pipeline.suspend(); // pagehide (persisted) while the log opens
    pipeline.resume(); // pageshow (persisted) before it is open
    await pipeline.ready;
    await until(() => pipeline.isLeader);
    const { held = [] } = await navigator.locks.query();
    const members = held.filter((lock) => lock.name?.includes(`member:${log}:tabs`));
    expect(members).to.have.length(1);
    await pipeline.close();
    const after = (await navigator.locks.query()).held ?? [];
    expect(after.filter((lock) => lock.name?.includes(log))).to.deep.equal([]);
  });

  it('drops the events waiting for the core when the visitor opts out before it loads', async () => {
    // The switch of this page alone: in the shared localStorage it would pause the trackers
    // that other test pages start meanwhile (they read it as they start), and they count nothing.
    const restoreStorage = pageOwnLocalStorage();
    const log = uniqueLog('optout');
    const tabstream = start(log);
    try {
      expect(tabstream.track('early', { n: 1 })).to.equal(true); // queued: the core is not loaded
      tabstream.optOut();
      await tabstream.ready;
      await tabstream.flush();
      const [events] = await tabstream.log.describe('events');
      expect(events!.partitions.reduce((sum, p) => sum + p.highWatermark, 0)).to.equal(0);
    } finally {
      tabstream.optIn();
      restoreStorage();
    }
  });
});
