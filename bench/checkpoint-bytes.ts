// Figures of the `storage` suite about the streaming job's checkpoint: the bytes a batch writes
// of it at steady state (2,000 URLs in the totals, 20 URLs clicked per batch), against the
// whole checkpoint, which every batch wrote before checkpoints were written as changes.
import { deleteDB } from 'idb';
import { EngineContext, ExecutorPool } from '../src/engine';
import { createExecutorWorker } from '../workers/index';
import { ensureTopic, openLog, Producer } from '../src/log';
import { clickCounts, StreamingContext, type BatchInfo } from '../src/streaming';
import { median, type Figure } from './suites/figure';

const URLS = 2_000;
const CHANGED_PER_BATCH = 20;
const INTERVAL = 1_000;

/** The page of click `i` of batch `batch`: each batch clicks 20 URLs, a different 20 each time. */
const pageOf = (batch: number, i: number) =>
  `https://shop.example/p/${(batch * CHANGED_PER_BATCH + i) % URLS}`;

/**
 * Runs the script tag's job (`clickCounts`: totals and 1 and 5 minute windows, by page and by
 * target) on a manual clock, one batch per interval: a first batch of 2,000 URLs, then batches
 * of 20 clicks on 20 URLs, past the 5 minute window (so that batches leave the windows too),
 * then a minute with no clicks. Emits the median bytes a batch wrote of its checkpoint against
 * the whole checkpoint's size, the mean (snapshots included), and a batch with no clicks.
 */
export async function checkpointFigures(
  emit: (figure: Figure) => void,
  options: { short: boolean },
): Promise<void> {
  const log = `bench-checkpoint-${Date.now()}`;
  const db = await openLog(log);
  await ensureTopic(db, { name: 'clicks', partitions: 4 });
  const pool = await ExecutorPool.start({ size: 2, createWorker: createExecutorWorker });
  const clock = { time: Math.floor(Date.now() / INTERVAL) * INTERVAL, now: () => clock.time };
  const context = new StreamingContext(new EngineContext({ log, pool }), {
    checkpointId: 'bench',
    batchIntervalMs: INTERVAL,
    clock,
  });
  clickCounts(context);
  await context.start();
  const producer = new Producer({ log });
  const batch = async (pages: readonly string[]): Promise<BatchInfo> => {
    pages.forEach((page, i) => {
      const target = pages[(i + 1) % pages.length]!;
      void producer.send('clicks', { page, target }, `session-${i % 100}`);
    });
    await producer.flush();
    clock.time += INTERVAL;
    const info = await context.runBatch();
    if (!info) throw new Error('a batch of the checkpoint benchmark committed nothing');
    return info;
  };
  try {
    await batch(Array.from({ length: URLS }, (_, i) => pageOf(0, i)));
    // Short: the windows still fill; full: 5 minutes of batches, then 2 more for the figures.
    const warm = options.short ? 10 : 300;
    const measured = options.short ? 20 : 120;
    const clicks = (n: number) => Array.from({ length: CHANGED_PER_BATCH }, (_, i) => pageOf(n, i));
    for (let n = 1; n <= warm; n++) await batch(clicks(n));
    const steady: BatchInfo[] = [];
    for (let n = warm + 1; n <= warm + measured; n++) steady.push(await batch(clicks(n)));
    const idle: BatchInfo[] = [];
    for (let n = 0; n < (options.short ? 5 : 60); n++) idle.push(await batch([]));

    const full = median(steady.map((info) => info.checkpointSnapshotBytes));
    const figure = (name: string, value: number, unit = 'B') => {
      const rounded = Math.round(value);
      emit({
        suite: 'storage',
        name,
        value: rounded,
        unit,
        baseline: 'full-checkpoint',
        baseline_value: Math.round(full),
        ratio: Number((rounded / full).toFixed(4)),
      });
    };
    const written = steady.map((info) => info.checkpointBytes);
    figure('checkpoint-bytes-per-batch', median(written));
    figure('checkpoint-bytes-per-batch-mean', written.reduce((a, b) => a + b, 0) / written.length);
    figure('checkpoint-bytes-idle-batch', median(idle.map((info) => info.checkpointBytes)));
  } finally {
    await producer.close();
    await context.stop();
    await pool.terminate();
    db.close();
    await Promise.all([deleteDB(log), deleteDB(`${log}:coord`)]);
  }
}
