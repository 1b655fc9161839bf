// Suite `sql`: five questions in SQL over 5M clicks in the log (2,000 URLs Zipf-like, 20,000
// sessions in 16,000 tabs, over three hours; 4 partitions keyed by tab, as the tracker keys
// them), by tabstream's `sql(context, text)` on 2 executor workers, against DuckDB-WASM.
// - tabstream: timed from the call to the rows (parse, plan, read the columns named from
//   IndexedDB in the workers, decode, aggregate, shuffle, sort); the pool is started, and its
//   workers have opened the log, before the clock starts.
// - DuckDB-WASM, as in suite `engine` (the most generous setup): given the same events already
//   in memory as JS objects, and only the columns the question names; timed for load (objects →
//   Arrow → `insertArrowTable`) + query, to rows. Its start-up is not timed, as the pool's is not.
// The two answers are compared, row for row, every time: a figure of different answers would
// be worthless. Each question runs once to warm up, then REPETITIONS times, the two sides'
// order alternating, garbage collected before each; figures are medians of this page run.
// Also `parse-plan`: µs to parse and plan the first question (median of many).
import { deleteDB } from 'idb';
import { EngineContext, ExecutorPool } from '../../src/engine';
import { sql } from '../../src/sql';
import { createExecutorWorker } from '../../workers/index';
import { writeClickLog } from '../clicks';
import { DuckPeer } from '../peers';
import { parsePlanMicros } from '../sql-parse-plan';
import { scanFloor, withStages } from '../sql-profile';
import { sessionClicks, type SessionClick } from '../session-clicks';
import { QUERIES, type BenchQuery } from '../sql-queries';
import { collectGarbage, FULL_RUN, median, rounds, type Figure, type SuiteOptions } from './figure';

const params = new URL(location.href).searchParams;
const PARTITIONS = 4;
const WORKERS = 2;
/** Events and repetitions: `?events=`, `?repetitions=`, or these; short mode: 50,000, once. */
const SIZES = { events: 5_000_000, repetitions: 3 };
const SHORT_EVENTS = 50_000;
/** The visits of 5M clicks; fewer clicks keep as many clicks per session and tab. */
const VISITS = {
  pages: 2000,
  sessions: 20_000,
  tabs: 16_000,
  spanMs: 3 * 60 * 60 * 1000,
};
/** `?queries=q-bounce,q-top-pages` asks only those, in that order (to profile one); all by default. */
const ASKED = params.get('queries')?.split(',') ?? QUERIES.map((query) => query.name);
const PARSE_PLAN_RUNS = { full: 2000, short: 50 };

interface Answer {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
}

interface Side {
  readonly name: string;
  readonly ask: (query: BenchQuery) => Promise<Answer>;
  /** Untimed, after each question. */
  readonly after?: () => Promise<void>;
}

