// The streaming job's checkpoint written as changes: a batch appends what it changed to the
// checkpoint node, a snapshot now and then, and whoever reads it (a restarted job, another
// tab's job, the counts) gets exactly what a job that never stopped holds.
import { expect } from 'chai';
import fc from 'fast-check';
import { NodeStore } from '../../src/coord';
import {
  checkpointPath,
  loadCheckpoint,
  resultName,
  type BatchInfo,
  type Counts,
} from '../../src/streaming';
import {
  appendClicks,
  INTERVAL,
  manualClock,
  startClicksJob,
  type ClicksJob,
} from './fixtures/clicks-job';
import { deleteRawRecord, putRawNode, rawAppended, reported } from './fixtures/coord-faults';
import { logWithClicks, tally, uniqueLog } from './helpers';

const ID = 'changes';
const PATH = checkpointPath(ID);
const WINDOWS = { '1m': 60_000, '5m': 300_000 };

/** One click per page `/p/<i>` of `pages`. */
const clicksOn = (pages: readonly number[]) => pages.map((i) => `/p/${i}`);

/** What the job must publish after batches of `clicks` at `times`: totals, and each window's. */
function expected(batches: readonly { time: number; clicks: readonly string[] }[]) {
  const last = batches.at(-1)?.time ?? 0;
  const within = (ms: number) =>
    batches.filter(({ time }) => time > last - ms).flatMap(({ clicks }) => clicks);
  return {
    page: tally(batches.flatMap(({ clicks }) => clicks)),
    'page:1m': tally(within(WINDOWS['1m'])),
    'page:5m': tally(within(WINDOWS['5m'])),
  };
}

/** The page counts the job's checkpoint holds: totals and windows. */
async function pageCounts(job: ClicksJob): Promise<Record<string, Counts>> {
  const results = await job.ssc.results();
  const counts: Record<string, Counts> = {};
  for (const window of ['all', '1m', '5m'] as const) {
    const name = resultName('page', window);
    counts[name] = (results[name] ?? {}) as Counts;
  }
  return counts;
}

async function withNodes<T>(log: string, use: (nodes: NodeStore) => Promise<T>): Promise<T> {
  const nodes = await NodeStore.open(log);
  try {
    return await use(nodes);
  } finally {
    nodes.close();
  }
}

