// Compaction of the log on real IndexedDB: small record batches merged into big ones, and every
// reader (consumers, fetches, executors, retention, offsetsForTimes, describeTopic) seeing the
// same records as before, in fewer, bigger batches.
import { expect } from 'chai';
import { deleteDB } from 'idb';
import { EngineContext, ExecutorPool, op } from '../../src/engine';
import {
  alterTopic,
  appendBatches,
  compact,
  compactTopic,
  describeTopic,
  enforceRetention,
  fetchBatches,
  headerProblem,
  offsetsForTimes,
  partitionsOf,
  recordWindow,
  type LogDB,
  type OffsetRange,
} from '../../src/log';
import { damageSeen } from '../../src/shared/diagnostics';
import { createWorker } from './helpers';
import { expected, pageLikeLog, range, recordOf, recordsOf, T0 } from './compaction-helpers';

/** The headers of `t`'s partition `partition`, in offset order, each checked. */
async function headersOf(db: LogDB, partition = 0) {
  const headers = await db.getAll(
    'batches',
    IDBKeyRange.bound(['t', partition, 0], ['t', partition, Infinity]),
  );
  for (const header of headers) expect(headerProblem(header)).to.equal(null);
  return headers;
}

/** The partition's state matches its batches, with no damage reported on the way. */
async function expectConsistent(db: LogDB, partition = 0): Promise<void> {
  const damage = damageSeen().count;
  const state = (await partitionsOf(db, 't'))[partition]!;
  const headers = await headersOf(db, partition);
  expect(damageSeen().count, 'damage reported').to.equal(damage);
  expect(state.batchCount).to.equal(headers.length);
  expect(state.bytes).to.equal(headers.reduce((n, h) => n + h.bytes, 0));
  headers.forEach((header, i) => {
    const next = headers[i + 1]?.baseOffset ?? state.highWatermark;
    expect(header.baseOffset + header.count, `batch at ${header.baseOffset}`).to.equal(next);
  });
}