export async function run(
  emit: (figure: Figure) => void,
  options: SuiteOptions = FULL_RUN,
): Promise<void> {
  const events = Number(params.get('events') ?? (options.short ? SHORT_EVENTS : SIZES.events));
  const { from, to } = rounds(options, Number(params.get('repetitions') ?? SIZES.repetitions));
  const asked = ASKED.map((name) => {
    const query = QUERIES.find((q) => q.name === name);
    if (!query) throw new Error(`no question "${name}"`);
    return query;
  });
  const setupStart = performance.now();
  const scale = Math.min(1, events / SIZES.events);
  const clicks = sessionClicks(events, {
    ...VISITS,
    sessions: Math.max(10, Math.round(VISITS.sessions * scale)),
    tabs: Math.max(8, Math.round(VISITS.tabs * scale)),
  });
  const log = `bench-sql-${Date.now()}`;
  const db = await writeClickLog(log, clicks, PARTITIONS, (click) => click.tabId);
  note(`log written in ${((performance.now() - setupStart) / 1000).toFixed(1)} s`);
  const pool = await ExecutorPool.start({
    size: WORKERS,
    createWorker: createExecutorWorker,
  });
  if (pool.mode !== 'workers') throw new Error('executor workers did not start');
  const context = new EngineContext({ log, pool });
  const duck = await DuckPeer.start();
  note(`setup ${((performance.now() - setupStart) / 1000).toFixed(1)} s for ${events} events`);
  note(duck.description);

  /** The stages of tabstream's last answer to each question. */
  const stages = new Map<string, string[]>();
  const sides: Side[] = [
    {
      name: 'tabstream',
      ask: async (query) => {
        const { value, stages: seen } = await withStages(context.status, () =>
          sql(context, query.spark),
        );
        stages.set(query.name, seen);
        return value;
      },
    },
    {
      name: 'duckdb',
      ask: (query) => askDuck(duck, clicks, query),
      after: () => duck.drop('clicks'),
    },
  ];
  const times = new Map(sides.map((side) => [side.name, new Map<string, number[]>()]));
  let parsePlan: number;
  try {
    for (const query of asked) {
      for (let r = from; r < to; r++) {
        const answers = new Map<string, Answer>();
        for (const side of r % 2 ? [...sides].reverse() : sides) {
          collectGarbage();
          const start = performance.now();
          const answer = await side.ask(query);
          const ms = performance.now() - start;
          await side.after?.();
          answers.set(side.name, answer);
          if (r < 0) continue; // the warm-up (JIT, IndexedDB, DuckDB's caches)
          const perQuery = times.get(side.name)!;
          if (!perQuery.has(query.name)) perQuery.set(query.name, []);
          perQuery.get(query.name)!.push(ms);
        }
        checkSame(query, answers.get('tabstream')!, answers.get('duckdb')!);
      }
      for (const side of sides)
        note(
          `${query.name}: ${side.name} ${times.get(side.name)!.get(query.name)!.map(Math.round).join(' ')} ms`,
        );
      for (const stage of stages.get(query.name)!) note(`${query.name}: ${stage}`);
      const fields = Object.keys(query.columns).filter((column) => column !== '_timestamp');
      const floor = await scanFloor(db, fields, '_timestamp' in query.columns);
      note(`${query.name}: its columns read and decoded on one thread: ${Math.round(floor)} ms`);
    }
    // After the questions, so that none runs in a context holding thousands of planned datasets.
    const runs = options.short ? PARSE_PLAN_RUNS.short : PARSE_PLAN_RUNS.full;
    const { micros, catalogMs } = await parsePlanMicros(context, QUERIES[0]!.spark, runs);
    note(`the catalog, read from the log by every sql(): ${catalogMs.toFixed(1)} ms`);
    parsePlan = micros;
  } finally {
    await Promise.all([pool.terminate(), duck.close()]);
    db.close();
    await deleteDB(log);
  }
  emit({
    suite: 'sql',
    name: 'parse-plan',
    value: Math.round(parsePlan),
    unit: 'us',
  });
  for (const query of asked) {
    const ours = median(times.get('tabstream')!.get(query.name)!);
    const theirs = median(times.get('duckdb')!.get(query.name)!);
    emit({
      suite: 'sql',
      name: query.name,
      value: Math.round(ours),
      unit: 'ms',
      baseline: 'duckdb-wasm',
      baseline_value: Math.round(theirs),
      ratio: Math.round((theirs / ours) * 100) / 100,
    });
  }
}

/** DuckDB's side: load the columns the question names, then ask it. */
async function askDuck(
  duck: DuckPeer,
  clicks: readonly SessionClick[],
  query: BenchQuery,
): Promise<Answer> {
  await duck.load('clicks', clicks, query.columns);
  return duck.query(query.duckdb);
}

/** Throws unless both answers have the same rows (sorted first, where the order is not defined). */
function checkSame(query: BenchQuery, tabstream: Answer, duckdb: Answer): void {
  const rowsOf = (answer: Answer) => {
    const rows = answer.rows.map((row) => JSON.stringify(row));
    return query.ordered ? rows : rows.sort();
  };
  const [ours, theirs] = [rowsOf(tabstream), rowsOf(duckdb)];
  if (ours.length !== theirs.length)
    throw new Error(`${query.name}: tabstream ${ours.length} rows, DuckDB ${theirs.length}`);
  const i = ours.findIndex((row, i) => row !== theirs[i]);
  if (i >= 0)
    throw new Error(`${query.name}: row ${i + 1}: tabstream ${ours[i]}, DuckDB ${theirs[i]}`);
}

/** A line for the log of the run (stderr), not a figure. */
function note(text: string): void {
  console.log(`BENCH-NOTE ${text}`);
}
