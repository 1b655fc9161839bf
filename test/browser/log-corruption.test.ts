import { expect } from 'chai';
import { deleteDB } from 'idb';
import { EngineContext, ExecutorPool, op } from '../../src/engine';
import { Consumer, CorruptRecordError, type LogDB } from '../../src/log';
import { chunkKey, smallLog } from './faults/log-damage';

/** A one-partition topic of 3 batches of 10 records; the middle batch's chunk holding `page` gets a flipped byte. */
async function logWithCorruptBatch(): Promise<{ log: string; db: LogDB }> {
  const { log, db } = await smallLog('corrupt');
  const key = chunkKey('value.page', 10);
  const chunk = (await db.get('columns', key))!;
  new Uint8Array(chunk)[30]! ^= 0x04;
  await db.put('columns', chunk, key);
  return { log, db };
}

function consumerOf(log: string, skipCorrupt: boolean): Consumer {
  const consumer = new Consumer({
    log,
    autoOffsetReset: 'earliest',
    enableAutoCommit: false,
    skipCorrupt,
  });
  consumer.assign([{ topic: 't', partition: 0 }]);
  return consumer;
}

describe('corrupt record batches', () => {
  it('fail a poll with CorruptRecordError naming topic, partition and offset', async () => {
    const { log, db } = await logWithCorruptBatch();
    const consumer = consumerOf(log, false);
    expect(await consumer.poll({ maxRecords: 10 })).to.have.length(10);
    let error: unknown;
    await consumer.poll().catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(CorruptRecordError);
    expect(error).to.include({ topic: 't', partition: 0, offset: 10, records: 10 });
    expect((error as Error).message).to.match(/t-0 offset 10/);
    await consumer.close();
    db.close();
    await deleteDB(log);
  });

  it('are skipped and counted by a consumer that asks to skip them', async () => {
    const { log, db } = await logWithCorruptBatch();
    const consumer = consumerOf(log, true);
    const records = await consumer.poll({ maxRecords: 100 });
    expect(records.map((r) => r.offset)).to.deep.equal([
      ...Array.from({ length: 10 }, (_, i) => i),
      ...Array.from({ length: 10 }, (_, i) => 20 + i),
    ]);
    expect(consumer.metrics()).to.include({ corruptBatchesSkipped: 1, corruptRecordsSkipped: 10 });
    expect(await consumer.poll()).to.deep.equal([]);
    await consumer.close();
    db.close();
    await deleteDB(log);
  });

  it('are skipped by an executor counting that column, and counted in its task metrics', async () => {
    const { log, db } = await logWithCorruptBatch();
    const pool = await ExecutorPool.start({ createWorker: null });
    const context = new EngineContext({ log, pool });
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args[0]);
    try {
      const range = { topic: 't', partition: 0, fromOffset: 0, untilOffset: 30 };
      const counts = await context.fromLog('t', [range]).map(op.field('value.page')).countByValue();
      expect(counts).to.deep.equal(
        new Map([
          ['/p/0', 10],
          ['/p/1', 10],
        ]),
      );
      const [task] = context.status.stages().at(-1)!.tasks;
      expect(task!.metrics!.corruptBatches).to.equal(1);
      expect(errors.map(String).join('\n')).to.match(/corrupt record batch at t-0 offset 10/);
    } finally {
      console.error = original;
      await pool.terminate();
    }
    db.close();
    await deleteDB(log);
  });

  it('include a chunk whose base offset (outside the CRC) was damaged: it is missing from its batch', async () => {
    const { log, db } = await logWithCorruptBatch();
    const key = chunkKey('value.i', 20);
    const chunk = (await db.get('columns', key))!;
    new DataView(chunk).setFloat64(0, 21, true);
    await db.put('columns', chunk, key);
    const consumer = consumerOf(log, true);
    const records = await consumer.poll({ maxRecords: 100 });
    expect(records.map((r) => r.offset)).to.deep.equal(Array.from({ length: 10 }, (_, i) => i));
    expect(consumer.metrics().corruptBatchesSkipped).to.equal(2);
    await consumer.close();
    db.close();
    await deleteDB(log);
  });
});
