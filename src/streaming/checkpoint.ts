import { BadVersionError, NodeExistsError, type NodeStat, type NodeStore } from '../coord';
import type { OffsetRange } from '../log';

/** The offset ranges one batch read from one input stream. */
export interface BatchRanges {
  readonly time: number;
  readonly ranges: readonly OffsetRange[];
}

/**
 * A streaming job's progress after a batch, kept as one versioned node: per input stream the
 * next offset to read of each partition, the state of every stateful operator, the published
 * results, and the ranges of recent batches that windows may read again. All of it is written
 * in one transaction, so state and offsets never disagree: a job that resumes from a
 * checkpoint counts every record exactly once.
 */
export interface Checkpoint {
  /** A hash of the job's plan: a checkpoint is restored only by the plan that wrote it. */
  readonly planHash: string;
  /** The plan, one operator per line, to say what changed when the hashes differ. */
  readonly plan: string;
  /** How many batches committed; the node's version is this minus one. */
  readonly batches: number;
  /** The time of the last committed batch (a multiple of the batch interval, ms). */
  readonly time: number;
  /** Per input stream id: the next offset of each partition. */
  readonly offsets: Readonly<Record<string, readonly number[]>>;
  /** Per input stream id: the ranges of the batches windows still cover, oldest first. */
  readonly history: Readonly<Record<string, readonly BatchRanges[]>>;
  /** Per stateful operator id: its state, as it chose to keep it. */
  readonly state: Readonly<Record<string, unknown>>;
  /** Per `publish(name)` output: the last batch's [key, value] pairs, as an object. */
  readonly results: Readonly<Record<string, Result>>;
  /**
   * Per `publish(name)` of a stream whose pairs are a state's (totals, a window kept with an
   * inverse): that state's id in `state`, so that the pairs are not written twice.
   */
  readonly resultStates?: Readonly<Record<string, string>>;
}

/** What a published result is: `[key, value]` pairs as an object, keys as text. */
export type Result = Readonly<Record<string, unknown>>;

/** `[key, value]` pairs as a result: keys as text; a null key (a click on no link) left out. */
export function toResult(pairs: Iterable<readonly [unknown, unknown]>): Result {
  const result: Record<string, unknown> = {};
  for (const [key, value] of pairs) {
    if (key === null || key === undefined) continue;
    result[typeof key === 'string' ? key : JSON.stringify(key)] = value;
  }
  return result;
}

/**
 * Published result `name` of a checkpoint; one kept as a state's pairs (an array of them, or
 * an object with `pairs`) is turned into a result here, by the reader that asks for it.
 */
export function resultOf(checkpoint: Checkpoint | undefined, name: string): Result | undefined {
  const id = checkpoint?.resultStates?.[name];
  if (id === undefined) return checkpoint?.results[name];
  const state = checkpoint!.state[id];
  const pairs = Array.isArray(state) ? state : (state as { pairs?: unknown[] } | undefined)?.pairs;
  return toResult((pairs ?? []) as [unknown, unknown][]);
}

/** Every published result of a checkpoint, by name. */
export function resultsOf(checkpoint: Checkpoint | undefined): Record<string, Result> {
  const names = [
    ...Object.keys(checkpoint?.results ?? {}),
    ...Object.keys(checkpoint?.resultStates ?? {}),
  ];
  return Object.fromEntries(names.map((name) => [name, resultOf(checkpoint, name)!]));
}

/** A checkpoint as stored: with the node version a commit must expect. */
export type StoredCheckpoint = NodeStat<Checkpoint>;

/** Thrown when a batch is committed over a checkpoint another run of the job moved meanwhile. */
export class CheckpointConflictError extends Error {
  override name = 'CheckpointConflictError';
}

/** Spark's rule: a checkpoint is restored only by the job that wrote it. */
export class PlanMismatchError extends Error {
  override name = 'PlanMismatchError';
  constructor(
    readonly checkpointId: string,
    readonly storedPlan: string,
    readonly plan: string,
  ) {
    super(
      `tabstream: checkpoint "${checkpointId}" was written by a different streaming plan, so ` +
        `its state cannot be restored. Nothing was read or changed. Give the new job another ` +
        `checkpointId, or delete the old checkpoint with ` +
        `StreamingContext.deleteCheckpoint(context, "${checkpointId}").\n` +
        `Stored plan:\n${storedPlan}\nThis plan:\n${plan}`,
    );
  }
}

/** The node of checkpoint `id`. */
export function checkpointPath(id: string): string {
  return `/streaming/${encodeURIComponent(id)}/checkpoint`;
}

/**
 * Checkpoint `id`, or undefined if it never committed.
 * - must reject with PlanMismatchError if it was written by a plan of another hash.
 */
export async function loadCheckpoint(
  nodes: NodeStore,
  id: string,
  plan?: { hash: string; text: string },
): Promise<StoredCheckpoint | undefined> {
  const stored = await nodes.get<Checkpoint>(checkpointPath(id));
  if (stored && plan && stored.data.planHash !== plan.hash) {
    throw new PlanMismatchError(id, stored.data.plan, plan.text);
  }
  return stored;
}

/**
 * Commits `next` on top of `previous` (undefined for the first batch).
 * - must write state, results and offsets in one transaction;
 * - must reject with CheckpointConflictError, writing nothing, if the stored checkpoint is no
 *   longer `previous`: a second leader, or a batch run twice, can never count twice.
 */
export async function commitCheckpoint(
  nodes: NodeStore,
  id: string,
  previous: StoredCheckpoint | undefined,
  next: Checkpoint,
): Promise<StoredCheckpoint> {
  const path = checkpointPath(id);
  try {
    return previous
      ? await nodes.set(path, next, previous.version)
      : await nodes.create(path, next);
  } catch (error) {
    if (error instanceof BadVersionError || error instanceof NodeExistsError) {
      throw new CheckpointConflictError(
        `tabstream: checkpoint "${id}" moved on since batch ${previous?.data.batches ?? 0}: ` +
          'another run of the job committed first',
        { cause: error },
      );
    }
    throw error;
  }
}
