// Suite `layout`: the log's record-batch layout against the alternatives, with plain IndexedDB
// calls in the same page run, on the same synthetic click events (200k by default, `?events=`;
// short mode: one batch per partition).
// Every layout writes batches of the producer's batch.size (16,384 events), 4 partitions
// round-robin, 10 batches per readwrite transaction (durability 'strict'), transactions issued
// without waiting for one another:
// - column-chunks: what the log does: a header in `batches` and one ArrayBuffer per column in
//   `columns`, encoded by encodeRecords (with CRC-32s);
// - batch-object: one structured-clone record per batch, header fields plus `timestamps`
//   (Float64Array), `keys` and `columns` (encodeColumn: dictionary strings, float64 numbers):
//   the log's schema-1 layout;
// - event-objects: one record per batch, the array of its 1,000 event objects as is;
// - json: one record per batch, `JSON.stringify` of that array.
// Measures, each in events/s, encoding and decoding included:
// - write: encode and put every batch, until every transaction is done;
// - read-all: getAll of the whole topic, partition by partition, rebuilt into one array of event
//   objects as a consumer would (column-chunks: headers and every column, CRCs verified);
// - read-one-field: count events per `page` URL (column-chunks reads only the `value.page` chunks,
//   CRCs verified; the other layouts must read whole batches).
// Each repetition (5, after a warm-up) runs the layouts in a rotated order, each in a fresh
// database that is deleted afterwards; a figure is the median over the repetitions, compared
// with column-chunks'. Reads follow the write, so they are warm (LevelDB cache) for every layout.
import { deleteDB } from 'idb';
import { countChunk } from '../../src/engine';
import {
  columnName,
  decodeChunk,
  DEFAULT_BATCH_SIZE,
  encodeColumn,
  eventAt,
  type Column,
  type FieldValue,
  type LogEvent,
  type RecordBatchHeader,
  type RecordBatchV1,
} from '../../src/log';
import {
  openRaw,
  putColumnChunks,
  writeBatches,
  type Events,
  type RawDB,
  type RawTx,
} from '../raw-log';
import {
  FULL_RUN,
  median,
  rounds,
  syntheticClicks,
  type Figure,
  type SuiteOptions,
} from './figure';

const EVENTS_PARAM = new URL(location.href).searchParams.get('events');
const PARTITIONS = 4;
const REPETITIONS = 5;
/** Events of a run: `?events=`, or 200,000; in short mode a batch per partition. */
const EVENTS = { full: 200_000, short: PARTITIONS * DEFAULT_BATCH_SIZE };
const TOPIC = 'clicks';
/** Every offset of a partition, for counting whole columns. */
const WHOLE = { topic: TOPIC, partition: 0, fromOffset: 0, untilOffset: Infinity };
const MEASURES = ['write', 'read-all', 'read-one-field'] as const;

type Click = Events[number];
type Measure = (typeof MEASURES)[number];

/** A batch in the log's schema-1 layout: header and every column in one record. */
type BatchObject = RecordBatchV1;

interface Layout {
  readonly name: string;
  /** Whether `batches` has the log's key path (the record holds its own key). */
  readonly keyPath: boolean;
  /** Encodes `events` (one batch) and puts it, without waiting. */
  readonly put: (tx: RawTx, partition: number, baseOffset: number, events: Events) => void;
  /** Appends a partition's events to `out`, rebuilt as objects. */
  readAll(db: RawDB, partition: number, out: LogEvent[]): Promise<void>;
  /** Adds a partition's events to `counts`, by page URL. */
  countPages(db: RawDB, partition: number, counts: Map<string, number>): Promise<void>;
}

const batchRange = (partition: number) =>
  IDBKeyRange.bound([TOPIC, partition, 0], [TOPIC, partition, Infinity]);
const columnRange = (partition: number, column: string) =>
  IDBKeyRange.bound([TOPIC, partition, column, 0], [TOPIC, partition, column, Infinity]);

