// Millions of synthetic clicks for suite `engine`, kept lean: the peers' copy in memory as
// objects, the log's copy written straight into IndexedDB in the log's own format, and the exact
// counts by page to check every result against.
import { createTopic, DEFAULT_BATCH_SIZE, openLog, type LogDB, type LogEvent } from '../src/log';
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

/**
 * `n` clicks over `distinctPages` page URLs with Zipf-like popularity (page i has weight
 * 1/(i+1)), as syntheticClicks draws them, each string allocated once.
 */
export function leanClicks(n: number, distinctPages: number): Clicks {
  const pages = Array.from({ length: distinctPages }, (_, i) => `https://shop.example/p/${i}`);
  const sessions = Array.from({ length: SESSIONS }, (_, i) => `session-${i}`);
  const cumulative = new Float64Array(distinctPages);
  let sum = 0;
  for (let i = 0; i < distinctPages; i++) cumulative[i] = sum += 1 / (i + 1);
  for (let i = 0; i < distinctPages; i++) cumulative[i]! /= sum;
  let seed = 42;
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const tally = new Uint32Array(distinctPages);
  const events = new Array<LeanClick>(n);
  for (let i = 0; i < n; i++) {
    const r = random();
    let lo = 0;
    let hi = distinctPages - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < r) lo = mid + 1;
      else hi = mid;
    }
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
 * `events` as full clicks, null keys, batches of BATCH round-robin over the partitions. The
 * batches are written as appendBatches writes them (a header in `batches`, one chunk per column
 * in `columns`, the partitions' states), without its per-append checks, so 5M events take
 * seconds. Returns the open log.
 */
export async function writeClickLog(
  name: string,
  events: readonly LeanClick[],
  partitions: number,
): Promise<LogDB> {
  const db = await openLog(name);
  await createTopic(db, { name: 'clicks', partitions, retentionMs: -1, retentionBytes: -1 });
  const states = await db.getAll(
    'partitions',
    IDBKeyRange.bound(['clicks', 0], ['clicks', partitions]),
  );
  const inFlight: Promise<void>[] = [];
  let tx: ReturnType<typeof writeTx> | null = null;
  for (let b = 0, n = 0; b < events.length; b += BATCH, n++) {
    if (n % BATCHES_PER_TX === 0) {
      if (inFlight.length >= TXS_IN_FLIGHT) await inFlight.shift();
      tx = writeTx(db);
      inFlight.push(tx.done);
    }
    const state = states[n % partitions]!;
    const baseOffset = state.highWatermark;
    const records = [];
    for (let i = b; i < Math.min(b + BATCH, events.length); i++) {
      const value = fullClick(events[i]!, i);
      records.push({ value, key: null, timestamp: value.ts });
    }
    const header = putBatch(tx!, state.partition, baseOffset, records, 'bench');
    state.highWatermark += header.count;
    state.bytes += header.bytes;
    state.batchCount++;
    state.maxTimestamp = Math.max(state.maxTimestamp, header.maxTimestamp);
  }
  await Promise.all(inFlight);
  const last = db.transaction('partitions', 'readwrite');
  await Promise.all([...states.map((state) => last.store.put(state)), last.done]);
  return db;
}

function writeTx(db: LogDB) {
  return db.transaction(['batches', 'columns'], 'readwrite', { durability: 'relaxed' });
}
