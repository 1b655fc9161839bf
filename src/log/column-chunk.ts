import { crc32 } from './crc32';
import type { Column, MixedColumn, StringColumn } from './record-batch';

/**
 * One column of one record batch as stored: a single ArrayBuffer that describes and checks
 * itself, so a reader can fetch the columns it needs and nothing else. Little-endian layout:
 *
 *     0  f64  base offset: assigned inside the append transaction, so, as in Kafka's record
 *             batches, it is outside the CRC and can be set without computing the CRC again
 *     8  u32  CRC-32 of bytes [12, end)
 *    12  u8   format version (1)
 *    13  u8   type: 1 string (dictionary), 2 number (float64), 3 mixed (JSON)
 *    14  u8   string: id width in bytes (1, 2, 4); number: 1 if there is a null map
 *    16  u32  record count
 *    20  u32  string: dictionary size; mixed: JSON byte length
 *    24  …    string: u32 ends[size] (UTF-16 ends in the joined dictionary), u32 utf8Bytes,
 *             utf8 bytes, padding, ids[count];  number: f64 values[count], u8 nulls[count]?;
 *             mixed: UTF-8 JSON array of the values
 */
export interface ColumnChunk {
  readonly baseOffset: number;
  readonly count: number;
  readonly column: Column;
}

/** Thrown when a chunk's bytes do not match its CRC, or do not parse. */
export class ChunkChecksumError extends Error {
  override name = 'ChunkChecksumError';
}

const VERSION = 1;
const HEADER = 24;
const STRING = 1;
const NUMBER = 2;
const MIXED = 3;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Encodes a column of `count` records, with its CRC; its base offset is set later. */
export function encodeChunk(column: Column, count: number): ArrayBuffer {
  const bytes = encodeBody(column, count);
  const view = new DataView(bytes.buffer);
  view.setUint8(12, VERSION);
  view.setUint32(16, count, true);
  view.setUint32(8, crc32(bytes.subarray(12)), true);
  return bytes.buffer as ArrayBuffer;
}

/** Sets the base offset of an encoded chunk, in place. */
export function setChunkBaseOffset(chunk: ArrayBuffer, baseOffset: number): void {
  new DataView(chunk).setFloat64(0, baseOffset, true);
}

/**
 * Decodes a chunk.
 * - must throw ChunkChecksumError if the CRC does not match or the layout is not one it knows;
 * - when `verify` is false (the caller trusts the bytes) must skip the CRC, not the layout checks.
 */
export function decodeChunk(buffer: ArrayBuffer, verify = true): ColumnChunk {
  const bytes = new Uint8Array(buffer);
  if (bytes.length < HEADER) throw new ChunkChecksumError('chunk too short');
  const view = new DataView(buffer);
  if (verify && view.getUint32(8, true) !== crc32(bytes.subarray(12))) {
    throw new ChunkChecksumError('CRC-32 mismatch');
  }
  if (view.getUint8(12) !== VERSION) throw new ChunkChecksumError('unknown chunk version');
  const baseOffset = view.getFloat64(0, true);
  const count = view.getUint32(16, true);
  try {
    return { baseOffset, count, column: decodeBody(buffer, view, count) };
  } catch (error) {
    throw new ChunkChecksumError(`malformed chunk: ${String(error)}`);
  }
}

function encodeBody(column: Column, count: number): Uint8Array {
  switch (column.type) {
    case 'string':
      return encodeStrings(column.dictionary, column.ids);
    case 'number':
      return encodeNumbers(column.values, column.nulls, count);
    case 'mixed':
      return encodeMixed(column.values);
  }
}

function encodeStrings(dictionary: readonly string[], ids: StringColumn['ids']): Uint8Array {
  const joined = dictionary.join('');
  const width = ids.BYTES_PER_ELEMENT;
  const textStart = HEADER + 4 * dictionary.length + 4;
  const maxText = joined.length * 3;
  const idsStart = (n: number): number => Math.ceil((textStart + n) / 4) * 4;
  const bytes = new Uint8Array(idsStart(maxText) + ids.byteLength);
  const { written } = encoder.encodeInto(joined, bytes.subarray(textStart, textStart + maxText));
  const header = new DataView(bytes.buffer);
  header.setUint8(13, STRING);
  header.setUint8(14, width);
  header.setUint32(20, dictionary.length, true);
  let end = 0;
  dictionary.forEach((entry, i) => header.setUint32(HEADER + 4 * i, (end += entry.length), true));
  header.setUint32(textStart - 4, written, true);
  const start = idsStart(written);
  bytes.set(new Uint8Array(ids.buffer, ids.byteOffset, ids.byteLength), start);
  return bytes.subarray(0, start + ids.byteLength).slice();
}

function encodeNumbers(values: Float64Array, nulls: Uint8Array | null, count: number): Uint8Array {
  const bytes = new Uint8Array(HEADER + 8 * count + (nulls ? count : 0));
  bytes[13] = NUMBER;
  bytes[14] = nulls ? 1 : 0;
  new Float64Array(bytes.buffer, HEADER, count).set(values.subarray(0, count));
  if (nulls) bytes.set(nulls.subarray(0, count), HEADER + 8 * count);
  return bytes;
}

function encodeMixed(values: MixedColumn['values']): Uint8Array {
  const json = encoder.encode(JSON.stringify(values, jsonSafe));
  const bytes = new Uint8Array(HEADER + json.length);
  bytes[13] = MIXED;
  new DataView(bytes.buffer).setUint32(20, json.length, true);
  bytes.set(json, HEADER);
  return bytes;
}

function decodeBody(buffer: ArrayBuffer, view: DataView, count: number): Column {
  switch (view.getUint8(13)) {
    case STRING:
      return decodeStrings(buffer, view, count);
    case NUMBER: {
      const values = new Float64Array(buffer, HEADER, count);
      const nulls = view.getUint8(14) ? new Uint8Array(buffer, HEADER + 8 * count, count) : null;
      return { type: 'number', values, nulls };
    }
    case MIXED: {
      const json = new Uint8Array(buffer, HEADER, view.getUint32(20, true));
      const values = JSON.parse(decoder.decode(json)) as unknown;
      if (!Array.isArray(values) || values.length !== count) throw new Error('bad values');
      return { type: 'mixed', values: values as MixedColumn['values'] };
    }
    default:
      throw new Error('unknown column type');
  }
}

function decodeStrings(buffer: ArrayBuffer, view: DataView, count: number): Column {
  const size = view.getUint32(20, true);
  const width = view.getUint8(14);
  const ends = new Uint32Array(buffer, HEADER, size);
  const textStart = HEADER + 4 * size + 4;
  const textBytes = view.getUint32(textStart - 4, true);
  const joined = decoder.decode(new Uint8Array(buffer, textStart, textBytes));
  const dictionary: string[] = new Array<string>(size);
  let start = 0;
  for (let i = 0; i < size; i++) dictionary[i] = joined.slice(start, (start = ends[i]!));
  if (start !== joined.length) throw new Error('dictionary ends do not match its text');
  const idsStart = Math.ceil((textStart + textBytes) / 4) * 4;
  const ids =
    width === 1
      ? new Uint8Array(buffer, idsStart, count)
      : width === 2
        ? new Uint16Array(buffer, idsStart, count)
        : new Uint32Array(buffer, idsStart, count);
  return { type: 'string', dictionary, ids };
}

/**
 * What JSON cannot hold, a mixed column holds as near as it can, so that no value sent can
 * make its batch unwritable: a bigint as its decimal string; functions and symbols become null.
 */
function jsonSafe(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
