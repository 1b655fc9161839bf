// Suite `engine`: count per URL over 5M click events (2,000 distinct URLs, Zipf-like) already in
// the log (4 partitions), by tabstream with 1 and with 2 workers, against three peers in the same
// page run.
// - tabstream: timed from the job's start to the merged result (reading the page column from
//   IndexedDB in the workers, decoding, counting, merging); the pool is started, and its workers
//   have opened the log, before the clock starts.
// - peers, given the same events already in memory as JS objects (the most generous setup), and
//   only the column they need, as tabstream reads only that one: a plain Map on the main thread;
//   Arquero `from(events, ['page']).groupby('page').count()`; DuckDB-WASM objects → Arrow →
//   `insertArrowTable`, then `GROUP BY page`. Timed: load into the engine + query, to a Map.
//   DuckDB's start-up (worker, wasm, open, connect) is not timed, as the pool's is not.
// Every result is checked against the exact counts. Each variant runs once to warm up, then
// REPETITIONS times, the order rotating each time, garbage collected before each; figures are
// medians, ratios are between medians of this page run.
import { deleteDB } from 'idb';
import { countChunk, EngineContext, ExecutorPool, op } from '../../src/engine';
import { createExecutorWorker } from '../../workers/index';
import { fetchColumn, partitionsOf, type LogDB, type OffsetRange } from '../../src/log';
import { leanClicks, writeClickLog } from '../clicks';
import { countArquero, countPlain, DuckPeer } from '../peers';
import { collectGarbage, FULL_RUN, median, rounds, type Figure, type SuiteOptions } from './figure';

const params = new URL(location.href).searchParams;
const PAGES = 2000;
const PARTITIONS = 4;
/** Events and repetitions: `?events=`, `?repetitions=`, or these; short mode: 100,000, once. */
const SIZES = { events: 5_000_000, repetitions: 5 };
const SHORT_EVENTS = 100_000;

const contexts = new WeakMap<ExecutorPool, EngineContext>();

/**
 * The tabstream job, all of it timed: counts topic `clicks` of `log` by page over `ranges` on
 * `pool` (started, untimed, by the caller), merged into one Map.
 */
async function countByUrl(
  pool: ExecutorPool,
  log: string,
  ranges: readonly OffsetRange[],
): Promise<Map<string, number>> {
  let context = contexts.get(pool);
  if (!context) contexts.set(pool, (context = new EngineContext({ log, pool })));
  const counts = await context.fromLog('clicks', ranges).map(op.field('value.page')).countByValue();
  return counts as Map<string, number>;
}

interface Variant {
  readonly name: string;
  readonly count: () => Promise<Map<string, number>>;
  /** Untimed, after each count. */
  readonly after?: () => Promise<void>;
  readonly rates: number[];
}

export async function run(
  emit: (figure: Figure) => void,
  options: SuiteOptions = FULL_RUN,
): Promise<void> {
  const EVENTS = Number(params.get('events') ?? (options.short ? SHORT_EVENTS : SIZES.events));
  const { from, to } = rounds(options, Number(params.get('repetitions') ?? SIZES.repetitions));
  const setupStart = performance.now();
  const { events, exact } = leanClicks(EVENTS, PAGES);
  const log = `bench-engine-${Date.now()}`;
  const db = await writeClickLog(log, events, PARTITIONS);
  const ranges = (await partitionsOf(db, 'clicks')).map((state) => ({
    topic: 'clicks',
    partition: state.partition,
    fromOffset: state.logStartOffset,
    untilOffset: state.highWatermark,
  }));
  check('the log, read by fetchColumn', await readColumn(db, ranges), exact);
  const pools = [
    await ExecutorPool.start({ size: 1, createWorker: createExecutorWorker }),
    await ExecutorPool.start({ size: 2, createWorker: createExecutorWorker }),
  ];
  if (pools.some((pool) => pool.mode !== 'workers'))
    throw new Error('executor workers did not start');
  const duck = await DuckPeer.start();
  note(`setup ${((performance.now() - setupStart) / 1000).toFixed(1)} s for ${EVENTS} events`);
  note(duck.description);

  const variants: Variant[] = [
    { name: 'tabstream-1w', count: () => countByUrl(pools[0]!, log, ranges), rates: [] },
    { name: 'tabstream-2w', count: () => countByUrl(pools[1]!, log, ranges), rates: [] },
    { name: 'plain-js', count: () => Promise.resolve(countPlain(events)), rates: [] },
    { name: 'arquero', count: () => Promise.resolve(countArquero(events)), rates: [] },
    { name: 'duckdb', count: () => duck.count(events), after: () => duck.reset(), rates: [] },
  ];
  try {
    for (let r = from; r < to; r++) {
      const first = (r + 1) % variants.length;
      for (const variant of [...variants.slice(first), ...variants.slice(0, first)]) {
        collectGarbage();
        const start = performance.now();
        const counts = await variant.count();
        const ms = performance.now() - start;
        await variant.after?.();
        check(variant.name, counts, exact);
        if (r >= 0) variant.rates.push(EVENTS / (ms / 1000)); // r < 0: warm-up (JIT, IndexedDB)
      }
    }
  } finally {
    await Promise.all([...pools.map((pool) => pool.terminate()), duck.close()]);
    db.close();
    await deleteDB(log);
  }
  for (const variant of variants) {
    const rates = variant.rates.map((rate) => (rate / 1e6).toFixed(2)).join(' ');
    note(`${variant.name} M events/s: ${rates}`);
  }

  const rate = (name: string) => median(variants.find((v) => v.name === name)!.rates);
  const oneWorker = rate('tabstream-1w');
  const twoWorkers = rate('tabstream-2w');
  const figure = (name: string, value: number, unit: string, more: Partial<Figure> = {}) =>
    emit({ suite: 'engine', name, value, unit, ...more });
  figure('count-by-url-1w', Math.round(oneWorker), 'events/s');
  figure('count-by-url-2w', Math.round(twoWorkers), 'events/s');
  for (const peer of ['arquero', 'duckdb', 'plain-js']) {
    figure(`vs-${peer}`, Math.round(twoWorkers), 'events/s', {
      baseline: peer,
      baseline_value: Math.round(rate(peer)),
      ratio: round2(twoWorkers / rate(peer)),
    });
  }
  figure('speedup-2w', round2(twoWorkers / oneWorker), 'x');
}

/** Every page column chunk of `ranges`, read on the main thread and counted: the setup's check. */
async function readColumn(db: LogDB, ranges: readonly OffsetRange[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const range of ranges) {
    for await (const page of fetchColumn(db, range, 'page')) {
      for (const chunk of page) countChunk(chunk, range, counts);
    }
  }
  return counts;
}

function check(what: string, counts: Map<string, number>, exact: Map<string, number>): void {
  if (counts.size !== exact.size) {
    throw new Error(`${what}: ${counts.size} pages counted, not ${exact.size}`);
  }
  for (const [page, n] of exact) {
    if (counts.get(page) !== n)
      throw new Error(`${what}: ${page} counted ${counts.get(page)}, not ${n}`);
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** A line for the log of the run (stderr), not a figure. */
function note(text: string): void {
  console.log(`BENCH-NOTE ${text}`);
}
