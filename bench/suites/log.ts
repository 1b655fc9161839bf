// Suite `log`: the log against raw IndexedDB doing the same work in the same page run.
// - produce: 1M click events sent through the Producer (null keys: sticky partitioning, full
//   1,000-record batches, 4 partitions) until durable; baseline: the same events encoded by the
//   same encoder into 1,000-event batches and put with plain IndexedDB calls, 10 batches per
//   transaction, transactions pipelined.
// - consume: the whole topic read back by a Consumer as records with offset, timestamp, key and
//   value; baseline: plain getAll of the same stored batches and chunks, decoded to the same objects.
// - column: the engine's read of one column (page URLs) of the whole topic, counted by value;
//   baseline: plain getAll of that column's chunks, counted the same way.
import { deleteDB, openDB } from 'idb';
import { countChunk } from '../../src/engine';
import {
  columnName,
  Consumer,
  decodeChunk,
  ensureTopic,
  eventAt,
  fetchColumn,
  openLog,
  Producer,
  type Column,
  type RecordBatchHeader,
} from '../../src/log';
import { openRaw, putColumnChunks, writeBatches, type Events, type RawSchema } from '../raw-log';
import {
  collectGarbage,
  FULL_RUN,
  median,
  rounds,
  syntheticClicks,
  type Figure,
  type SuiteOptions,
} from './figure';

const EVENTS_PARAM = new URL(location.href).searchParams.get('events');
/** Events of a run: `?events=`, or 1,000,000; in short mode 50,000. */
const EVENTS = { full: 1_000_000, short: 50_000 };
const PARTITIONS = 4;
const REPETITIONS = 5;
const POLL_RECORDS = 50_000;
/** Every offset of a partition, for counting whole chunks. */
const WHOLE = { topic: 'clicks', partition: 0, fromOffset: 0, untilOffset: Infinity };

async function produceLog(events: Events, log: string): Promise<number> {
  const db = await openLog(log);
  await ensureTopic(db, { name: 'clicks', partitions: PARTITIONS });
  const producer = new Producer({ log });
  await producer.send('clicks', events[0]!); // topic metadata loaded before the clock starts
  collectGarbage();
  const start = performance.now();
  for (let i = 1; i < events.length; i++) void producer.send('clicks', events[i]!);
  await producer.flush();
  const ms = performance.now() - start;
  await producer.close();
  db.close();
  return (events.length - 1) / (ms / 1000);
}

async function produceRaw(events: Events, name: string): Promise<number> {
  const db = await openRaw(name);
  collectGarbage();
  const start = performance.now();
  await writeBatches(db, events, PARTITIONS, putColumnChunks);
  const ms = performance.now() - start;
  db.close();
  return events.length / (ms / 1000);
}

async function consumeLog(log: string, total: number): Promise<number> {
  const consumer = new Consumer({ log, autoOffsetReset: 'earliest', enableAutoCommit: false });
  consumer.assign(
    Array.from({ length: PARTITIONS }, (_, partition) => ({ topic: 'clicks', partition })),
  );
  await consumer.position({ topic: 'clicks', partition: 0 }); // the connection is open
  collectGarbage();
  const start = performance.now();
  let read = 0;
  let sink = 0;
  while (read < total) {
    const records = await consumer.poll({ maxRecords: POLL_RECORDS });
    if (records.length === 0) throw new Error(`consumer stopped at ${read} of ${total}`);
    read += records.length;
    sink += records[records.length - 1]!.offset;
  }
  const ms = performance.now() - start;
  await consumer.close();
  if (sink < 0) throw new Error('unreachable');
  return read / (ms / 1000);
}

