import type { DamageSeen } from '../shared';
import type { ExecutorTotals } from '../engine';
import type { SinkStatus } from '../sink';

export type { Damage, DamageSeen } from '../shared';
export type { SinkPartitionStatus, SinkState, SinkStatus } from '../sink';

/**
 * What `<tabstream-monitor>` shows, as Spark's UI shows it: plain JSON-safe data, so that it
 * crosses from the leader tab to any other tab (and to the DevTools panel) as it is.
 */
export interface StatusSnapshot {
  /** When it was taken, in ms since the epoch. */
  readonly takenAt: number;
  /** Jobs, stages and executors of the tab that runs the job; null if that tab did not answer. */
  readonly engine: EngineStatus | null;
  /** Topics and partitions of the log, with every consumer group's position. */
  readonly log: readonly TopicStatus[];
  readonly streaming: StreamingStatus;
  /** Damage the answering tab found in storage since it started: counted, named, gone around. */
  readonly damage: DamageSeen;
  /** The leader's Kafka sink (`data-kafka-rest`): absent without one, or if the leader did not answer. */
  readonly sink?: SinkStatus;
}

/** Spark's status store, summarised: the retained jobs, their stages, and the executors. */
export interface EngineStatus {
  /** Newest first. */
  readonly jobs: readonly JobSummary[];
  /** Every attempt of the retained jobs' stages, newest first. */
  readonly stages: readonly StageSummary[];
  readonly executors: readonly ExecutorSummary[];
}

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'skipped';

/** A job: one action (a streaming batch runs one or more). */
export interface JobSummary {
  readonly jobId: number;
  readonly description: string;
  /** Its job group: a streaming batch's, or null for a console job. */
  readonly group: string | null;
  readonly status: RunStatus;
  readonly submissionTime: number;
  readonly completionTime: number | null;
  /** Until completion, or until the snapshot for a running job. */
  readonly durationMs: number;
  readonly stageIds: readonly number[];
  /** Tasks of its stages' last attempts. */
  readonly numTasks: number;
  readonly succeededTasks: number;
  readonly failedTasks: number;
  readonly runningTasks: number;
  readonly failureReason: string | null;
}

/** Five figures of a task metric, as Spark's stage page shows them. */
export interface Quantiles {
  readonly min: number;
  readonly p25: number;
  readonly median: number;
  readonly p75: number;
  readonly max: number;
}

/** A stage attempt, with the summary of its finished tasks. */
export interface StageSummary {
  readonly stageId: number;
  readonly attempt: number;
  readonly jobId: number;
  readonly name: string;
  readonly kind: 'shuffle-map' | 'result';
  readonly status: RunStatus;
  readonly submissionTime: number;
  readonly completionTime: number | null;
  readonly durationMs: number;
  readonly numTasks: number;
  readonly succeededTasks: number;
  readonly failedTasks: number;
  readonly runningTasks: number;
  readonly inputRecords: number;
  readonly outputRecords: number;
  readonly shuffleReadBytes: number;
  readonly shuffleWriteBytes: number;
  /** Of the succeeded tasks' durations (ms); null before any succeeded. */
  readonly taskDurationMs: Quantiles | null;
  /** Of the succeeded tasks' input records; null before any succeeded. */
  readonly taskRecords: Quantiles | null;
  readonly failureReason: string | null;
}

/**
 * One executor (a worker, or `driver` for tasks run on the main thread), its ended tasks counted
 * since the application started, past the jobs the monitor keeps (as Spark's ExecutorSummary).
 */
export interface ExecutorSummary extends ExecutorTotals {
  readonly executorId: string;
  /** Still in the pool (a lost executor stays listed, as Spark lists dead ones). */
  readonly active: boolean;
  readonly activeTasks: number;
  /** Dataset partitions it holds in its cache. */
  readonly cachedPartitions: number;
}

/** A topic of the log. */
export interface TopicStatus {
  readonly topic: string;
  readonly partitions: readonly PartitionStatus[];
}

/** A partition: its offsets, and each consumer group's committed offset and lag there. */
export interface PartitionStatus {
  readonly partition: number;
  readonly logStartOffset: number;
  readonly highWatermark: number;
  readonly bytes: number;
  /** Record batches it holds: compaction merges a page's small ones into few big ones. */
  readonly batches: number;
  readonly groups: readonly GroupPosition[];
}

export interface GroupPosition {
  readonly group: string;
  /** The next offset the group will read, or null if it committed none. */
  readonly offset: number | null;
  /** Records from the committed offset (or the log start, if later or none) to the high watermark. */
  readonly lag: number;
}

/** Spark Streaming's statistics page: the last batches, oldest first. */
export interface StreamingStatus {
  readonly batchIntervalMs: number;
  /** Whether the streaming job runs: in this tab, or in the leader if it answered (else false). */
  readonly active: boolean;
  readonly batches: readonly BatchStatus[];
}

export interface BatchStatus {
  /** How many batches the job has committed, this one included. */
  readonly batch: number;
  /** When it was due, in ms since the epoch. */
  readonly batchTime: number;
  readonly inputEvents: number;
  /** Input events per second of batch interval. */
  readonly inputRate: number;
  readonly schedulingDelayMs: number;
  readonly processingMs: number;
  readonly totalDelayMs: number;
  /** Bytes the batch wrote of its checkpoint (its changes, or a snapshot); absent from older leaders. */
  readonly checkpointBytes?: number;
  /** Bytes of the whole checkpoint after the batch: what a batch wrote before changes were kept. */
  readonly checkpointSnapshotBytes?: number;
}

/** Where `<tabstream-monitor>` gets what it shows: `window.tabstream`, or any object like it. */
export interface StatusSource {
  readonly ready?: Promise<void>;
  /** Resolves with a snapshot of now. */
  status(): Promise<StatusSnapshot>;
  /** Calls `listener` after every batch, whichever tab ran it; returns the unsubscribe. */
  onBatch?(listener: () => void): () => void;
}
