import { reportDamage, warnOnce } from '../shared';
import type { Aggregation } from './aggregation';
import type { AnyDataset } from './dataset';
import type { ExecutorPool } from './executor-pool';
import type { JobGroup, JobInfo, JobStatusStore, StageInfo } from './job-status';
import {
  coalesced,
  type ResolvedSource,
  shuffleDependencies,
  ShuffleDependency,
  unionPartition,
  usesSource,
} from './lineage';
import { DRIVER } from './local-slot';
import { rangeBounds } from './partitioner';
import type { FetchFailedError } from './shuffle';
import type { Action, Compute, Sink, TaskDescription, TaskOutcome } from './plan';
import { fileSplits } from './text-file';

/** Fails a job: a task failed `maxTaskFailures` times, or with an error no retry can fix. */
export class JobFailedError extends Error {
  override name = 'JobFailedError';
  constructor(
    message: string,
    readonly stageId: number,
    override readonly cause: unknown,
  ) {
    super(message);
  }
}

/** Errors that fail a job at once: running the task again would fail the same way. */
const FATAL = new Set(['TaskNotSerializableError', 'UnknownFunctionError', 'PoolClosedError']);

/**
 * True for an error no retry can fix, or a job that failed of one. By name: errors cross from
 * workers as plain errors that keep their names.
 */
export function isUnrecoverable(error: unknown): boolean {
  const cause = error instanceof JobFailedError ? error.cause : error;
  return FATAL.has((cause as Error | null)?.name ?? '');
}

export interface SchedulerOptions {
  readonly log: string;
  /** A source dataset's file bytes or log ranges, resolved before its first job. */
  readonly sourceOf: (dataset: AnyDataset) => ResolvedSource | undefined;
  readonly maxTaskFailures: number;
  /** Applies a successful task's accumulator updates. */
  readonly onAccumulators: (updates: Readonly<Record<number, number>>) => void;
}

/** A job as it runs: its status record, where its tasks run, and whether it already failed. */
interface JobRun {
  readonly info: JobInfo;
  readonly local: boolean;
  readonly signal: AbortSignal;
}

interface Stage {
  readonly stageId: number;
  readonly attempt: number;
  readonly job: JobRun;
  readonly name: string;
  readonly kind: 'shuffle-map' | 'result';
  readonly dataset: AnyDataset;
}

/**
 * Spark's DAG scheduler: splits a job into stages at shuffle dependencies, runs a stage once
 * its parent stages' map outputs are all available (running only the missing ones: a shuffle
 * computed by an earlier job is reused), and retries failed tasks on any executor.
 * Guarantees: lost map outputs and cached partitions (their executor died) are recomputed from
 * lineage; a task failing `maxTaskFailures` times fails the job with its error and stage.
 */
export class DagScheduler {
  private jobs = 0;
  private stages = 0;
  private tasks = 0;
  /** Per shuffle, the executor holding each map partition's output, or null if missing. */
  private readonly mapOutputs = new Map<number, (string | null)[]>();
  private readonly shuffleStages = new Map<number, { stageId: number; attempts: number }>();
  private readonly running = new Map<number, Promise<void>>();
  /** Per persisted dataset, the executor holding each cached partition. */
  private readonly cacheLocations = new Map<number, Map<number, string>>();
  private readonly cleaner = new FinalizationRegistry<number>((shuffleId) =>
    this.forgetShuffle(shuffleId),
  );

  constructor(
    private readonly pool: ExecutorPool,
    private readonly status: JobStatusStore,
    private readonly options: SchedulerOptions,
  ) {
    pool.onExecutorLost((executorId) => this.executorLost(executorId));
  }

