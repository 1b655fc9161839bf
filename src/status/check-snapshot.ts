import type { StatusSnapshot } from './snapshot';

/** What a status source answered, where it is not what a snapshot has. */
function problemOf(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'it is no object';
  const { takenAt, engine, log, streaming, damage } = value as Record<string, unknown>;
  if (!Number.isFinite(takenAt)) return 'takenAt is no time';
  if (!Array.isArray(log)) return 'log is no list of topics';
  if (!isObject(streaming) || !Array.isArray(streaming.batches))
    return 'streaming has no list of batches';
  if (engine !== null && !hasLists(engine, ['jobs', 'stages', 'executors']))
    return 'engine has no lists of jobs, stages and executors';
  if (!isObject(damage) || !Number.isFinite(damage.count) || !Array.isArray(damage.recent))
    return 'damage has no count';
  return null;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

const hasLists = (value: unknown, keys: readonly string[]): boolean =>
  isObject(value) && keys.every((key) => Array.isArray(value[key]));

/**
 * `value` as a status snapshot. A source is any object on the page (the DevTools panel reads
 * the inspected page's), so what it answers is checked before it is shown.
 * - must throw a TypeError saying what is missing, if `value` lacks what the monitor reads.
 */
export function checkedSnapshot(value: unknown): StatusSnapshot {
  const problem = problemOf(value);
  if (problem) throw new TypeError(`the status is malformed: ${problem}`);
  return value as StatusSnapshot;
}
