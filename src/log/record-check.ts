// The producer's door: a record that can never be appended is rejected when it is sent, with a
// named error, so that it never enters a batch and never holds up the records sent around it.
import { isTopicName } from './schema';
import { InvalidTopicConfigError } from './topic-config';

/**
 * Kafka's SerializationException: a record's value or key cannot be stored (a cycle, a bigint,
 * a function, a symbol, a value that is not a flat object of fields, a key that is not a string).
 */
export class SerializationError extends Error {
  override name = 'SerializationError';
}

/** Kafka's RecordTooLargeException: a record is larger than the producer's `maxRecordBytes`. */
export class RecordTooLargeError extends Error {
  override name = 'RecordTooLargeError';
}

/**
 * Kafka's InvalidTopicException: a name no topic can have. An invalid topic config, as Kafka's
 * extends InvalidConfigurationException.
 */
export class InvalidTopicError extends InvalidTopicConfigError {
  override name = 'InvalidTopicError';
}

/** Kafka's `max.request.size` default, for one record. */
export const DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;

/** Nesting deeper than this is taken for a cycle's kin: no click event needs it. */
const MAX_DEPTH = 64;

/**
 * Checks a record as `send` is given it, and returns its size in bytes (UTF-16 code units of
 * strings count as 2, as in memory: an upper bound of UTF-8).
 * - must throw InvalidTopicError for a topic name no topic can have;
 * - must throw SerializationError for a value that is not a plain object, or holds a cycle, a
 *   bigint, a function or a symbol at any depth; for a key not a string nor null;
 * - must throw RangeError for a timestamp that is not a finite number ≥ 0;
 * - must throw RecordTooLargeError for a record larger than `maxBytes`;
 * - must cost little for flat records of strings and numbers (a click).
 */
export function checkRecord(
  topic: unknown,
  value: unknown,
  key: unknown,
  timestamp: unknown,
  maxBytes: number,
): number {
  if (topic !== lastTopic) {
    if (!isTopicName(topic)) {
      throw new InvalidTopicError(
        `tabstream: ${describe(topic)} is not a topic name (1–249 of letters, digits, ".", "_", "-")`,
      );
    }
    lastTopic = topic;
  }
  if (key !== null && typeof key !== 'string')
    throw new SerializationError(
      `tabstream: a record's key must be a string or null, not ${describe(key)}`,
    );
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp) || timestamp < 0)
    throw new RangeError(
      `tabstream: invalid timestamp ${describe(timestamp)}: a finite number ≥ 0`,
    );
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new SerializationError(
      `tabstream: a record's value must be an object of fields, not ${describe(value)}`,
    );
  const flat = flatSize(value);
  const bytes =
    16 + (key === null ? 0 : 2 * key.length) + (flat >= 0 ? flat : sizeOf(value, [], ''));
  if (bytes > maxBytes) {
    throw new RecordTooLargeError(
      `tabstream: a record of ${bytes} bytes is larger than maxRecordBytes, ${maxBytes} bytes`,
    );
  }
  return bytes;
}

/** The topic name last found valid: a producer sends to few topics, so most sends skip the test. */
let lastTopic: unknown = undefined;

/**
 * The size of a value whose fields are all strings, numbers, booleans, null or undefined (a
 * click), or -1 if some field is anything else: then `sizeOf` walks it, and says what is wrong.
 * No array, closure or path string per call.
 */
function flatSize(value: object): number {
  let bytes = 0;
  for (const field in value) {
    const item = (value as Record<string, unknown>)[field];
    const type = typeof item;
    if (type === 'string') bytes += 2 * (field.length + (item as string).length);
    else if (type === 'number' || type === 'boolean' || type === 'undefined' || item === null)
      bytes += 2 * field.length + 8;
    else return -1;
  }
  return bytes;
}

/** The size of a value's fields, throwing SerializationError at what cannot be stored. */
function sizeOf(value: object, parents: object[], path: string): number {
  if (parents.includes(value))
    throw new SerializationError(`tabstream: a record's value is cyclic at ${path || 'its top'}`);
  if (parents.length > MAX_DEPTH)
    throw new SerializationError(`tabstream: a record's value nests deeper than ${MAX_DEPTH}`);
  parents.push(value);
  let bytes = 0;
  for (const field in value) {
    const item = (value as Record<string, unknown>)[field];
    const at = path ? `${path}.${field}` : field;
    bytes += 2 * field.length + fieldSize(item, parents, at);
  }
  parents.pop();
  return bytes;
}

function fieldSize(item: unknown, parents: object[], at: string): number {
  switch (typeof item) {
    case 'string':
      return 2 * item.length;
    case 'number':
    case 'boolean':
    case 'undefined':
      return 8;
    case 'object':
      return item === null ? 8 : sizeOf(item, parents, at);
    default:
      throw new SerializationError(
        `tabstream: field "${at}" of a record's value is a ${typeof item}, which cannot be stored`,
      );
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 40));
  if (value === null || Array.isArray(value)) return value === null ? 'null' : 'a list';
  return `a ${typeof value}`;
}
