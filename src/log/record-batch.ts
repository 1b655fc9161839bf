/** A value one field of an event may hold. */
export type FieldValue = string | number | null;

/** An event as producers send it: a flat record of named fields. */
export type LogEvent = Readonly<Record<string, FieldValue>>;

/**
 * One field of every record in a batch, stored column-wise.
 * Strings are dictionary-encoded: `ids[i]` is 0 for null, else `dictionary[ids[i] - 1]`,
 * so a reader can count by value without decoding a single string.
 */
export type Column =
  | {
      readonly type: 'string';
      readonly dictionary: readonly string[];
      readonly ids: Uint8Array | Uint16Array | Uint32Array;
    }
  | { readonly type: 'number'; readonly values: Float64Array; readonly nulls: Uint8Array | null }
  | { readonly type: 'mixed'; readonly values: readonly FieldValue[] };

/**
 * A record batch as stored: one IndexedDB record holding `count` consecutive records of one
 * partition, starting at `baseOffset`. Offsets are dense: the next batch starts at
 * `baseOffset + count`. `producerId` and `baseSequence` identify the batch for idempotent appends.
 */
export interface RecordBatch {
  readonly topic: string;
  readonly partition: number;
  readonly baseOffset: number;
  readonly count: number;
  readonly firstTimestamp: number;
  readonly maxTimestamp: number;
  readonly producerId: string;
  readonly baseSequence: number;
  /** Per-record timestamps (Kafka's CreateTime), in offset order. */
  readonly timestamps: Float64Array;
  /** Per-record keys (null where the record has none). */
  readonly keys: Column;
  /** The records' values, one column per field. */
  readonly columns: Readonly<Record<string, Column>>;
}

/** Encodes events column-wise; every field seen in any event gets a column. */
export function encodeColumns(events: readonly LogEvent[]): Record<string, Column> {
  const columns: Record<string, Column> = {};
  for (const field of fieldNames(events)) {
    columns[field] = encodeColumn(events.map((event) => event[field] ?? null));
  }
  return columns;
}

/** Encodes one field's values: strings by dictionary, numbers as float64, anything else as is. */
export function encodeColumn(values: readonly FieldValue[]): Column {
  let strings = 0;
  let numbers = 0;
  for (const value of values) {
    if (typeof value === 'string') strings++;
    else if (typeof value === 'number') numbers++;
  }
  if (numbers === 0) return encodeStrings(values as readonly (string | null)[]);
  if (strings === 0) return encodeNumbers(values as readonly (number | null)[]);
  return { type: 'mixed', values: [...values] };
}

/** Decodes the events of a batch back to objects; missing and null fields come back as null. */
export function decodeColumns(
  columns: Readonly<Record<string, Column>>,
  count: number,
): LogEvent[] {
  const fields = Object.keys(columns);
  const events: Record<string, FieldValue>[] = [];
  for (let i = 0; i < count; i++) {
    const event: Record<string, FieldValue> = {};
    for (const field of fields) event[field] = columnValue(columns[field]!, i);
    events.push(event);
  }
  return events;
}

/** The value of record `index` in a column. */
export function columnValue(column: Column, index: number): FieldValue {
  switch (column.type) {
    case 'string': {
      const id = column.ids[index]!;
      return id === 0 ? null : column.dictionary[id - 1]!;
    }
    case 'number':
      return column.nulls?.[index] ? null : column.values[index]!;
    case 'mixed':
      return column.values[index] ?? null;
  }
}

function fieldNames(events: readonly LogEvent[]): Set<string> {
  const names = new Set<string>();
  for (const event of events) for (const name in event) names.add(name);
  return names;
}

function encodeStrings(values: readonly (string | null)[]): Column {
  const ids = new Uint32Array(values.length);
  const idOf = new Map<string, number>();
  const dictionary: string[] = [];
  values.forEach((value, i) => {
    if (value === null) return;
    let id = idOf.get(value);
    if (id === undefined) {
      id = dictionary.push(value);
      idOf.set(value, id);
    }
    ids[i] = id;
  });
  return { type: 'string', dictionary, ids: narrow(ids, dictionary.length) };
}

function encodeNumbers(values: readonly (number | null)[]): Column {
  const numbers = new Float64Array(values.length);
  let nulls: Uint8Array | null = null;
  values.forEach((value, i) => {
    if (value === null) (nulls ??= new Uint8Array(values.length))[i] = 1;
    else numbers[i] = value;
  });
  return { type: 'number', values: numbers, nulls };
}

/** The smallest id array that holds ids up to `max`: most batches need one byte per record. */
function narrow(ids: Uint32Array, max: number): Uint8Array | Uint16Array | Uint32Array {
  if (max <= 0xff) return Uint8Array.from(ids);
  if (max <= 0xffff) return Uint16Array.from(ids);
  return ids;
}
