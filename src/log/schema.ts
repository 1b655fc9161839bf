// The schema of every value the log reads back from storage (its IndexedDB stores, and spills in
// localStorage): small checks that say what is wrong, or null when nothing is. Nothing read is
// trusted: a value damaged on disk, or written by another version, must not poison the log.

/** One field's rule: what it must be, and the test. */
interface Rule {
  readonly what: string;
  test(value: unknown): boolean;
}

type Shape = Readonly<Record<string, Rule>>;

const wholeAtLeast = (min: number): Rule => ({
  what: `a whole number ≥ ${min}`,
  test: (value) => Number.isSafeInteger(value) && (value as number) >= min,
});

export const OFFSET = wholeAtLeast(0);
const COUNT = wholeAtLeast(1);
const SEQUENCE = wholeAtLeast(-1);
const FINITE: Rule = { what: 'a finite number', test: Number.isFinite };
const STRING: Rule = { what: 'a string', test: (value) => typeof value === 'string' };
const BOOLEAN: Rule = { what: 'a boolean', test: (value) => typeof value === 'boolean' };
const OPTIONAL_BOOLEAN: Rule = {
  what: 'a boolean, or absent',
  test: (value) => value === undefined || typeof value === 'boolean',
};
const STRINGS: Rule = {
  what: 'a list of strings',
  test: (value) => Array.isArray(value) && value.every((item) => typeof item === 'string'),
};
const RETENTION: Rule = {
  what: 'a whole number ≥ 1, or -1',
  test: (value) => Number.isSafeInteger(value) && (value as number) >= -1 && value !== 0,
};
/** Whether `value` is a name a topic can have. */
export function isTopicName(value: unknown): boolean {
  return typeof value === 'string' && /^[\w.-]{1,249}$/.test(value);
}

const TOPIC_NAME: Rule = { what: 'a topic name', test: isTopicName };

/** What is wrong with `value` as an object of `shape`: the first field that breaks its rule. */
function problemOf(value: unknown, shape: Shape): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return `${show(value)} is not an object`;
  const record = value as Record<string, unknown>;
  for (const field in shape) {
    const rule = shape[field]!;
    if (!rule.test(record[field])) return `${field} is ${show(record[field])}, not ${rule.what}`;
  }
  return null;
}

/** A value as a damage report shows it: short, and typed. */
export function show(value: unknown): string {
  if (typeof value === 'string')
    return `the string "${value.length > 24 ? `${value.slice(0, 24)}…` : value}"`;
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') return Array.isArray(value) ? 'a list' : 'an object';
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`;
  return `a ${typeof value}`;
}

const HEADER: Shape = {
  topic: STRING,
  partition: OFFSET,
  baseOffset: OFFSET,
  count: COUNT,
  firstTimestamp: FINITE,
  maxTimestamp: FINITE,
  producerId: STRING,
  baseSequence: OFFSET,
  fields: STRINGS,
  keyed: BOOLEAN,
  bytes: OFFSET,
  packed: OPTIONAL_BOOLEAN,
};

/** What is wrong with a record batch header (as stored in `batches`), or null. */
export function headerProblem(value: unknown): string | null {
  return problemOf(value, HEADER);
}

const PARTITION_STATE: Shape = {
  topic: STRING,
  partition: OFFSET,
  logStartOffset: OFFSET,
  highWatermark: OFFSET,
  bytes: OFFSET,
  batchCount: OFFSET,
  maxTimestamp: FINITE,
};

/** What is wrong with a partition's state (as stored in `partitions`), or null. */
export function partitionStateProblem(value: unknown): string | null {
  const problem = problemOf(value, PARTITION_STATE);
  if (problem) return problem;
  const { logStartOffset, highWatermark } = value as Record<string, number>;
  return logStartOffset! > highWatermark!
    ? `logStartOffset ${logStartOffset} is past highWatermark ${highWatermark}`
    : null;
}

const TOPIC_CONFIG: Shape = {
  name: TOPIC_NAME,
  partitions: COUNT,
  createdAt: FINITE,
  retentionMs: RETENTION,
  retentionBytes: RETENTION,
};

/** What is wrong with a topic's config (as stored in `topics`), or null. */
export function topicConfigProblem(value: unknown): string | null {
  return problemOf(value, TOPIC_CONFIG);
}

const PRODUCER_STATE: Shape = {
  producerId: STRING,
  topic: STRING,
  partition: OFFSET,
  lastSequence: SEQUENCE,
  updatedAt: FINITE,
};

/** What is wrong with a producer's state (as stored in `producers`), or null. */
export function producerStateProblem(value: unknown): string | null {
  return problemOf(value, PRODUCER_STATE);
}

const COMMITTED_OFFSET: Shape = {
  group: STRING,
  topic: STRING,
  partition: OFFSET,
  offset: OFFSET,
  metadata: STRING,
  committedAt: FINITE,
};

/** What is wrong with a committed offset (as stored in `offsets`), or null. */
export function committedOffsetProblem(value: unknown): string | null {
  return problemOf(value, COMMITTED_OFFSET);
}

const RECORD: Shape = {
  value: {
    what: 'an object',
    test: (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  },
  key: { what: 'a string or null', test: (value) => value === null || typeof value === 'string' },
  timestamp: { what: 'a timestamp', test: (value) => FINITE.test(value) && (value as number) >= 0 },
};
const RECORDS: Shape = { records: { what: 'a list', test: Array.isArray } };
const BATCH: Shape = {
  topic: TOPIC_NAME,
  partition: OFFSET,
  producerId: STRING,
  baseSequence: OFFSET,
  ...RECORDS,
};
const UNASSIGNED: Shape = { topic: TOPIC_NAME, baseSequence: OFFSET, ...RECORDS };
const SPILL: Shape = {
  version: { what: '1', test: (value) => value === 1 },
  producerId: STRING,
  batches: RECORDS.records!,
  unassigned: RECORDS.records!,
};

/** What is wrong with a parsed spill, naming where in it (`batches[0].records[3]: …`), or null. */
export function spillProblem(value: unknown): string | null {
  const problem = problemOf(value, SPILL);
  if (problem) return problem;
  const spill = value as { batches: unknown[]; unassigned: unknown[] };
  return (
    listProblem(spill.batches, 'batches', BATCH) ??
    listProblem(spill.unassigned, 'unassigned', UNASSIGNED)
  );
}

function listProblem(items: readonly unknown[], name: string, shape: Shape): string | null {
  for (let i = 0; i < items.length; i++) {
    const problem = problemOf(items[i], shape);
    if (problem) return `${name}[${i}]: ${problem}`;
    const records = (items[i] as { records: unknown[] }).records;
    for (let j = 0; j < records.length; j++) {
      const recordProblem = problemOf(records[j], RECORD);
      if (recordProblem) return `${name}[${i}].records[${j}]: ${recordProblem}`;
    }
  }
  return null;
}
