/**
 * A checkpoint as a snapshot and the changes of the batches since (Kafka Streams' changelog,
 * Flink's incremental checkpoints): each batch appends what it changed to the checkpoint
 * node (one transaction, at the version it started from), and a reader applies the changes
 * to the snapshot in order. Each change carries the batch's offsets and its own CRC-32.
 */

import { crc32 } from '../log';
import type { BatchRanges, Checkpoint, Result } from './checkpoint';
import {
  batchesProblem,
  checkpointChecksum,
  each,
  isOffset,
  isRecord,
  offsetsProblem,
  show,
} from './checkpoint-schema';
import type { LogInput } from './log-input';
import type { Stateful } from './operator';
import type { Publish, Published } from './outputs';
import { ChangedState, type StateChange } from './state-change';

/** What one batch changed of an input's history: the batch it read, and what it dropped. */
export interface HistoryChange {
  /** The batch's ranges, added last. */
  readonly batch?: BatchRanges;
  /** The batches up to this time (included) are dropped: no window covers them any more. */
  readonly after: number;
}

/** What one batch changed of a checkpoint. */
export interface CheckpointDelta {
  /**
   * The checksum of what it follows: the snapshot's, or the change before it. A change
   * left by a writer that set the node without knowing of changes (an older tabstream) then
   * follows nothing, and is seen.
   */
  readonly base: number;
  /** The checkpoint's batch count, record count and time after the batch. */
  readonly batches: number;
  readonly records: number;
  readonly time: number;
  /** Per input stream id: the next offset of each partition (all: a few numbers). */
  readonly offsets: Readonly<Record<string, readonly number[]>>;
  readonly history: Readonly<Record<string, HistoryChange>>;
  /** Per stateful operator id whose state changed: the change. */
  readonly state: Readonly<Record<string, StateChange>>;
  /** The published results that changed, by name. */
  readonly results: Readonly<Record<string, Result>>;
  readonly resultStates: Readonly<Record<string, string>>;
  /** The CRC-32 of all the above (`deltaChecksum`). */
  readonly checksum: number;
}

type Summed = Omit<CheckpointDelta, 'checksum'>;

/** The CRC-32 of a change's JSON text: any damage to it is seen, not applied. */
function deltaChecksum(delta: Summed): number {
  const { base, batches, records, time, offsets, history, state, results, resultStates } = delta;
  const summed = [base, batches, records, time, offsets, history, state, results, resultStates];
  const text = JSON.stringify(summed);
  return crc32(new TextEncoder().encode(text));
}

/** The parts of a job that a checkpoint keeps. */
export interface CheckpointedParts {
  readonly inputs: readonly LogInput[];
  readonly stateful: readonly Stateful[];
  readonly publishes: readonly Publish[];
}

/**
 * What the batch under way changed of the job's `parts`, which become checkpoint `next`; it
 * follows what was last written, whose checksum is `base`.
 */
export function changeOf(
  { inputs, stateful, publishes }: CheckpointedParts,
  next: Checkpoint,
  base: number,
): CheckpointDelta {
  const history: Record<string, HistoryChange> = {};
  for (const input of inputs) history[input.id] = input.historyChange();
  const state: Record<string, StateChange> = {};
  for (const s of stateful) {
    const change = s.change();
    if (change) state[s.id] = change;
  }
  const results: Record<string, Result> = {};
  const resultStates: Record<string, string> = {};
  for (const publish of publishes) {
    const published = (publish.change() as { value?: Published } | undefined)?.value;
    if (published && 'state' in published) resultStates[publish.name] = published.state;
    else if (published) results[publish.name] = published.result;
  }
  const { batches, records, time, offsets } = next;
  const delta = { base, batches, records, time, offsets, history, state, results, resultStates };
  return { ...delta, checksum: deltaChecksum(delta) };
}

const historyChange = (value: unknown): string | null => {
  if (!isRecord(value) || !Number.isFinite(value['after'])) return 'is not a change of history';
  return value['batch'] === undefined ? null : batchesProblem([value['batch']]);
};