const columnChunks: Layout = {
  name: 'column-chunks',
  keyPath: true,
  put: putColumnChunks,
  async readAll(db, partition, out) {
    const tx = db.transaction(['batches', 'columns']);
    const headers = (await tx
      .objectStore('batches')
      .getAll(batchRange(partition))) as RecordBatchHeader[];
    const fields = headers[0]!.fields;
    const names = ['timestamp', ...fields.map(columnName)];
    const chunks = await Promise.all(
      names.map((name) => tx.objectStore('columns').getAll(columnRange(partition, name))),
    );
    for (const [c, column] of chunks.entries()) {
      if (column.length !== headers.length) throw new Error(`${names[c]}: chunks missing`);
    }
    headers.forEach((header, b) => {
      const timestamps = decodeChunk(chunks[0]![b]!, true);
      if (timestamps.baseOffset !== header.baseOffset) throw new Error('chunk out of place');
      const values: Record<string, Column> = {};
      fields.forEach((field, f) => (values[field] = decodeChunk(chunks[f + 1]![b]!, true).column));
      for (let i = 0; i < header.count; i++) out.push(eventAt(values, i));
    });
  },
  async countPages(db, partition, counts) {
    for (const buffer of await db.getAll('columns', columnRange(partition, 'value.page'))) {
      countChunk(decodeChunk(buffer, true), WHOLE, counts);
    }
  },
};

const batchObject: Layout = {
  name: 'batch-object',
  keyPath: true,
  put(tx, partition, baseOffset, events) {
    const timestamps = Float64Array.from(events, (event) => event.ts);
    const columns: Record<string, Column> = {};
    for (const field of fieldNames(events)) {
      columns[field] = encodeColumn(events.map((event) => valueOf(event, field)));
    }
    const batch: BatchObject = {
      topic: TOPIC,
      partition,
      baseOffset,
      count: events.length,
      firstTimestamp: timestamps[0]!,
      maxTimestamp: Math.max(...timestamps),
      producerId: 'bench',
      baseSequence: 0,
      timestamps,
      keys: encodeColumn(events.map(() => null)),
      columns,
    };
    void tx.objectStore('batches').put(batch);
  },
  async readAll(db, partition, out) {
    const batches = (await db.getAll('batches', batchRange(partition))) as BatchObject[];
    for (const batch of batches) {
      for (let i = 0; i < batch.count; i++) out.push(eventAt(batch.columns, i));
    }
  },
  async countPages(db, partition, counts) {
    const batches = (await db.getAll('batches', batchRange(partition))) as BatchObject[];
    for (const batch of batches) {
      countChunk({ baseOffset: 0, count: batch.count, column: batch.columns.page! }, WHOLE, counts);
    }
  },
};

const eventObjects: Layout = {
  name: 'event-objects',
  keyPath: false,
  put(tx, partition, baseOffset, events) {
    void tx.objectStore('batches').put(events, [TOPIC, partition, baseOffset]);
  },
  async readAll(db, partition, out) {
    const batches = (await db.getAll('batches', batchRange(partition))) as Events[];
    for (const batch of batches) for (const event of batch) out.push(event);
  },
  async countPages(db, partition, counts) {
    const batches = (await db.getAll('batches', batchRange(partition))) as Events[];
    for (const batch of batches) for (const event of batch) count(event.page, counts);
  },
};

const json: Layout = {
  name: 'json',
  keyPath: false,
  put(tx, partition, baseOffset, events) {
    void tx.objectStore('batches').put(JSON.stringify(events), [TOPIC, partition, baseOffset]);
  },
  async readAll(db, partition, out) {
    const batches = (await db.getAll('batches', batchRange(partition))) as string[];
    for (const text of batches) for (const event of JSON.parse(text) as Events) out.push(event);
  },
  async countPages(db, partition, counts) {
    const batches = (await db.getAll('batches', batchRange(partition))) as string[];
    for (const text of batches) {
      for (const event of JSON.parse(text) as Events) count(event.page, counts);
    }
  },
};

const LAYOUTS: readonly Layout[] = [columnChunks, batchObject, eventObjects, json];

function valueOf(event: Click, field: string): FieldValue {
  return (event as Record<string, FieldValue>)[field] ?? null;
}

function fieldNames(events: Events): Set<string> {
  const names = new Set<string>();
  for (const event of events) for (const name in event) names.add(name);
  return names;
}

function count(page: string, counts: Map<string, number>): void {
  counts.set(page, (counts.get(page) ?? 0) + 1);
}