  /**
   * Runs an action's tasks on `partitions` (default all) of a prepared dataset; resolves with
   * their outcomes in partition order.
   * - must first run every parent stage whose map outputs are missing (only those tasks);
   * - must retry a failed task up to `maxTaskFailures` times, and recompute the map outputs a
   *   fetch failure or a lost executor took away;
   * - must reject with JobFailedError naming the task and stage, and stop the job's other
   *   tasks from retrying.
   */
  async runJob(
    dataset: AnyDataset,
    action: Action,
    description: string,
    partitions?: readonly number[],
    group: JobGroup = { group: null, priority: 0 },
  ): Promise<TaskOutcome[]> {
    const info = this.status.jobStarted(this.jobs++, description, group);
    const local =
      this.pool.mode === 'local' || (!this.pool.evalAllowed && usesSource(dataset, action));
    const controller = new AbortController();
    const job: JobRun = { info, local, signal: controller.signal };
    if (local && this.pool.mode === 'workers')
      warnOnce(
        "tabstream: the page's Content-Security-Policy forbids eval in workers, so jobs with " +
          'inline functions run on the main thread. Use op.* operators or defineFn modules to run them in workers.',
      );
    try {
      await this.ensureParents(dataset, job);
      const stage = this.newStage(job, dataset, 'result', description);
      const all = Array.from({ length: dataset.numPartitions }, (_, i) => i);
      const outcomes = await this.runStage(stage, partitions ?? all, () => ({
        kind: 'result',
        action,
      }));
      this.status.jobEnded(info, null);
      return outcomes;
    } catch (error) {
      controller.abort(error); // its other tasks stop retrying
      this.status.jobEnded(info, error);
      throw error;
    }
  }

