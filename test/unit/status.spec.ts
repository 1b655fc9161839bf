import { describe, expect, it } from 'vitest';
import { JobStatusStore, type TaskMetrics } from '../../src/engine';
import { commitOffsets, ensureTopic } from '../../src/log';
import { engineStatus, logStatus, quantiles, type EngineState } from '../../src/status';
import { freshLog } from './helpers';

const metrics = (executorId: string, durationMs: number, recordsIn: number): TaskMetrics => ({
  executorId,
  durationMs,
  recordsIn,
  recordsOut: 1,
  batchesRead: 1,
  corruptBatches: 0,
  corruptRecords: 0,
  damage: [],
  shuffleReadBytes: 10,
  shuffleWriteBytes: 20,
});

/** Starts job `jobId` (described by `description`) with one result stage of `numTasks` tasks. */
function startJob(store: JobStatusStore, jobId: number, description: string, numTasks: number) {
  const job = store.jobStarted(jobId, description);
  const stage = store.stageSubmitted({
    stageId: jobId,
    attempt: 0,
    jobId,
    name: 'count',
    kind: 'result',
    numTasks,
  });
  return { job, stage };
}

/** A job of one stage of five tasks: four succeed on two executors, one fails and is retried. */
function oneJob(): JobStatusStore {
  const store = new JobStatusStore();
  const { job, stage } = startJob(store, 0, 'count at console', 4);
  const durations = [40, 10, 30, 20];
  durations.forEach((durationMs, partition) => {
    const task = store.taskStarted(stage, {
      taskId: partition,
      partition,
      attempt: 0,
      executorId: null,
    });
    task.executorId = `executor-${partition % 2}`;
    if (partition === 3) store.taskEnded(task, { error: new Error('lost') });
    else
      store.taskEnded(task, {
        metrics: metrics(task.executorId, durationMs, 100 * (partition + 1)),
      });
  });
  const retry = store.taskStarted(stage, { taskId: 4, partition: 3, attempt: 1, executorId: null });
  retry.executorId = 'executor-1';
  store.taskEnded(retry, { metrics: metrics('executor-1', 20, 400) });
  store.stageCompleted(stage, null);
  store.jobEnded(job, null);
  return store;
}

/** Job `jobId`: one stage, a task on each of `executorIds`, of `jobId` ms and records each. */
function runJob(store: JobStatusStore, jobId: number, executorIds: readonly string[]): void {
  const { job, stage } = startJob(store, jobId, `batch ${jobId}`, executorIds.length);
  executorIds.forEach((executorId, partition) => {
    const task = store.taskStarted(stage, { taskId: partition, partition, attempt: 0, executorId });
    store.taskEnded(task, { metrics: metrics(executorId, jobId, jobId) });
  });
  store.stageCompleted(stage, null);
  store.jobEnded(job, null);
}

/** What the pipeline hands `engineStatus`: the store's, and the pool's executors now. */
const stateOf = (
  store: JobStatusStore,
  executorIds: readonly string[],
  cachedPartitions = new Map<string, number>(),
): EngineState => ({
  jobs: store.jobs(),
  stages: store.stages(),
  executorTotals: store.executorTotals(),
  executorIds,
  cachedPartitions,
});

describe('quantiles', () => {
  it('picks actual values by nearest rank, as Spark does', () => {
    expect(quantiles([5, 1, 4, 2, 3])).toEqual({ min: 1, p25: 2, median: 3, p75: 4, max: 5 });
    expect(quantiles([7])).toEqual({ min: 7, p25: 7, median: 7, p75: 7, max: 7 });
    expect(quantiles([])).toBeNull();
  });
});

