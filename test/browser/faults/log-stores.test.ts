// Fault suite, the log's state: partitions, topics, producers and offsets stores holding missing,
// wrong-typed or out-of-range values, and the log database deleted. Each damage is named
// (reportDamage), repaired from what is intact where it can be, and appends and reads go on.
import { expect } from 'chai';
import { deleteDB, openDB } from 'idb';
import {
  commitOffsets,
  Consumer,
  createTopic,
  encodeColumn,
  enforceRetention,
  ensureTopic,
  listTopics,
  openLog,
  partitionsOf,
  Producer,
  type PartitionState,
} from '../../../src/log';
import { uniqueLog } from '../helpers';
import { damageDuring, dropLog, range, readAll, sendAll, smallLog } from './log-damage';

async function damageState(
  db: Awaited<ReturnType<typeof openLog>>,
  change: Partial<Record<keyof PartitionState, unknown>>,
): Promise<void> {
  const state = (await db.get('partitions', ['t', 0]))!;
  await db.put('partitions', { ...state, ...change } as PartitionState);
}

/** The log of 30 records, damaged, then 10 more sent: they must get offsets 30–39 and all 40 read. */
async function appendsAndReadsGoOn(log: string): Promise<void> {
  expect(await sendAll(log, 30, 40)).to.deep.equal(range(30, 40));
  expect(await readAll(log)).to.deep.equal(range(0, 40));
}

