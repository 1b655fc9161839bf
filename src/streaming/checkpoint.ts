import { BadVersionError, NodeExistsError, type NodeStat, type NodeStore } from '../coord';
import { reportDamage } from '../shared';
import type { OffsetRange } from '../log';
import { applyDeltas, type CheckpointDelta } from './checkpoint-delta';
import { checkpointProblem, missingInput } from './checkpoint-schema';

/** The offset ranges one batch read from one input stream. */
export interface BatchRanges {
  readonly time: number;
  readonly ranges: readonly OffsetRange[];
}

/**
 * A streaming job's progress after a batch, kept as one versioned node: per input stream the
 * next offset to read of each partition, the state of every stateful operator, the published
 * results, and the ranges of recent batches that windows may read again. A batch writes either
 * all of it (a snapshot: the node's data) or what it changed (a `CheckpointDelta` appended to
 * the node), in one transaction, so state and offsets never disagree: a job that resumes from
 * a checkpoint counts every record exactly once. Readers see the snapshot with the changes
 * applied: this.
 */
export interface Checkpoint {
  /** A hash of the job's plan: a checkpoint is restored only by the plan that wrote it. */
  readonly planHash: string;
  /** The plan, one operator per line, to say what changed when the hashes differ. */
  readonly plan: string;
  /** How many batches committed since the job's state was last (re)built from the log. */
  readonly batches: number;
  /** How many records those batches read. */
  readonly records: number;
  /** The time of the last committed batch (a multiple of the batch interval, ms). */
  readonly time: number;
  /** Per input stream id: the next offset of each partition. */
  readonly offsets: Readonly<Record<string, readonly number[]>>;
  /** Per input stream id: the ranges of the batches windows still cover, oldest first. */
  readonly history: Readonly<Record<string, readonly BatchRanges[]>>;
  /** `checkpointChecksum`: the CRC-32 of the plan hash, batches, records, time, offsets, history. */
  readonly checksum: number;
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

/**
 * The job's state cannot be trusted, or was lost: its checkpoint is damaged (`damaged`), gone,
 * or no longer matches the log. The job rebuilds its state from each partition's log start.
 */
export class StateLostError extends Error {
  override name = 'StateLostError';
  constructor(
    message: string,
    readonly damaged: boolean,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
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
 * The changes appended to a checkpoint node since its snapshot: how many, their JSON length,
 * and the checksum the next change follows (the last change's, or the snapshot's).
 */
export interface DeltasSince {
  readonly count: number;
  readonly bytes: number;
  readonly tip: number;
}

/** A checkpoint node as read: its version, and its data if they are a checkpoint. */
export interface ReadCheckpoint {
  readonly version: number;
  /** The checkpoint, its changes applied (the node's `appended` left out). */
  readonly stored?: StoredCheckpoint;
  /** The changes appended since its snapshot: how many, their JSON length, the last's checksum. */
  readonly deltas?: DeltasSince;
  /** What is wrong with the data, when they are not a checkpoint. */
  readonly problem?: string;
  /** The data are an earlier tabstream's checkpoint (no record count, no checksum): no damage. */
  readonly legacy?: boolean;
}

/**
 * Checkpoint node `id` as read, undefined if there is none; its data are checked against the
 * schema of a checkpoint (with an offset list for each of `inputs`) and `check`, a job's own.
 */
export async function readCheckpoint(
  nodes: NodeStore,
  id: string,
  checks: CheckpointChecks = {},
): Promise<ReadCheckpoint | undefined> {
  const node = await nodes.get<unknown>(checkpointPath(id));
  if (!node) return undefined;
  if (isLegacy(node.data)) return { version: node.version, problem: LEGACY, legacy: true };
  const read = checkpointOf(node, checks);
  if ('problem' in read) return { version: node.version, problem: read.problem };
  const { appended = [], ...stat } = node;
  const bytes = appended.reduce<number>((n, delta) => n + JSON.stringify(delta).length, 0);
  return {
    version: node.version,
    stored: { ...stat, data: read.checkpoint },
    deltas: { count: appended.length, bytes, tip: read.tip },
  };
}

/** Checkpoint node `node` of job `id` as a checkpoint, or undefined if damaged (reported). */
export function checkedCheckpoint(
  nodes: NodeStore,
  id: string,
  node: NodeStat<unknown>,
  checks: CheckpointChecks = {},
): Checkpoint | undefined {
  const read = checkpointOf(node, checks);
  if ('checkpoint' in read) return read.checkpoint;
  if (!isLegacy(node.data)) reportCheckpointDamage(nodes, id, read.problem);
  return undefined;
}

/** Checkpoint node `node`'s snapshot with its appended changes applied, checked; or what is wrong. */
function checkpointOf(
  node: NodeStat<unknown>,
  checks: CheckpointChecks,
): { checkpoint: Checkpoint; tip: number } | { problem: string } {
  const appended = node.appended ?? [];
  const problem = appended.length ? checkpointProblem(node.data) : problemOf(node.data, checks);
  if (problem !== null) return { problem };
  const snapshot = node.data as Checkpoint;
  if (!appended.length) return { checkpoint: snapshot, tip: snapshot.checksum };
  const read = applyDeltas(snapshot, appended);
  if ('problem' in read) return read;
  const whole = problemOf(read.checkpoint, checks);
  return whole === null ? read : { problem: whole };
}

const LEGACY = 'it was written by an earlier tabstream, with no record count or checksum';

/** Whether `data` is a checkpoint of tabstream before 0.1's checks: its job counts again. */
function isLegacy(data: unknown): boolean {
  return (
    typeof data === 'object' &&
    data !== null &&
    'planHash' in data &&
    !('records' in data) &&
    !('checksum' in data)
  );
}

function problemOf(data: unknown, checks: CheckpointChecks): string | null {
  return checkpointProblem(data) ?? jobProblem(data as Checkpoint, checks);
}

/** What is wrong with checkpoint `checkpoint` (of a sound schema) for its job's `checks`. */
export function jobProblem(checkpoint: Checkpoint, { inputs = [], check }: CheckpointChecks) {
  return missingInput(checkpoint, inputs) ?? check?.(checkpoint) ?? null;
}

/** Checks of a checkpoint beyond its schema: a job's inputs, and its own rule. */
export interface CheckpointChecks {
  readonly inputs?: readonly string[];
  /** What is wrong with a checkpoint of the job (null if nothing is). */
  readonly check?: (checkpoint: Checkpoint) => string | null;
}

/** Reports damaged checkpoint `id` (what a reader or the job found wrong). */
export function reportCheckpointDamage(
  nodes: NodeStore,
  id: string,
  problem: string,
  error?: unknown,
): void {
  reportDamage(
    {
      database: nodes.database,
      store: 'nodes',
      at: `${checkpointPath(id)} (checkpoint "${id}")`,
      problem: `${problem}: its job rebuilds its state from the log`,
    },
    error,
  );
}

/**
 * Checkpoint `id` as its readers see it (of whatever plan), or undefined if it never
 * committed, or is damaged (reported: its job rebuilds it).
 */
export async function loadCheckpoint(
  nodes: NodeStore,
  id: string,
  checks?: CheckpointChecks,
): Promise<StoredCheckpoint | undefined> {
  const read = await readCheckpoint(nodes, id, checks);
  if (read?.problem !== undefined && !read.legacy) reportCheckpointDamage(nodes, id, read.problem);
  return read?.stored;
}

/**
 * Commits `next` over the node at `version` (undefined: there is none yet): as a snapshot, or,
 * given `delta` (what the batch changed of `delta.of`, the node at `version`), as a change.
 * - must write state, results and offsets in one transaction;
 * - must reject with CheckpointConflictError, writing nothing, if the stored node is no longer
 *   at `version`: a second leader, or a batch run twice, can never count twice;
 * - must reject with NoNodeError if the node is gone (deleted, or its database was).
 */
export async function commitCheckpoint(
  nodes: NodeStore,
  id: string,
  version: number | undefined,
  next: Checkpoint,
  delta?: { readonly change: CheckpointDelta; readonly of: StoredCheckpoint },
): Promise<StoredCheckpoint> {
  const path = checkpointPath(id);
  try {
    if (version === undefined) return await nodes.create(path, next);
    if (!delta) return await nodes.set(path, next, version);
    const appended = await nodes.append(path, delta.change, version);
    return { ...delta.of, data: next, version: appended, mtime: Date.now() };
  } catch (error) {
    if (error instanceof BadVersionError || error instanceof NodeExistsError) {
      throw new CheckpointConflictError(
        `tabstream: checkpoint "${id}" moved on since version ${version ?? 'none'}: ` +
          'another run of the job committed first',
        { cause: error },
      );
    }
    throw error;
  }
}
