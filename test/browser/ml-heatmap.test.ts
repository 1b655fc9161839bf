// Heatmaps from a real log on real executor workers: clicks of known positions written by a
// producer, then the clusters, spots, rage and dead layers, bands and scroll depth checked
// against the same figures computed here from the clicks written.
import { expect } from 'chai';
import { EngineContext, ExecutorPool } from '../../src/engine';
import { ensureTopic, openLog, Producer } from '../../src/log';
import { heatmap, scrollDepth, type HeatSpot } from '../../src/ml';
import { blobs, nearest, squared, type Point } from './ml-fixtures';
import { createWorker, uniqueLog } from './helpers';

const NOW = Date.now();
const OLD = NOW - 3 * 86_400_000;
const DESKTOP_BLOBS = [
  [200, 300],
  [1000, 800],
];

type Click = {
  page: string;
  x: number;
  y: number;
  vw: number;
  selector: string;
  ex?: number | null;
  ey?: number | null;
  rage: boolean;
  dead: boolean;
  ts: number;
};

const click = (page: string, [x, y]: Point, vw: number, more: Partial<Click> = {}): Click => ({
  page,
  x: x!,
  y: y!,
  vw,
  selector: 'main',
  ex: null,
  ey: null,
  rage: false,
  dead: false,
  ts: NOW,
  ...more,
});

/** Desktop clicks on /home in two blobs, half at 1440 px and half at 1280 px (scaled to 1440). */
const desktop = blobs(DESKTOP_BLOBS, 60, 12).map((point, i) => {
  const vw = i % 2 ? 1440 : 1280;
  return click('/home', [(point[0]! * vw) / 1440, point[1]!], vw);
});
/** Spots: two places in the buy button (3 of them rage clicks), dead clicks on the banner. */
const spots = [
  ...Array.from({ length: 10 }, (_, i) =>
    click('/home', [700 + i, 400], 1440, {
      selector: 'button#buy',
      ex: 0.51 + i * 0.003,
      ey: 0.26,
      rage: i < 3,
    }),
  ),
  ...Array.from({ length: 5 }, () =>
    click('/home', [660, 420], 1440, { selector: 'button#buy', ex: 0.02, ey: 0.99 }),
  ),
  ...Array.from({ length: 2 }, () =>
    click('/home', [100, 50], 1440, { selector: 'div.banner', ex: 1, ey: 0, dead: true }),
  ),
];
/** Older records with no `ex`/`ey` fields: in clusters, in no spot. */
const older = Array.from({ length: 4 }, () => {
  const record: Partial<Click> = click('/home', [640, 410], 1440, { selector: 'button#buy' });
  delete record.ex;
  delete record.ey;
  return record as Click;
});
const mobile = blobs([[100, 900]], 20, 5).map((p) => click('/home', p, 390));
const elsewhere = blobs([[500, 500]], 20, 5).map((p) => click('/other', p, 1440));
const stale = blobs([[1200, 100]], 15, 5).map((p) => click('/home', p, 1440, { ts: OLD }));

const SCROLLS = [
  { pageviewId: 'pv1', depth: 0.2, vw: 1440 },
  { pageviewId: 'pv1', depth: 0.55, vw: 1440 },
  { pageviewId: 'pv2', depth: 1, vw: 1280 },
  { pageviewId: 'pv3', depth: 0.05, vw: 1440 },
  { pageviewId: 'pv4', depth: 0.9, vw: 390 },
  { pageviewId: 'pv5', depth: 0.7, vw: 1440, page: '/other' },
].map((s) => ({ page: '/home', bottom: 0, height: 1000, vh: 800, ts: NOW, ...s }));

let log: string;
let pool: ExecutorPool;
let context: EngineContext;

before(async () => {
  log = uniqueLog('ml-heatmap');
  const db = await openLog(log);
  await ensureTopic(db, { name: 'clicks', partitions: 3 });
  await ensureTopic(db, { name: 'scrolls', partitions: 2 });
  db.close();
  const producer = new Producer({ log, batchSize: 40 });
  const all = [...desktop, ...spots, ...older, ...mobile, ...elsewhere, ...stale];
  all.forEach((c, i) => void producer.send('clicks', c, `tab-${i % 5}`, c.ts));
  for (const s of SCROLLS) void producer.send('scrolls', s, s.pageviewId, s.ts);
  await producer.close();
  pool = await ExecutorPool.start({ size: 2, createWorker, taskTimeoutMs: 20000 });
  context = new EngineContext({ log, pool });
});

after(() => pool.terminate());

/** A click's point as the heatmap sees it: x at the band's reference width. */
const pointOf = (c: { x: number; y: number; vw: number }, width: number): Point => [
  (c.x / c.vw) * width,
  c.y,
];

const spot = (selector: string, ex: number, ey: number, count: number) => ({
  selector,
  ex,
  ey,
  count,
});
const shape = (spots: readonly HeatSpot[]) =>
  spots.map(({ selector, ex, ey, count }) => ({ selector, ex, ey, count }));

