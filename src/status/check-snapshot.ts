import type { SinkState, StatusSnapshot } from './snapshot';

/** What a status source answered, where it is not what a snapshot has. */
function problemOf(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'it is no object';
  const { takenAt, engine, log, streaming, damage, sink } = value as Record<string, unknown>;
  if (!Number.isFinite(takenAt)) return 'takenAt is no time';
  if (!Array.isArray(log)) return 'log is no list of topics';
  if (!isObject(streaming) || !Array.isArray(streaming.batches))
    return 'streaming has no list of batches';
  if (engine !== null && !hasLists(engine, ['jobs', 'stages', 'executors']))
    return 'engine has no lists of jobs, stages and executors';
  if (!isObject(damage) || !Number.isFinite(damage.count) || !Array.isArray(damage.recent))
    return 'damage has no count';
  return sink === undefined ? null : sinkProblemOf(sink);
}

const SINK_STATES: readonly SinkState[] = [
  'running',
  'waiting-online',
  'backing-off',
  'not-allowed',
  'stopped',
  'stopped-fatal',
];
/** Far more partitions than a sink ships (a few topics of a few partitions): more is no sink's. */
const MAX_SINK_PARTITIONS = 1000;
/** Far longer than a topic's name or the sink's errors (it clips what a proxy says to 200). */
const MAX_TEXT = 10_000;

/**
 * The sink's part is checked to its leaves: the DevTools panel shows any page's, and a page's
 * `window.tabstream` may be anything (another version, or hostile).
 */
function sinkProblemOf(sink: unknown): string | null {
  if (!isObject(sink)) return 'sink is no object';
  const { state, partitions, requests, retries, recordsShipped, lastError } = sink;
  if (!SINK_STATES.includes(state as SinkState)) return 'sink has no known state';
  for (const [name, figure] of Object.entries({ requests, retries, recordsShipped }))
    if (!isCount(figure)) return `sink's ${name} is no count`;
  if (!Array.isArray(partitions)) return 'sink has no list of partitions';
  if (partitions.length > MAX_SINK_PARTITIONS)
    return `sink has more than ${MAX_SINK_PARTITIONS} partitions`;
  if (!partitions.every(isSinkPartition))
    return 'sink has a partition without a topic, a number and offsets';
  if (lastError !== null && !(isObject(lastError) && isText(lastError.message)))
    return "sink's last error has no message";
  if (lastError !== null && !Number.isFinite(lastError.at)) return "sink's last error has no time";
  return null;
}

const isSinkPartition = (value: unknown): boolean =>
  isObject(value) &&
  isText(value.topic) &&
  [value.partition, value.shipped, value.highWatermark, value.lag].every(isCount);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

const isCount = (value: unknown): boolean => Number.isFinite(value) && (value as number) >= 0;

const isText = (value: unknown): boolean => typeof value === 'string' && value.length <= MAX_TEXT;

const hasLists = (value: unknown, keys: readonly string[]): boolean =>
  isObject(value) && keys.every((key) => Array.isArray(value[key]));

/**
 * `value` as a status snapshot. A source is any object on the page (the DevTools panel reads
 * the inspected page's), so what it answers is checked before it is shown.
 * - must throw a TypeError saying what is missing, if `value` lacks what the monitor reads;
 * - must throw one saying what is wrong, if `value` has a sink that is not a sink's status
 *   (an unknown state, a figure that is no finite count, too many partitions, a text too long).
 */
export function checkedSnapshot(value: unknown): StatusSnapshot {
  const problem = problemOf(value);
  if (problem) throw new TypeError(`the status is malformed: ${problem}`);
  return value as StatusSnapshot;
}
