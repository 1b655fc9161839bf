// The log's bytes as stored: chunk format 2 (packed small batches), format 1 still read, and
// what a page's clicks cost.
import { expect } from 'chai';
import { deleteDB } from 'idb';
import {
  Consumer,
  createTopic,
  encodeRecords,
  openLog,
  Producer,
  randomId,
  type LogDB,
  type LogEvent,
} from '../../src/log';
import { damageDuring, readAll } from './faults/log-damage';
import { V1_HEADER, V1_RECORDS, v1Chunks } from './fixtures/log-v1-batch';
import { uniqueLog } from './helpers';

/** A log with topic `t` holding the batch of chunk format 1 at offset 0, as the version before stored it. */
async function logOfV1(prefix: string): Promise<{ log: string; db: LogDB }> {
  const log = uniqueLog(prefix);
  const db = await openLog(log);
  await createTopic(db, { name: 't', partitions: 1, retentionMs: -1 });
  const tx = db.transaction(['batches', 'columns', 'partitions'], 'readwrite');
  const where = { topic: 't', partition: 0, baseOffset: 0 };
  void tx
    .objectStore('batches')
    .put({ ...where, ...V1_HEADER, producerId: 'old', baseSequence: 0 });
  for (const [column, chunk] of v1Chunks())
    void tx.objectStore('columns').put(chunk, ['t', 0, column, 0]);
  void tx.objectStore('partitions').put({
    topic: 't',
    partition: 0,
    logStartOffset: 0,
    highWatermark: V1_HEADER.count,
    bytes: V1_HEADER.bytes,
    batchCount: 1,
    maxTimestamp: V1_HEADER.maxTimestamp,
  });
  await tx.done;
  return { log, db };
}

async function pollAll(log: string) {
  const consumer = new Consumer({ log, autoOffsetReset: 'earliest', enableAutoCommit: false });
  consumer.assign([{ topic: 't', partition: 0 }]);
  try {
    return await consumer.poll({ maxRecords: 1000 });
  } finally {
    await consumer.close();
  }
}

/** Bytes of every value of every store of a log: chunks' byteLength, other records' JSON length. */
async function storedBytes(db: LogDB): Promise<{ chunks: number; other: number }> {
  let chunks = 0;
  let other = 0;
  for (const store of db.objectStoreNames) {
    for (const value of await db.getAll(store)) {
      if (value instanceof ArrayBuffer) chunks += value.byteLength;
      else other += JSON.stringify(value).length;
    }
  }
  return { chunks, other };
}

/** A click as the tracker writes one (src/tracker/events.ts): ids random hex, many fields null. */
function click(i: number, ids: { pageviewId: string; sessionId: string; tabId: string }): LogEvent {
  const link = i % 3 === 0;
  return {
    v: 1,
    ts: 1_765_000_000_000 + i * 20,
    ...ids,
    page: `https://shop.example/products/${i % 7}`,
    type: 'click',
    target: link ? `https://shop.example/products/${(i + 1) % 7}` : null,
    selector: link ? 'main > ul.grid > li:nth-child(3) > a' : 'main > div.cart > button#buy',
    tag: link ? 'a' : 'button',
    id: link ? null : 'buy',
    classes: link ? 'card-link' : 'btn primary',
    role: null,
    label: link ? `Product ${(i + 1) % 7}` : 'Add to cart',
    x: 200 + ((i * 37) % 600),
    y: 300 + ((i * 91) % 1400),
    clientX: 200 + ((i * 37) % 600),
    clientY: 100 + ((i * 53) % 700),
    vw: 1280,
    vh: 800,
    button: 0,
    modifiers: '',
    keyboard: false,
    outbound: false,
    download: false,
    rage: false,
    dead: i % 10 === 0 ? null : i % 4 === 0,
  };
}