describe('heatmap (MLlib on the clicks)', () => {
  it('clusters the clicks of a page and band where their blobs are', async () => {
    const map = await heatmap(context, {
      page: '/home',
      band: 'desktop',
      k: 3,
      since: NOW - 60_000,
    });
    const points = [...desktop, ...spots, ...older].map((c) => pointOf(c, 1440));
    expect(map.width).to.equal(1440);
    expect(map.clicks).to.equal(points.length);
    expect(map.clusters).to.have.length(3);
    const centres = map.clusters.map((c) => [c.x, c.y]);
    for (const blob of [...DESKTOP_BLOBS, [690, 405]])
      expect(Math.min(...centres.map((c) => Math.sqrt(squared(c, blob))))).to.be.lessThan(30);
    map.clusters.forEach((cluster, j) => {
      const mine = points.filter((p) => nearest(centres, p) === j);
      expect(cluster.count).to.equal(mine.length);
      for (const d of [0, 1])
        // Lloyd's fixed point: each centre is the mean of its clicks
        expect(centres[j]![d]).to.be.closeTo(
          mine.reduce((s, p) => s + p[d]!, 0) / mine.length,
          1e-3,
        );
      const spread = mine.reduce((s, p) => s + squared(p, centres[j]!), 0) / mine.length;
      expect(cluster.radius).to.be.closeTo(Math.sqrt(spread), 1e-6);
    });
  });

  it('counts spots per element and place in it, with rage and dead clicks as layers', async () => {
    const map = await heatmap(context, { page: '/home', band: 'desktop', since: NOW - 60_000 });
    expect(shape(map.spots)).to.deep.equal([
      spot('button#buy', 0.525, 0.275, 10),
      spot('button#buy', 0.025, 0.975, 5),
      spot('div.banner', 0.975, 0.025, 2),
    ]);
    expect(map.spots[0]!.x).to.be.closeTo(704.5, 1e-9);
    expect(map.spots[0]!.y).to.equal(400);
    expect(shape(map.rage)).to.deep.equal([spot('button#buy', 0.525, 0.275, 3)]);
    expect(shape(map.dead)).to.deep.equal([spot('div.banner', 0.975, 0.025, 2)]);
  });

  it('keeps bands apart, scaled to their reference width, and older clicks by `since`', async () => {
    const phone = await heatmap(context, { page: '/home', band: 'mobile', k: 1 });
    expect(phone.width).to.equal(390);
    expect(phone.clicks).to.equal(mobile.length);
    const mean = [0, 1].map(
      (d) => mobile.reduce((s, c) => s + pointOf(c, 390)[d]!, 0) / mobile.length,
    );
    expect(phone.clusters[0]!.x).to.be.closeTo(mean[0]!, 1e-6);
    expect(phone.clusters[0]!.y).to.be.closeTo(mean[1]!, 1e-6);
    expect(phone.spots).to.deep.equal([]);
    const all = await heatmap(context, { page: '/home', band: 'desktop' });
    expect(all.clicks).to.equal(desktop.length + spots.length + older.length + stale.length);
    const tablet = await heatmap(context, { page: '/home', band: 'tablet' });
    expect(tablet.clicks).to.equal(0);
  });

  it('reads the offset ranges it is given, and the whole log without', async () => {
    const own = uniqueLog('ml-heatmap-ranges');
    const db = await openLog(own);
    await ensureTopic(db, { name: 'clicks', partitions: 2 });
    db.close();
    const producer = new Producer({ log: own });
    const send = (clicks: readonly Click[]) =>
      clicks.forEach((c, i) => void producer.send('clicks', c, `tab-${i % 3}`, c.ts));
    send(mobile.slice(0, 12));
    await producer.flush();
    const ownContext = new EngineContext({ log: own, pool });
    const ranges = await ownContext.offsetRanges('clicks');
    send(mobile.slice(12));
    await producer.close();
    const asked = { page: '/home', band: 'mobile' } as const;
    expect((await heatmap(ownContext, { ...asked, ranges })).clicks).to.equal(12);
    expect((await heatmap(ownContext, asked)).clicks).to.equal(mobile.length);
  });

  it('measures scroll depth per page view, the deepest of its records', async () => {
    const desktopDepth = await scrollDepth(context, { page: '/home', band: 'desktop' });
    const depths = [0.55, 1, 0.05];
    expect(desktopDepth!.views).to.equal(3);
    expect(desktopDepth!.average).to.be.closeTo((0.55 + 1 + 0.05) / 3, 1e-12);
    expect(desktopDepth!.reached).to.deep.equal(
      Array.from({ length: 11 }, (_, i) => depths.filter((d) => d >= i / 10).length / 3),
    );
    const everywhere = await scrollDepth(context, { page: '/home' });
    expect(everywhere!.views).to.equal(4);
    const map = await heatmap(context, { page: '/home', band: 'desktop' });
    expect(map.scroll).to.deep.equal(desktopDepth);
    expect(await scrollDepth(context, { page: '/home', since: NOW + 60_000 })).to.equal(null);
  });

  it('is empty, not an error, for a page with no clicks and for a log with no topics', async () => {
    const none = await heatmap(context, { page: '/nowhere', band: 'desktop' });
    expect(none).to.deep.equal({
      page: '/nowhere',
      band: 'desktop',
      width: 1440,
      clicks: 0,
      clusters: [],
      spots: [],
      rage: [],
      dead: [],
      scroll: null,
    });
    const fresh = new EngineContext({ log: uniqueLog('ml-empty'), pool });
    const empty = await heatmap(fresh, { page: '/', band: 'mobile' });
    expect(empty.clicks).to.equal(0);
    expect(empty.clusters).to.deep.equal([]);
    expect(empty.scroll).to.equal(null);
  });
});
