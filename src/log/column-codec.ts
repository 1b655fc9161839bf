import type { ByteReader, ByteWriter } from './bytes';
import type { Column, FieldValue, MixedColumn, NumberColumn, StringColumn } from './column';

// One column's values as chunk format 2 stores them: a kind byte, then the kind's body. Each
// kind takes the fewest bytes its values allow, and decodes to the same Column it was given:
//   0 nulls     every value null: nothing more (decodes as a string column with no dictionary)
//   1 strings   varint size, varint UTF-16 length of each entry, varint UTF-8 byte count, UTF-8
//               text, u8 id width (0: every id is 1), ids aligned to their width
//   2 floats    null bitmap?, float64 values aligned to 8
//   3 integers  null bitmap?, zigzag varint base, u8 width (0, 1, 2, 4), value − base per record
//               aligned to the width
//   4 booleans  null bitmap?, value bitmap (decodes as a mixed column of true, false and null)
//   5 mixed     varint byte count, UTF-8 JSON array of the values
// A null bitmap is a u8 flag, then, if 1, ceil(count / 8) bytes with bit i set for null i.
const NULLS = 0;
const STRINGS = 1;
const FLOATS = 2;
const INTEGERS = 3;
const BOOLEANS = 4;
const MIXED = 5;
/** Integers stored as offsets from the smallest: safe as zigzag varints, and exact. */
const MAX_BASE = 2 ** 51;
const MAX_SPREAD = 0xffffffff;

/** Writes a column of `count` values. */
export function writeColumn(out: ByteWriter, column: Column, count: number): void {
  switch (column.type) {
    case 'string':
      return column.ids.some((id) => id !== 0) ? writeStrings(out, column) : out.u8(NULLS);
    case 'number':
      return writeNumbers(out, column, count);
    case 'mixed':
      return writeMixed(out, column.values, count);
  }
}

/** Reads a column of `count` values. */
export function readColumn(input: ByteReader, count: number): Column {
  switch (input.u8()) {
    case NULLS:
      return { type: 'string', dictionary: [], ids: new Uint8Array(count) };
    case STRINGS:
      return readStrings(input, count);
    case FLOATS: {
      const nulls = readNulls(input, count);
      input.align(8);
      const bytes = input.bytes(8 * count);
      return {
        type: 'number',
        values: new Float64Array(bytes.buffer, bytes.byteOffset, count),
        nulls,
      };
    }
    case INTEGERS:
      return readIntegers(input, count);
    case BOOLEANS: {
      const nulls = readNulls(input, count);
      const bits = input.bytes(Math.ceil(count / 8));
      const values = Array.from({ length: count }, (_, i) =>
        nulls?.[i] ? null : (bits[i >> 3]! & (1 << (i & 7))) !== 0,
      );
      return { type: 'mixed', values };
    }
    case MIXED: {
      const values = JSON.parse(input.text()) as unknown;
      if (!Array.isArray(values) || values.length !== count) throw new Error('bad values');
      return { type: 'mixed', values: values as MixedColumn['values'] };
    }
    default:
      throw new Error('unknown column kind');
  }
}

function writeStrings(out: ByteWriter, { dictionary, ids }: StringColumn): void {
  out.u8(STRINGS);
  out.varint(dictionary.length);
  for (const entry of dictionary) out.varint(entry.length);
  out.text(dictionary.join(''));
  const width = dictionary.length === 1 && ids.every((id) => id === 1) ? 0 : ids.BYTES_PER_ELEMENT;
  out.u8(width);
  if (width === 0) return;
  out.align(width);
  out.raw(new Uint8Array(ids.buffer, ids.byteOffset, ids.byteLength));
}

function readStrings(input: ByteReader, count: number): StringColumn {
  const size = input.varint();
  if (size > count) throw new Error('dictionary larger than the column');
  const ends = new Array<number>(size);
  for (let i = 0, end = 0; i < size; i++) ends[i] = end += input.varint();
  const joined = input.text();
  if ((ends[size - 1] ?? 0) !== joined.length) throw new Error('dictionary ends do not match');
  const dictionary = new Array<string>(size);
  for (let i = 0, start = 0; i < size; i++) dictionary[i] = joined.slice(start, (start = ends[i]!));
  const width = input.u8();
  if (width === 0) return { type: 'string', dictionary, ids: new Uint8Array(count).fill(1) };
  input.align(width);
  const ids = typedIds(input.bytes(width * count), width, count);
  let max = 0;
  for (let i = 0; i < count; i++) if (ids[i]! > max) max = ids[i]!;
  if (max > size) throw new Error('id past the dictionary');
  return { type: 'string', dictionary, ids };
}