describe('engineStatus', () => {
  it("summarises a stage's finished tasks like Spark's stage page", () => {
    const { jobs, stages } = engineStatus(stateOf(oneJob(), ['executor-0', 'executor-1']));
    expect(stages[0]).toMatchObject({
      numTasks: 4,
      succeededTasks: 4,
      failedTasks: 1,
      runningTasks: 0,
      inputRecords: 1000,
      shuffleReadBytes: 40,
      shuffleWriteBytes: 80,
      taskDurationMs: { min: 10, p25: 20, median: 30, p75: 40, max: 40 },
      taskRecords: { min: 100, p25: 200, median: 300, p75: 400, max: 400 },
    });
    expect(jobs[0]).toMatchObject({
      status: 'succeeded',
      numTasks: 4,
      succeededTasks: 4,
      failedTasks: 1,
      runningTasks: 0,
    });
  });

  it('gives one row per executor with its tasks, failures, task time and cached partitions', () => {
    const cached = new Map([['executor-0', 3]]);
    const { executors } = engineStatus(stateOf(oneJob(), ['executor-0', 'driver'], cached));
    expect(executors.map((e) => e.executorId)).toEqual(['driver', 'executor-0', 'executor-1']);
    expect(executors[1]).toMatchObject({
      active: true,
      completedTasks: 2,
      failedTasks: 0,
      taskTimeMs: 70,
      cachedPartitions: 3,
    });
    expect(executors[2]).toMatchObject({
      active: false,
      completedTasks: 2,
      failedTasks: 1,
      taskTimeMs: 30,
      cachedPartitions: 0,
    });
    expect(executors[0]).toMatchObject({ active: true, completedTasks: 0 });
  });

  it('lists the newest jobs first and times a running one until now', () => {
    const store = oneJob();
    const running = store.jobStarted(1, 'collect at console');
    const { jobs } = engineStatus(stateOf(store, []), running.submissionTime + 250);
    expect(jobs.map((j) => [j.jobId, j.status])).toEqual([
      [1, 'running'],
      [0, 'succeeded'],
    ]);
    expect(jobs[0]!.durationMs).toBe(250);
  });

  it("keeps each executor's totals since the start, past the jobs the store retains", () => {
    const store = new JobStatusStore();
    const executorIds = ['executor-1', 'executor-2'];
    const n = 250;
    const ranFor = (n * (n - 1)) / 2; // job i's tasks take i ms and read i records
    for (let jobId = 0; jobId < n; jobId++) runJob(store, jobId, executorIds);
    expect(store.jobs().length).toBeLessThan(n);
    const { executors } = engineStatus(stateOf(store, executorIds));
    expect(executors).toEqual(
      executorIds.map((executorId) => ({
        executorId,
        active: true,
        activeTasks: 0,
        completedTasks: n,
        failedTasks: 0,
        taskTimeMs: ranFor,
        inputRecords: ranFor,
        shuffleReadBytes: 10 * n,
        shuffleWriteBytes: 20 * n,
        cachedPartitions: 0,
      })),
    );
  });

  it('lists an executor lost long ago as dead, with its failed attempt; the retry counts where it ran', () => {
    const store = new JobStatusStore();
    const { job, stage } = startJob(store, 0, 'count at console', 1);
    const lost = { taskId: 0, partition: 0, attempt: 0, executorId: 'executor-1' };
    store.taskEnded(store.taskStarted(stage, lost), { error: new Error('executor-1 lost') });
    const retry = { taskId: 1, partition: 0, attempt: 1, executorId: 'executor-2' };
    store.taskEnded(store.taskStarted(stage, retry), { metrics: metrics('executor-2', 5, 50) });
    store.stageCompleted(stage, null);
    store.jobEnded(job, null);
    // executor-3 replaced executor-1 in the pool; job 0 is trimmed.
    for (let jobId = 1; jobId <= 150; jobId++) runJob(store, jobId, ['executor-2', 'executor-3']);
    expect(store.job(0)).toBeUndefined();

    const { executors } = engineStatus(stateOf(store, ['executor-2', 'executor-3']));
    const rows = executors.map((e) => [e.executorId, e.active, e.completedTasks, e.failedTasks]);
    expect(rows).toEqual([
      ['executor-1', false, 0, 1],
      ['executor-2', true, 151, 0],
      ['executor-3', true, 150, 0],
    ]);
  });

  it("counts an executor's running tasks as active, apart from its ended ones", () => {
    const store = oneJob();
    store.jobStarted(1, 'collect at console');
    const stage = store.stageSubmitted({
      stageId: 1,
      attempt: 0,
      jobId: 1,
      name: 'collect',
      kind: 'result',
      numTasks: 2,
    });
    store.taskStarted(stage, { taskId: 5, partition: 0, attempt: 0, executorId: 'executor-1' });
    store.taskStarted(stage, { taskId: 6, partition: 1, attempt: 0, executorId: null }); // queued
    const { executors } = engineStatus(stateOf(store, ['executor-0', 'executor-1']));
    expect(executors.map((e) => [e.executorId, e.activeTasks, e.completedTasks])).toEqual([
      ['executor-0', 0, 2],
      ['executor-1', 1, 2],
    ]);
  });
});

describe('logStatus', () => {
  it("gives each group's lag from its offset, or the log start if later or none", async () => {
    const db = await freshLog('clicks', 3);
    await ensureTopic(db, { name: 'pageviews', partitions: 1 });
    const move = async (partition: number, logStartOffset: number, highWatermark: number) => {
      const state = (await db.get('partitions', ['clicks', partition]))!;
      await db.put('partitions', { ...state, logStartOffset, highWatermark });
    };
    await move(0, 10, 50); // retention deleted offsets 0–9
    await move(1, 0, 20);
    await commitOffsets(db, 'counts', [
      { topic: 'clicks', partition: 0, offset: 5 },
      { topic: 'clicks', partition: 1, offset: 15 },
    ]);
    const topics = await logStatus(db);
    const clicks = topics.find((t) => t.topic === 'clicks')!;
    expect(
      clicks.partitions.map((p) => [p.partition, p.logStartOffset, p.highWatermark, p.groups]),
    ).toEqual([
      [0, 10, 50, [{ group: 'counts', offset: 5, lag: 40 }]],
      [1, 0, 20, [{ group: 'counts', offset: 15, lag: 5 }]],
      [2, 0, 0, [{ group: 'counts', offset: null, lag: 0 }]],
    ]);
    expect(topics.find((t) => t.topic === 'pageviews')!.partitions[0]!.groups).toEqual([]);
  });
});
