// Suite `ml`: MLlib and GraphX on the clicks, on 2 executor workers.
// - `kmeans-cached`: 1,000,000 clicks in the log (4 partitions; bench/clicks.ts's synthetic
//   clicks, x in 0..1279 and y in 0..799), then 10 Lloyd iterations of KMeans.train (k = 8,
//   fixed initial centres) over their `[x, y]` read from the log in the workers, timed from the
//   call to the model: train's default, which caches the points in the executors (read from the
//   log and packed by the first iteration, timed), against `baseline` the same 10 iterations
//   with `persistInput: false` (each reads the log again), in the same page run; value clicks/s
//   per iteration; `ratio` cached / uncached. The pool is started, and the log written, before
//   any clock starts. One warm-up round, then 3, the two sides' order alternating; figures are
//   medians (bench/ml-kmeans.ts).
// - `pagerank`: bench/ml-pagerank.ts (its own header says what it times).
// Short mode (`--short`): 20,000 clicks, 2 iterations, one round.
import { deleteDB } from 'idb';
import { EngineContext, ExecutorPool } from '../../src/engine';
import { createExecutorWorker } from '../../workers/index';
import { leanClicks, writeClickLog } from '../clicks';
import { kmeansFigures } from '../ml-kmeans';
import { pagerankFigures } from '../ml-pagerank';
import { FULL_RUN, type Figure, type SuiteOptions } from './figure';

const params = new URL(location.href).searchParams;
const PARTITIONS = 4;
const WORKERS = 2;
/** `?events=`, `?iterations=`, `?repetitions=`, or these. */
const FULL = { events: 1_000_000, iterations: 10, repetitions: 3 };
const SHORT = { events: 20_000, iterations: 2, repetitions: 1 };

export async function run(
  emit: (figure: Figure) => void,
  options: SuiteOptions = FULL_RUN,
): Promise<void> {
  const sizes = options.short ? SHORT : FULL;
  const events = Number(params.get('events') ?? sizes.events);
  const setupStart = performance.now();
  const log = `bench-ml-${Date.now()}`;
  const db = await writeClickLog(log, leanClicks(events, 100).events, PARTITIONS);
  const pool = await ExecutorPool.start({ size: WORKERS, createWorker: createExecutorWorker });
  try {
    if (pool.mode !== 'workers') throw new Error('executor workers did not start');
    note(`setup ${((performance.now() - setupStart) / 1000).toFixed(1)} s for ${events} clicks`);
    await kmeansFigures(emit, options, {
      context: new EngineContext({ log, pool }),
      events,
      iterations: Number(params.get('iterations') ?? sizes.iterations),
      repetitions: Number(params.get('repetitions') ?? sizes.repetitions),
      note,
    });
  } finally {
    await pool.terminate();
    db.close();
    await deleteDB(log);
  }
  await pagerankFigures(emit, options);
}

/** A line for the log of the run (stderr), not a figure. */
function note(text: string): void {
  console.log(`BENCH-NOTE ${text}`);
}