  /** How many cached partitions each executor holds (Spark's storage status per executor). */
  cachedPartitions(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const locations of this.cacheLocations.values())
      for (const executorId of locations.values())
        counts.set(executorId, (counts.get(executorId) ?? 0) + 1);
    return counts;
  }

  /** Forgets where a dataset's partitions are cached (they were dropped). */
  uncache(datasetId: number): void {
    this.cacheLocations.delete(datasetId);
  }

  private async ensureParents(dataset: AnyDataset, job: JobRun): Promise<void> {
    await Promise.all(shuffleDependencies(dataset).map((dep) => this.ensureShuffle(dep, job)));
  }

  /** Runs the map stage of a shuffle for its missing partitions, once at a time per shuffle. */
  private ensureShuffle(dep: ShuffleDependency, job: JobRun): Promise<void> {
    let run = this.running.get(dep.shuffleId);
    if (!run) {
      run = this.runMapStage(dep, job).finally(() => this.running.delete(dep.shuffleId));
      this.running.set(dep.shuffleId, run);
    }
    return run;
  }

  private async runMapStage(dep: ShuffleDependency, job: JobRun): Promise<void> {
    await this.ensureParents(dep.parent, job);
    let outputs = this.mapOutputs.get(dep.shuffleId);
    if (!outputs) {
      outputs = new Array<string | null>(dep.parent.numPartitions).fill(null);
      this.mapOutputs.set(dep.shuffleId, outputs);
      this.cleaner.register(dep, dep.shuffleId);
    }
    if (dep.needsBounds && outputs.includes(null)) dep.setBounds(await this.sampleBounds(dep, job));
    // Outputs can be lost while the stage runs (their executor died): run it again for those.
    for (let attempt = 0; outputs.includes(null); attempt++) {
      if (job.signal.aborted) throw job.signal.reason;
      if (attempt >= this.options.maxTaskFailures)
        throw new JobFailedError(
          `tabstream: job ${job.info.jobId} aborted: the map outputs of shuffle ${dep.shuffleId} kept being lost`,
          this.shuffleStages.get(dep.shuffleId)!.stageId,
          null,
        );
      const missing = outputs.flatMap((executor, mapId) => (executor === null ? [mapId] : []));
      await this.runStage(this.mapStage(dep, job), missing, (mapId) =>
        this.shuffleWrite(dep, mapId),
      );
    }
  }

  /** The next attempt of a shuffle's map stage: one stage id per shuffle, as in Spark. */
  private mapStage(dep: ShuffleDependency, job: JobRun): Stage {
    const known = this.shuffleStages.get(dep.shuffleId) ?? { stageId: this.stages++, attempts: 0 };
    this.shuffleStages.set(dep.shuffleId, { ...known, attempts: known.attempts + 1 });
    const name = `${dep.parent.name} at dataset ${dep.parent.id}`;
    return {
      stageId: known.stageId,
      attempt: known.attempts,
      job,
      name,
      kind: 'shuffle-map',
      dataset: dep.parent,
    };
  }

  private shuffleWrite(dep: ShuffleDependency, mapId: number): Sink {
    const { shuffleId, partitioner, aggregation } = dep;
    return { kind: 'shuffle-write', shuffleId, mapId, partitioner, aggregation };
  }

  /** Samples the keys of a range shuffle's parent, as Spark's RangePartitioner does. */
  private async sampleBounds(dep: ShuffleDependency, job: JobRun): Promise<unknown[]> {
    const n = dep.partitioner.numPartitions;
    const size = Math.ceil((60 * n) / Math.max(1, dep.parent.numPartitions)) + 20;
    const stage = this.newStage(
      job,
      dep.parent,
      'result',
      `sample keys at dataset ${dep.parent.id}`,
    );
    const all = Array.from({ length: dep.parent.numPartitions }, (_, i) => i);
    const outcomes = await this.runStage(stage, all, () => ({
      kind: 'result',
      action: { kind: 'sample-keys', size },
    }));
    return rangeBounds(
      outcomes.flatMap((outcome) => outcome.value as unknown[]),
      n,
    );
  }

  private newStage(job: JobRun, dataset: AnyDataset, kind: Stage['kind'], name: string): Stage {
    return { stageId: this.stages++, attempt: 0, job, name, kind, dataset };
  }

  private async runStage(
    stage: Stage,
    partitions: readonly number[],
    sink: (partition: number) => Sink,
  ): Promise<TaskOutcome[]> {
    const info = this.status.stageSubmitted({
      stageId: stage.stageId,
      attempt: stage.attempt,
      jobId: stage.job.info.jobId,
      name: stage.name,
      kind: stage.kind,
      numTasks: partitions.length,
    });
    try {
      const outcomes = await Promise.all(
        partitions.map((partition) => this.runTask(stage, info, partition, sink(partition))),
      );
      this.status.stageCompleted(info, null);
      return outcomes;
    } catch (error) {
      this.status.stageCompleted(info, error);
      throw error;
    }
  }

  /** Runs one task until it succeeds, retrying on any executor, up to `maxTaskFailures` times. */
  private async runTask(
    stage: Stage,
    info: StageInfo,
    partition: number,
    sink: Sink,
  ): Promise<TaskOutcome> {
    const { signal, local, info: job } = stage.job;
    for (let attempt = 0; ; attempt++) {
      if (signal.aborted) throw signal.reason;
      const task: TaskDescription = {
        taskId: this.tasks++,
        jobId: job.jobId,
        stageId: stage.stageId,
        partition,
        attempt,
        compute: this.computeOf(stage.dataset, partition),
        sink,
      };
      const taskInfo = this.status.taskStarted(info, {
        taskId: task.taskId,
        partition,
        attempt,
        executorId: null,
      });
      try {
        const outcome = await this.pool.run(task, {
          preferred: this.preferredExecutor(stage.dataset, partition),
          local,
          priority: job.priority,
          onLaunch: (executorId) => (taskInfo.executorId = executorId),
        });
        this.status.taskEnded(taskInfo, outcome);
        this.succeeded(task, outcome);
        return outcome;
      } catch (error) {
        this.status.taskEnded(taskInfo, { error });
        const fatal = isUnrecoverable(error);
        if (fatal || attempt + 1 >= this.options.maxTaskFailures)
          throw failure(stage, partition, attempt + 1, error, fatal);
        if ((error as Error | null)?.name === 'FetchFailedError') {
          this.forgetOutputsOf((error as FetchFailedError).executorId);
          await this.ensureParents(stage.dataset, stage.job);
        }
      }
    }
  }

  private succeeded(task: TaskDescription, outcome: TaskOutcome): void {
    const { executorId, damage } = outcome.metrics;
    // A worker's damage is counted in its own context: count it here too, where status() reads.
    if (executorId !== DRIVER) for (const found of damage) reportDamage(found);
    if (task.sink.kind === 'shuffle-write') {
      const outputs = this.mapOutputs.get(task.sink.shuffleId);
      if (outputs) outputs[task.sink.mapId] = executorId;
    }
    for (const { rddId, partition } of outcome.cached) {
      const locations = this.cacheLocations.get(rddId) ?? new Map<number, string>();
      this.cacheLocations.set(rddId, locations.set(partition, executorId));
    }
    this.options.onAccumulators(outcome.accumulators);
  }

  private executorLost(executorId: string): void {
    this.forgetOutputsOf(executorId);
    for (const locations of this.cacheLocations.values()) {
      for (const [partition, executor] of locations)
        if (executor === executorId) locations.delete(partition);
    }
  }

  /** Marks the map outputs an executor holds as missing (Spark's unregisterMapOutput). */
  private forgetOutputsOf(executorId: string | null): void {
    for (const outputs of this.mapOutputs.values()) {
      outputs.forEach((executor, mapId) => {
        if (executor === executorId) outputs[mapId] = null;
      });
    }
  }

  private forgetShuffle(shuffleId: number): void {
    this.mapOutputs.delete(shuffleId);
    this.shuffleStages.delete(shuffleId);
    this.pool.remove({ shuffleId }).catch(() => {});
  }

  /**
   * The executor caching this partition of the dataset, or the partition of a narrow ancestor
   * it is computed from (Spark's preferred locations, through unions and coalesces too).
   */
  private preferredExecutor(dataset: AnyDataset, partition: number): string | null {
    const cached = dataset.storageLevel
      ? this.cacheLocations.get(dataset.id)?.get(partition)
      : undefined;
    if (cached) return cached;
    const l = dataset.lineage;
    if (l.kind === 'narrow') return this.preferredExecutor(l.parent, partition);
    if (l.kind === 'union') return this.preferredExecutor(...unionPartition(l.parents, partition));
    if (l.kind === 'coalesce')
      return this.preferredExecutor(l.parent, coalesced(l.parent, dataset, partition)[0]);
    return null;
  }

  /** What a task computes for a partition: the dataset's lineage back to the stage's inputs. */
  private computeOf(dataset: AnyDataset, partition: number): Compute {
    const compute = this.lineageOf(dataset, partition);
    if (!dataset.storageLevel) return compute;
    const serialized = dataset.storageLevel === 'MEMORY_ONLY_SER';
    return { kind: 'cached', rddId: dataset.id, partition, serialized, input: compute };
  }

  private lineageOf(dataset: AnyDataset, p: number): Compute {
    const l = dataset.lineage;
    switch (l.kind) {
      case 'parallelize':
        return { kind: 'parallelize', data: l.slices[p]! };
      case 'text': {
        const { blob } = this.options.sourceOf(dataset) as { blob: Blob };
        const [start, end] = fileSplits(blob.size, l.minPartitions)[p]!;
        return { kind: 'text', blob, start, end };
      }
      case 'log': {
        const ranges = l.ranges ?? this.options.sourceOf(dataset)!.ranges!;
        return { kind: 'log', log: this.options.log, range: ranges[p]!, columns: l.columns };
      }
      case 'narrow': {
        const input = this.computeOf(l.parent, p);
        return input.kind === 'ops'
          ? { kind: 'ops', input: input.input, ops: [...input.ops, l.op] }
          : { kind: 'ops', input, ops: [l.op] };
      }
      case 'union':
        return this.computeOf(...unionPartition(l.parents, p));
      case 'coalesce': {
        const [from, until] = coalesced(l.parent, dataset, p);
        const inputs = Array.from({ length: until - from }, (_, i) =>
          this.computeOf(l.parent, from + i),
        );
        return { kind: 'union', inputs };
      }
      case 'shuffled':
        return this.shuffleRead(l.dep, p, l.dep.aggregation);
      case 'cogroup':
        return {
          kind: 'cogroup',
          inputs: l.inputs.map((input) =>
            input instanceof ShuffleDependency
              ? this.shuffleRead(input, p, input.aggregation)
              : this.computeOf(input, p),
          ),
        };
    }
  }

  private shuffleRead(
    dep: ShuffleDependency,
    partition: number,
    aggregation: Aggregation | null,
  ): Compute {
    const locations = this.mapOutputs.get(dep.shuffleId) ?? [];
    return {
      kind: 'shuffle',
      shuffleId: dep.shuffleId,
      partition,
      locations: locations.map((l) => l ?? ''),
      aggregation,
    };
  }
}

function failure(
  stage: Stage,
  partition: number,
  attempts: number,
  error: unknown,
  fatal: boolean,
): JobFailedError {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const tries = fatal ? '' : ` failed ${attempts} times, most recent failure:`;
  return new JobFailedError(
    `tabstream: job ${stage.job.info.jobId} aborted: task ${partition} in stage ${stage.stageId} (${stage.name})${tries} ${reason}`,
    stage.stageId,
    error,
  );
}
