// Faults under the script tag's pipeline: its counts are a cache of the log. A damaged or lost
// checkpoint, a lost coord database or a changed batch interval rebuilds them exactly, flush()
// resolves without new clicks, and a tab that leads never sits idle.
import { expect } from 'chai';
import { deleteDB } from 'idb';
import { openLog } from '../../../src/log';
import { Pipeline } from '../../../src/pipeline/pipeline';
import { checkpointPath, clickCountsCheckpoint } from '../../../src/streaming';
import { damageNode, deleteCoordDatabase, reported } from '../fixtures/coord-faults';
import { tally, uniqueLog, until } from '../helpers';

const started: Pipeline[] = [];
function start(log: string, batchIntervalMs = 200): Pipeline {
  const pipeline = new Pipeline({
    log,
    partitions: 2,
    batchIntervalMs,
    workers: 1,
    createWorker: null,
    flushTimeoutMs: 15_000,
  });
  started.push(pipeline);
  return pipeline;
}

/** Sends a click on each of `pages`, from a few sessions. */
function click(pipeline: Pipeline, pages: readonly string[]): void {
  pages.forEach((page, i) => pipeline.send('clicks', { page }, `session-${i % 3}`));
}

/** Whether counts `a` and `b` are the same, in any key order. */
const same = (a: Record<string, number> | undefined, b: Record<string, number>) =>
  a !== undefined &&
  Object.keys(a).length === Object.keys(b).length &&
  Object.entries(b).every(([url, n]) => a[url] === n);

const pagesOf = (n: number, tag = '') => Array.from({ length: n }, (_, i) => `/p${i % 4}${tag}`);

/** A log whose clicks `pages` a pipeline counted, then closed. */
async function counted(batchIntervalMs = 200) {
  const log = uniqueLog('fault-pipeline');
  const first = start(log, batchIntervalMs);
  const pages = pagesOf(24);
  await first.ready;
  click(first, pages);
  await first.flush();
  expect(await first.counts()).to.deep.equal(tally(pages));
  await first.close();
  return { log, pages };
}

/** The next pipeline's first flush counts everything in the log, and later clicks once. */
async function expectRecounted(log: string, pages: readonly string[], batchIntervalMs = 200) {
  const next = start(log, batchIntervalMs);
  const { damage, errors, warnings } = await reported(async () => {
    await next.flush(); // no new click: the rebuilding batch must commit
    expect(await next.counts()).to.deep.equal(tally(pages));
  });
  const more = pagesOf(5, '/more');
  click(next, more);
  await next.flush();
  expect(await next.counts()).to.deep.equal(tally([...pages, ...more]));
  return { damage, said: [...errors, ...warnings].join('\n') };
}

