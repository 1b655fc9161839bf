import type { TaskMetrics } from './plan';

export type Status = 'running' | 'succeeded' | 'failed' | 'skipped';

/** A task attempt, as Spark UI's task table shows it. */
export interface TaskInfo {
  readonly taskId: number;
  readonly stageId: number;
  readonly partition: number;
  readonly attempt: number;
  executorId: string | null;
  readonly launchTime: number;
  status: Status;
  metrics: TaskMetrics | null;
  failureReason: string | null;
}

/** A stage attempt: its tasks and their totals. */
export interface StageInfo {
  readonly stageId: number;
  readonly attempt: number;
  readonly jobId: number;
  readonly name: string;
  readonly kind: 'shuffle-map' | 'result';
  readonly numTasks: number;
  readonly submissionTime: number;
  completionTime: number | null;
  status: Status;
  failureReason: string | null;
  readonly tasks: TaskInfo[];
}

/** A job group and its priority. */
export interface JobGroup {
  readonly group: string | null;
  readonly priority: number;
}

/** A job: one action, its stages, and how it ended. */
export interface JobInfo {
  readonly jobId: number;
  readonly description: string;
  /** The job group it was started in (Spark's setJobGroup), e.g. a streaming batch's. */
  readonly group: string | null;
  /** Its tasks take free executor slots before those of jobs of a lower priority. */
  readonly priority: number;
  readonly submissionTime: number;
  completionTime: number | null;
  status: Status;
  failureReason: string | null;
  readonly stageIds: number[];
}

/**
 * An executor's task attempts since the application started (Spark's ExecutorSummary): kept
 * when their jobs are trimmed, and after the executor is lost.
 */
export interface ExecutorTotals {
  readonly completedTasks: number;
  readonly failedTasks: number;
  /** The summed duration of its succeeded tasks: a failed one reports no metrics. */
  readonly taskTimeMs: number;
  readonly inputRecords: number;
  readonly shuffleReadBytes: number;
  readonly shuffleWriteBytes: number;
}

/** The totals of an executor that has ended no task. */
export const NO_TASKS: ExecutorTotals = {
  completedTasks: 0,
  failedTasks: 0,
  taskTimeMs: 0,
  inputRecords: 0,
  shuffleReadBytes: 0,
  shuffleWriteBytes: 0,
};

/** What the status store tells listeners: Spark's listener events. */
export type EngineEvent =
  | { readonly type: 'job-start' | 'job-end'; readonly job: JobInfo }
  | { readonly type: 'stage-submitted' | 'stage-completed'; readonly stage: StageInfo }
  | { readonly type: 'task-start' | 'task-end'; readonly task: TaskInfo };

/** How many finished jobs the store keeps, oldest dropped first. */
const RETAINED_JOBS = 100;

/**
 * Spark's status store: jobs, stages and tasks as they run, kept for the monitor (the last
 * hundred jobs), and told to listeners as they happen; each executor's totals since the start.
 */
export class JobStatusStore {
  private readonly jobInfos = new Map<number, JobInfo>();
  private readonly stageInfos = new Map<string, StageInfo>();
  private readonly executorInfos = new Map<string, ExecutorTotals>();
  private readonly listeners = new Set<(event: EngineEvent) => void>();

  jobs(): JobInfo[] {
    return [...this.jobInfos.values()];
  }

  job(jobId: number): JobInfo | undefined {
    return this.jobInfos.get(jobId);
  }

  /** Every attempt of every stage of the retained jobs. */
  stages(): StageInfo[] {
    return [...this.stageInfos.values()];
  }

  /** The totals of every executor that has ended a task, by id. */
  executorTotals(): Map<string, ExecutorTotals> {
    return new Map(this.executorInfos);
  }

