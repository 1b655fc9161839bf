import { expect } from 'chai';
import { deleteDB, openDB } from 'idb';
import {
  Admin,
  Consumer,
  defaultRetentionBytes,
  encodeColumn,
  InvalidTopicConfigError,
  openLog,
  Producer,
  TopicExistsError,
  UnknownTopicOrPartitionError,
} from '../../src/log';
import { uniqueLog } from './helpers';

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('resolved'),
    (error: unknown) => error,
  );
}

async function readAll(log: string, topic: string, partitions: number) {
  const consumer = new Consumer({ log, autoOffsetReset: 'earliest', enableAutoCommit: false });
  consumer.assign(Array.from({ length: partitions }, (_, partition) => ({ topic, partition })));
  const records = await consumer.poll({ maxRecords: 10_000 });
  await consumer.close();
  return records;
}

describe('topics (Admin)', () => {
  it('creates, lists, describes, grows and deletes topics', async () => {
    const log = uniqueLog('topics');
    const admin = new Admin(log);
    await admin.createTopic({ name: 'a', partitions: 2, retentionBytes: 1_000_000 });
    await admin.createTopic({ name: 'b' });
    expect(await rejection(admin.createTopic({ name: 'a' }))).to.be.instanceOf(TopicExistsError);
    expect(await rejection(admin.createTopic({ name: 'bad name!' }))).to.be.instanceOf(
      InvalidTopicConfigError,
    );
    expect(await rejection(admin.createTopic({ name: 'c', partitions: 0 }))).to.be.instanceOf(
      InvalidTopicConfigError,
    );
    expect(
      (await admin.listTopics()).map((t) => [t.name, t.partitions, t.retentionBytes]),
    ).to.deep.equal([
      ['a', 2, 1_000_000],
      ['b', 1, await defaultRetentionBytes(1)], // a share of the quota: no retentionBytes given
    ]);

    const producer = admin.producer({ batchSize: 5 });
    const t0 = Date.now() - 1000;
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => producer.send('a', { i }, 'same key', t0 + i)),
    );
    const { config, partitions } = await admin.describeTopic('a');
    expect(config.name).to.equal('a');
    const busy = partitions.find((p) => p.highWatermark > 0)!;
    expect(busy).to.include({
      logStartOffset: 0,
      highWatermark: 12,
      batchCount: 3,
      firstTimestamp: t0,
      lastTimestamp: t0 + 11,
    });
    expect(busy.bytes).to.be.greaterThan(0);
    expect(partitions.find((p) => p !== busy)).to.include({
      highWatermark: 0,
      firstTimestamp: null,
    });
    const early = admin.producer({ retentionCheckIntervalMs: 1 }); // refreshes metadata as often
    await early.send('a', { early: 1 });
    await admin.createPartitions('a', 3);
    expect((await admin.describeTopic('a')).partitions).to.have.length(3);
    expect(await rejection(admin.createPartitions('a', 2))).to.be.instanceOf(RangeError);
    await early.send('a', { early: 2 }); // its next append's check learns of partition 2
    const landed = await Promise.all(
      Array.from({ length: 30 }, (_, i) => early.send('a', { i }, `k${i}`)),
    );
    expect(landed.some((m) => m.partition === 2)).to.equal(true);

    await admin.deleteTopic('a');
    expect((await admin.listTopics()).map((t) => t.name)).to.deep.equal(['b']);
    expect(await rejection(admin.describeTopic('a'))).to.be.instanceOf(
      UnknownTopicOrPartitionError,
    );
    const db = await openLog(log);
    expect(await db.count('batches')).to.equal(0);
    expect(await db.count('columns')).to.equal(0);
    expect(await db.count('producers')).to.equal(0);
    db.close();
    await Promise.all([producer.close(), early.close(), admin.close()]);
    await deleteDB(log);
  });

  it('prints topics like kafka-topics --describe', async () => {
    const log = uniqueLog('topics');
    const admin = new Admin(log);
    await admin.createTopic({ name: 'clicks', partitions: 2 });
    const printed: unknown[] = [];
    const original = console.log;
    console.log = (...args: unknown[]) => printed.push(...args);
    try {
      const [description] = await admin.describe();
      expect(description!.config.name).to.equal('clicks');
      // One console.log per line, as the tool prints: the topic, then each partition.
      expect(printed).to.have.length(3);
      expect(printed[0]).to.match(/^Topic: clicks\tTopicId: [\w-]{22}\tPartitionCount: 2\t/);
      expect(printed.slice(1)).to.deep.equal(
        [0, 1].map(
          (partition) => `\tTopic: clicks\tPartition: ${partition}\tLeader: 0\tReplicas: 0\tIsr: 0`,
        ),
      );
    } finally {
      console.log = original;
    }
    await admin.close();
    await deleteDB(log);
  });

  it('finds offsets for times: the earliest offset at or after a timestamp, per partition', async () => {
    const log = uniqueLog('times');
    const admin = new Admin(log);
    await admin.createTopic({ name: 't', partitions: 2 });
    const producer = admin.producer({ batchSize: 4 });
    const t0 = Date.now() - 10_000;
    const times = [0, 10, 20, 5, 30, 40, 50, 60, 70, 80].map((d) => t0 + d); // not ordered
    await Promise.all(times.map((t, i) => producer.send('t', { i }, 'k', t)));
    const partition = (await producer.send('t', { last: 1 }, 'k', t0 + 90)).partition;
    const found = await admin.offsetsForTimes('t', t0 + 25);
    expect(found[partition]).to.deep.equal({ partition, offset: 4, timestamp: t0 + 30 });
    expect(found[1 - partition]).to.equal(null);
    expect((await admin.offsetsForTimes('t', t0 + 6))[partition]).to.include({ offset: 1 });
    expect((await admin.offsetsForTimes('t', t0 + 1000))[partition]).to.equal(null);
    await Promise.all([producer.close(), admin.close()]);
    await deleteDB(log);
  });
});

