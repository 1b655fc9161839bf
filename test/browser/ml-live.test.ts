// Live heatmaps (MLlib's StreamingKMeans on a StreamingContext) on real executor workers and a
// real log: a batch heatmap of the clicks written first, then batches of new clicks that move
// its clusters as MLlib's update rule (written out here) says, and a stop that stops.
import { expect } from 'chai';
import { NodeStore } from '../../src/coord';
import { EngineContext, ExecutorPool } from '../../src/engine';
import { ensureTopic, openLog, Producer } from '../../src/log';
import { liveHeatmap, type Heatmap, type StreamingKMeansModel } from '../../src/ml';
import { blobs, byHand, expectClose, nearest, type Point } from './ml-fixtures';
import { createWorker, uniqueLog } from './helpers';

let pool: ExecutorPool;

before(async () => {
  pool = await ExecutorPool.start({ size: 2, createWorker, taskTimeoutMs: 20000 });
});

after(() => pool.terminate());

/** A desktop click (vw 1440: x as it is at the reference width) on `page`. */
const click = ([x, y]: Point, page = '/a', vw = 1440, selector = '#old') => ({
  page,
  x: x!,
  y: y!,
  vw,
  selector,
  ex: 0.5,
  ey: 0.5,
  rage: false,
  dead: false,
});

async function write(log: string, clicks: ReturnType<typeof click>[]): Promise<void> {
  const producer = new Producer({ log });
  clicks.forEach((c, i) => void producer.send('clicks', c, `tab${i % 3}`));
  await producer.close();
}

/** MLlib's update rule per batch, written out: what each batch must do to centres and weights. */
const START = [
  [200, 300],
  [1000, 800],
];

/** A log with 20 clicks around each of START on /a, and some on another page. */
async function clickLog(name: string): Promise<string> {
  const log = uniqueLog(name);
  const db = await openLog(log);
  await ensureTopic(db, { name: 'clicks', partitions: 2 });
  db.close();
  await write(log, [
    ...blobs(START, 20, 5, 1).map((p) => click(p)),
    ...blobs([[600, 600]], 5, 5, 2).map((p) => click(p, '/b')),
  ]);
  return log;
}

/** Runs the live heatmap of /a with a manual clock, its updates kept. */
async function live(log: string, decayFactor: number) {
  const context = new EngineContext({ log, pool });
  const updates: { heatmap: Heatmap; model: StreamingKMeansModel | null }[] = [];
  let now = Date.now();
  const handle = await liveHeatmap(
    context,
    { page: '/a', band: 'desktop', k: 2, decayFactor, clock: { now: () => now } },
    (heatmap, model) => updates.push({ heatmap, model }),
  );
  const runBatch = () => {
    now += 1000;
    return handle.runBatch();
  };
  return { handle, updates, runBatch };
}

describe('liveHeatmap (MLlib StreamingKMeans) on executor workers', () => {
  for (const decay of [1, 0.5])
    it(`moves the clusters toward new clicks batch by batch, decay ${decay}`, async () => {
      const log = await clickLog(`ml-live-${decay}`);
      const { handle, updates, runBatch } = await live(log, decay);
      try {
        expect(updates).to.have.length(1);
        const first = updates[0]!;
        expect(first.heatmap.clicks).to.equal(40);
        let expected = {
          centres: first.model!.clusterCenters.map((c) => [...c]),
          weights: [...first.model!.clusterWeights],
        };
        expect([...expected.weights].sort()).to.deep.equal([20, 20]);
        const walker = nearest(expected.centres, START[0]!);
        // New clicks walk from the first blob toward (600, 700); others are of another page or
        // band, and must not count.
        for (let step = 1; step <= 3; step++) {
          const at = [200 + step * 100, 300 + step * 100];
          const batch = blobs([at], 8, 4, 10 + step);
          await write(log, [
            ...batch.map((p) => click(p, '/a', 1440, '#new')),
            click(at, '/b', 1440, '#new'),
            click(at, '/a', 500, '#new'),
          ]);
          expect(await runBatch()).to.equal(true);
          expect(updates).to.have.length(step + 1);
          expected = byHand(expected.centres, expected.weights, batch, decay);
          const { heatmap, model } = updates[step]!;
          expectClose(model!.clusterCenters, expected.centres, 1e-6);
          expectClose([model!.clusterWeights], [expected.weights], 1e-6);
          expect(heatmap.clicks).to.equal(40 + 8 * step);
          expect(heatmap.spots.find((s) => s.selector === '#new')?.count).to.equal(8 * step);
          expect(heatmap.clusters.map((c) => c.count).sort()).to.deep.equal(
            expected.weights.map(Math.round).sort(),
          );
        }
        // The walker's centre is nearer the last place with the past decayed by half.
        const [x, y] = updates.at(-1)!.model!.clusterCenters[walker]!;
        const distance = Math.hypot(x! - 500, y! - 600);
        if (decay === 0.5) expect(distance).to.be.lessThan(160);
        else expect(distance).to.be.greaterThan(220);
      } finally {
        await handle.stop();
      }
    });

  it('starts from the first batch with clicks on a page that had none', async () => {
    const log = await clickLog('ml-live-empty');
    const context = new EngineContext({ log, pool });
    const models: (StreamingKMeansModel | null)[] = [];
    let now = Date.now();
    const handle = await liveHeatmap(
      context,
      { page: '/new', band: 'desktop', k: 3, clock: { now: () => now } },
      (_heatmap, model) => models.push(model),
    );
    try {
      expect(models).to.deep.equal([null]);
      await write(log, [click([10, 20], '/new'), click([30, 40], '/new')]);
      now += 1000;
      expect(await handle.runBatch()).to.equal(true);
      const centres = models[1]!.clusterCenters.map((c) => c.join()).sort();
      expect(centres).to.deep.equal(['10,20', '30,40']);
      expect(handle.latest.clicks).to.equal(2);
    } finally {
      await handle.stop();
    }
  });

  it('stops: no batch after stop(), and its checkpoint is gone', async () => {
    const log = await clickLog('ml-live-stop');
    const { handle, updates, runBatch } = await live(log, 0.9);
    const nodes = await NodeStore.open(log);
    try {
      await write(log, [click([300, 300])]);
      expect(await runBatch()).to.equal(true);
      expect(await nodes.children('/streaming')).to.have.length(1);
      await handle.stop();
      await write(log, [click([300, 300])]);
      const error = await runBatch().catch((e: unknown) => e);
      expect(error).to.be.instanceOf(Error);
      expect(updates).to.have.length(2);
      expect(await nodes.children('/streaming')).to.deep.equal([]);
    } finally {
      nodes.close();
    }
  });
});
