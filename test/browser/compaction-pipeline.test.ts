// The leader tab compacts the clicks topic between streaming batches, in its executor workers, at
// a priority below the batches'; its counts stay those of every click, once.
import { expect } from 'chai';
import { deleteDB } from 'idb';
import { COMPACTION_GROUP, Compactor } from '../../src/pipeline/compactor';
import type { JobInfo } from '../../src/engine';
import { openLog, partitionsOf, Producer, type OffsetRange } from '../../src/log';
import { Pipeline } from '../../src/pipeline/pipeline';
import { createWorker, tally, uniqueLog, until } from './helpers';

const started: { pipeline: Pipeline; log: string }[] = [];
function start(log: string, workers: boolean, compaction = true): Pipeline {
  const pipeline = new Pipeline({
    log,
    partitions: 2,
    batchIntervalMs: 100,
    workers: 2,
    createWorker: workers ? createWorker : null,
    flushTimeoutMs: 20_000,
    compaction,
  });
  started.push({ pipeline, log });
  return pipeline;
}

/** Appends clicks on `pages` as a page does: a few records a batch, each batch on its own. */
async function clickSlowly(log: string, pages: readonly string[]): Promise<void> {
  const producer = new Producer({ log, lingerMs: 0, spillOnHide: false });
  for (let i = 0; i < pages.length; i += 3) {
    const sends = pages
      .slice(i, i + 3)
      .map((page, j) => producer.send('clicks', { page }, `session-${(i + j) % 4}`));
    await producer.flush();
    await Promise.all(sends);
  }
  await producer.close();
}

async function batchCount(log: string): Promise<number> {
  const db = await openLog(log);
  try {
    return (await partitionsOf(db, 'clicks')).reduce((n, p) => n + p.batchCount, 0);
  } finally {
    db.close();
  }
}

const pagesOf = (n: number) => Array.from({ length: n }, (_, i) => `/p${(i * 7) % 5}`);

describe('compaction in the pipeline', () => {
  afterEach(async () => {
    for (const { pipeline, log } of started.splice(0)) {
      await pipeline.close();
      await deleteDB(log);
    }
  });

  it('the leader compacts between batches, in a job of its own group below theirs; counts stay', async () => {
    const log = uniqueLog('compact-leader');
    const pipeline = start(log, true);
    await pipeline.ready;
    await until(() => pipeline.isLeader);
    // Told as they start: the status store keeps the last hundred jobs, and on a busy machine
    // the batches' jobs push an early compaction's out before the check.
    const jobs: JobInfo[] = [];
    const unsubscribe = pipeline.context.status.subscribe((event) => {
      if (event.type === 'job-start' && event.job.group === COMPACTION_GROUP) jobs.push(event.job);
    });
    const pages = pagesOf(600); // 200 batches of 3: due in both partitions
    await clickSlowly(log, pages);
    await pipeline.flush();
    await until(() => (pipeline.compactionStatus?.merges ?? 0) > 0, 20_000);
    unsubscribe();
    expect(jobs.length).to.be.greaterThan(0);
    for (const job of jobs) expect(job.priority).to.be.lessThan(0);
    const status = pipeline.compactionStatus!;
    expect(status.batchesBefore).to.be.greaterThan(status.batchesAfter);
    expect(status.bytesAfter).to.be.lessThan(status.bytesBefore);
    expect(await pipeline.counts()).to.deep.equal(tally(pages));
    // More clicks, counted once, over merged batches.
    const more = pagesOf(30).map((page) => `${page}/more`);
    await clickSlowly(log, more);
    await pipeline.flush();
    expect(await pipeline.counts()).to.deep.equal(tally([...pages, ...more]));
  });

  it('compact() merges every small batch now, and the counts are rebuilt alike from the merged log', async () => {
    const log = uniqueLog('compact-now');
    const first = start(log, true, false); // no background compaction to merge them first
    await first.ready;
    const pages = pagesOf(150);
    await clickSlowly(log, pages);
    const before = await batchCount(log);
    const result = await first.compact();
    expect(result.merges).to.be.within(1, 2);
    expect(await batchCount(log)).to.equal(before - result.batchesBefore + result.batchesAfter);
    expect(await batchCount(log)).to.be.at.most(2);
    await first.flush();
    expect(await first.counts()).to.deep.equal(tally(pages));
  });

  it('with compaction: false (log.cleaner.enable=false) the leader never compacts; compact() still does', async () => {
    const log = uniqueLog('compact-off');
    const pipeline = start(log, true, false);
    await pipeline.ready;
    await until(() => pipeline.isLeader);
    const pages = pagesOf(600); // 200 batches of 3: due in both partitions, were compaction on
    await clickSlowly(log, pages);
    await pipeline.flush();
    const written = await batchCount(log);
    let batches = 0;
    const unsubscribe = pipeline.onBatch(() => batches++);
    await until(() => batches >= 5); // streaming batches after which a due compaction would have run
    unsubscribe();
    const compactions = pipeline.context.status.jobs().filter((j) => j.group === COMPACTION_GROUP);
    expect(compactions).to.deep.equal([]); // with compaction on, one starts after the first batch
    expect(pipeline.compactionStatus?.merges ?? 0).to.equal(0);
    expect(await batchCount(log)).to.equal(written);
    expect((await pipeline.compact()).merges).to.be.greaterThan(0);
    expect(await batchCount(log)).to.be.lessThan(written);
    expect(await pipeline.counts()).to.deep.equal(tally(pages));
  });

  it("reads the partitions' state on the first batch, then once a partition got 32 records", async () => {
    const log = uniqueLog('compact-quiet');
    const pipeline = start(log, true, false);
    await pipeline.ready;
    let reads = 0;
    const states = async () => {
      reads++;
      const db = await openLog(log);
      try {
        return await partitionsOf(db, 'clicks');
      } finally {
        db.close();
      }
    };
    const compactor = new Compactor(pipeline.context, log, 'clicks', states);
    const range = (partition: number, records: number) => ({
      topic: 'clicks',
      partition,
      fromOffset: 0,
      untilOffset: records,
    });
    /** The reads of the background check `batch` started, once it is done. */
    const readsAfter = async (...batches: (readonly OffsetRange[])[]) => {
      const before = reads;
      for (const ranges of batches) compactor.afterBatch(() => true, ranges);
      await compactor.compactNow({ maxMerges: 0 }); // runs after the check, if one started
      return reads - before - 2; // compactNow reads the states before and after its job
    };
    expect(await readsAfter([])).to.equal(1); // the first batch checks
    const quiet = Array.from({ length: 31 }, () => [range(0, 1), range(1, 1)]);
    expect(await readsAfter(...quiet, [{ ...range(1, 5), topic: 'pageviews' }])).to.equal(0);
    expect(await readsAfter([range(1, 1)])).to.equal(1); // partition 1's 32nd record
  });

  it('compacts nothing where executors run on the main thread, and says why', async () => {
    const log = uniqueLog('compact-local');
    const warnings: unknown[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args.join(' '));
    try {
      const pipeline = start(log, false);
      await pipeline.ready;
      await clickSlowly(log, pagesOf(120));
      await pipeline.flush(); // batches ran: the leader would have compacted
      const before = await batchCount(log);
      expect(before).to.be.greaterThan(32);
      expect(await pipeline.compact()).to.include({ merges: 0 });
      expect(await batchCount(log)).to.equal(before);
    } finally {
      console.warn = warn;
    }
    expect(warnings.join('\n')).to.match(/not compacted/);
  });
});
