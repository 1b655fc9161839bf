// Suite `pipeline`: events/s from `send` to counted, for 100k synthetic click events: the
// producer appends them to the log, then one streaming batch counts them on 2 workers.
import { deleteDB } from 'idb';
import { EngineContext, ExecutorPool } from '../../src/engine';
import { createExecutorWorker } from '../../workers/index';
import { ensureTopic, openLog, Producer } from '../../src/log';
import { clickCounts, resultName, StreamingContext } from '../../src/streaming';
import {
  FULL_RUN,
  median,
  rounds,
  syntheticClicks,
  type Figure,
  type SuiteOptions,
} from './figure';

/** Events of a run; in short mode 10,000. */
const EVENTS = { full: 100_000, short: 10_000 };
const REPETITIONS = 5;

async function once(run: number, n: number) {
  const log = `bench-pipeline-${Date.now()}-${run}`;
  const db = await openLog(log);
  await ensureTopic(db, { name: 'clicks', partitions: 4 });
  const pool = await ExecutorPool.start({ size: 2, createWorker: createExecutorWorker });
  const context = new StreamingContext(new EngineContext({ log, pool }), {
    checkpointId: 'bench',
    clock: { now: () => performance.timeOrigin + performance.now() },
  });
  clickCounts(context);
  await context.start();
  const producer = new Producer({ log });
  const events = syntheticClicks(n, 1000);

  const start = performance.now();
  for (const event of events) void producer.send('clicks', event, event.sessionId);
  await producer.flush();
  const appended = performance.now();
  const batch = await context.runBatch();
  const counted = performance.now();

  const totals = (await context.results())[resultName('page', 'all')] ?? {};
  const total = batch
    ? Object.values(totals as Record<string, number>).reduce((a, b) => a + b, 0)
    : 0;
  if (total !== n) throw new Error(`counted ${total} events, not ${n}`);
  await producer.close();
  await context.stop();
  await pool.terminate();
  db.close();
  await Promise.all([deleteDB(log), deleteDB(`${log}:coord`)]);
  return {
    endToEnd: n / ((counted - start) / 1000),
    produce: n / ((appended - start) / 1000),
    count: n / ((counted - appended) / 1000),
  };
}

export async function run(
  emit: (figure: Figure) => void,
  options: SuiteOptions = FULL_RUN,
): Promise<void> {
  const n = options.short ? EVENTS.short : EVENTS.full;
  const { from, to } = rounds(options, REPETITIONS);
  const runs = [];
  for (let r = from; r < to; r++) {
    const result = await once(r, n);
    if (r >= 0) runs.push(result); // r < 0: warm-up (JIT, IndexedDB, worker code)
  }
  const figure = (name: string, values: number[]) =>
    emit({ suite: 'pipeline', name, value: Math.round(median(values)), unit: 'events/s' });
  figure(
    'end-to-end',
    runs.map((r) => r.endToEnd),
  );
  figure(
    'produce',
    runs.map((r) => r.produce),
  );
  figure(
    'count',
    runs.map((r) => r.count),
  );
}
