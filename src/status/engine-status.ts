import type { ExecutorTotals, JobInfo, StageInfo, TaskInfo } from '../engine';
// From its own module: through '../engine' it would take engine code into the DevTools panel.
import { NO_TASKS } from '../engine/job-status';
import { quantiles } from './quantiles';
import type { EngineStatus, ExecutorSummary, JobSummary, StageSummary } from './snapshot';

/** What the summary reads: Spark's status store, and the executors now in the pool. */
export interface EngineState {
  readonly jobs: readonly JobInfo[];
  readonly stages: readonly StageInfo[];
  /** Each executor's totals since the start, lost executors' too, by id. */
  readonly executorTotals: ReadonlyMap<string, ExecutorTotals>;
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

/** One row per executor in the pool or that has run a task, in order of id. */
function executorSummaries(state: EngineState): ExecutorSummary[] {
  const running = runningTasks(state.stages);
  const ids = new Set([...state.executorIds, ...state.executorTotals.keys(), ...running.keys()]);
  return [...ids].sort(compareIds).map((executorId) => ({
    executorId,
    active: state.executorIds.includes(executorId),
    activeTasks: running.get(executorId) ?? 0,
    ...(state.executorTotals.get(executorId) ?? NO_TASKS),
    cachedPartitions: state.cachedPartitions.get(executorId) ?? 0,
  }));
}

/** How many tasks each executor is running now (running jobs are never trimmed). */
function runningTasks(stages: readonly StageInfo[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { tasks } of stages)
    for (const { status, executorId } of tasks)
      if (status === 'running' && executorId !== null)
        counts.set(executorId, (counts.get(executorId) ?? 0) + 1);
  return counts;
}

/** `driver` first, then executors in numeric order where their ids end in numbers. */
function compareIds(a: string, b: string): number {
  if (a === 'driver' || b === 'driver') return a === 'driver' ? (b === 'driver' ? 0 : -1) : 1;
  return a.localeCompare(b, 'en', { numeric: true });
}