function writeNumbers(out: ByteWriter, { values, nulls }: NumberColumn, count: number): void {
  let min = Infinity;
  let max = -Infinity;
  let integers = true;
  for (let i = 0; i < count; i++) {
    if (nulls?.[i]) continue;
    const value = values[i]!;
    if (!Number.isInteger(value) || Object.is(value, -0) || Math.abs(value) > MAX_BASE)
      integers = false;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  if (min === Infinity && integers) return out.u8(NULLS); // every value null
  if (!integers || max - min > MAX_SPREAD) {
    out.u8(FLOATS);
    writeNulls(out, nulls, count);
    out.align(8);
    out.raw(new Uint8Array(values.buffer, values.byteOffset, 8 * count));
    return;
  }
  out.u8(INTEGERS);
  writeNulls(out, nulls, count);
  out.varint(min < 0 ? -2 * min - 1 : 2 * min);
  const width = max === min ? 0 : max - min <= 0xff ? 1 : max - min <= 0xffff ? 2 : 4;
  out.u8(width);
  if (width === 0) return;
  out.align(width);
  const deltas =
    width === 1
      ? new Uint8Array(count)
      : width === 2
        ? new Uint16Array(count)
        : new Uint32Array(count);
  for (let i = 0; i < count; i++) deltas[i] = nulls?.[i] ? 0 : values[i]! - min;
  out.raw(new Uint8Array(deltas.buffer));
}

function readIntegers(input: ByteReader, count: number): NumberColumn {
  const nulls = readNulls(input, count);
  const zigzag = input.varint();
  const base = zigzag % 2 ? -(zigzag + 1) / 2 : zigzag / 2;
  const width = input.u8();
  const values = new Float64Array(count);
  if (width === 0) values.fill(base);
  else {
    input.align(width);
    const deltas = typedIds(input.bytes(width * count), width, count);
    for (let i = 0; i < count; i++) values[i] = base + deltas[i]!;
  }
  if (nulls) for (let i = 0; i < count; i++) if (nulls[i]) values[i] = 0;
  return { type: 'number', values, nulls };
}

/** `bytes` as an array of `count` unsigned integers of `width` bytes, aligned, without a copy. */
function typedIds(bytes: Uint8Array, width: number, count: number): StringColumn['ids'] {
  if (width === 1) return bytes;
  if (width === 2) return new Uint16Array(bytes.buffer, bytes.byteOffset, count);
  if (width === 4) return new Uint32Array(bytes.buffer, bytes.byteOffset, count);
  throw new Error('bad width');
}

function writeMixed(out: ByteWriter, values: readonly FieldValue[], count: number): void {
  let booleans = true;
  let nulls = 0;
  for (let i = 0; i < count; i++) {
    const value = values[i] ?? null;
    if (value === null) nulls++;
    else if (typeof value !== 'boolean') booleans = false;
  }
  if (nulls === count) return out.u8(NULLS);
  if (!booleans) {
    out.u8(MIXED);
    out.text(JSON.stringify(values.slice(0, count), jsonSafe));
    return;
  }
  out.u8(BOOLEANS);
  writeNulls(
    out,
    nulls ? Uint8Array.from(values, (value) => (value === null ? 1 : 0)) : null,
    count,
  );
  const bits = new Uint8Array(Math.ceil(count / 8));
  for (let i = 0; i < count; i++) if (values[i] === true) bits[i >> 3]! |= 1 << (i & 7);
  out.raw(bits);
}

function writeNulls(out: ByteWriter, nulls: Uint8Array | null, count: number): void {
  const any = nulls !== null && nulls.subarray(0, count).some((flag) => flag !== 0);
  out.u8(any ? 1 : 0);
  if (!any) return;
  const bits = new Uint8Array(Math.ceil(count / 8));
  for (let i = 0; i < count; i++) if (nulls[i]) bits[i >> 3]! |= 1 << (i & 7);
  out.raw(bits);
}

function readNulls(input: ByteReader, count: number): Uint8Array | null {
  const flag = input.u8();
  if (flag === 0) return null;
  if (flag !== 1) throw new Error('bad null flag');
  const bits = input.bytes(Math.ceil(count / 8));
  return Uint8Array.from({ length: count }, (_, i) => (bits[i >> 3]! >> (i & 7)) & 1);
}

/**
 * What JSON cannot hold, a mixed column holds as near as it can, so that no value sent can
 * make its batch unwritable: a bigint as its decimal string; functions and symbols become null.
 */
function jsonSafe(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
