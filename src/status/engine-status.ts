import type { JobInfo, StageInfo, TaskInfo } from '../engine';
import { quantiles } from './quantiles';
import type { EngineStatus, ExecutorSummary, JobSummary, StageSummary } from './snapshot';

/** What the summary reads: Spark's status store, and the executors now in the pool. */
export interface EngineState {
  readonly jobs: readonly JobInfo[];
  readonly stages: readonly StageInfo[];
  readonly executorIds: readonly string[];
  /** Cached partitions per executor. */
  readonly cachedPartitions: ReadonlyMap<string, number>;
}

/** The jobs, stages and executors of `state` as the monitor shows them, at time `now`. */
export function engineStatus(state: EngineState, now = Date.now()): EngineStatus {
  const stages = state.stages.map((stage) => stageSummary(stage, now));
  return {
    jobs: state.jobs
      .map((job) => {
        const own = lastAttempts(stages.filter((stage) => stage.jobId === job.jobId));
        return jobSummary(job, [...own.values()], now);
      })
      .reverse(),
    stages: [...stages].reverse(),
    executors: executorSummaries(state),
  };
}

/** Each stage's last attempt, by stage id. */
export function lastAttempts(stages: readonly StageSummary[]): Map<number, StageSummary> {
  const last = new Map<number, StageSummary>();
  for (const stage of stages)
    if ((last.get(stage.stageId)?.attempt ?? -1) < stage.attempt) last.set(stage.stageId, stage);
  return last;
}

function jobSummary(job: JobInfo, stages: readonly StageSummary[], now: number): JobSummary {
  const sum = (key: 'numTasks' | 'succeededTasks' | 'failedTasks' | 'runningTasks'): number =>
    stages.reduce((total, stage) => total + stage[key], 0);
  return {
    jobId: job.jobId,
    description: job.description,
    group: job.group,
    status: job.status,
    submissionTime: job.submissionTime,
    completionTime: job.completionTime,
    durationMs: (job.completionTime ?? now) - job.submissionTime,
    stageIds: [...job.stageIds],
    numTasks: sum('numTasks'),
    succeededTasks: sum('succeededTasks'),
    failedTasks: sum('failedTasks'),
    runningTasks: sum('runningTasks'),
    failureReason: job.failureReason,
  };
}

function stageSummary(stage: StageInfo, now: number): StageSummary {
  const done = stage.tasks.filter((task) => task.status === 'succeeded' && task.metrics);
  const metric = (key: 'recordsIn' | 'recordsOut' | 'shuffleReadBytes' | 'shuffleWriteBytes') =>
    done.reduce((total, task) => total + task.metrics![key], 0);
  const count = (status: TaskInfo['status']): number =>
    stage.tasks.filter((task) => task.status === status).length;
  return {
    stageId: stage.stageId,
    attempt: stage.attempt,
    jobId: stage.jobId,
    name: stage.name,
    kind: stage.kind,
    status: stage.status,
    submissionTime: stage.submissionTime,
    completionTime: stage.completionTime,
    durationMs: (stage.completionTime ?? now) - stage.submissionTime,
    numTasks: stage.numTasks,
    succeededTasks: done.length,
    failedTasks: count('failed'),
    runningTasks: count('running'),
    inputRecords: metric('recordsIn'),
    outputRecords: metric('recordsOut'),
    shuffleReadBytes: metric('shuffleReadBytes'),
    shuffleWriteBytes: metric('shuffleWriteBytes'),
    taskDurationMs: quantiles(done.map((task) => task.metrics!.durationMs)),
    taskRecords: quantiles(done.map((task) => task.metrics!.recordsIn)),
    failureReason: stage.failureReason,
  };
}

type Totals = { -readonly [K in keyof ExecutorSummary]: ExecutorSummary[K] };

/** One row per executor in the pool or named by a retained task, in order of id. */
function executorSummaries(state: EngineState): ExecutorSummary[] {
  const rows = new Map<string, Totals>();
  const row = (executorId: string): Totals => {
    let totals = rows.get(executorId);
    if (!totals) {
      totals = {
        executorId,
        active: state.executorIds.includes(executorId),
        activeTasks: 0,
        completedTasks: 0,
        failedTasks: 0,
        taskTimeMs: 0,
        inputRecords: 0,
        shuffleReadBytes: 0,
        shuffleWriteBytes: 0,
        cachedPartitions: state.cachedPartitions.get(executorId) ?? 0,
      };
      rows.set(executorId, totals);
    }
    return totals;
  };
  for (const executorId of state.executorIds) row(executorId);
  for (const task of state.stages.flatMap((stage) => stage.tasks))
    if (task.executorId !== null) addTask(row(task.executorId), task);
  return [...rows.values()].sort((a, b) => compareIds(a.executorId, b.executorId));
}

function addTask(totals: Totals, task: TaskInfo): void {
  if (task.status === 'running') totals.activeTasks++;
  else if (task.status === 'failed') totals.failedTasks++;
  else if (task.status === 'succeeded') totals.completedTasks++;
  if (!task.metrics) return;
  totals.taskTimeMs += task.metrics.durationMs;
  totals.inputRecords += task.metrics.recordsIn;
  totals.shuffleReadBytes += task.metrics.shuffleReadBytes;
  totals.shuffleWriteBytes += task.metrics.shuffleWriteBytes;
}

/** `driver` first, then executors in numeric order where their ids end in numbers. */
function compareIds(a: string, b: string): number {
  if (a === 'driver' || b === 'driver') return a === 'driver' ? (b === 'driver' ? 0 : -1) : 1;
  return a.localeCompare(b, 'en', { numeric: true });
}