/** Raw reads of the same stores: all headers, then every chunk of each column, decoded to objects. */
async function consumeRaw(log: string): Promise<number> {
  const db = await openDB<RawSchema>(log);
  collectGarbage();
  const start = performance.now();
  let read = 0;
  let out: unknown[] = [];
  for (let partition = 0; partition < PARTITIONS; partition++) {
    const tx = db.transaction(['batches', 'columns']);
    const headers = (await tx
      .objectStore('batches')
      .getAll(
        IDBKeyRange.bound(['clicks', partition, 0], ['clicks', partition, Infinity]),
      )) as RecordBatchHeader[];
    const fields = headers[0]!.fields;
    const names = ['timestamp', ...fields.map(columnName)];
    const chunks = await Promise.all(
      names.map((name) =>
        tx
          .objectStore('columns')
          .getAll(
            IDBKeyRange.bound(
              ['clicks', partition, name, 0],
              ['clicks', partition, name, Infinity],
            ),
          ),
      ),
    );
    headers.forEach((header, b) => {
      const timestamps = decodeChunk(chunks[0]![b]!, false).column;
      const values: Record<string, Column> = {};
      fields.forEach((field, f) => (values[field] = decodeChunk(chunks[f + 1]![b]!, false).column));
      for (let i = 0; i < header.count; i++) {
        out.push({
          topic: 'clicks',
          partition,
          offset: header.baseOffset + i,
          timestamp: timestamps.type === 'number' ? timestamps.values[i]! : 0,
          key: null,
          value: eventAt(values, i),
        });
      }
      if (out.length >= POLL_RECORDS) {
        read += out.length;
        out = []; // handed to the application, as a poll's records are
      }
    });
  }
  read += out.length;
  const ms = performance.now() - start;
  db.close();
  return read / (ms / 1000);
}

async function columnLog(log: string, total: number): Promise<number> {
  const db = await openLog(log);
  collectGarbage();
  const start = performance.now();
  const counts = new Map<string, number>();
  for (let partition = 0; partition < PARTITIONS; partition++) {
    const range = { topic: 'clicks', partition, fromOffset: 0, untilOffset: Infinity };
    for await (const page of fetchColumn(db, range, 'page', { pageSize: 256 })) {
      for (const chunk of page) countChunk(chunk, range, counts);
    }
  }
  const ms = performance.now() - start;
  db.close();
  check(counts, total);
  return total / (ms / 1000);
}

async function columnRaw(log: string, total: number): Promise<number> {
  const db = await openDB<RawSchema>(log);
  collectGarbage();
  const start = performance.now();
  const counts = new Map<string, number>();
  for (let partition = 0; partition < PARTITIONS; partition++) {
    const range = IDBKeyRange.bound(
      ['clicks', partition, 'value.page', 0],
      ['clicks', partition, 'value.page', Infinity],
    );
    for (const buffer of await db.getAll('columns', range))
      countChunk(decodeChunk(buffer, false), WHOLE, counts);
  }
  const ms = performance.now() - start;
  db.close();
  check(counts, total);
  return total / (ms / 1000);
}

function check(counts: Map<string, number>, total: number): void {
  let sum = 0;
  for (const n of counts.values()) sum += n;
  if (sum !== total) throw new Error(`counted ${sum} of ${total}`);
}

export async function run(
  emit: (figure: Figure) => void,
  options: SuiteOptions = FULL_RUN,
): Promise<void> {
  const n = Number(EVENTS_PARAM ?? (options.short ? EVENTS.short : EVENTS.full));
  const events = syntheticClicks(n, 1000);
  const runs: { name: string; log: number; raw: number }[] = [];
  const { from, to } = rounds(options, REPETITIONS);
  for (let r = from; r < to; r++) {
    const log = `bench-log-${Date.now()}`;
    const raw = `${log}-raw`;
    // Alternate which goes first, so neither always meets a warmer (or fuller) disk.
    const first = r % 2 === 0;
    const produce = first
      ? [await produceLog(events, log), await produceRaw(events, raw)]
      : [await produceRaw(events, raw), await produceLog(events, log)].reverse();
    const consume = first
      ? [await consumeLog(log, n), await consumeRaw(raw)]
      : [await consumeRaw(raw), await consumeLog(log, n)].reverse();
    const column = first
      ? [await columnLog(log, n), await columnRaw(raw, n)]
      : [await columnRaw(raw, n), await columnLog(log, n)].reverse();
    await Promise.all([deleteDB(log), deleteDB(raw)]);
    if (r < 0) continue; // warm-up: JIT, IndexedDB
    runs.push({ name: 'produce', log: produce[0]!, raw: produce[1]! });
    runs.push({ name: 'consume', log: consume[0]!, raw: consume[1]! });
    runs.push({ name: 'column', log: column[0]!, raw: column[1]! });
  }
  for (const name of ['produce', 'consume', 'column']) {
    const mine = runs.filter((run) => run.name === name);
    const value = median(mine.map((run) => run.log));
    const baseline = median(mine.map((run) => run.raw));
    emit({
      suite: 'log',
      name,
      value: Math.round(value),
      unit: 'events/s',
      baseline: `raw-indexeddb-${name}`,
      baseline_value: Math.round(baseline),
      ratio: Math.round((value / baseline) * 100) / 100,
    });
  }
}