describe('schema upgrade', () => {
  it('converts a log of schema 1 to headers and column chunks, keeping every record', async () => {
    const log = uniqueLog('upgrade');
    const t0 = Date.now() - 5000;
    const v1 = await openDB(log, 1, {
      upgrade(db) {
        db.createObjectStore('topics', { keyPath: 'name' });
        db.createObjectStore('partitions', { keyPath: ['topic', 'partition'] });
        db.createObjectStore('batches', { keyPath: ['topic', 'partition', 'baseOffset'] });
        db.createObjectStore('producers', { keyPath: ['producerId', 'topic', 'partition'] });
      },
    });
    await v1.put('topics', { name: 'clicks', partitions: 1, createdAt: t0 });
    await v1.put('partitions', {
      topic: 'clicks',
      partition: 0,
      logStartOffset: 0,
      highWatermark: 5,
    });
    const pages = ['/a', '/b', '/a', null, '/c'];
    await v1.put('batches', {
      topic: 'clicks',
      partition: 0,
      baseOffset: 0,
      count: 5,
      firstTimestamp: t0,
      maxTimestamp: t0 + 4,
      producerId: 'old',
      baseSequence: 0,
      timestamps: Float64Array.from(pages, (_, i) => t0 + i),
      keys: encodeColumn([null, null, null, null, null]),
      columns: { page: encodeColumn(pages), x: encodeColumn([1, 2, 3, 4, 5]) },
    });
    v1.close();

    const records = await readAll(log, 'clicks', 1);
    expect(records.map((r) => [r.offset, r.timestamp, r.key, r.value])).to.deep.equal(
      pages.map((page, i) => [i, t0 + i, null, { page, x: i + 1 }]),
    );
    const { partitions, config } = await new Admin(log).describeTopic('clicks');
    expect(config.retentionMs).to.equal(7 * 24 * 3600 * 1000);
    expect(partitions[0]).to.include({ batchCount: 1, highWatermark: 5, lastTimestamp: t0 + 4 });
    const producer = new Producer({ log });
    expect(await producer.send('clicks', { page: '/d' })).to.include({ offset: 5 });
    await producer.close();
    await deleteDB(log);
  });
});