describe('the streaming checkpoint, written as changes', () => {
  it('restarted after any batch, a job publishes what a job never stopped does (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            pages: fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 6 }),
            gap: fc.integer({ min: 1, max: 90 }),
            restart: fc.boolean(),
          }),
          { minLength: 1, maxLength: 10 },
        ),
        async (steps) => {
          const log = uniqueLog('ckpt-changes');
          await logWithClicks(log, 2, []);
          const clock = manualClock();
          let job = await startClicksJob(log, { checkpointId: ID, clock });
          const committed: { time: number; clicks: readonly string[] }[] = [];
          try {
            for (const { pages, gap, restart } of steps) {
              const clicks = clicksOn(pages);
              await appendClicks(log, clicks);
              const info = await job.batch(gap * INTERVAL);
              if (info) committed.push({ time: info.batchTime, clicks });
              else expect(clicks).to.deep.equal([]); // no clicks, windows empty: nothing to write
              const { page, 'page:1m': m1, 'page:5m': m5 } = expected(committed);
              expect(await pageCounts(job)).to.deep.equal({
                page,
                'page:1m': m1,
                'page:5m': m5,
              });
              if (restart) {
                await job.stop();
                job = await startClicksJob(log, { checkpointId: ID, clock });
              }
            }
          } finally {
            await job.stop();
          }
        },
      ),
      { numRuns: 12 },
    );
  });

  it('appends each batch its change, and a snapshot once the changes add up to one', async () => {
    const log = uniqueLog('ckpt-cadence');
    await logWithClicks(log, 2, clicksOn(Array.from({ length: 100 }, (_, i) => i)));
    const job = await startClicksJob(log, { checkpointId: ID });
    try {
      const infos: BatchInfo[] = [(await job.batch())!];
      for (let n = 0; n < 40; n++) {
        await appendClicks(log, clicksOn([n, n + 1, n + 2]));
        infos.push((await job.batch())!);
      }
      let since = 0;
      let deltas = 0;
      let snapshots = 0;
      await withNodes(log, async (nodes) => {
        for (const [n, info] of infos.entries()) {
          const snapshot = info.checkpointBytes === info.checkpointSnapshotBytes;
          if (snapshot) {
            since = 0;
            snapshots++;
          } else {
            since += info.checkpointBytes;
            deltas++;
            expect(since, `the changes since the snapshot, batch ${n}`).to.be.at.most(
              info.checkpointSnapshotBytes,
            );
          }
        }
        // The node as the last batch left it: its changes since the snapshot, as counted.
        const node = await nodes.get(PATH);
        const appended = node?.appended ?? [];
        const last = infos.at(-1)!;
        const written = appended.map((change) => JSON.stringify(change).length);
        expect(written.reduce((a, b) => a + b, 0)).to.equal(since);
        if (appended.length) expect(written.at(-1)).to.equal(last.checkpointBytes);
        else expect(JSON.stringify(node?.data).length).to.equal(last.checkpointSnapshotBytes);
      });
      expect(infos[0]!.checkpointBytes, 'the first batch writes a snapshot').to.equal(
        infos[0]!.checkpointSnapshotBytes,
      );
      expect(snapshots, 'snapshots after the first').to.be.at.least(2);
      expect(deltas, 'changes').to.be.at.least(30);
      expect(await job.totals()).to.deep.equal(
        tally([
          ...clicksOn(Array.from({ length: 100 }, (_, i) => i)),
          ...Array.from({ length: 40 }, (_, n) => clicksOn([n, n + 1, n + 2])).flat(),
        ]),
      );
    } finally {
      await job.stop();
    }
  });

  it('a batch with no clicks, its windows sliding, writes little', async () => {
    const log = uniqueLog('ckpt-idle');
    await logWithClicks(log, 2, clicksOn(Array.from({ length: 1000 }, (_, i) => i)));
    const job = await startClicksJob(log, { checkpointId: ID });
    try {
      await job.batch();
      await appendClicks(log, clicksOn([1, 2]));
      await job.batch();
      const idle = (await job.batch())!;
      expect(idle).to.include({ inputEvents: 0 });
      expect(idle.checkpointSnapshotBytes).to.be.greaterThan(30_000);
      expect(idle.checkpointBytes).to.be.lessThan(1_200);
      // A minute on, the first batch leaves the 1 minute windows: its 1,000 pages are removed.
      const left = (await job.batch(WINDOWS['1m']))!;
      expect(left.checkpointBytes).to.be.lessThan(left.checkpointSnapshotBytes / 2);
      const counts = await pageCounts(job);
      expect(counts['page:1m']).to.deep.equal({});
      expect(counts['page:5m']).to.deep.equal(counts['page']);
    } finally {
      await job.stop();
    }
  });

  it('restores a whole checkpoint as the previous version wrote it (one node, no changes)', async () => {
    const log = uniqueLog('ckpt-old');
    const pages = clicksOn([1, 2, 2, 3]);
    await logWithClicks(log, 2, pages);
    const clock = manualClock();
    const job = await startClicksJob(log, { checkpointId: ID, clock });
    let batches = 0;
    try {
      await job.batch();
      for (const more of [[4], [2, 5]]) {
        await appendClicks(log, clicksOn(more));
        pages.push(...clicksOn(more));
        batches = (await job.batch())!.batch;
      }
    } finally {
      await job.stop();
    }
    // The previous version's node: the whole checkpoint as its data, rewritten every batch.
    const entries = await rawAppended(log, PATH);
    expect(entries.length, 'changes were appended').to.be.greaterThan(0);
    const stored = (await withNodes(log, (nodes) => loadCheckpoint(nodes, ID)))!;
    for (const entry of entries) await deleteRawRecord(log, entry['path'] as string);
    await putRawNode(log, {
      path: PATH,
      data: stored.data,
      version: stored.version,
      ctime: stored.ctime,
      mtime: stored.mtime,
    });
    const {
      result: resumed,
      damage,
      warnings,
    } = await reported(async () => {
      const resumed = await startClicksJob(log, { checkpointId: ID, clock });
      await appendClicks(log, clicksOn([6]));
      return { job: resumed, info: (await resumed.batch())! };
    });
    try {
      expect(damage).to.equal(0);
      expect(warnings).to.deep.equal([]);
      expect(resumed.info).to.include({ batch: batches + 1, inputEvents: 1 });
      expect(resumed.info.checkpointBytes).to.be.lessThan(resumed.info.checkpointSnapshotBytes);
      expect(await resumed.job.totals()).to.deep.equal(tally([...pages, ...clicksOn([6])]));
    } finally {
      await resumed.job.stop();
    }
  });

  it('a second job on the checkpoint (a new leader) resumes exactly; the first one loses its next commit', async () => {
    const log = uniqueLog('ckpt-takeover');
    const pages = clicksOn([1, 1, 2, 3, 5, 8]);
    await logWithClicks(log, 2, pages);
    const clock = manualClock();
    const first = await startClicksJob(log, { checkpointId: ID, clock });
    try {
      await first.batch();
      for (const more of [[13], [1, 21]]) {
        await appendClicks(log, clicksOn(more));
        pages.push(...clicksOn(more));
        await first.batch();
      }
      expect((await rawAppended(log, PATH)).length, 'changes were appended').to.be.greaterThan(0);
      const counts = await pageCounts(first);
      const second = await startClicksJob(log, { checkpointId: ID, clock });
      try {
        expect(await pageCounts(second)).to.deep.equal(counts);
        await appendClicks(log, clicksOn([34]));
        pages.push(...clicksOn([34]));
        const taken = (await second.batch())!;
        expect(taken).to.include({ inputEvents: 1 });
        expect(await second.totals()).to.deep.equal(tally(pages));
        // The first job still holds the state before that batch: its commit must lose.
        await appendClicks(log, clicksOn([55]));
        pages.push(...clicksOn([55]));
        const error = await first.batch().catch((e: unknown) => e);
        expect((error as Error)?.name).to.equal('CheckpointConflictError');
        await first.batch(0); // reloads the second job's checkpoint, counts /p/55 once
        expect(await first.totals()).to.deep.equal(tally(pages));
        await appendClicks(log, clicksOn([89]));
        pages.push(...clicksOn([89]));
        await second.batch().catch(() => second.batch(0)); // its turn to reload
        expect(await second.totals()).to.deep.equal(tally(pages));
      } finally {
        await second.stop();
      }
    } finally {
      await first.stop();
    }
  });
});
