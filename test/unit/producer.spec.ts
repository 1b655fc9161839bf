import { describe, expect, it, vi } from 'vitest';
import { damageSeen } from '../../src/shared/diagnostics';
import {
  deleteTopic,
  eventAt,
  OutOfOrderSequenceError,
  partitionsOf,
  ensureTopic,
  fetchBatches,
  openLog,
  partitionForKey,
  Producer,
  recoverSpills,
  RecordSpilledError,
  SerializationError,
  type LogDB,
  type LogEvent,
} from '../../src/log';
import { freshLog, MemoryStorage } from './helpers';

async function countRecords(db: LogDB): Promise<number> {
  const partitions = await partitionsOf(db, 'clicks');
  return partitions.reduce((sum, p) => sum + p.highWatermark, 0);
}

async function batchSizes(db: LogDB): Promise<number[]> {
  const sizes = [];
  for (const { partition, highWatermark } of await partitionsOf(db, 'clicks')) {
    const range = { topic: 'clicks', partition, fromOffset: 0, untilOffset: highWatermark };
    for await (const page of fetchBatches(db, range)) sizes.push(...page.map((b) => b.count));
  }
  return sizes;
}

describe('Producer', () => {
  it('resolves each send with its offset, keyed records in send order on their partition', async () => {
    const db = await freshLog();
    const producer = new Producer({ log: db.name });
    const sent = await Promise.all(
      Array.from({ length: 6 }, (_, i) => producer.send('clicks', { i }, 'session-1')),
    );
    const partition = partitionForKey('session-1', 4);
    expect(sent).toEqual(
      Array.from({ length: 6 }, (_, offset) => ({ topic: 'clicks', partition, offset })),
    );
    await producer.close();
  });

  it('starts no append while paused (a page in the back/forward cache), and appends on resume', async () => {
    const db = await freshLog();
    const producer = new Producer({ log: db.name, lingerMs: 5 });
    await producer.send('clicks', { i: 0 }, 'session-1'); // the topic's metadata, loaded
    producer.pause();
    const sent = producer.send('clicks', { i: 1 }, 'session-1');
    await new Promise((resolve) => setTimeout(resolve, 100)); // 20 lingers
    expect(await countRecords(db)).toBe(1);
    producer.resume();
    await sent;
    expect(await countRecords(db)).toBe(2);
    await producer.close();
  });

  it('appends records in batches of at most batch.size', async () => {
    const db = await freshLog();
    const producer = new Producer({ log: db.name, batchSize: 100, lingerMs: 10000 });
    for (let i = 0; i < 250; i++) void producer.send('clicks', { i }, 'k');
    await producer.flush();
    expect(await batchSizes(db)).toEqual([100, 100, 50]);
    await producer.close();
  });

  it('moves null-key records to another partition with every batch, lingered ones too', async () => {
    const db = await freshLog();
    const producer = new Producer({ log: db.name, lingerMs: 0 });
    const partitions: number[] = [];
    for (let i = 0; i < 8; i++) partitions.push((await producer.send('clicks', { i })).partition);
    for (let i = 1; i < partitions.length; i++) expect(partitions[i]).not.toBe(partitions[i - 1]);
    await producer.close();
  });

  it('rejects at once, with SerializationError, a value it cannot store', async () => {
    const db = await freshLog('clicks', 1);
    const producer = new Producer({ log: db.name });
    const sends = [{ big: 10n }, { f: () => 1 }, { s: Symbol('s') }].map((value) =>
      producer.send('clicks', value as unknown as LogEvent),
    );
    for (const send of sends) await expect(send).rejects.toThrow(SerializationError);
    await expect(producer.send('clicks', { fine: 1 })).resolves.toMatchObject({ offset: 0 });
    await producer.close();
  });

  it('reads booleans back as booleans, and what JSON holds as its JSON', async () => {
    const db = await freshLog('clicks', 1);
    const producer = new Producer({ log: db.name });
    const sent = [
      { outbound: true, page: '/a' },
      { outbound: false, page: '/b', nested: { a: [1, 'x'] } },
      { big: '10', page: 3 },
    ] as unknown as LogEvent[];
    await Promise.all(sent.map((value) => producer.send('clicks', value)));
    const range = { topic: 'clicks', partition: 0, fromOffset: 0, untilOffset: 3 };
    const values = [];
    for await (const page of fetchBatches(db, range)) {
      for (const batch of page) {
        for (let i = 0; i < batch.count; i++) values.push(eventAt(batch.values, i));
      }
    }
    expect(values).toEqual([
      { outbound: true, page: '/a', nested: null, big: null },
      { outbound: false, page: '/b', nested: { a: [1, 'x'] }, big: null },
      { outbound: null, page: 3, nested: null, big: '10' },
    ]);
    await producer.close();
  });

  it('fails the sends of a deleted partition, and goes on with the others', async () => {
    const db = await freshLog('clicks', 1);
    await ensureTopic(db, { name: 'other', partitions: 1 });
    const producer = new Producer({ log: db.name, lingerMs: 10000 });
    void producer.send('clicks', { before: 1 }); // the log knows this producer's sequence
    await producer.flush();
    await deleteTopic(db, 'clicks');
    await ensureTopic(db, { name: 'clicks', partitions: 1 }); // …and has forgotten it
    const lost = producer.send('clicks', { lost: 1 });
    const other = producer.send('other', { fine: 1 });
    void producer.flush().catch(() => {});
    await expect(lost).rejects.toThrow(OutOfOrderSequenceError);
    await expect(other).resolves.toMatchObject({ topic: 'other', offset: 0 });
    const again = producer.send('clicks', { again: 1 });
    await producer.flush();
    await expect(again).resolves.toMatchObject({ offset: 0 });
    await producer.close();
  });

  it('hands unappended records to the spill, and they land exactly once', async () => {
    const db = await freshLog();
    const storage = new MemoryStorage();
    const producer = new Producer({ log: db.name, lingerMs: 10000 });
    void producer.send('clicks', { warm: 1 });
    await producer.flush(); // the topic is known from here on
    for (let i = 0; i < 50; i++) void producer.send('clicks', { i }, `k${i % 7}`);
    producer.spill(storage); // the page goes away...
    expect(storage.length).toBe(1);
    await recoverSpills(db, storage); // ...the next page appends the spill...
    await producer.flush(); // ...and, had the page lived on, the producer would have too.
    await recoverSpills(db, storage);
    expect(await countRecords(db)).toBe(51);
    expect(storage.length).toBe(0);
    await producer.close();
  });

  it('hands over records sent before the topic existed, and forgets them', async () => {
    const storage = new MemoryStorage();
    const db = await openLog(`unit-${process.pid}-early`);
    const producer = new Producer({ log: db.name, maxBlockMs: 60000 });
    const early = [producer.send('clicks', { i: 0 }), producer.send('clicks', { i: 1 })];
    producer.spill(storage);
    const later = producer.send('clicks', { i: 2 });
    producer.spill(storage); // a second spill keeps the first one's records
    for (const send of [...early, later]) await expect(send).rejects.toThrow(RecordSpilledError);
    await ensureTopic(db, { name: 'clicks', partitions: 4 });
    await Promise.all([recoverSpills(db, storage), recoverSpills(db, storage)]);
    expect(await countRecords(db)).toBe(3);
    await producer.close();
  });

  it('drops an unreadable spill, reporting it as damage, and recovers the others', async () => {
    const db = await freshLog();
    const storage = new MemoryStorage();
    const producer = new Producer({ log: db.name, lingerMs: 10000 });
    void producer.send('clicks', { warm: 1 });
    await producer.flush();
    void producer.send('clicks', { i: 1 });
    producer.spill(storage);
    storage.setItem(`tabstream:spill:${db.name}:broken`, '{"version":1,');
    const before = damageSeen().count;
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    await expect(recoverSpills(db, storage)).resolves.toBe(1);
    error.mockRestore();
    expect(damageSeen().count).toBe(before + 1);
    expect(damageSeen().recent.at(-1)).toMatchObject({
      database: 'localStorage',
      store: `tabstream:spill:${db.name}:broken`,
    });
    expect(storage.length).toBe(0);
    expect(await countRecords(db)).toBe(2);
    await producer.close();
  });

  it('removes its earlier spills once what they held is in the log', async () => {
    const db = await freshLog();
    const storage = new MemoryStorage();
    const producer = new Producer({ log: db.name, lingerMs: 10000 });
    void producer.send('clicks', { i: 1 });
    await producer.flush();
    producer.spill(storage);
    expect(storage.length).toBe(0); // nothing to hand over
    void producer.send('clicks', { i: 2 });
    producer.spill(storage); // the page is hidden...
    expect(storage.length).toBe(1);
    await producer.flush(); // ...and comes back: the record lands
    producer.spill(storage); // hidden again: the earlier spill is superseded
    expect(storage.length).toBe(0);
    await producer.close();
  });

  it('changes nothing when storage refuses the spill', async () => {
    const storage = new MemoryStorage();
    storage.setItem = () => {
      throw new DOMException('full', 'QuotaExceededError');
    };
    const db = await openLog(`unit-${process.pid}-refused`);
    const producer = new Producer({ log: db.name });
    const sent = producer.send('clicks', { i: 0 }); // the topic does not exist yet
    expect(() => producer.spill(storage)).toThrow('full');
    await ensureTopic(db, { name: 'clicks', partitions: 2 });
    await producer.flush();
    await expect(sent).resolves.toMatchObject({ offset: 0 });
    expect(await countRecords(db)).toBe(1);
    await producer.close();
  });

  it("learns a topic's partitions with partitionsFor: a record sent then and spilled at once stays with it", async () => {
    const db = await freshLog('clicks', 3);
    const storage = new MemoryStorage();
    const producer = new Producer({ log: db.name, lingerMs: 10000 });
    // Unknown: the record waits for a read of the log, and a spill hands it over.
    const handedOver = producer.send('clicks', { i: 0 }, 'tab-1');
    producer.spill(storage);
    await expect(handedOver).rejects.toBeInstanceOf(RecordSpilledError);
    expect(await producer.partitionsFor('clicks')).toBe(3);
    // Known: the record goes into a batch at once, and the producer appends it itself.
    const kept = producer.send('clicks', { i: 1 }, 'tab-1');
    producer.spill(storage);
    await producer.flush();
    await expect(kept).resolves.toMatchObject({ topic: 'clicks', offset: 0 });
    const stray = new Producer({ log: db.name, maxBlockMs: 0 });
    await expect(stray.partitionsFor('no-such-topic')).rejects.toThrow(/no-such-topic/);
    await Promise.all([producer.close(), stray.close()]);
  });

  it('recovers the other spills when one cannot be appended', async () => {
    const db = await freshLog();
    const storage = new MemoryStorage();
    const stray = new Producer({ log: db.name, maxBlockMs: 0 });
    void stray.send('no-such-topic', { i: 0 }).catch(() => {});
    stray.spill(storage); // a spill for a topic that does not exist
    const producer = new Producer({ log: db.name, lingerMs: 10000 });
    void producer.send('clicks', { warm: 1 });
    await producer.flush();
    void producer.send('clicks', { i: 1 });
    producer.spill(storage);
    for (let i = 0; i < 2; i++) {
      await expect(recoverSpills(db, storage)).rejects.toThrow(/no-such-topic/);
    }
    expect(await countRecords(db)).toBe(2);
    expect(storage.length).toBe(1);
    await producer.close();
  });
});
