// Millions of synthetic clicks for suite `engine`, kept lean: the peers' copy in memory as
// objects, the log's copy written straight into IndexedDB in the log's own format, and the exact
// counts by page to check every result against.
import {
  createTopic,
  DEFAULT_BATCH_SIZE,
  openLog,
  partitionForKey,
  type LogDB,
  type LogEvent,
  type ProducerRecord,
} from '../src/log';
import { putBatch } from './raw-log';

/** What the peers get: a click's fields that a count could use, strings shared, not copied. */
export interface LeanClick {
  readonly ts: number;
  readonly page: string;
  readonly target: string | null;
  readonly sessionId: string;
}

export interface Clicks {
  readonly events: LeanClick[];
  /** How many events each page has: what every count must return. */
  readonly exact: Map<string, number>;
}

const SESSIONS = 1000;

/** The page URLs of the synthetic shop: `https://shop.example/p/<i>`. */
export function shopPages(distinctPages: number): string[] {
  return Array.from({ length: distinctPages }, (_, i) => `https://shop.example/p/${i}`);
}

/** A seeded linear congruential generator: the same numbers in [0, 1) on every run. */
export function seededRandom(seed = 42): () => number {
  return () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

/** Draws a page index in [0, distinctPages) with Zipf-like popularity: page i has weight 1/(i+1). */
export function zipfSampler(distinctPages: number, random: () => number): () => number {
  const cumulative = new Float64Array(distinctPages);
  let sum = 0;
  for (let i = 0; i < distinctPages; i++) cumulative[i] = sum += 1 / (i + 1);
  for (let i = 0; i < distinctPages; i++) cumulative[i]! /= sum;
  return () => {
    const r = random();
    let lo = 0;
    let hi = distinctPages - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < r) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/**
 * `n` clicks over `distinctPages` page URLs with Zipf-like popularity (page i has weight
 * 1/(i+1)), as syntheticClicks draws them, each string allocated once.
 */
export function leanClicks(n: number, distinctPages: number): Clicks {
  const pages = shopPages(distinctPages);
  const sessions = Array.from({ length: SESSIONS }, (_, i) => `session-${i}`);
  const page = zipfSampler(distinctPages, seededRandom());
  const tally = new Uint32Array(distinctPages);
  const events = new Array<LeanClick>(n);
  for (let i = 0; i < n; i++) {
    const lo = page();
    tally[lo]!++;
    events[i] = {
      ts: 1_700_000_000_000 + i,
      page: pages[lo]!,
      target: i % 3 ? pages[(lo + 1) % distinctPages]! : null,
      sessionId: sessions[i % SESSIONS]!,
    };
  }
  const exact = new Map<string, number>();
  tally.forEach((count, page) => count && exact.set(pages[page]!, count));
  return { events, exact };
}

/** A click with the fields a count reads and some it does not: the lean fields, selector and position. */
function fullClick(event: LeanClick, i: number): LogEvent & { ts: number } {
  return { ...event, selector: 'main > ul.products > li > a', x: i % 1280, y: i % 800 };
}

/** Records per batch: the producer's default, so the log holds what a producer would write. */
const BATCH = DEFAULT_BATCH_SIZE;
const BATCHES_PER_TX = 10;
const TXS_IN_FLIGHT = 8;

/**
 * Creates log `name` with topic `clicks` (`partitions` partitions, no retention) holding
 * `events` as full clicks, in batches of BATCH: null keys, round-robin over the partitions, or,
 * with `keyOf`, keyed as a producer keys them (Kafka's partitioner: the same key, the same
 * partition; each partition's batches filled in the events' order). The batches are written as
 * appendBatches writes them (a header in `batches`, one chunk per column in `columns`, the
 * partitions' states), without its per-append checks, so 5M events take seconds. Returns the
 * open log.
 */
export async function writeClickLog<Event extends LeanClick>(
  name: string,
  events: readonly Event[],
  partitions: number,
  keyOf: ((event: Event) => string) | null = null,
): Promise<LogDB> {
  const db = await openLog(name);
  await createTopic(db, { name: 'clicks', partitions, retentionMs: -1, retentionBytes: -1 });
  const states = await db.getAll(
    'partitions',
    IDBKeyRange.bound(['clicks', 0], ['clicks', partitions]),
  );
  const inFlight: Promise<void>[] = [];
  let tx: ReturnType<typeof writeTx> | null = null;
  let batches = 0;
  const put = async (partition: number, records: ProducerRecord[]) => {
    if (batches++ % BATCHES_PER_TX === 0) {
      if (inFlight.length >= TXS_IN_FLIGHT) await inFlight.shift();
      tx = writeTx(db);
      inFlight.push(tx.done);
    }
    const state = states[partition]!;
    const header = putBatch(tx!, partition, state.highWatermark, records, 'bench');
    state.highWatermark += header.count;
    state.bytes += header.bytes;
    state.batchCount++;
    state.maxTimestamp = Math.max(state.maxTimestamp, header.maxTimestamp);
  };
  const partitionOf = keyedPartitions(partitions);
  const pending = states.map((): ProducerRecord[] => []);
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    const key = keyOf?.(event) ?? null;
    const partition = key === null ? Math.floor(i / BATCH) % partitions : partitionOf(key);
    const value = fullClick(event, i);
    if (pending[partition]!.push({ value, key, timestamp: value.ts }) < BATCH) continue;
    await put(partition, pending[partition]!);
    pending[partition] = [];
  }
  for (const [partition, records] of pending.entries())
    if (records.length) await put(partition, records);
  await Promise.all(inFlight);
  const last = db.transaction('partitions', 'readwrite');
  await Promise.all([...states.map((state) => last.store.put(state)), last.done]);
  return db;
}

/** partitionForKey, remembered per key (a tab's many clicks share one). */
function keyedPartitions(partitions: number): (key: string) => number {
  const known = new Map<string, number>();
  return (key) => {
    let partition = known.get(key);
    if (partition === undefined) known.set(key, (partition = partitionForKey(key, partitions)));
    return partition;
  };
}

function writeTx(db: LogDB) {
  return db.transaction(['batches', 'columns'], 'readwrite', { durability: 'relaxed' });
}