describe('faults: the pipeline', () => {
  afterEach(async () => {
    await Promise.all(started.splice(0).map((pipeline) => pipeline.close()));
  });

  it('a checkpoint node of the wrong type: recounted from the log, said, flush() resolves', async () => {
    const { log, pages } = await counted();
    await damageNode(log, checkpointPath(clickCountsCheckpoint(200)), (node) => ({
      ...node,
      data: [1, 2, 3],
    }));
    const { damage, said } = await expectRecounted(log, pages);
    expect(damage).to.be.greaterThan(0);
    expect(said).to.match(/checkpoint "clicks:counts:v3:200ms".*not a record/);
  });

  it('a checkpoint with a count that is a string: recounted, exact', async () => {
    const { log, pages } = await counted();
    await damageNode(log, checkpointPath(clickCountsCheckpoint(200)), (node) => {
      const data = node['data'] as { state: Record<string, unknown> };
      for (const [id, state] of Object.entries(data.state))
        if (Array.isArray(state)) data.state[id] = state.map(([key]: [string]) => [key, '1e3']);
      return node;
    });
    const { damage, said } = await expectRecounted(log, pages);
    expect(damage).to.be.greaterThan(0);
    expect(said).to.match(/is "1e3", not a whole number/);
  });

  it('a changed data-batch-interval (1000 → 1100 ms): recounted from the log, said once', async () => {
    const { log, pages } = await counted(1000);
    const { said } = await expectRecounted(log, pages, 1100);
    expect(said).to.match(/"clicks:counts:v3:1100ms" of log "[^"]+": it has no checkpoint/);
  });

  it('the coord database deleted mid-run: the leader goes on counting, recounted exactly', async () => {
    const log = uniqueLog('fault-coord-lost');
    const pipeline = start(log);
    await pipeline.ready;
    const before = pagesOf(12);
    click(pipeline, before);
    await pipeline.flush();
    const { damage } = await reported(async () => {
      await deleteCoordDatabase(log);
      await pipeline.flush(); // no new click
    });
    expect(damage).to.be.greaterThan(0);
    expect(await pipeline.counts()).to.deep.equal(tally(before));
    const after = pagesOf(6, '/after');
    click(pipeline, after);
    await pipeline.flush();
    expect(await pipeline.counts()).to.deep.equal(tally([...before, ...after]));
    expect(pipeline.isLeader).to.equal(true);
  });

  it("the coord database deleted mid-run: another tab's subscribers get the recounted totals", async () => {
    const log = uniqueLog('fault-coord-follow');
    const leader = start(log);
    await leader.ready;
    await until(() => leader.isLeader);
    const follower = start(log);
    await follower.ready;
    const seen: Record<string, number>[] = [];
    follower.subscribe((counts) => seen.push(counts));
    const pages = pagesOf(10);
    click(leader, pages);
    await leader.flush();
    await until(() => same(seen.at(-1), tally(pages)));
    await reported(() => deleteCoordDatabase(log));
    const after = ['/after'];
    click(leader, after);
    await leader.flush();
    const total = tally([...pages, ...after]);
    await until(() => same(seen.at(-1), total));
    expect(await follower.counts()).to.deep.equal(total);
  });

  it('a streaming job stopped under its leader: the tab steps down and leads again', async () => {
    const log = uniqueLog('fault-stopped');
    const pipeline = start(log);
    await pipeline.ready;
    await until(() => pipeline.streaming?.state === 'active');
    const stopped = pipeline.streaming!;
    const { warnings, errors } = await reported(async () => {
      await stopped.stop(); // from the console, say
      await until(() => pipeline.streaming !== null && pipeline.streaming !== stopped, 15_000);
    });
    expect([...errors, ...warnings].join('\n')).to.match(/stopped/);
    const pages = pagesOf(7);
    click(pipeline, pages);
    await pipeline.flush();
    expect(await pipeline.counts()).to.deep.equal(tally(pages));
  });

  it('the log database deleted mid-run: its topics are made again, and new clicks counted', async () => {
    const log = uniqueLog('fault-log-lost');
    const pipeline = start(log);
    await pipeline.ready;
    click(pipeline, pagesOf(12));
    await pipeline.flush();
    const after = pagesOf(6, '/after');
    const { damage } = await reported(async () => {
      await deleteDB(log);
      click(pipeline, after);
      await pipeline.flush();
    });
    // The log is the source of truth: what it lost is gone from the counts, what came after is not.
    expect(await pipeline.counts()).to.deep.equal(tally(after));
    expect(damage).to.be.greaterThan(0); // the checkpoint pointed past the new log's end
    expect(pipeline.isLeader).to.equal(true);
  });

  it('a lost record batch header, rebuilt over: the rest counted, the counts live, no rebuild again', async () => {
    const { log, pages } = await counted();
    // The first record batch of partition 0 goes: its clicks are gone from the log.
    const db = await openLog(log);
    const [header] = await db.getAll(
      'batches',
      IDBKeyRange.bound(['clicks', 0], ['clicks', 0, []]),
    );
    // Its chunk stays (every batch has one under `timestamp`): only the header is lost.
    const lost = (await db.get('columns', ['clicks', 0, 'timestamp', header!.baseOffset]))!;
    await db.delete('batches', ['clicks', 0, header!.baseOffset]);
    db.close();
    await damageNode(log, checkpointPath(clickCountsCheckpoint(200)), (node) => ({
      ...node,
      data: 'garbage',
    }));
    expect(lost).to.be.instanceOf(ArrayBuffer);
    const kept = pages.length - header!.count;

    const next = start(log);
    await reported(() => next.flush()); // rebuilt over the gap; no new click
    const total = (counts: Record<string, number>) =>
      Object.values(counts).reduce((a, b) => a + b, 0);
    expect(total(await next.counts())).to.equal(kept);
    const more = pagesOf(5, '/more');
    click(next, more);
    await next.flush(); // the counts are live: a checkpoint over a gap is sound
    const counts = await next.counts();
    expect(total(counts)).to.equal(kept + more.length);
    for (const [url, n] of Object.entries(tally(more))) expect(counts[url]).to.equal(n);
    await next.close();

    const third = start(log);
    const { damage, errors } = await reported(() => third.flush());
    expect(await third.counts()).to.deep.equal(counts);
    expect(errors.filter((e) => /checkpoint/.test(e))).to.deep.equal([]); // not rebuilt again
    expect(damage).to.equal(0); // it reads on from the checkpoint: the gap is behind it
  });

  it("an earlier version's checkpoint (no record count, no checksum): recounted, said, no damage", async () => {
    const { log, pages } = await counted();
    await damageNode(log, checkpointPath(clickCountsCheckpoint(200)), (node) => {
      const data = node['data'] as Record<string, unknown>;
      delete data['records'];
      delete data['checksum'];
      return node;
    });
    const { damage, said } = await expectRecounted(log, pages);
    expect(damage).to.equal(0);
    expect(said).to.match(/written by an earlier tabstream.*rebuilt from the log/s);
  });
});
