import { ensureTopic, openLog, Producer } from '../../src/log';

/** A log name no other test uses: tests run side by side in one origin. */
export function uniqueLog(prefix: string): string {
  return `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
}

/** A log of topic `clicks` holding `pages[i]` click events per partition, appended by a real producer. */
export async function logWithClicks(log: string, partitions: number, pages: readonly string[]) {
  const db = await openLog(log);
  await ensureTopic(db, { name: 'clicks', partitions });
  db.close();
  const producer = new Producer({ log, batchSize: 100 });
  pages.forEach((page, i) => void producer.send('clicks', { page, i }, `session-${i % 5}`));
  await producer.close();
}

/** Counts of each value in `values`. */
export function tally(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

/** Resolves once `condition` holds, polling; rejects after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs = 10000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Starts an executor worker from its module, as the pool does (the build inlines it instead). */
export const createWorker = (name: string): Worker =>
  new Worker(new URL('../../workers/executor.ts', import.meta.url), { type: 'module', name });
