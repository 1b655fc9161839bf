import type { FieldValue, ProducerRecord } from '../log';

/**
 * A dataset's record as `saveToLog` appends it: a `[key, value]` pair is keyed, an object is
 * the value, and any other value becomes `{ value }`.
 */
export function toProducerRecord(record: unknown, timestamp: number): ProducerRecord {
  const pair = Array.isArray(record) && record.length === 2;
  const key: unknown = pair ? (record as unknown[])[0] : null;
  const value: unknown = pair ? (record as unknown[])[1] : record;
  return { key: asKey(key), value: asEvent(value), timestamp };
}

function asKey(key: unknown): string | null {
  if (key === null || key === undefined) return null;
  return typeof key === 'string' ? key : JSON.stringify(key);
}

function asEvent(value: unknown): Record<string, FieldValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, FieldValue>)
    : { value: value as FieldValue };
}
