import type { Dataset, EngineContext } from '../engine';
import type { LogDB } from '../log';
import type { DStream } from './dstream';
import type { StateChange } from './state-change';

/** A stream of any record type, as operators refer to their parents. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDStream = DStream<any>;

/** What one batch of a stream is: a dataset on the executors, or values on the driver. */
export type Generated<T> = Dataset<T> | readonly T[];

/** What operators need of their StreamingContext (Spark's DStreamGraph). */
export interface StreamGraph {
  readonly engine: EngineContext;
  readonly batchIntervalMs: number;
  readonly checkpointId: string;
  /** The log the inputs read and saveToLog appends to; open once the context started. */
  logDB(): LogDB;
  /** The times of the batches windows may still cover, and the one under way, ascending. */
  times(): readonly number[];
  /** How long past batches are kept: the longest window and its slide. */
  readonly rememberMs: number;
  /** Keeps the ranges and outputs of past batches for `ms` more than the batch interval. */
  remember(ms: number): void;
  /**
   * How many records of batch `time` (as its inputs read them) have a timestamp (Kafka's
   * CreateTime) before `timestamp`, as the log's `offsetsForTimes` tells: cheap, and exact
   * where a partition's timestamps rise with its offsets.
   */
  recordsBefore(time: number, timestamp: number): Promise<number>;
  /** An id for a new operator of `kind`, stable for a given plan: `map-3`. */
  nextId(kind: string): string;
  addStream(stream: AnyDStream): void;
  addStateful(stateful: Stateful): void;
  addOutput(output: Output): void;
}

/**
 * How a stream computes each batch (one per DStream). A pure operator recomputes any batch the
 * ranges of its inputs still describe; a stateful one (`replayable` false) only the current.
 */
export interface Operator<T> {
  readonly kind: string;
  readonly parents: readonly AnyDStream[];
  readonly replayable: boolean;
  /** The operator's arguments as text, for the plan hash: changes when the computation does. */
  describe(): string;
  /** The batch of `time`, or null where the stream has none (a window between slides). */
  compute(time: number): Promise<Generated<T> | null>;
  /** Records of batch `time`, where the operator knows them without a job (an input's ranges). */
  records?(time: number): number | null;
  /**
   * The id of the state whose checkpointed `[key, value]` pairs are this operator's output,
   * where they are: a published result then refers to the state instead of copying it.
   */
  readonly outputState?: string;
}

/**
 * Part of the job whose state is checkpointed with the offsets: the state of the batch under
 * way is pending until the checkpoint commits, and is dropped if it does not.
 */
export interface Stateful {
  readonly id: string;
  /** Takes the state of the last checkpoint (undefined for a job that never committed). */
  restore(state: unknown): void;
  /** The state to checkpoint: the pending one if the batch changed it, else the last. */
  snapshot(): unknown;
  /** What the batch under way changed of the last state, as `snapshot()` keeps it; undefined if nothing. */
  change(): StateChange | undefined;
  /** The batch committed: pending becomes current. */
  commit(): void;
  /** The batch failed: pending is dropped. */
  discard(): void;
  /** True if time passing alone changes the state (a window to empty, a timeout to fire). */
  needsTime(): boolean;
}

/** An output operation (Spark's foreachRDD and its kin): run for every batch, in order. */
export interface Output {
  readonly id: string;
  describe(): string;
  run(time: number): Promise<void>;
}

/** Records per operator in a batch, for the batch metrics. */
export interface OperatorOutput {
  readonly id: string;
  /** Records the batch produced, where known without a job (input ranges, driver values). */
  readonly records: number | null;
}
