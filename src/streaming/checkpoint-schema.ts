/**
 * What a checkpoint node's data must be, checked before any of it is used: a checkpoint is a
 * cache of the log, so a damaged one is rebuilt from the log rather than trusted.
 */

import { crc32 } from '../log';

type Check = (value: unknown) => string | null;

/** The parts of a checkpoint its checksum covers. */
interface Summed {
  readonly planHash: string;
  readonly batches: number;
  readonly records: number;
  readonly time: number;
  readonly offsets: unknown;
  readonly history: unknown;
}

/**
 * The CRC-32 of a checkpoint's plan hash, batch and record counts, time, offsets and history: damage its
 * schema cannot see (an offset changed to another within the log) would count records twice
 * or never. The state is left out: summing it every batch would cost as much as the batch.
 */
export function checkpointChecksum(summed: Summed): number {
  const { planHash, batches, records, time, offsets, history } = summed;
  const text = JSON.stringify([planHash, batches, records, time, offsets, history]);
  return crc32(new TextEncoder().encode(text));
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `value`, shortly, for a message; never throws (whatever storage held). */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 40));
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object' && value !== null) return 'an object';
  if (typeof value === 'symbol') return 'a symbol';
  return String(value);
}

/** An offset: a whole number ≥ 0. */
export const isOffset = (value: unknown): value is number =>
  Number.isSafeInteger(value) && (value as number) >= 0;

/** What is wrong with `value` as a list of offsets, one per partition (null if nothing). */
export const offsetsProblem: Check = (value) => {
  if (!Array.isArray(value)) return `is ${show(value)}, not a list of offsets`;
  for (let i = 0; i < value.length; i++)
    if (!isOffset(value[i])) return `of partition ${i} is ${show(value[i])}, not an offset`;
  return null;
};

const range: Check = (value) => {
  if (!isRecord(value)) return `is ${show(value)}, not an offset range`;
  const { topic, partition, fromOffset, untilOffset } = value;
  if (typeof topic !== 'string' || !isOffset(partition)) return 'names no topic-partition';
  if (!isOffset(fromOffset) || !isOffset(untilOffset) || untilOffset < fromOffset)
    return `is [${show(fromOffset)}, ${show(untilOffset)}), not an offset range`;
  return null;
};

/** What is wrong with `value` as a list of batches' ranges (null if nothing). */
export const batchesProblem: Check = (value) => {
  if (!Array.isArray(value)) return `is ${show(value)}, not a list of batches`;
  for (const batch of value) {
    if (!isRecord(batch) || !Number.isFinite(batch['time'])) return 'has a batch with no time';
    if (!Array.isArray(batch['ranges'])) return `has a batch with no ranges`;
    for (const r of batch['ranges'] as unknown[]) {
      const problem = range(r);
      if (problem) return `has a range that ${problem}`;
    }
  }
  return null;
};

/** `check` of every value of record `value`, named `what`. */
export function each(what: string, value: unknown, check: Check): string | null {
  if (!isRecord(value)) return `its ${what} are ${show(value)}, not a record`;
  for (const [key, item] of Object.entries(value)) {
    const problem = check(item);
    if (problem) return `its ${what} of ${JSON.stringify(key)} ${problem}`;
  }
  return null;
}

/**
 * What is wrong with `data` as a checkpoint, or null if nothing is: types, whole numbers,
 * offset ranges, and its checksum.
 */
export function checkpointProblem(data: unknown): string | null {
  if (!isRecord(data)) return `the checkpoint is ${show(data)}, not a record`;
  if (typeof data['planHash'] !== 'string' || typeof data['plan'] !== 'string')
    return 'it names no plan';
  if (!Number.isSafeInteger(data['batches']) || (data['batches'] as number) < 1)
    return `its batch count is ${show(data['batches'])}, not a whole number ≥ 1`;
  if (!isOffset(data['records']))
    return `its record count is ${show(data['records'])}, not a whole number ≥ 0`;
  if (!Number.isFinite(data['time'])) return `its time is ${show(data['time'])}, not a time`;
  const problem =
    each('offsets', data['offsets'], offsetsProblem) ??
    each('history', data['history'], batchesProblem) ??
    each('state', data['state'], () => null) ??
    each('results', data['results'], (r) => (isRecord(r) ? null : `is ${show(r)}, not a result`));
  if (problem) return problem;
  const resultStates = data['resultStates'];
  if (resultStates !== undefined) {
    const state = data['state'] as Record<string, unknown>;
    const named = each('result states', resultStates, (id) =>
      typeof id === 'string' && id in state ? null : `is ${show(id)}, not a state it holds`,
    );
    if (named) return named;
  }
  const summed = checkpointChecksum(data as unknown as Summed);
  if (data['checksum'] !== summed)
    return `its checksum is ${show(data['checksum'])}, not ${summed} (its offsets or history changed)`;
  return null;
}

/** What a checkpoint lacks for a job whose inputs are `inputs` (their ids): null if nothing. */
export function missingInput(
  checkpoint: { readonly offsets: object },
  inputs: readonly string[],
): string | null {
  const missing = inputs.find((id) => !(id in checkpoint.offsets));
  return missing === undefined ? null : `it has no offsets for input ${missing}`;
}
