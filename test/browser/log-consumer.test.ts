import { expect } from 'chai';
import { deleteDB } from 'idb';
import {
  Admin,
  Consumer,
  createTopic,
  deleteRecords,
  OffsetOutOfRangeError,
  openLog,
  partitionsOf,
  Producer,
  type ConsumerRecord,
} from '../../src/log';
import { chunkKey, range, smallLog } from './faults/log-damage';
import { uniqueLog } from './helpers';

const T0 = Date.now() - 60_000; // recent: older records would fall to the 7-day retention

/** A log whose topic `t` (2 partitions) holds `n` records keyed so that each partition gets some. */
async function logWith(n: number, extra: { retentionBytes?: number } = {}) {
  const log = uniqueLog('consumer');
  const db = await openLog(log);
  await createTopic(db, { name: 't', partitions: 2, ...extra });
  const producer = new Producer({ log, batchSize: 10 });
  const sent = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      producer.send('t', { i, page: `/p/${i % 3}` }, `k${i % 4}`, T0 + i),
    ),
  );
  await producer.close();
  return { log, db, sent };
}

async function drain(consumer: Consumer, max = 7): Promise<ConsumerRecord[]> {
  const all: ConsumerRecord[] = [];
  for (let records; (records = await consumer.poll({ maxRecords: max })).length > 0;)
    all.push(...records);
  return all;
}

