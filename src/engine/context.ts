import { reportOnce } from '../shared';
import { openLog, partitionsOf } from '../log';
import type { ConsumerRecord, OffsetRange } from '../log';
import { DagScheduler } from './dag-scheduler';
import { Dataset, type AnyDataset, type Driver } from './dataset';
import { parentsOf, type ResolvedSource } from './lineage';
import type { ExecutorPool } from './executor-pool';
import { exposeDefineFn } from './fn';
import { JobStatusStore, type ExecutorTotals } from './job-status';
import { resolveParams, type Reference } from './params';
import type { Action, LogColumns, TaskOutcome } from './plan';

export interface EngineContextOptions {
  /** The log (IndexedDB database) `fromLog` and `saveToLog` use. */
  readonly log: string;
  /** The executors, or their start-up: jobs wait for it. */
  readonly pool: ExecutorPool | Promise<ExecutorPool>;
  /** How many times a task may fail before its job fails (Spark's `spark.task.maxFailures`). */
  readonly maxTaskFailures?: number;
}

/**
 * A read-only value shipped to every executor once, rather than with every task. Pass it in a
 * function's params and read `params.name.value` there.
 */
export class Broadcast<T> {
  constructor(
    readonly id: number,
    readonly value: T,
    private readonly remove: (id: number) => Promise<void>,
  ) {}

  /** What crosses to executors in params: a reference, not the value. */
  toParam(): { $broadcast: number } {
    return { $broadcast: this.id };
  }

  /** Removes the value from every executor; tasks that still use it fail. */
  destroy(): Promise<void> {
    return this.remove(this.id);
  }
}

/**
 * A number tasks add to, and only the driver reads: each successful task's additions count
 * once. Pass it in a function's params and call `params.name.add(n)` there.
 */
export class Accumulator {
  constructor(
    readonly id: number,
    readonly name: string | null,
    public value: number,
  ) {}

  add(n: number): void {
    this.value += n;
  }

  toParam(): { $accumulator: number } {
    return { $accumulator: this.id };
  }
}

/**
 * Spark's SparkContext: makes datasets from sources, runs their jobs on the executor pool
 * (through the DAG scheduler), and holds broadcast values, accumulators and the status of jobs.
 */
export class EngineContext implements Driver {
  readonly log: string;
  /** Jobs, stages and tasks, for the monitor. */
  readonly status = new JobStatusStore();
  readonly tempViews = new Map<string, AnyDataset>();
  private readonly ready: Promise<{ pool: ExecutorPool; scheduler: DagScheduler }>;
  private poolSize: number | null = null;
  private started: { pool: ExecutorPool; scheduler: DagScheduler } | null = null;
  private readonly accumulators = new Map<number, Accumulator>();
  private readonly broadcasts = new Map<number, unknown>();
  private readonly prepared = new WeakMap<AnyDataset, Promise<void>>();
  private readonly sources = new WeakMap<AnyDataset, ResolvedSource>();
  private ids = { dataset: 0, shuffle: 0, broadcast: 0, accumulator: 0 };
  /** Jobs wait for the broadcasts made before them to reach the executors. */
  private pending: Promise<void> = Promise.resolve();

  constructor(options: EngineContextOptions) {
    this.log = options.log;
    this.ready = Promise.resolve(options.pool).then((pool) => {
      this.poolSize = pool.size;
      const scheduler = new DagScheduler(pool, this.status, {
        log: options.log,
        sourceOf: (dataset) => this.sourceOf(dataset),
        maxTaskFailures: options.maxTaskFailures ?? 4,
        onAccumulators: (updates) => {
          for (const id in updates) this.accumulators.get(Number(id))?.add(updates[id]!);
        },
      });
      return (this.started = { pool, scheduler });
    });
    this.ready.catch(() => {});
  }

  /**
   * The executors in the pool now and the cached partitions each holds, empty until the pool
   * has started, and every executor's task totals since the start (Spark's executors page).
   */
  executorStatus(): {
    executorIds: string[];
    cachedPartitions: Map<string, number>;
    executorTotals: Map<string, ExecutorTotals>;
  } {
    const executorTotals = this.status.executorTotals();
    if (!this.started) return { executorIds: [], cachedPartitions: new Map(), executorTotals };
    const { pool, scheduler } = this.started;
    return {
      executorIds: pool.executorIds,
      cachedPartitions: scheduler.cachedPartitions(),
      executorTotals,
    };
  }

