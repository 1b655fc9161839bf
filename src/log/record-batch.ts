import type { Column, FieldValue, LogEvent, NumberColumn, StringColumn } from './column';
import { encodeChunk, encodePackedChunk } from './column-chunk';

export type {
  Column,
  FieldValue,
  LogEvent,
  MixedColumn,
  NumberColumn,
  StringColumn,
} from './column';

/** One record as a producer sends it: Kafka's value, key and CreateTime timestamp. */
export interface ProducerRecord {
  readonly value: LogEvent;
  readonly key: string | null;
  readonly timestamp: number;
}

/**
 * A record batch's header, as stored in `batches` under `[topic, partition, baseOffset]`: it holds
 * `count` consecutive records of one partition starting at `baseOffset` (offsets are dense: the
 * next batch starts at `baseOffset + count`). The records themselves are in column chunks, one
 * per column (see `columnName`), each with its own CRC-32, or, for a small batch, in one packed
 * chunk holding every column (see `columnsOf`). `producerId` and `baseSequence` identify the
 * batch for idempotent appends.
 */
export interface RecordBatchHeader {
  readonly topic: string;
  readonly partition: number;
  readonly baseOffset: number;
  readonly count: number;
  readonly firstTimestamp: number;
  readonly maxTimestamp: number;
  readonly producerId: string;
  readonly baseSequence: number;
  /** The value fields some record of the batch has: each has a chunk. */
  readonly fields: readonly string[];
  /** Whether some record has a key: then there is a `key` chunk. */
  readonly keyed: boolean;
  /** The size of the batch's chunks, in bytes. */
  readonly bytes: number;
  /**
   * Whether its columns are packed into one chunk, stored as column `timestamp` (absent in
   * batches written before issue 16: they are not).
   */
  readonly packed?: boolean;
}

/** A record batch as read: its header and the columns the reader asked for. */
export interface RecordBatch extends RecordBatchHeader {
  /** Per-record timestamps (Kafka's CreateTime), if asked for. */
  readonly timestamps?: Float64Array;
  /** Per-record keys, if asked for (absent also when no record has a key). */
  readonly keys?: Column;
  /** The value fields asked for, by field name. */
  readonly values: Readonly<Record<string, Column>>;
}

/** The column of timestamps, of keys, and of a value field, as named in the `columns` store. */
export const TIMESTAMP_COLUMN = 'timestamp';
export const KEY_COLUMN = 'key';
export function columnName(field: string): string {
  return `value.${field}`;
}

/** The columns a batch has: its timestamps, its keys if keyed, each of its fields. */
export function recordColumnsOf(header: Pick<RecordBatchHeader, 'keyed' | 'fields'>): string[] {
  return [
    TIMESTAMP_COLUMN,
    ...(header.keyed ? [KEY_COLUMN] : []),
    ...header.fields.map(columnName),
  ];
}

/** The columns a batch has a chunk of: all of them, or only `timestamp` if it is packed. */
export function columnsOf(
  header: Pick<RecordBatchHeader, 'keyed' | 'fields' | 'packed'>,
): string[] {
  return header.packed ? [TIMESTAMP_COLUMN] : recordColumnsOf(header);
}

/**
 * Batches of at most this many records are packed into one chunk: below it, a chunk per column
 * costs more in per-value overhead than a reader saves by reading only its columns.
 */
export const PACKED_MAX_RECORDS = 128;

/** Records encoded before their batch has offsets: a header to be, and one chunk per column. */
export interface EncodedRecords {
  readonly count: number;
  readonly firstTimestamp: number;
  readonly maxTimestamp: number;
  readonly fields: readonly string[];
  readonly keyed: boolean;
  readonly bytes: number;
  readonly packed: boolean;
  /** `[column name, chunk]` pairs: one per column, or the packed chunk as column `timestamp`. */
  readonly chunks: readonly (readonly [string, ArrayBuffer])[];
}

/**
 * Encodes records column-wise: each column a chunk with its own CRC-32, or, up to
 * PACKED_MAX_RECORDS records, every column in one packed chunk.
 */
