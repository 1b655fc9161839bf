import { reportOnce, warnOnce } from '../shared';
import type { EngineContext } from '../engine';
import {
  addCompactions,
  NO_COMPACTION,
  type CompactionResult,
  type CompactOptions,
  type OffsetRange,
  type PartitionState,
} from '../log';

/** What the leader's compactions did since the tab started leading. */
export interface CompactionStatus extends CompactionResult {
  /** Compaction jobs run. */
  readonly jobs: number;
}

/** The job group of compactions: below console jobs (0) and streaming batches (1). */
export const COMPACTION_GROUP = 'log-compaction';
const COMPACTION_PRIORITY = -1;
/** Batches appended to a partition since its last compaction that make it due for one. */
const DUE_AFTER_BATCHES = 32;
/**
 * In the background: size-tiered (a record is rewritten about log8(batch.size) times as clicks
 * trickle in), a few merges of at most 256 batches per partition per job, so that a job, and
 * each merge's transaction (which appends wait for), stays short.
 */
const BACKGROUND: CompactOptions = { fanIn: 8, maxMerges: 4, maxBatchesPerMerge: 256 };

/**
 * Compacts a topic of the log in the leader tab, as engine jobs: one task per due partition,
 * run in the executor workers (never on the page's main thread) at a priority below every
 * other job's, so a merge never takes a slot a streaming batch or a console job waits for.
 */
export class Compactor {
  private totals: CompactionStatus = { ...NO_COMPACTION, jobs: 0 };
  private running: Promise<unknown> = Promise.resolve();
  private busy = false;
  /** Each partition's batch count after its last compaction. */
  private readonly marks = new Map<number, number>();
  /** Records batches read of each partition since the partitions' state was last read. */
  private readonly unchecked = new Map<number, number>();
  private checked = false;

  constructor(
    private readonly context: EngineContext,
    private readonly log: string,
    private readonly topic: string,
    private readonly states: () => Promise<readonly PartitionState[]>,
  ) {}

  get status(): CompactionStatus {
    return this.totals;
  }

  /**
   * Called between streaming batches with the ranges the batch read: starts a background job
   * for the partitions that got DUE_AFTER_BATCHES batches since their last compaction, unless
   * one is running. It reads the partitions' state only on the first batch and once some
   * partition was given DUE_AFTER_BATCHES records since (a batch holds one record at least),
   * so a quiet page's leader does no storage work of its own between batches (work in flight
   * when the page is hidden keeps it out of the back/forward cache). A failure is reported
   * unless `leading()` no longer holds (the tab stepped down, its pool closed).
   */
  afterBatch(leading: () => boolean, ranges: readonly OffsetRange[]): void {
    for (const { topic, partition, fromOffset, untilOffset } of ranges) {
      if (topic !== this.topic) continue;
      this.unchecked.set(
        partition,
        (this.unchecked.get(partition) ?? 0) + untilOffset - fromOffset,
      );
    }
    const due = !this.checked || [...this.unchecked.values()].some((n) => n >= DUE_AFTER_BATCHES);
    if (this.busy || !due) return;
    this.checked = true;
    this.unchecked.clear();
    void this.exclusive(async () => {
      if (!(await this.inWorkers())) return;
      const due = (await this.states()).filter(
        (state) => state.batchCount - (this.marks.get(state.partition) ?? 0) >= DUE_AFTER_BATCHES,
      );
      if (due.length > 0) await this.run(due, BACKGROUND);
    }).catch((error: unknown) => {
      if (leading()) reportOnce('compacting the log failed', error);
    });
  }

  /**
   * Compacts every partition of the topic now, whole (Delta Lake's OPTIMIZE), after the
   * background job running, if any; resolves with what it did.
   * - must compact nothing, saying why once, when executors run on the main thread.
   */
  compactNow(options: CompactOptions = {}): Promise<CompactionResult> {
    return this.exclusive(async () => this.run(await this.states(), options));
  }

  /** Whether executors run in workers; if not, says once that the log is not compacted. */
  private async inWorkers(): Promise<boolean> {
    if ((await this.context.executors()).mode === 'workers') return true;
    warnOnce(
      'tabstream: the log is not compacted: executors run on the main thread, and a merge ' +
        'would hold it (allow blob: workers in the Content-Security-Policy to compact)',
    );
    return false;
  }

  private exclusive<T>(job: () => Promise<T>): Promise<T> {
    const next = this.running.then(async () => {
      this.busy = true;
      try {
        return await job();
      } finally {
        this.busy = false;
      }
    });
    this.running = next.catch(() => {});
    return next;
  }

  private async run(
    states: readonly PartitionState[],
    options: CompactOptions,
  ): Promise<CompactionResult> {
    if (!(await this.inWorkers())) return NO_COMPACTION;
    const partitions = states.map((state) => state.partition);
    const dataset = this.context.parallelize(partitions, partitions.length);
    const action = { kind: 'compact-log', log: this.log, topic: this.topic, options } as const;
    const { status } = this.context;
    const [group, priority] = [status.jobGroup, status.jobPriority];
    status.setJobGroup(COMPACTION_GROUP, COMPACTION_PRIORITY);
    let job: ReturnType<EngineContext['runJob']>;
    try {
      job = this.context.runJob(dataset, action, `compact ${this.topic}`);
    } finally {
      status.setJobGroup(group, priority); // the job took its group when it started
    }
    const result = (await job)
      .map((outcome) => outcome.value as CompactionResult)
      .reduce(addCompactions, NO_COMPACTION);
    for (const state of await this.states()) this.marks.set(state.partition, state.batchCount);
    this.totals = { ...addCompactions(this.totals, result), jobs: this.totals.jobs + 1 };
    return result;
  }
}
