// Where a question's time goes in tabstream, for the notes of suite `sql`: its stages as the
// engine's status store saw them, and the floor of its scan (the same columns read and decoded
// on one thread, nothing else done).
import type { EngineEvent, JobStatusStore, StageInfo } from '../src/engine';
import { fetchBatches, partitionsOf, type LogDB } from '../src/log';

/** Runs `ask`, and tells each stage that completed meanwhile, in order, on a line of its own. */
export async function withStages<T>(
  status: JobStatusStore,
  ask: () => Promise<T>,
): Promise<{ value: T; stages: string[] }> {
  const stages: StageInfo[] = [];
  const unsubscribe = status.subscribe((event: EngineEvent) => {
    if (event.type === 'stage-completed') stages.push(event.stage);
  });
  try {
    const value = await ask();
    return { value, stages: stages.map(describeStage) };
  } finally {
    unsubscribe();
  }
}

/** `stage 3 (name, 4 tasks): 812 ms, tasks 1,500 ms; 5,000,000 records in, 2,000 out; shuffle …`. */
function describeStage(stage: StageInfo): string {
  const metrics = stage.tasks.flatMap((task) => (task.metrics ? [task.metrics] : []));
  const sum = (of: (m: (typeof metrics)[number]) => number) =>
    metrics.reduce((total, m) => total + of(m), 0);
  const wall = (stage.completionTime ?? stage.submissionTime) - stage.submissionTime;
  const kb = (bytes: number) => `${Math.round(bytes / 1024).toLocaleString('en')} KB`;
  return (
    `stage ${stage.stageId} (${stage.name}, ${stage.kind}, ${stage.numTasks} tasks): ` +
    `${wall} ms, task time ${Math.round(sum((m) => m.durationMs))} ms; ` +
    `records ${sum((m) => m.recordsIn).toLocaleString('en')} in, ` +
    `${sum((m) => m.recordsOut).toLocaleString('en')} out; ` +
    `shuffle ${kb(sum((m) => m.shuffleWriteBytes))} written, ${kb(sum((m) => m.shuffleReadBytes))} read`
  );
}

/**
 * The ms to read `fields` (and the timestamps, if `timestamps`) of every record of topic
 * `clicks` from IndexedDB and decode them, on this thread, partition after partition: the least
 * a scan of these columns costs one thread.
 */
export async function scanFloor(
  db: LogDB,
  fields: readonly string[],
  timestamps: boolean,
): Promise<number> {
  const start = performance.now();
  let records = 0;
  for (const state of await partitionsOf(db, 'clicks')) {
    const range = {
      topic: 'clicks',
      partition: state.partition,
      fromOffset: state.logStartOffset,
      untilOffset: state.highWatermark,
    };
    for await (const page of fetchBatches(db, range, { fields, timestamps }))
      for (const batch of page) records += batch.count;
  }
  if (records === 0) throw new Error('scanFloor: no records');
  return performance.now() - start;
}