/**
 * What is wrong with `data` as the change of the batch after `before`, whose last write's
 * checksum is `base`; null if nothing is.
 */
function deltaProblem(data: unknown, before: Checkpoint, base: number): string | null {
  if (!isRecord(data)) return `it is ${show(data)}, not a record`;
  if (data['batches'] !== before.batches + 1)
    return `its batch count is ${show(data['batches'])}, not ${before.batches + 1}`;
  if (data['base'] !== base)
    return `it follows ${show(data['base'])}, not ${base}: it was written over another checkpoint`;
  if (!isOffset(data['records']) || data['records'] < before.records)
    return `its record count is ${show(data['records'])}, not a whole number ≥ ${before.records}`;
  if (!Number.isFinite(data['time']) || (data['time'] as number) <= before.time)
    return `its time is ${show(data['time'])}, not one after ${before.time}`;
  const problem =
    each('offsets', data['offsets'], offsetsProblem) ??
    each('history', data['history'], historyChange) ??
    each('state', data['state'], (c) => (isRecord(c) ? null : `is ${show(c)}, not a change`)) ??
    each('results', data['results'], (r) => (isRecord(r) ? null : `is ${show(r)}, not a result`)) ??
    each('result states', data['resultStates'], (id) =>
      typeof id === 'string' ? null : `is ${show(id)}, not a state id`,
    );
  if (problem) return problem;
  const summed = deltaChecksum(data as unknown as Summed);
  if (data['checksum'] !== summed)
    return `its checksum is ${show(data['checksum'])}, not ${summed}`;
  return null;
}

/**
 * Snapshot `snapshot` (a sound checkpoint) with `deltas` (as read: anything) applied in
 * order, or what is wrong with one of them: a change damaged, missing (a batch count
 * skipped), of another checkpoint, or that does not apply. The result's checksum is its own,
 * for the checks of a whole checkpoint that follow; `tip` is the last change's (or the
 * snapshot's), which the next change follows.
 */
export function applyDeltas(
  snapshot: Checkpoint,
  deltas: readonly unknown[],
): { checkpoint: Checkpoint; tip: number } | { problem: string } {
  let checkpoint = snapshot;
  let tip = snapshot.checksum;
  const states = new Map<string, ChangedState>();
  for (const data of deltas) {
    const problem = deltaProblem(data, checkpoint, tip);
    if (problem !== null)
      return { problem: `the change of its batch ${checkpoint.batches + 1}: ${problem}` };
    const delta = data as CheckpointDelta;
    tip = delta.checksum;
    try {
      for (const [id, change] of Object.entries(delta.state)) {
        let state = states.get(id);
        if (!state) states.set(id, (state = new ChangedState(checkpoint.state[id])));
        state.apply(change);
      }
    } catch (error) {
      return { problem: `the change of its batch ${delta.batches}: ${(error as Error).message}` };
    }
    checkpoint = {
      ...checkpoint,
      batches: delta.batches,
      records: delta.records,
      time: delta.time,
      offsets: { ...checkpoint.offsets, ...delta.offsets },
      history: nextHistory(checkpoint.history, delta.history),
      results: { ...checkpoint.results, ...delta.results },
      resultStates: { ...checkpoint.resultStates, ...delta.resultStates },
    };
  }
  const state = { ...checkpoint.state };
  for (const [id, changed] of states) state[id] = changed.result();
  return { checkpoint: { ...checkpoint, state, checksum: checkpointChecksum(checkpoint) }, tip };
}

function nextHistory(
  history: Checkpoint['history'],
  changes: CheckpointDelta['history'],
): Checkpoint['history'] {
  const next = { ...history };
  for (const [id, { batch, after }] of Object.entries(changes)) {
    const batches = [...(history[id] ?? []), ...(batch ? [batch] : [])];
    next[id] = batches.filter(({ time }) => time > after);
  }
  return next;
}