  /** The executor pool, once started. */
  async executors(): Promise<ExecutorPool> {
    return (await this.ready).pool;
  }

  /** Partitions `parallelize` and `textFile` make by default: the executors, at least 2. */
  get defaultParallelism(): number {
    return Math.max(2, this.poolSize ?? globalThis.navigator?.hardwareConcurrency ?? 2);
  }

  /** A dataset of `data`, cut into `numSlices` partitions shipped with their tasks. */
  parallelize<T>(data: readonly T[], numSlices = this.defaultParallelism): Dataset<T> {
    const n = Math.max(1, Math.floor(numSlices));
    const slices = Array.from({ length: n }, (_, i) =>
      data.slice(Math.floor((i * data.length) / n), Math.floor(((i + 1) * data.length) / n)),
    );
    return new Dataset<T>(this, { kind: 'parallelize', slices }, null, 'parallelize');
  }

  /**
   * The lines of a text file: a same-origin URL (fetched when a job first needs it) or a
   * File/Blob, split into `minPartitions` byte ranges that executors read themselves.
   */
  textFile(source: string | Blob, minPartitions = this.defaultParallelism): Dataset<string> {
    if (typeof source === 'string') sameOrigin(source);
    return new Dataset<string>(
      this,
      { kind: 'text', source, minPartitions: Math.max(1, minPartitions) },
      null,
      'textFile',
    );
  }

  /**
   * The records of a topic's offset ranges, one partition per range (Spark's KafkaRDD), read
   * by the executors from IndexedDB. Without ranges: every partition, from its log-start
   * offset to its high watermark as they are when a job first runs.
   */
  fromLog(topic: string, ranges?: readonly OffsetRange[]): Dataset<ConsumerRecord> {
    const lineage = { kind: 'log', topic, ranges: ranges ?? null } as const;
    return new Dataset<ConsumerRecord>(this, lineage, null, 'fromLog');
  }

  /**
   * A topic's records as rows of `columns.names` (see `LogColumns`): what SQL's table scans
   * read. The offset ranges given, or every partition, from its log-start offset to its high
   * watermark when a job first runs.
   */
  logRows(topic: string, columns: LogColumns, ranges?: readonly OffsetRange[]): Dataset<unknown[]> {
    const lineage = { kind: 'log', topic, ranges: ranges ?? null, columns } as const;
    return new Dataset<unknown[]>(this, lineage, null, `scan ${topic}`);
  }

  /**
   * A broadcast variable of `value`.
   * - must throw at once (DataCloneError) for a value that cannot cross to a worker;
   * - must have reached every executor before the next job runs; if that failed, only jobs
   *   using it fail, naming it.
   */
  broadcast<T>(value: T): Broadcast<T> {
    structuredClone(value);
    const id = this.ids.broadcast++;
    this.broadcasts.set(id, value);
    const remove = async (bid: number) => {
      this.broadcasts.delete(bid);
      await (await this.executors()).removeBroadcast(bid);
    };
    const put = async () => (await this.executors()).putBroadcast(id, value);
    this.pending = this.pending
      .then(put)
      .catch((error: unknown) => reportOnce(`broadcast ${id} did not reach every executor`, error));
    return new Broadcast(id, value, remove);
  }

  /** A numeric accumulator; its `value` counts each successful task's `add`s once. */
  accumulator(initial = 0, name: string | null = null): Accumulator {
    const accumulator = new Accumulator(this.ids.accumulator++, name, initial);
    this.accumulators.set(accumulator.id, accumulator);
    return accumulator;
  }

  /**
   * Loads an application module into the page and every executor: its `defineFn` calls make
   * functions that datasets can name. Needs only `script-src` for the module's URL.
   * - must reject if the page or an executor cannot import it; executors started later (to
   *   replace lost ones) import every module added before.
   */
  async addModule(url: string): Promise<void> {
    const absolute = new URL(url, globalThis.location?.href).href;
    exposeDefineFn();
    await import(/* @vite-ignore */ absolute);
    await (await this.executors()).addModule(absolute);
  }