  /** Calls `listener` with every event from now on; returns the unsubscribe. */
  subscribe(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Spark's job group: the jobs of actions called while it is set belong to it, with its
   * priority (a streaming batch sets its own, above console jobs, as a FAIR scheduler pool
   * would). JavaScript has no thread to scope it to: an action a console user calls meanwhile
   * joins the group too.
   */
  jobGroup: string | null = null;
  jobPriority = 0;

  /** Sets the job group (null clears it) and its priority for the jobs started from now on. */
  setJobGroup(group: string | null, priority = 0): void {
    this.jobGroup = group;
    this.jobPriority = group === null ? 0 : priority;
  }

  jobStarted(
    jobId: number,
    description: string,
    { group, priority }: JobGroup = { group: null, priority: 0 },
  ): JobInfo {
    const job: JobInfo = {
      jobId,
      description,
      group,
      priority,
      submissionTime: Date.now(),
      completionTime: null,
      status: 'running',
      failureReason: null,
      stageIds: [],
    };
    this.jobInfos.set(jobId, job);
    this.trim();
    this.emit({ type: 'job-start', job });
    return job;
  }

  jobEnded(job: JobInfo, error: unknown): void {
    finish(job, error);
    this.emit({ type: 'job-end', job });
  }

  stageSubmitted(
    stage: Omit<
      StageInfo,
      'completionTime' | 'status' | 'failureReason' | 'tasks' | 'submissionTime'
    >,
  ): StageInfo {
    const info: StageInfo = {
      ...stage,
      submissionTime: Date.now(),
      completionTime: null,
      status: 'running',
      failureReason: null,
      tasks: [],
    };
    this.stageInfos.set(`${info.stageId}.${info.attempt}`, info);
    const job = this.jobInfos.get(info.jobId);
    if (job && !job.stageIds.includes(info.stageId)) job.stageIds.push(info.stageId);
    this.emit({ type: 'stage-submitted', stage: info });
    return info;
  }

  stageCompleted(stage: StageInfo, error: unknown): void {
    finish(stage, error);
    this.emit({ type: 'stage-completed', stage });
  }

  taskStarted(
    stage: StageInfo,
    task: Omit<TaskInfo, 'status' | 'metrics' | 'failureReason' | 'launchTime' | 'stageId'>,
  ): TaskInfo {
    const info: TaskInfo = {
      ...task,
      stageId: stage.stageId,
      launchTime: Date.now(),
      status: 'running',
      metrics: null,
      failureReason: null,
    };
    stage.tasks.push(info);
    this.emit({ type: 'task-start', task: info });
    return info;
  }

  taskEnded(task: TaskInfo, outcome: { metrics: TaskMetrics } | { error: unknown }): void {
    if ('metrics' in outcome) {
      task.status = 'succeeded';
      task.metrics = outcome.metrics;
      task.executorId = outcome.metrics.executorId;
    } else {
      task.status = 'failed';
      task.failureReason = messageOf(outcome.error);
    }
    // Each attempt counts, on the executor it ran on; none if it ended before it launched.
    const { executorId } = task;
    if (executorId !== null) {
      const totals = this.executorInfos.get(executorId) ?? NO_TASKS;
      this.executorInfos.set(executorId, withTask(totals, task));
    }
    this.emit({ type: 'task-end', task });
  }

  /** Drops the oldest finished jobs beyond RETAINED_JOBS; running jobs stay. */
  private trim(): void {
    for (const [jobId, job] of this.jobInfos) {
      if (this.jobInfos.size <= RETAINED_JOBS) break;
      if (job.status === 'running') continue;
      this.jobInfos.delete(jobId);
      for (const [key, stage] of this.stageInfos)
        if (stage.jobId === jobId) this.stageInfos.delete(key);
    }
  }

  private emit(event: EngineEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A listener's failure is its own: the job goes on.
      }
    }
  }
}

/** An executor's totals with an ended task attempt added. */
function withTask(totals: ExecutorTotals, { status, metrics }: TaskInfo): ExecutorTotals {
  return {
    completedTasks: totals.completedTasks + (status === 'succeeded' ? 1 : 0),
    failedTasks: totals.failedTasks + (status === 'failed' ? 1 : 0),
    taskTimeMs: totals.taskTimeMs + (metrics?.durationMs ?? 0),
    inputRecords: totals.inputRecords + (metrics?.recordsIn ?? 0),
    shuffleReadBytes: totals.shuffleReadBytes + (metrics?.shuffleReadBytes ?? 0),
    shuffleWriteBytes: totals.shuffleWriteBytes + (metrics?.shuffleWriteBytes ?? 0),
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Marks a job or stage done: failed with `error`'s message, or succeeded. */
function finish(
  info: { completionTime: number | null; status: Status; failureReason: string | null },
  error: unknown,
): void {
  info.completionTime = Date.now();
  info.status = error ? 'failed' : 'succeeded';
  info.failureReason = error ? messageOf(error) : null;
}