describe('Consumer', () => {
  it('polls every record once, in offset order per partition, with its metadata', async () => {
    const { log, db, sent } = await logWith(95);
    const consumer = new Consumer({ log, autoOffsetReset: 'earliest', enableAutoCommit: false });
    consumer.assign([0, 1].map((partition) => ({ topic: 't', partition })));
    const records = await drain(consumer);
    expect(records).to.have.length(95);
    for (const partition of [0, 1]) {
      const offsets = records.filter((r) => r.partition === partition).map((r) => r.offset);
      expect(offsets).to.deep.equal(offsets.map((_, i) => i));
    }
    for (const record of records) {
      const i = record.value.i as number;
      expect(record).to.include({ topic: 't', key: `k${i % 4}`, timestamp: T0 + i });
      expect(record.value).to.deep.equal({ i, page: `/p/${i % 3}` });
      expect(sent[i]).to.deep.equal({
        topic: 't',
        partition: record.partition,
        offset: record.offset,
      });
    }
    await consumer.close();
    db.close();
    await deleteDB(log);
  });

  it('seeks, reports its position, and starts at the end with auto.offset.reset latest', async () => {
    const { log, db } = await logWith(40);
    const tp = { topic: 't', partition: 0 };
    const latest = new Consumer({ log, enableAutoCommit: false });
    latest.assign([tp]);
    const end = await latest.position(tp);
    expect(end).to.be.greaterThan(5);
    expect(await latest.poll()).to.deep.equal([]);
    latest.seek(tp, 3);
    const records = await latest.poll({ maxRecords: 2 });
    expect(records.map((r) => r.offset)).to.deep.equal([3, 4]);
    expect(await latest.position(tp)).to.equal(5);
    await latest.seekToBeginning();
    expect(await latest.position(tp)).to.equal(0);
    await latest.close();
    db.close();
    await deleteDB(log);
  });

  it('waits up to timeoutMs for records appended by another producer', async () => {
    const { log, db } = await logWith(0);
    const consumer = new Consumer({ log, enableAutoCommit: false });
    consumer.assign([0, 1].map((partition) => ({ topic: 't', partition })));
    await consumer.position({ topic: 't', partition: 0 });
    const producer = new Producer({ log });
    setTimeout(() => void producer.send('t', { late: 1 }), 100);
    const records = await consumer.poll({ timeoutMs: 5000 });
    expect(records.map((r) => r.value)).to.deep.equal([{ late: 1 }]);
    await producer.close();
    await consumer.close();
    db.close();
    await deleteDB(log);
  });

  it('commits and reads committed offsets per group; a new member resumes there', async () => {
    const { log, db } = await logWith(30);
    const tp = { topic: 't', partition: 1 };
    const first = new Consumer({
      log,
      groupId: 'g',
      autoOffsetReset: 'earliest',
      enableAutoCommit: false,
    });
    first.assign([tp]);
    const read = await first.poll({ maxRecords: 4 });
    await first.commit();
    expect(await first.committed()).to.deep.equal([{ ...tp, offset: 4 }]);
    await first.close();
    const second = new Consumer({ log, groupId: 'g', autoOffsetReset: 'earliest' });
    second.assign([tp]);
    const next = await second.poll({ maxRecords: 1 });
    expect(next[0]!.offset).to.equal(read.length);
    const lag = await new Admin(log).listConsumerGroupOffsets('g', 't');
    expect(lag[1]).to.include({ offset: 4 });
    expect(lag[1]!.lag).to.equal(lag[1]!.highWatermark - 4);
    await second.close(); // auto-commit on close: offset 5
    const other = new Consumer({ log, groupId: 'other', enableAutoCommit: false });
    other.assign([tp]);
    expect(await other.committed()).to.deep.equal([null]);
    const third = new Consumer({ log, groupId: 'g', enableAutoCommit: false });
    third.assign([tp]);
    expect(await third.position(tp)).to.equal(5);
    await Promise.all([other.close(), third.close()]);
    db.close();
    await deleteDB(log);
  });

  it('applies the reset policy, or throws OffsetOutOfRangeError, when retention passed its position', async () => {
    const { log, db } = await logWith(60);
    const tp = { topic: 't', partition: 0 };
    const consumers = (['earliest', 'latest', 'none'] as const).map((autoOffsetReset) => {
      const consumer = new Consumer({ log, autoOffsetReset, enableAutoCommit: false });
      consumer.assign([tp]);
      consumer.seek(tp, 0);
      return consumer;
    });
    const [state] = await partitionsOf(db, 't');
    expect(state!.highWatermark).to.be.greaterThan(10);
    const middle = Math.floor(state!.highWatermark / 2) + 1; // inside a batch of 10, most likely
    expect(await deleteRecords(db, 't', 0, middle)).to.equal(middle);
    const [earliest, latest, none] = consumers as [Consumer, Consumer, Consumer];
    expect((await earliest.poll({ maxRecords: 1 }))[0]!.offset).to.equal(middle);
    expect(earliest.metrics().offsetResets).to.equal(1);
    expect(await latest.poll()).to.deep.equal([]);
    expect(await latest.position(tp)).to.equal(state!.highWatermark);
    let error: unknown;
    await none.poll().catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(OffsetOutOfRangeError);
    expect((error as OffsetOutOfRangeError).logStartOffset).to.equal(middle);
    await Promise.all(consumers.map((c) => c.close()));
    db.close();
    await deleteDB(log);
  });

  it('takes the rest of a batch a poll stopped inside from what it read, unless the log-start offset passed it', async () => {
    const { log, db } = await smallLog('consumer-partial');
    const consumer = new Consumer({ log, autoOffsetReset: 'earliest', enableAutoCommit: false });
    consumer.assign([{ topic: 't', partition: 0 }]);
    const offsets = async (max: number) =>
      (await consumer.poll({ maxRecords: max })).map((r) => r.value['i']);
    expect(await offsets(4)).to.deep.equal([0, 1, 2, 3]);
    // The batch's chunk goes: the records already read are still handed out, as Kafka's are.
    await db.delete('columns', chunkKey('value.i', 0));
    expect(await offsets(3)).to.deep.equal([4, 5, 6]);
    expect(await offsets(100)).to.deep.equal(range(7, 30));

    const again = new Consumer({ log, autoOffsetReset: 'earliest', enableAutoCommit: false });
    again.assign([{ topic: 't', partition: 0 }]);
    again.seek({ topic: 't', partition: 0 }, 10);
    expect((await again.poll({ maxRecords: 4 })).map((r) => r.offset)).to.deep.equal([
      10, 11, 12, 13,
    ]);
    await deleteRecords(db, 't', 0, 20); // past the batch it stopped inside
    expect((await again.poll({ maxRecords: 100 })).map((r) => r.offset)).to.deep.equal(
      range(20, 30),
    );
    await Promise.all([consumer.close(), again.close()]);
    db.close();
    await deleteDB(log);
  });
});