async function write(db: RawDB, layout: Layout, events: Events): Promise<number> {
  const start = performance.now();
  await writeBatches(db, events, PARTITIONS, layout.put);
  return events.length / ((performance.now() - start) / 1000);
}

async function readAll(db: RawDB, layout: Layout, events: Events): Promise<number> {
  const start = performance.now();
  const out: LogEvent[] = [];
  for (let partition = 0; partition < PARTITIONS; partition++) {
    await layout.readAll(db, partition, out);
  }
  const rate = out.length / ((performance.now() - start) / 1000);
  checkEvents(layout, out, events);
  return rate;
}

async function readOneField(
  db: RawDB,
  layout: Layout,
  expected: ReadonlyMap<string, number>,
): Promise<number> {
  const start = performance.now();
  const counts = new Map<string, number>();
  for (let partition = 0; partition < PARTITIONS; partition++) {
    await layout.countPages(db, partition, counts);
  }
  const ms = performance.now() - start;
  let total = 0;
  for (const [page, n] of counts) {
    if (expected.get(page) !== n) throw new Error(`${layout.name}: ${n} events on ${page}`);
    total += n;
  }
  // Every page counted matches, so the same pages mean the same total.
  if (counts.size !== expected.size) {
    throw new Error(`${layout.name}: counted ${total} events on ${counts.size} pages`);
  }
  return total / (ms / 1000);
}

/** Every event read back exactly once (by its unique `ts`), and a few of them field by field. */
function checkEvents(layout: Layout, out: readonly LogEvent[], events: Events): void {
  if (out.length !== events.length) {
    throw new Error(`${layout.name}: read ${out.length} of ${events.length} events`);
  }
  const first = events[0]!.ts;
  const seen = new Uint8Array(events.length);
  for (const event of out) {
    const index = (event.ts as number) - first;
    if (!(index >= 0 && index < events.length) || seen[index]!++) {
      throw new Error(`${layout.name}: unexpected or repeated event ts ${String(event.ts)}`);
    }
  }
  for (const k of [0, 1, 2, out.length >> 1, out.length - 1]) {
    const event = out[k]!;
    const original = events[(event.ts as number) - first]!;
    if (JSON.stringify(event) !== JSON.stringify(original)) {
      throw new Error(`${layout.name}: event ${k} is ${JSON.stringify(event)}`);
    }
  }
}

export async function run(
  emit: (figure: Figure) => void,
  options: SuiteOptions = FULL_RUN,
): Promise<void> {
  const n = Number(EVENTS_PARAM ?? (options.short ? EVENTS.short : EVENTS.full));
  const events = syntheticClicks(n, 1000);
  const { from, to } = rounds(options, REPETITIONS);
  const expected = new Map<string, number>();
  for (const event of events) count(event.page, expected);
  const results = new Map<string, number[]>();
  for (let r = from; r < to; r++) {
    const shift = (r + 1) % LAYOUTS.length;
    const order = [...LAYOUTS.slice(shift), ...LAYOUTS.slice(0, shift)];
    for (const layout of order) {
      const name = `bench-layout-${Date.now()}-${r}-${layout.name}`;
      const db = await openRaw(name, layout.keyPath);
      const figures: Record<Measure, number> = {
        write: await write(db, layout, events),
        'read-all': await readAll(db, layout, events),
        'read-one-field': await readOneField(db, layout, expected),
      };
      db.close();
      await deleteDB(name);
      if (r < 0) continue; // warm-up: JIT, IndexedDB
      for (const measure of MEASURES) {
        const key = `${measure}/${layout.name}`;
        results.set(key, [...(results.get(key) ?? []), figures[measure]]);
      }
    }
  }
  for (const measure of MEASURES) {
    const baseline = `${measure}/${columnChunks.name}`;
    const baselineValue = median(results.get(baseline)!);
    for (const layout of LAYOUTS) {
      const name = `${measure}/${layout.name}`;
      const value = median(results.get(name)!);
      emit(
        layout === columnChunks
          ? { suite: 'layout', name, value: Math.round(value), unit: 'events/s' }
          : {
              suite: 'layout',
              name,
              value: Math.round(value),
              unit: 'events/s',
              baseline,
              baseline_value: Math.round(baselineValue),
              ratio: Math.round((value / baselineValue) * 100) / 100,
            },
      );
    }
  }
}
