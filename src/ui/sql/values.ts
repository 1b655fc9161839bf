// How a result's values read: every value as text, NULL distinct from the empty string, and a
// timestamp column's numbers with their ISO time beside them.

/** A value's text: strings as they are, numbers as JavaScript writes them, the rest as JSON. */
export function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  return JSON.stringify(value) ?? String(value);
}

/** NULL (and undefined, as JSON has no undefined): shown as NULL, exported as an empty cell. */
export const isNull = (value: unknown): value is null | undefined =>
  value === null || value === undefined;

// `_timestamp`, and names ending in `timestamp` (`last_timestamp`, `current_timestamp()`): the
// answer tells no types, and a name is what a reader goes by too.
const TIMESTAMP_NAME = /timestamp(\(\))?$/i;

/** Whether a column holds timestamps, by its name. */
export const isTimestampColumn = (name: string): boolean => TIMESTAMP_NAME.test(name);

/** The ISO time of `ms` since the epoch, or null if it is not a time a Date can hold. */
export function isoTime(value: unknown): string | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