describe('log format', () => {
  it('reads a batch of chunk format 1, as the version before wrote it, and appends after it', async () => {
    const { log, db } = await logOfV1('format-v1');
    const producer = new Producer({ log });
    await producer.send('t', { page: '/new' }, 'k');
    await producer.close();
    const records = await pollAll(log);
    expect(records.map((r) => r.offset)).to.deep.equal([0, 1, 2, 3]);
    expect(
      records.slice(0, 3).map(({ key, timestamp, value }) => ({ key, timestamp, value })),
    ).to.deep.equal(V1_RECORDS);
    expect(records[3]).to.include({ key: 'k' });
    expect(records[3]!.value).to.deep.equal({ page: '/new' });
    db.close();
    await deleteDB(log);
  });

  it('names and skips a damaged chunk of format 1 as it does one of format 2', async () => {
    const { log, db } = await logOfV1('format-v1-damaged');
    const key: [string, number, string, number] = ['t', 0, 'value.page', 0];
    const chunk = (await db.get('columns', key))!;
    new Uint8Array(chunk)[chunk.byteLength - 2]! ^= 0x08;
    await db.put('columns', chunk, key);
    const producer = new Producer({ log });
    await producer.send('t', { i: 3 });
    await producer.close();
    let seen: number[] = [];
    const damage = await damageDuring(async () => {
      seen = await readAll(log);
    });
    expect(seen).to.deep.equal([3]);
    const named = damage.find((d) => d.store === 'columns');
    expect(named?.at).to.match(/t-0 offset 0/);
    expect(named?.problem).to.match(/chunk value\.page: CRC-32/);
    db.close();
    await deleteDB(log);
  });

  it('names and skips a damaged chunk of a batch stored a chunk per column', async () => {
    const log = uniqueLog('format-columns-damaged');
    const db = await openLog(log);
    await createTopic(db, { name: 't', partitions: 1 });
    const producer = new Producer({ log, lingerMs: 0 });
    await producer.send('t', { page: '/p/0', i: -1 }); // the topic is known: the rest is one batch
    await Promise.all(
      Array.from({ length: 300 }, (_, i) => producer.send('t', { page: `/p/${i % 3}`, i })),
    );
    await producer.send('t', { page: '/p/0', i: 300 });
    await producer.close();
    const [, header] = await db.getAll('batches');
    expect(header).to.include({ baseOffset: 1, count: 300, packed: false });
    const key: [string, number, string, number] = ['t', 0, 'value.i', 1];
    const chunk = (await db.get('columns', key))!;
    new Uint8Array(chunk)[40]! ^= 0x01;
    await db.put('columns', chunk, key);
    let seen: number[] = [];
    const damage = await damageDuring(async () => {
      seen = await readAll(log);
    });
    expect(seen).to.deep.equal([-1, 300]);
    expect(damage.find((d) => d.store === 'columns')?.problem).to.match(/chunk value\.i: CRC-32/);
    db.close();
    await deleteDB(log);
  });

  it("stores a page's clicks, 1–5 a batch, in fewer chunk bytes than their JSON", async () => {
    const log = uniqueLog('format-clicks');
    const db = await openLog(log);
    await createTopic(db, { name: 'clicks', partitions: 1 });
    const producer = new Producer({ log });
    const ids = { pageviewId: randomId(), sessionId: randomId(), tabId: randomId() };
    let json = 0;
    let sent = 0;
    const events: LogEvent[] = [];
    for (let batch = 0; sent < 300; batch++) {
      if (batch % 10 === 0) ids.pageviewId = randomId();
      const sends = [];
      for (let k = 0; k < 1 + (batch % 5); k++, sent++) {
        const event = click(sent, ids);
        events.push(event);
        json += JSON.stringify(event).length;
        sends.push(producer.send('clicks', event, null, event['ts'] as number));
      }
      await producer.flush();
      await Promise.all(sends);
    }
    await producer.close();
    const { chunks, other } = await storedBytes(db);
    const batches = await db.count('batches');
    console.log(
      `${sent} clicks in ${batches} batches: JSON ${(json / sent).toFixed(0)} B a click; ` +
        `chunks ${(chunks / sent).toFixed(0)} B (${(chunks / json).toFixed(2)}×), ` +
        `other records ${(other / sent).toFixed(0)} B (${(other / json).toFixed(2)}×)`,
    );
    // The same clicks in one batch, as compaction would merge them: a chunk per column.
    const merged = encodeRecords(
      events.map((value) => ({ value, key: null, timestamp: value['ts'] as number })),
    );
    console.log(
      `merged into one batch: ${(merged.bytes / sent).toFixed(0)} B a click (${(merged.bytes / json).toFixed(2)}×)`,
    );
    expect(batches).to.be.below(sent / 2);
    expect(chunks / json).to.be.below(0.5);
    expect(merged.packed).to.equal(false);
    expect(merged.bytes / json).to.be.below(0.25);
    db.close();
    await deleteDB(log);
  });
});
