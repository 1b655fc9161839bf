// Suite `pipeline`: events/s from `send` to counted, for 100k synthetic click events: the
// producer appends them to the log, then one streaming batch counts them on 2 workers.
import { deleteDB } from 'idb';
import { EngineContext, ExecutorPool } from '../../src/engine';
import { createExecutorWorker } from '../../src/executor-worker';
import { ensureTopic, openLog, Producer } from '../../src/log';
import { clickCounts, resultName, StreamingContext } from '../../src/streaming';
import { median, syntheticClicks, type Figure } from './figure';

const EVENTS = 100_000;
const REPETITIONS = 5;

async function once(run: number) {
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
  const events = syntheticClicks(EVENTS, 1000);

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
  if (total !== EVENTS) throw new Error(`counted ${total} events, not ${EVENTS}`);
  await producer.close();
  await context.stop();
  await pool.terminate();
  db.close();
  await Promise.all([deleteDB(log), deleteDB(`${log}:coord`)]);
  return {
    endToEnd: EVENTS / ((counted - start) / 1000),
    produce: EVENTS / ((appended - start) / 1000),
    count: EVENTS / ((counted - appended) / 1000),
  };
}

export async function run(emit: (figure: Figure) => void): Promise<void> {
  await once(-1); // warm-up: JIT, IndexedDB, worker code
  const runs = [];
  for (let i = 0; i < REPETITIONS; i++) runs.push(await once(i));
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
