// `tabstream.heatmap({ live: true })` as the core builds it (heatmapApi over liveHeatmap) on
// real executor workers and a real log: the overlay follows new clicks, follows the tab's page
// views to another page, and whatever is taken off stops its stream and drops its checkpoint.
import { expect } from 'chai';
import { NodeStore } from '../../src/coord';
import { EngineContext, ExecutorPool } from '../../src/engine';
import { ensureTopic, openLog, Producer } from '../../src/log';
import { heatmap, liveHeatmap, type HeatmapOptions } from '../../src/ml';
import { defineElements, heatmapApi, shownHeatmap } from '../../src/ui';
import { createWorker, uniqueLog, until } from './helpers';

defineElements();

let pool: ExecutorPool;
let context: EngineContext;
let log: string;
let nodes: NodeStore;

before(async () => {
  pool = await ExecutorPool.start({ size: 2, createWorker, taskTimeoutMs: 20000 });
  log = uniqueLog('ml-live-api');
  const db = await openLog(log);
  await ensureTopic(db, { name: 'clicks', partitions: 2 });
  db.close();
  context = new EngineContext({ log, pool });
  nodes = await NodeStore.open(log);
});

after(async () => {
  nodes.close();
  await pool.terminate();
});

async function clickOn(page: string, x: number, n = 1): Promise<void> {
  const producer = new Producer({ log });
  for (let i = 0; i < n; i++)
    void producer.send(
      'clicks',
      { page, x, y: 100, vw: 1440, selector: '#b', ex: 0.5, ey: 0.5, rage: false, dead: false },
      'tab',
    );
  await producer.close();
}

/** Resolves once the live heatmaps' checkpoints are `ids` (their ids are random: `ids(now)` decides). */
async function checkpointsUntil(ids: (now: string[]) => boolean): Promise<string[]> {
  for (;;) {
    const now = await nodes.children('/streaming');
    if (ids(now)) return now;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const liveCheckpoints = async () => (await nodes.children('/streaming')).length;

describe('tabstream.heatmap({ live: true }) over liveHeatmap', () => {
  const pageViews = new Set<(page: string) => void>();
  const where = (options: HeatmapOptions) => ({ page: '/a', band: 'desktop' as const, ...options });
  const api = heatmapApi((options) => heatmap(context, where(options)), {
    live: (options, onUpdate) =>
      liveHeatmap(context, { ...where(options), batchIntervalMs: 100 }, onUpdate),
    onPageView: (listener) => {
      pageViews.add(listener);
      return () => pageViews.delete(listener);
    },
  });
  const navigate = (page: string) => pageViews.forEach((listener) => listener(page));

  afterEach(() => api.hide());

  it('follows new clicks, then the page navigated to, and stops on hide', async () => {
    await clickOn('/a', 100, 3);
    const first = await api({ live: true });
    expect(first.clicks).to.equal(3);
    await clickOn('/a', 900, 2);
    await until(() => shownHeatmap()?.clicks === 5);
    expect(shownHeatmap()!.clusters[0]!.x).to.be.greaterThan(first.clusters[0]!.x);
    const [a] = await checkpointsUntil((ids) => ids.length === 1);

    navigate('/a'); // the same page (a replaceState): nothing to follow
    expect(shownHeatmap()?.page).to.equal('/a');
    await clickOn('/b', 500);
    navigate('/b');
    expect(shownHeatmap()).to.equal(null); // the page left's heatmap is off at once
    await until(() => shownHeatmap()?.page === '/b');
    expect(shownHeatmap()!.clicks).to.equal(1);
    await clickOn('/b', 600);
    await until(() => shownHeatmap()?.clicks === 2);
    // /a's stream stopped: its checkpoint is gone, /b's alone is there.
    await checkpointsUntil((ids) => ids.length === 1 && ids[0] !== a);

    await api.hide();
    expect(shownHeatmap()).to.equal(null);
    expect(await liveCheckpoints()).to.equal(0);
    navigate('/c'); // nothing shown: nothing follows
    expect(shownHeatmap()).to.equal(null);
  });

  it('shows only the latest of two asked at once, and the toggle stops it', async () => {
    const [older, newer] = await Promise.all([
      api({ live: true, page: '/a' }),
      api({ live: true, page: '/b' }),
    ]);
    expect([older.page, newer.page]).to.deep.equal(['/a', '/b']);
    expect(shownHeatmap()?.page).to.equal('/b');
    expect(await liveCheckpoints()).to.be.at.most(1);
    await api();
    expect(shownHeatmap()).to.equal(null);
    expect(await liveCheckpoints()).to.equal(0);
  });
});
