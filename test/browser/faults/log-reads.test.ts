// Fault suite, the log's reads: record batch headers and column chunks missing or damaged. A read
// must name each hole (reportDamage) and deliver every intact record exactly once; records
// appended after the damage are read too.
import { expect } from 'chai';
import { EngineContext, ExecutorPool, op } from '../../../src/engine';
import { fetchColumn, type CorruptRecordError } from '../../../src/log';
import { chunkKey, damageDuring, dropLog, range, readAll, sendAll, smallLog } from './log-damage';

describe('fault: log reads', () => {
  it('batches: a deleted header in the middle is a named gap; the rest is read once, and new records too', async () => {
    const { log, db } = await smallLog('gap-mid');
    await db.delete('batches', ['t', 0, 10]);
    let seen: number[] = [];
    const damage = await damageDuring(async () => {
      seen = await readAll(log);
    });
    expect(seen).to.deep.equal([...range(0, 10), ...range(20, 30)]);
    const gap = damage.find((d) => d.store === 'batches');
    expect(gap).to.include({ database: log });
    expect(gap!.at).to.match(/t-0 offsets 10–19/);
    expect(await sendAll(log, 30, 40)).to.deep.equal(range(30, 40));
    await damageDuring(async () => {
      seen = await readAll(log);
    });
    expect(seen).to.deep.equal([...range(0, 10), ...range(20, 40)]);
    await dropLog(log, db);
  });

  it('batches: a deleted header fails a poll that does not skip with CorruptRecordError, after the records before it', async () => {
    const { log, db } = await smallLog('gap-strict');
    await db.delete('batches', ['t', 0, 10]);
    const { Consumer } = await import('../../../src/log');
    const consumer = new Consumer({ log, autoOffsetReset: 'earliest', enableAutoCommit: false });
    consumer.assign([{ topic: 't', partition: 0 }]);
    await damageDuring(async () => {
      const first = await consumer.poll({ maxRecords: 100 });
      expect(first.map((r) => r.offset)).to.deep.equal(range(0, 10));
      let error: unknown;
      await consumer.poll().catch((e: unknown) => (error = e));
      expect(error).to.have.property('name', 'CorruptRecordError');
      expect(error).to.include({ topic: 't', partition: 0, offset: 10, records: 10 });
    });
    await consumer.close();
    await dropLog(log, db);
  });

  it('batches: a deleted first header is a gap after the log-start offset', async () => {
    const { log, db } = await smallLog('gap-head');
    await db.delete('batches', ['t', 0, 0]);
    let seen: number[] = [];
    const damage = await damageDuring(async () => {
      seen = await readAll(log);
    });
    expect(seen).to.deep.equal(range(10, 30));
    expect(damage.some((d) => d.store === 'batches' && /t-0 offsets 0–9/.test(d.at))).to.equal(
      true,
    );
    await dropLog(log, db);
  });

  it('batches: a deleted last header is a gap before the high watermark; appends go on after it', async () => {
    const { log, db } = await smallLog('gap-tail');
    await db.delete('batches', ['t', 0, 20]);
    let seen: number[] = [];
    const damage = await damageDuring(async () => {
      expect(await sendAll(log, 30, 40)).to.deep.equal(range(30, 40));
      seen = await readAll(log);
    });
    expect(seen).to.deep.equal([...range(0, 20), ...range(30, 40)]);
    expect(damage.some((d) => d.store === 'batches' && /t-0 offsets 20–29/.test(d.at))).to.equal(
      true,
    );
    await dropLog(log, db);
  });

  it('batches: an executor counting over a deleted header skips and counts the gap, and names it', async () => {
    const { log, db } = await smallLog('gap-exec');
    await db.delete('batches', ['t', 0, 10]);
    const pool = await ExecutorPool.start({ createWorker: null });
    const context = new EngineContext({ log, pool });
    const damage = await damageDuring(async () => {
      const ranges = [{ topic: 't', partition: 0, fromOffset: 0, untilOffset: 30 }];
      const counts = await context.fromLog('t', ranges).map(op.field('value.page')).countByValue();
      expect(counts).to.deep.equal(
        new Map([
          ['/p/0', 10],
          ['/p/1', 10],
        ]),
      );
      const [task] = context.status.stages().at(-1)!.tasks;
      expect(task!.metrics!.corruptBatches).to.equal(1);
    });
    await pool.terminate();
    expect(damage.some((d) => d.store === 'batches' && /t-0 offsets 10–19/.test(d.at))).to.equal(
      true,
    );
    await dropLog(log, db);
  });

  it('batches: fetchColumn tells of a deleted header as a gap instead of passing it silently', async () => {
    const { log, db } = await smallLog('gap-column');
    await db.delete('batches', ['t', 0, 10]);
    // With 2 a page, the orphaned chunk of the lost header fills a page of chunks on its own.
    for (const pageSize of [32, 2]) {
      const corrupt: CorruptRecordError[] = [];
      const offsets: number[] = [];
      await damageDuring(async () => {
        const read = { topic: 't', partition: 0, fromOffset: 0, untilOffset: 30 };
        const options = { pageSize, onCorrupt: (e: CorruptRecordError) => corrupt.push(e) };
        for await (const page of fetchColumn(db, read, 'i', options))
          for (const chunk of page) offsets.push(chunk.baseOffset);
      });
      expect(offsets).to.deep.equal([0, 20]);
      expect(corrupt.map((e) => [e.offset, e.records])).to.deep.equal([[10, 10]]);
    }
    await dropLog(log, db);
  });

  it('columns: a deleted chunk of an existing header is named, its batch skipped, the rest read', async () => {
    const { log, db } = await smallLog('chunk-missing');
    await db.delete('columns', chunkKey('value.i', 10));
    let seen: number[] = [];
    const damage = await damageDuring(async () => {
      seen = await readAll(log);
    });
    expect(seen).to.deep.equal([...range(0, 10), ...range(20, 30)]);
    const named = damage.find((d) => d.store === 'columns');
    expect(named?.at).to.match(/t-0 offset 10/);
    expect(named?.problem).to.match(/chunk timestamp: missing/);
    expect(await sendAll(log, 30, 35)).to.deep.equal(range(30, 35));
    await damageDuring(async () => {
      seen = await readAll(log);
    });
    expect(seen).to.deep.equal([...range(0, 10), ...range(20, 35)]);
    await dropLog(log, db);
  });

  it('columns: a truncated chunk fails its CRC; named, skipped', async () => {
    const { log, db } = await smallLog('chunk-truncated');
    const chunk = (await db.get('columns', chunkKey('timestamp', 20)))!;
    await db.put('columns', chunk.slice(0, 40), chunkKey('timestamp', 20));
    let seen: number[] = [];
    const damage = await damageDuring(async () => {
      seen = await readAll(log);
    });
    expect(seen).to.deep.equal(range(0, 20));
    expect(damage.some((d) => d.store === 'columns' && /t-0 offset 20/.test(d.at))).to.equal(true);
    await dropLog(log, db);
  });

  it('columns: a flipped byte fails its CRC; named, skipped, and new records are read', async () => {
    const { log, db } = await smallLog('chunk-flipped');
    const chunk = (await db.get('columns', chunkKey('value.i', 0)))!;
    new Uint8Array(chunk)[chunk.byteLength - 3]! ^= 0x10;
    await db.put('columns', chunk, chunkKey('value.i', 0));
    let seen: number[] = [];
    const damage = await damageDuring(async () => {
      expect(await sendAll(log, 30, 35)).to.deep.equal(range(30, 35));
      seen = await readAll(log);
    });
    expect(seen).to.deep.equal(range(10, 35));
    const named = damage.find((d) => d.store === 'columns');
    expect(named?.at).to.match(/t-0 offset 0/);
    expect(named?.problem).to.match(/CRC-32/);
    await dropLog(log, db);
  });

  it('columns: a chunk that is not an ArrayBuffer (wrong type) is named and skipped', async () => {
    const { log, db } = await smallLog('chunk-type');
    await db.put('columns', 'not bytes' as unknown as ArrayBuffer, chunkKey('value.page', 0));
    let seen: number[] = [];
    const damage = await damageDuring(async () => {
      seen = await readAll(log);
    });
    expect(seen).to.deep.equal(range(10, 30));
    expect(damage.some((d) => d.store === 'columns' && /t-0 offset 0/.test(d.at))).to.equal(true);
    await dropLog(log, db);
  });

  it('batches: a header whose count is a string (wrong type) is named; its records are a gap', async () => {
    const { log, db } = await smallLog('header-type');
    const header = (await db.get('batches', ['t', 0, 10]))!;
    await db.put('batches', { ...header, count: '10' as unknown as number });
    let seen: number[] = [];
    const damage = await damageDuring(async () => {
      seen = await readAll(log);
    });
    expect(seen).to.deep.equal([...range(0, 10), ...range(20, 30)]);
    expect(damage.some((d) => d.store === 'batches' && /count/.test(d.problem))).to.equal(true);
    await dropLog(log, db);
  });

  it('batches: a header whose count is out of range (1e9) is named; the batches after it are read', async () => {
    const { log, db } = await smallLog('header-range');
    const header = (await db.get('batches', ['t', 0, 10]))!;
    await db.put('batches', { ...header, count: 1e9 });
    let seen: number[] = [];
    const damage = await damageDuring(async () => {
      seen = await readAll(log);
    });
    expect(seen).to.deep.equal([...range(0, 10), ...range(20, 30)]);
    expect(damage.some((d) => d.store === 'batches' && /t-0 offset 10/.test(d.at))).to.equal(true);
    await dropLog(log, db);
  });

  it('batches: a header whose fields is not a list is named and skipped, not thrown as a TypeError', async () => {
    const { log, db } = await smallLog('header-fields');
    const header = (await db.get('batches', ['t', 0, 20]))!;
    await db.put('batches', { ...header, fields: 'page,i' as unknown as string[] });
    let seen: number[] = [];
    await damageDuring(async () => {
      seen = await readAll(log);
    });
    expect(seen).to.deep.equal(range(0, 20));
    await dropLog(log, db);
  });
});
