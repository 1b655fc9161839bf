// MLlib's StreamingKMeans on real executor workers: each mini-batch's update against the update
// rule computed here by hand, and a StreamingContext over a log topic whose points move.
import { expect } from 'chai';
import { EngineContext, ExecutorPool } from '../../src/engine';
import { ensureTopic, openLog, Producer } from '../../src/log';
import { StreamingKMeans } from '../../src/ml';
import { StreamingContext } from '../../src/streaming';
import { blobs, byHand, expectClose, type Point } from './ml-fixtures';
import { createWorker, uniqueLog } from './helpers';

let pool: ExecutorPool;
let context: EngineContext;

before(async () => {
  pool = await ExecutorPool.start({ size: 2, createWorker, taskTimeoutMs: 20000 });
  context = new EngineContext({ log: uniqueLog('ml-streaming'), pool });
});

after(() => pool.terminate());

const BATCHES = [
  [
    [1, 2],
    [3, 1],
    [9, 9],
    [11, 12],
    [2, 2],
  ],
  [
    [0, 1],
    [12, 10],
    [10, 11],
  ],
  [
    [5, 5],
    [6, 4],
    [20, 20],
    [1, 0],
  ],
];

describe('StreamingKMeans (MLlib) on executor workers', () => {
  for (const [decay, unit] of [
    [1, 'batches'],
    [0.5, 'batches'],
    [0.9, 'points'],
  ] as const)
    it(`updates as MLlib's rule says, decay ${decay} per ${unit}`, async () => {
      const skm = new StreamingKMeans({ k: 2, decayFactor: decay, timeUnit: unit });
      let expected = {
        centres: [
          [0, 0],
          [10, 10],
        ],
        weights: [3, 1],
      };
      skm.setInitialCenters(expected.centres, expected.weights);
      for (const batch of BATCHES) {
        const model = await skm.update(context.parallelize(batch, 2));
        expected = byHand(expected.centres, expected.weights, batch, decay, unit);
        expectClose(model.clusterCenters, expected.centres);
        expectClose([model.clusterWeights], [expected.weights]);
      }
    });

  it('decays by half-life: half of the past weighs after `halfLife` batches', async () => {
    const skm = new StreamingKMeans({ k: 1 }).setHalfLife(2, 'batches');
    expect(skm.decayFactor ** 2).to.be.closeTo(0.5, 1e-12);
    skm.setInitialCenters([[0, 0]], [8]);
    await skm.update(context.parallelize<Point>([], 1));
    await skm.update(context.parallelize<Point>([], 1));
    expect(skm.latestModel().clusterWeights[0]).to.be.closeTo(4, 1e-9);
    expect(skm.latestModel().clusterCenters).to.deep.equal([[0, 0]]);
  });

  it('splits the largest cluster when the smallest is dying', async () => {
    const skm = new StreamingKMeans({ k: 2, decayFactor: 0 });
    skm.setInitialCenters(
      [
        [0, 0],
        [100, 100],
      ],
      [1, 1],
    );
    const model = await skm.update(
      context.parallelize(
        [
          [2, 4],
          [4, 2],
        ],
        2,
      ),
    );
    // Cluster 1 got no point and decayed to 0: cluster 0 (centre [3, 3], weight 2) is split.
    expect(model.clusterWeights).to.deep.equal([1, 1]);
    expectClose(model.clusterCenters, [
      [3 + 3e-14, 3 + 3e-14],
      [3 - 3e-14, 3 - 3e-14],
    ]);
    expect(model.clusterCenters[0]![0]).to.be.greaterThan(model.clusterCenters[1]![0]!);
  });

  it('starts from random centres with a seed, and refuses to run without centres', () => {
    const a = new StreamingKMeans({ k: 3 }).setRandomCenters(2, 1, 7).latestModel();
    const b = new StreamingKMeans({ k: 3 }).setRandomCenters(2, 1, 7).latestModel();
    expect(a.clusterCenters).to.deep.equal(b.clusterCenters);
    expect(a.clusterCenters).to.have.length(3);
    expect(a.clusterWeights).to.deep.equal([1, 1, 1]);
    expect(() => new StreamingKMeans({ k: 2 }).latestModel()).to.throw(/initial centres/);
  });

  it('follows points that move, trained on a stream of a log topic', async () => {
    const log = uniqueLog('ml-stream-log');
    const db = await openLog(log);
    await ensureTopic(db, { name: 'points', partitions: 2 });
    db.close();
    const engine = new EngineContext({ log, pool });
    let now = Date.now();
    const ssc = new StreamingContext(engine, {
      batchIntervalMs: 1000,
      checkpointId: 'skm',
      clock: { now: () => now },
    });
    const skm = new StreamingKMeans({ k: 2, decayFactor: 0.5 });
    let expected = {
      centres: [
        [0, 0],
        [1000, 1000],
      ],
      weights: [1, 1],
    };
    skm.setInitialCenters(expected.centres, expected.weights);
    skm.trainOn(ssc.fromLog('points').map<Point>((r) => [Number(r.value.x), Number(r.value.y)]));
    await ssc.start();
    try {
      // One blob walks from (50, 50) to (350, 350); the other stays at (1000, 1000).
      for (let step = 0; step < 4; step++) {
        const at = 50 + step * 100;
        const batch = blobs(
          [
            [at, at],
            [1000, 1000],
          ],
          10,
          3,
          step + 1,
        );
        const producer = new Producer({ log });
        batch.forEach(([x, y], i) => void producer.send('points', { x: x!, y: y! }, `k${i % 3}`));
        await producer.close();
        now += 1000;
        const info = await ssc.runBatch();
        expect(info?.inputEvents).to.equal(batch.length);
        expected = byHand(expected.centres, expected.weights, batch, 0.5, 'batches');
        expectClose(skm.latestModel().clusterCenters, expected.centres);
      }
      // Recent batches weigh most: nearer its last place (350) than the mean of its places (200).
      const [walker, still] = skm.latestModel().clusterCenters;
      expect(walker![0]).to.be.within(250, 350);
      expect(walker![1]).to.be.within(250, 350);
      expect(Math.hypot(still![0]! - 1000, still![1]! - 1000)).to.be.lessThan(3);
    } finally {
      await ssc.stop();
    }
  });
});
