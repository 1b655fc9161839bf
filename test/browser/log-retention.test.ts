import { expect } from 'chai';
import { deleteDB } from 'idb';
import {
  alterTopic,
  Consumer,
  createTopic,
  enforceRetention,
  openLog,
  partitionsOf,
  Producer,
  topicOf,
  type LogDB,
} from '../../src/log';
import { uniqueLog } from './helpers';

async function topicWith(
  spec: { retentionBytes?: number; retentionMs?: number },
  batches: readonly number[], // each batch's timestamp
): Promise<{ log: string; db: LogDB }> {
  const log = uniqueLog('retention');
  const db = await openLog(log);
  await createTopic(db, { name: 't', partitions: 1, retentionMs: -1 });
  const producer = new Producer({ log, batchSize: 10 });
  for (const [b, timestamp] of batches.entries()) {
    for (let i = 0; i < 10; i++)
      void producer.send('t', { i: b * 10 + i, page: `/p/${i}` }, null, timestamp);
    await producer.flush();
  }
  await producer.close();
  await alterTopic(db, 't', spec); // only now, so the producer's own retention checks kept all
  return { log, db };
}

async function offsets(log: string): Promise<number[]> {
  const consumer = new Consumer({ log, autoOffsetReset: 'earliest', enableAutoCommit: false });
  consumer.assign([{ topic: 't', partition: 0 }]);
  const records = await consumer.poll({ maxRecords: 1000 });
  await consumer.close();
  return records.map((r) => r.offset);
}

describe('retention', () => {
  it('by bytes deletes whole batches from the head until the partition fits', async () => {
    const now = Date.now();
    const probe = await topicWith({}, [now]);
    const [one] = await partitionsOf(probe.db, 't');
    probe.db.close();
    await deleteDB(probe.log);
    const { log, db } = await topicWith({ retentionBytes: one!.bytes * 3 + 1 }, [
      now,
      now,
      now,
      now,
      now,
    ]);
    expect(await enforceRetention(db)).to.equal(20);
    const [state] = await partitionsOf(db, 't');
    expect(state).to.include({ logStartOffset: 20, highWatermark: 50, batchCount: 3 });
    expect(state!.bytes).to.be.at.most(one!.bytes * 3 + 1);
    expect(await offsets(log)).to.deep.equal(Array.from({ length: 30 }, (_, i) => 20 + i));
    expect(await db.count('columns')).to.equal(3); // one packed chunk per batch
    db.close();
    await deleteDB(log);
  });

  it('by bytes keeps the newest batch, however small the limit', async () => {
    const now = Date.now();
    const { log, db } = await topicWith({ retentionBytes: 1 }, [now, now, now]);
    expect(await enforceRetention(db)).to.equal(20);
    expect(await offsets(log)).to.deep.equal(Array.from({ length: 10 }, (_, i) => 20 + i));
    db.close();
    await deleteDB(log);
  });

  it('by age deletes the batches whose newest record is older than retentionMs', async () => {
    const now = Date.now();
    const { log, db } = await topicWith({ retentionMs: 60_000 }, [
      now - 120_000,
      now - 90_000,
      now - 1000,
    ]);
    expect(await enforceRetention(db)).to.equal(20);
    expect(await offsets(log)).to.deep.equal(Array.from({ length: 10 }, (_, i) => 20 + i));
    db.close();
    await deleteDB(log);
  });

  it('is applied by producers as they append', async () => {
    const log = uniqueLog('retention');
    const db = await openLog(log);
    await createTopic(db, { name: 't', partitions: 1, retentionMs: 60_000 });
    const producer = new Producer({ log, retentionCheckIntervalMs: 1 });
    await producer.send('t', { old: 1 }, null, Date.now() - 120_000);
    await producer.send('t', { fresh: 1 });
    await producer.flush();
    expect(await offsets(log)).to.deep.equal([1]);
    await producer.close();
    db.close();
    await deleteDB(log);
  });

  it("by bytes, by default: a topic created without retentionBytes keeps 10% of the origin's quota over its partitions", async () => {
    const { quota } = await navigator.storage.estimate();
    expect(quota).to.be.greaterThan(0);
    const log = uniqueLog('retention-default');
    const db = await openLog(log);
    const config = await createTopic(db, { name: 't', partitions: 4 });
    const share = Math.floor((quota! * 0.1) / 4);
    const expected = Math.min(1024 ** 3, Math.max(64 * 1024, share));
    // Chromium's quota moves with the disk's free space: asked twice, it differs a little.
    expect(config.retentionBytes).to.be.closeTo(expected, expected / 1000);
    expect((await topicOf(db, 't')).retentionBytes).to.equal(config.retentionBytes);
    const given = await createTopic(db, { name: 'u', retentionBytes: -1 });
    expect(given.retentionBytes).to.equal(-1);
    db.close();
    await deleteDB(log);
  });
});