describe('fault: log stores', () => {
  it('partitions: a string highWatermark is repaired from the last batch header, named, and appends go on', async () => {
    const { log, db } = await smallLog('hw-string');
    await damageState(db, { highWatermark: '30' });
    const damage = await damageDuring(() => appendsAndReadsGoOn(log));
    const named = damage.find((d) => d.store === 'partitions');
    expect(named).to.include({ database: log });
    expect(named!.at).to.match(/t-0/);
    expect(named!.problem).to.match(/highWatermark/);
    const [state] = await partitionsOf(db, 't');
    expect(state!.highWatermark).to.equal(40);
    await dropLog(log, db);
  });

  it('partitions: a highWatermark out of range (-5) is repaired', async () => {
    const { log, db } = await smallLog('hw-negative');
    await damageState(db, { highWatermark: -5 });
    const damage = await damageDuring(() => appendsAndReadsGoOn(log));
    expect(damage.some((d) => d.store === 'partitions')).to.equal(true);
    await dropLog(log, db);
  });

  it('partitions: a highWatermark below the last batch (a valid number, 12) is repaired before an append collides', async () => {
    const { log, db } = await smallLog('hw-low');
    await damageState(db, { highWatermark: 12 });
    const damage = await damageDuring(() => appendsAndReadsGoOn(log));
    expect(damage.some((d) => d.store === 'partitions')).to.equal(true);
    await dropLog(log, db);
  });

  it('partitions: a highWatermark far past the last batch (1e12) is repaired to its end', async () => {
    const { log, db } = await smallLog('hw-high');
    await damageState(db, { highWatermark: 1e12 });
    const damage = await damageDuring(() => appendsAndReadsGoOn(log));
    expect(damage.some((d) => d.store === 'partitions')).to.equal(true);
    await dropLog(log, db);
  });

  it('partitions: a NaN logStartOffset and a string bytes are repaired', async () => {
    const { log, db } = await smallLog('lso-nan');
    await damageState(db, { logStartOffset: NaN, bytes: 'lots' });
    const damage = await damageDuring(() => appendsAndReadsGoOn(log));
    expect(damage.some((d) => d.store === 'partitions')).to.equal(true);
    const [state] = await partitionsOf(db, 't');
    expect(state).to.include({ logStartOffset: 0, highWatermark: 40, batchCount: 4 });
    expect(state!.bytes).to.be.a('number').and.greaterThan(0);
    await dropLog(log, db);
  });

  it('partitions: a deleted partition state is rebuilt from its batches', async () => {
    const { log, db } = await smallLog('state-missing');
    await db.delete('partitions', ['t', 0]);
    const damage = await damageDuring(() => appendsAndReadsGoOn(log));
    expect(damage.some((d) => d.store === 'partitions' && /t-0/.test(d.at))).to.equal(true);
    await dropLog(log, db);
  });

  it('topics: a config with a string partition count and retention is repaired, named, and appends go on', async () => {
    const { log, db } = await smallLog('config-type');
    const config = (await db.get('topics', 't'))!;
    await db.put('topics', { ...config, partitions: '1', retentionMs: 'forever' } as never);
    const damage = await damageDuring(() => appendsAndReadsGoOn(log));
    expect(damage.some((d) => d.store === 'topics' && /"t"/.test(d.at))).to.equal(true);
    const repaired = (await db.get('topics', 't'))!;
    expect(repaired).to.include({ partitions: 1, retentionMs: 7 * 24 * 3600 * 1000 });
    await dropLog(log, db);
  });

  it('topics: a config stored under a key that is no topic name (42) is left out and named; retention and appends go on', async () => {
    const { log, db } = await smallLog('config-key');
    const config = (await db.get('topics', 't'))!;
    await db.put('topics', { ...config, name: 42 as unknown as string });
    let names: string[] = [];
    const damage = await damageDuring(async () => {
      names = (await listTopics(db)).map((topic) => topic.name);
      await enforceRetention(db);
    });
    expect(names).to.deep.equal(['t']);
    expect(damage.some((d) => d.store === 'topics' && /42/.test(d.at))).to.equal(true);
    await appendsAndReadsGoOn(log);
    await dropLog(log, db);
  });

  it('topics: a deleted config whose partitions remain is rebuilt; ensureTopic keeps the records', async () => {
    const { log, db } = await smallLog('config-missing');
    await db.delete('topics', 't');
    const damage = await damageDuring(async () => {
      await ensureTopic(db, { name: 't', partitions: 1 });
      await appendsAndReadsGoOn(log);
    });
    expect(damage.some((d) => d.store === 'topics')).to.equal(true);
    await dropLog(log, db);
  });

  it('topics and partitions: both deleted, a created topic starts after the batches still stored', async () => {
    const { log, db } = await smallLog('topic-gone');
    await db.delete('topics', 't');
    await db.delete('partitions', ['t', 0]);
    await damageDuring(async () => {
      await createTopic(db, { name: 't', partitions: 1 });
      await appendsAndReadsGoOn(log);
    });
    await dropLog(log, db);
  });

  it('offsets: a committed offset of the wrong type is treated as none (the reset policy applies), and named', async () => {
    const { log, db } = await smallLog('offset-type');
    await commitOffsets(db, 'g', [{ topic: 't', partition: 0, offset: 20 }]);
    const stored = (await db.get('offsets', ['g', 't', 0]))!;
    await db.put('offsets', { ...stored, offset: '20' as unknown as number });
    const consumer = new Consumer({ log, groupId: 'g', autoOffsetReset: 'earliest' });
    consumer.assign([{ topic: 't', partition: 0 }]);
    const damage = await damageDuring(async () => {
      const records = await consumer.poll({ maxRecords: 100 });
      expect(records.map((r) => r.offset)).to.deep.equal(range(0, 30));
      expect(await consumer.committed()).to.deep.equal([null]);
    });
    expect(damage.some((d) => d.store === 'offsets' && /g/.test(d.at))).to.equal(true);
    await consumer.close();
    expect(await sendAll(log, 30, 35)).to.deep.equal(range(30, 35));
    await dropLog(log, db);
  });

  it('offsets: a committed offset out of range (-3) is treated as none', async () => {
    const { log, db } = await smallLog('offset-negative');
    const committedAt = Date.now();
    await db.put('offsets', {
      group: 'g',
      topic: 't',
      partition: 0,
      offset: -3,
      metadata: '',
      committedAt,
    });
    const consumer = new Consumer({ log, groupId: 'g', autoOffsetReset: 'earliest' });
    consumer.assign([{ topic: 't', partition: 0 }]);
    const damage = await damageDuring(async () => {
      expect(await consumer.committed()).to.deep.equal([null]);
      expect((await consumer.poll({ maxRecords: 100 })).length).to.equal(30);
    });
    expect(damage.some((d) => d.store === 'offsets')).to.equal(true);
    await consumer.close();
    await dropLog(log, db);
  });

  it("producers: a producer's lastSequence of the wrong type is named; its next batch is appended, not stalled", async () => {
    const { log, db } = await smallLog('producer-type');
    const producer = new Producer({ log, batchSize: 10, lingerMs: 0 });
    await producer.send('t', { page: '/p/0', i: 30 });
    const key: [string, string, number] = [producer.producerId, 't', 0];
    const state = (await db.get('producers', key))!;
    await db.put('producers', { ...state, lastSequence: 'zero' as unknown as number });
    const damage = await damageDuring(async () => {
      const sends = range(31, 40).map((i) => producer.send('t', { page: `/p/${i % 2}`, i }));
      await producer.flush();
      expect((await Promise.all(sends)).map((m) => m.offset)).to.deep.equal(range(31, 40));
    });
    await producer.close();
    expect(damage.some((d) => d.store === 'producers')).to.equal(true);
    expect(await readAll(log)).to.deep.equal(range(0, 40));
    await dropLog(log, db);
  });

  it('the log database deleted mid-run: the producer reopens it; once the topic is created again new records land and are read', async () => {
    const { log, db } = await smallLog('db-deleted');
    db.close();
    const producer = new Producer({ log, batchSize: 10, lingerMs: 0 });
    expect((await producer.send('t', { page: '/p/0', i: 30 })).offset).to.equal(30);
    await deleteDB(log);
    const fresh = await openLog(log);
    await createTopic(fresh, { name: 't', partitions: 1 });
    const sends = range(0, 5).map((i) => producer.send('t', { page: '/p/0', i }));
    await producer.flush().catch(() => {});
    const settled = await Promise.allSettled(sends);
    // Each record either landed in the new log or was rejected with a named error: none hangs.
    const landed = settled.flatMap((s, i) => (s.status === 'fulfilled' ? [i] : []));
    for (const s of settled)
      if (s.status === 'rejected')
        expect((s.reason as Error).name).to.match(
          /UnknownTopicOrPartitionError|OutOfOrderSequenceError/,
        );
    const more = range(5, 10).map((i) => producer.send('t', { page: '/p/0', i }));
    await producer.close();
    expect((await Promise.all(more)).length).to.equal(5);
    expect(await readAll(log)).to.deep.equal([...landed, ...range(5, 10)]);
    await dropLog(log, fresh);
  });

  it('the log database deleted mid-run under a consumer: its next poll opens it again and reads the new records', async () => {
    const { log, db } = await smallLog('db-deleted-consumer');
    db.close();
    const consumer = new Consumer({ log, autoOffsetReset: 'earliest', enableAutoCommit: false });
    consumer.assign([{ topic: 't', partition: 0 }]);
    expect((await consumer.poll({ maxRecords: 100 })).length).to.equal(30);
    await deleteDB(log);
    const fresh = await openLog(log);
    await createTopic(fresh, { name: 't', partitions: 1 });
    expect(await sendAll(log, 0, 5)).to.deep.equal(range(0, 5));
    const records = await consumer.poll({ maxRecords: 100 });
    expect(records.map((r) => r.value['i'])).to.deep.equal(range(0, 5));
    await consumer.close();
    await dropLog(log, fresh);
  });

  it('batches of schema 1: a batch that cannot be converted is dropped and named; the log still opens and the rest is read', async () => {
    const log = uniqueLog('upgrade-damaged');
    const v1 = await openDB(log, 1, {
      upgrade(db) {
        db.createObjectStore('topics', { keyPath: 'name' });
        db.createObjectStore('partitions', { keyPath: ['topic', 'partition'] });
        db.createObjectStore('batches', { keyPath: ['topic', 'partition', 'baseOffset'] });
        db.createObjectStore('producers', { keyPath: ['producerId', 'topic', 'partition'] });
      },
    });
    const t0 = Date.now();
    await v1.put('topics', { name: 't', partitions: 1, createdAt: t0 });
    await v1.put('partitions', { topic: 't', partition: 0, logStartOffset: 0, highWatermark: 10 });
    const batch = (baseOffset: number) => ({
      topic: 't',
      partition: 0,
      baseOffset,
      count: 5,
      firstTimestamp: t0,
      maxTimestamp: t0,
      producerId: 'old',
      baseSequence: baseOffset,
      timestamps: new Float64Array(5).fill(t0),
      keys: encodeColumn([null, null, null, null, null]),
      columns: { i: encodeColumn(range(baseOffset, baseOffset + 5)) },
    });
    await v1.put('batches', { ...batch(0), timestamps: 'lost' });
    await v1.put('batches', batch(5));
    v1.close();
    let seen: number[] = [];
    const damage = await damageDuring(async () => {
      seen = await readAll(log);
      expect(await sendAll(log, 10, 15)).to.deep.equal(range(10, 15));
    });
    expect(seen).to.deep.equal(range(5, 10));
    expect(damage.some((d) => d.store === 'batches' && /t-0 offset 0/.test(d.at))).to.equal(true);
    expect(await readAll(log)).to.deep.equal(range(5, 15));
    await deleteDB(log);
  });
});