export function encodeRecords(records: readonly ProducerRecord[]): EncodedRecords {
  const count = records.length;
  // One pass for the timestamps, whether any record is keyed, and the fields' names.
  const timestamps = new Float64Array(count);
  let keyed = false;
  const names = new Set<string>();
  for (let i = 0; i < count; i++) {
    const record = records[i]!;
    timestamps[i] = record.timestamp;
    if (record.key !== null) keyed = true;
    for (const name in record.value) names.add(name);
  }
  const columns: [string, Column][] = [
    [TIMESTAMP_COLUMN, { type: 'number', values: timestamps, nulls: null }],
  ];
  if (keyed) columns.push([KEY_COLUMN, encodeColumn(records.map((record) => record.key))]);
  const fields = [...names];
  for (const field of fields) columns.push([columnName(field), encodeField(records, field)]);
  const packed = count <= PACKED_MAX_RECORDS;
  const chunks: [string, ArrayBuffer][] = packed
    ? [[TIMESTAMP_COLUMN, encodePackedChunk(columns, count)]]
    : columns.map(([name, column]) => [name, encodeChunk(column, count)]);
  return {
    count,
    firstTimestamp: timestamps[0] ?? 0,
    maxTimestamp: maxOf(timestamps),
    fields,
    keyed,
    bytes: chunks.reduce((sum, [, chunk]) => sum + chunk.byteLength, 0),
    packed,
    chunks,
  };
}

/**
 * Encodes one field's values: strings by dictionary, numbers as float64, anything else
 * (booleans, or strings and numbers mixed) as is.
 */
export function encodeColumn(values: readonly FieldValue[]): Column {
  let strings = 0;
  let numbers = 0;
  let nulls = 0;
  for (const value of values) {
    if (typeof value === 'string') strings++;
    else if (typeof value === 'number') numbers++;
    else if (value === null) nulls++;
  }
  return encodeCounted(values, strings, numbers, nulls);
}

/** `encodeColumn` of one field of `records`, its values gathered and counted in one pass. */
function encodeField(records: readonly ProducerRecord[], field: string): Column {
  const values = new Array<FieldValue>(records.length);
  let strings = 0;
  let numbers = 0;
  let nulls = 0;
  for (let i = 0; i < records.length; i++) {
    const value = records[i]!.value[field] ?? null;
    values[i] = value;
    if (typeof value === 'string') strings++;
    else if (typeof value === 'number') numbers++;
    else if (value === null) nulls++;
  }
  return encodeCounted(values, strings, numbers, nulls);
}

function encodeCounted(
  values: readonly FieldValue[],
  strings: number,
  numbers: number,
  nulls: number,
): Column {
  if (strings + nulls === values.length) return encodeStrings(values as readonly (string | null)[]);
  if (numbers + nulls === values.length) return encodeNumbers(values as readonly (number | null)[]);
  return { type: 'mixed', values: [...values] };
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

/** Record `index` of a batch's value columns as an event; missing and null fields are null. */
export function eventAt(values: Readonly<Record<string, Column>>, index: number): LogEvent {
  const event: Record<string, FieldValue> = {};
  for (const field in values) event[field] = columnValue(values[field]!, index);
  return event;
}

function encodeStrings(values: readonly (string | null)[]): StringColumn {
  const ids = new Uint32Array(values.length);
  const idOf = new Map<string, number>();
  const dictionary: string[] = [];
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (value === null) continue;
    let id = idOf.get(value);
    if (id === undefined) {
      id = dictionary.push(value);
      idOf.set(value, id);
    }
    ids[i] = id;
  }
  return { type: 'string', dictionary, ids: narrow(ids, dictionary.length) };
}

function encodeNumbers(values: readonly (number | null)[]): NumberColumn {
  const numbers = new Float64Array(values.length);
  let nulls: Uint8Array | null = null;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (value === null) (nulls ??= new Uint8Array(values.length))[i] = 1;
    else numbers[i] = value;
  }
  return { type: 'number', values: numbers, nulls };
}

/** The smallest id array that holds ids up to `max`: most batches need one byte per record. */
function narrow(ids: Uint32Array, max: number): StringColumn['ids'] {
  // The constructors copy a typed array natively; `from` would iterate it.
  if (max <= 0xff) return new Uint8Array(ids);
  if (max <= 0xffff) return new Uint16Array(ids);
  return ids;
}

function maxOf(values: Float64Array): number {
  let max = -Infinity;
  for (const value of values) if (value > max) max = value;
  return max;
}