  /**
   * Runs an action's job: resolves the dataset's sources, waits for earlier broadcasts to reach
   * the executors, then hands the job to the DAG scheduler, in the job group set when the
   * action was called.
   */
  async runJob(
    dataset: AnyDataset,
    action: Action,
    description: string,
    partitions?: readonly number[],
  ): Promise<TaskOutcome[]> {
    const { jobGroup: group, jobPriority: priority } = this.status;
    const [{ scheduler }] = await Promise.all([this.ready, this.prepare(dataset), this.pending]);
    return scheduler.runJob(dataset, action, description, partitions, { group, priority });
  }

  /** Resolves the sources of a dataset's lineage, once: log ranges, text file bytes. */
  prepare(dataset: AnyDataset): Promise<void> {
    let done = this.prepared.get(dataset);
    if (!done) {
      done = Promise.all([
        this.resolveSource(dataset),
        ...parentsOf(dataset).map(([parent]) => this.prepare(parent)),
      ]).then(() => {});
      done.catch(() => this.prepared.delete(dataset));
      this.prepared.set(dataset, done);
    }
    return done;
  }

  /** Params as functions run on the driver see them: broadcast values, live accumulators. */
  readonly resolve = (params: unknown): unknown =>
    resolveParams(params, (reference) => this.resolveReference(reference));

  async unpersist(dataset: AnyDataset): Promise<void> {
    this.cleaner.unregister(dataset);
    await this.uncache(dataset.id);
  }

  persisting(dataset: AnyDataset): void {
    this.cleaner.register(dataset, dataset.id, dataset);
  }

  /** Drops a dataset's cached partitions from every executor: Spark's ContextCleaner. */
  private readonly cleaner = new FinalizationRegistry<number>((datasetId) => {
    this.uncache(datasetId).catch(() => {});
  });

  private async uncache(datasetId: number): Promise<void> {
    const { pool, scheduler } = await this.ready;
    scheduler.uncache(datasetId);
    await pool.remove({ rddId: datasetId });
  }

  nextDatasetId(): number {
    return this.ids.dataset++;
  }

  nextShuffleId(): number {
    return this.ids.shuffle++;
  }

  sourceOf(dataset: AnyDataset): ResolvedSource | undefined {
    return this.sources.get(dataset);
  }

  /** Fetches a text file, or reads a topic's ranges: once per dataset, kept for its lifetime. */
  private async resolveSource(dataset: AnyDataset): Promise<void> {
    const l = dataset.lineage;
    if (this.sources.has(dataset)) return;
    if (l.kind === 'text') this.sources.set(dataset, { blob: await blobOf(l.source) });
    if (l.kind === 'log' && !l.ranges)
      this.sources.set(dataset, { ranges: await this.offsetRanges(l.topic) });
  }

  /**
   * Every partition of a topic, from its log-start offset to its high watermark, as they are
   * now: what a job reads, and where a stream of only what comes after starts.
   * - must reject with UnknownTopicOrPartitionError for a topic the log does not have.
   */
  async offsetRanges(topic: string): Promise<OffsetRange[]> {
    const db = await openLog(this.log);
    try {
      return (await partitionsOf(db, topic)).map((p) => ({
        topic,
        partition: p.partition,
        fromOffset: p.logStartOffset,
        untilOffset: p.highWatermark,
      }));
    } finally {
      db.close();
    }
  }

  /** A reference in params, as the driver's own functions see it: the value, the accumulator. */
  private resolveReference(reference: Reference): unknown {
    if ('$broadcast' in reference)
      return { id: reference.$broadcast, value: this.broadcasts.get(reference.$broadcast) };
    return this.accumulators.get(reference.$accumulator);
  }
}

async function blobOf(source: string | Blob): Promise<Blob> {
  if (source instanceof Blob) return source;
  const response = await fetch(source);
  if (!response.ok) throw new Error(`tabstream: textFile(${source}): HTTP ${response.status}`);
  return response.blob();
}

function sameOrigin(url: string): void {
  const base = globalThis.location?.href;
  if (base && new URL(url, base).origin !== new URL(base).origin)
    throw new TypeError(
      `tabstream: textFile reads same-origin URLs (or a File/Blob) only, not ${url}`,
    );
}