describe('compaction', () => {
  let cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup) await step();
    cleanup = [];
  });
  const opened = async (records: number, partitions = 1) => {
    const made = await pageLikeLog(records, partitions);
    cleanup.push(async () => {
      made.db.close();
      await deleteDB(made.log);
    });
    return made;
  };

  it('merges runs of small batches into batches of up to batchSize, keeping every record', async () => {
    const { log, db } = await opened(1000, 2);
    const before = await headersOf(db);
    expect(before.length).to.be.greaterThan(300);
    const result = await compactTopic(db, 't', { batchSize: 256 });
    for (const partition of [0, 1]) {
      expect(await recordsOf(log, partition)).to.deep.equal(expected(partition, range(0, 1000)));
      await expectConsistent(db, partition);
    }
    const after = await headersOf(db);
    for (const header of after) expect(header.count).to.be.at.most(256);
    expect(after.length).to.be.at.most(Math.ceil(1000 / 200));
    expect(result.batchesBefore - result.batchesAfter).to.equal(
      2 * before.length - (await partitionsOf(db, 't')).reduce((n, p) => n + p.batchCount, 0),
    );
    expect(result.records).to.be.at.least(2 * 950);
    expect(result.bytesAfter).to.be.lessThan(result.bytesBefore);
    expect(await db.count('columns')).to.equal(
      (await db.getAll('batches')).reduce((n, h) => n + 1 + (h.keyed ? 1 : 0) + h.fields.length, 0),
    );
  });

  it('with the default batch.size merges a page-like log into one batch per partition', async () => {
    const { log, db } = await opened(3000);
    await compact(db, 't', 0);
    expect(await headersOf(db)).to.have.length(1);
    expect(await recordsOf(log)).to.deep.equal(expected(0, range(0, 3000)));
    expect(await compact(db, 't', 0)).to.include({ merges: 0 }); // nothing left to merge
  });

  it('size-tiered (fanIn 8) rewrites a record a few times as small batches trickle in, not once per round', async function () {
    this.timeout(120_000); // 360 appends and compactions
    const rewrites = async (fanIn: number): Promise<number> => {
      const { log, db } = await opened(0);
      let rewritten = 0;
      for (let n = 0, round = 0; round < 60; round++) {
        const batches = [1, 3, 2].map((size) => {
          const records = range(n, n + size).map(recordOf);
          const batch = { topic: 't', partition: 0, producerId: 'A', baseSequence: n, records };
          n += size;
          return batch;
        });
        for (const batch of batches) await appendBatches(db, [batch]);
        rewritten += (await compact(db, 't', 0, { batchSize: 256, fanIn })).records;
      }
      expect(await recordsOf(log)).to.deep.equal(expected(0, range(0, 360)));
      await expectConsistent(db);
      for (const header of await headersOf(db)) expect(header.count).to.be.at.most(256);
      return rewritten / 360;
    };
    const tiered = await rewrites(8);
    const eager = await rewrites(1);
    expect(tiered).to.be.at.most(6);
    expect(eager).to.be.greaterThan(4 * tiered);
  });

  it('leaves a producer deduplicated when it retries its last batch after a merge', async () => {
    const { log, db, producers } = await opened(200);
    const next = producers.get('A:0')!;
    const last = { topic: 't', partition: 0, producerId: 'A', baseSequence: next };
    const records = [recordOf(1000), recordOf(1001)];
    expect((await appendBatches(db, [{ ...last, records }]))[0]).to.include({ appended: 2 });
    const end = (await partitionsOf(db, 't'))[0]!.highWatermark;
    await compact(db, 't', 0);
    expect(await headersOf(db)).to.have.length(1); // its last batch is merged with the others
    // Retried, as a producer whose acknowledgement was lost would:
    const [again] = await appendBatches(db, [{ ...last, records }]);
    expect(again).to.include({ appended: 0, duplicates: 2 });
    expect((await partitionsOf(db, 't'))[0]!.highWatermark).to.equal(end);
    const [on] = await appendBatches(db, [
      { ...last, baseSequence: next + 2, records: [recordOf(1002)] },
    ]);
    expect(on).to.include({ baseOffset: end, appended: 1, duplicates: 0 });
    const read = await recordsOf(log);
    expect(read.map((r) => r.value['i'])).to.deep.equal([...range(0, 200), 1000, 1001, 1002]);
    await expectConsistent(db);
  });

  it('keeps the producer of a batch merged from one producer in sequence, and none from several', async () => {
    const { db } = await opened(40);
    await compact(db, 't', 0);
    expect(await headersOf(db)).to.have.length(1);
    expect((await headersOf(db))[0]).to.include({ producerId: '', baseSequence: 0 });
    const one = { topic: 't', partition: 0, producerId: 'C', baseSequence: 0 };
    await appendBatches(db, [{ ...one, records: [recordOf(40)] }]);
    await appendBatches(db, [{ ...one, baseSequence: 1, records: [recordOf(41), recordOf(42)] }]);
    await compact(db, 't', 0, { batchSize: 40 });
    const headers = await headersOf(db);
    expect(headers.map((h) => [h.baseOffset, h.count])).to.deep.equal([
      [0, 40],
      [40, 3],
    ]);
    expect(headers[1]).to.include({ producerId: 'C', baseSequence: 0 });
  });

  it('lets a consumer and a fetch start in the middle of a merged batch', async () => {
    const { log, db } = await opened(500);
    await compact(db, 't', 0);
    for (const from of [1, 137, 499])
      expect(await recordsOf(log, 0, from)).to.deep.equal(expected(0, range(from, 500)));
    const window: OffsetRange = { topic: 't', partition: 0, fromOffset: 123, untilOffset: 321 };
    const seen: number[] = [];
    for await (const page of fetchBatches(db, window, { fields: ['i'] })) {
      for (const batch of page) {
        const [start, end] = recordWindow(batch, window);
        for (let i = start; i < end; i++) seen.push(batch.baseOffset + i);
      }
    }
    expect(seen).to.deep.equal(range(123, 321));
  });

  for (const merge of ['behind', 'across', 'ahead'] as const) {
    it(`a fetch paging through a partition reads each record once when batches ${merge} its page are merged`, async () => {
      const { db } = await opened(400);
      const whole: OffsetRange = { topic: 't', partition: 0, fromOffset: 3, untilOffset: 397 };
      const seen: number[] = [];
      let pages = 0;
      for await (const page of fetchBatches(db, whole, { fields: ['i'], pageSize: 8 })) {
        for (const batch of page) {
          const [start, end] = recordWindow(batch, whole);
          const column = batch.values['i'];
          if (column?.type !== 'number') throw new Error('i is not a number column');
          for (let i = start; i < end; i++) seen.push(column.values[i]!);
        }
        if (++pages === 2) {
          // Merged after a page, before the next: the last batch read (the last offset seen
          // is its last), alone, with what comes next, or ahead.
          const at = seen.at(-1)!;
          const spans = {
            behind: [0, at + 1],
            across: [at - 5, at + 60],
            ahead: [at + 30, at + 90],
          };
          const [fromOffset, untilOffset] = spans[merge];
          const merged = await compact(db, 't', 0, { fromOffset, untilOffset });
          expect(merged.merges).to.equal(1);
        }
      }
      expect(pages).to.be.greaterThan(2);
      expect(seen).to.deep.equal(range(3, 397));
      await expectConsistent(db);
    });
  }

  it("an executor reads exactly a streaming batch's offset ranges planned before the merge", async () => {
    const { log, db } = await opened(600, 2);
    const ranges: OffsetRange[] = [
      { topic: 't', partition: 0, fromOffset: 101, untilOffset: 389 },
      { topic: 't', partition: 1, fromOffset: 7, untilOffset: 593 },
    ];
    const pool = await ExecutorPool.start({ size: 2, createWorker, taskTimeoutMs: 20000 });
    try {
      const context = new EngineContext({ log, pool });
      const read = async () => ({
        records: await context.fromLog('t', ranges).collect(),
        pages: new Map(
          await context.fromLog('t', ranges).map(op.field('value.page')).countByValue(),
        ),
      });
      const before = await read();
      await compactTopic(db, 't', { batchSize: 1000 });
      expect(await headersOf(db, 0)).to.have.length(1);
      const after = await read();
      expect(after.records).to.have.length(288 + 586);
      expect(after.records.map((r) => [r.partition, r.offset])).to.deep.equal(
        ranges.flatMap((r) => range(r.fromOffset, r.untilOffset).map((o) => [r.partition, o])),
      );
      expect(after.records.map(withoutNullsOf)).to.deep.equal(before.records.map(withoutNullsOf));
      expect(after.pages).to.deep.equal(before.pages);
    } finally {
      await pool.terminate();
    }
  });

  it('retention deletes a merged batch whole, once its last record is due', async () => {
    const { log, db } = await opened(300);
    await compact(db, 't', 0, { batchSize: 100 });
    const headers = await headersOf(db);
    expect(headers.length).to.be.within(3, 4);
    const [first, second] = headers;
    await alterTopic(db, 't', { retentionMs: 60_000 });
    // Every record of the first batch but its newest is due: that one keeps the whole batch.
    const newest = Math.max(...range(0, first!.count).map((n) => recordOf(n).timestamp));
    expect(await enforceRetention(db, newest + 60_000)).to.equal(0);
    expect(await recordsOf(log)).to.deep.equal(expected(0, range(0, 300)));
    const deleted = await enforceRetention(db, newest + 60_001);
    expect(deleted).to.be.at.least(first!.count);
    const state = (await partitionsOf(db, 't'))[0]!;
    expect(state.logStartOffset).to.equal(deleted);
    expect([...headers.map((h) => h.baseOffset), 300]).to.include(deleted); // whole batches
    if (second!.maxTimestamp > newest) expect(deleted).to.equal(first!.count);
    expect(await recordsOf(log, 0, deleted)).to.deep.equal(expected(0, range(deleted, 300)));
    await expectConsistent(db);
  });

  it('leaves offsetsForTimes and describeTopic as they were, but for fewer batches', async () => {
    const { db } = await opened(700, 2);
    const times = [T0 - 1, T0, T0 + 5000, T0 + 50_500, T0 + 100_000, T0 + 100_001];
    const ask = () => Promise.all(times.map((time) => offsetsForTimes(db, 't', time)));
    const describe = async () =>
      (await describeTopic(db, 't')).partitions.map(({ bytes, batchCount, ...rest }) => ({
        ...rest,
        small: bytes > 0 && batchCount > 0,
      }));
    const [offsets, description] = [await ask(), await describe()];
    const batches = (await describeTopic(db, 't')).partitions.map((p) => p.batchCount);
    await compactTopic(db, 't', { batchSize: 300 });
    expect(await ask()).to.deep.equal(offsets);
    expect(await describe()).to.deep.equal(description);
    const now = (await describeTopic(db, 't')).partitions.map((p) => p.batchCount);
    now.forEach((n, p) => expect(n).to.be.lessThan(batches[p]! / 50));
  });
});

function withoutNullsOf(record: { value: Record<string, unknown> }) {
  return {
    ...record,
    value: Object.fromEntries(Object.entries(record.value).filter(([, v]) => v !== null)),
  };
}
