import { ByteReader, ByteWriter } from './bytes';
import { decodeV1Body } from './chunk-v1';
import { readColumn, writeColumn } from './column-codec';
import { crc32 } from './crc32';
import type { Column } from './column';

/**
 * Column chunks as stored: ArrayBuffers that describe and check themselves. Format 2 (written
 * since issue 16; format 1 still reads, see chunk-v1.ts), little-endian:
 *
 *     0  f64  base offset: assigned inside the append transaction, so, as in Kafka's record
 *             batches, it is outside the CRC and can be set without computing the CRC again
 *     8  u32  CRC-32 of bytes [12, end)
 *    12  u8   format version (2; 1 for the format before)
 *    13  u8   layout: 1 one column, 2 packed (every column of a small batch)
 *    14  u16  0
 *    16  u32  record count (at the same place in both formats)
 *    20  …    one column: its values (see column-codec.ts);
 *             packed: u32 CRC-32 of the columns' names joined by U+0000, varint column count,
 *             each column's values in the order of the names
 *
 * A small batch is one packed chunk rather than a chunk per column: one IndexedDB value instead
 * of ~29 for a click, and its column names are in the batch's header only (the CRC of the names
 * checks that the header read with it is its own).
 */
export interface ColumnChunk {
  readonly baseOffset: number;
  readonly count: number;
  readonly column: Column;
}

/** A packed chunk: every column of its batch, in the order of the names it was written with. */
export interface PackedChunk {
  readonly baseOffset: number;
  readonly count: number;
  readonly columns: readonly Column[];
}

/** Thrown when a chunk's bytes do not match its CRC, or do not parse. */
export class ChunkChecksumError extends Error {
  override name = 'ChunkChecksumError';
}

const VERSION = 2;
const HEADER = 20;
const ONE = 1;
const PACKED = 2;
const encoder = new TextEncoder();

/** Encodes a column of `count` records, with its CRC; its base offset is set later. */
export function encodeChunk(column: Column, count: number): ArrayBuffer {
  const out = header(ONE, count);
  writeColumn(out, column, count);
  return sealed(out);
}

/** Encodes the named columns of `count` records as one packed chunk, with its CRC. */
export function encodePackedChunk(
  columns: readonly (readonly [string, Column])[],
  count: number,
): ArrayBuffer {
  const out = header(PACKED, count);
  out.reserve(4);
  new DataView(out.bytes.buffer).setUint32(
    out.length,
    namesCrc(columns.map(([name]) => name)),
    true,
  );
  out.length += 4;
  out.varint(columns.length);
  for (const [, column] of columns) writeColumn(out, column, count);
  return sealed(out);
}

/** Sets the base offset of an encoded chunk, in place. */
export function setChunkBaseOffset(chunk: ArrayBuffer, baseOffset: number): void {
  new DataView(chunk).setFloat64(0, baseOffset, true);
}

/** The record count a chunk claims (unchecked), or null if it is too short to have one. */
export function chunkCount(buffer: unknown): number | null {
  return buffer instanceof ArrayBuffer && buffer.byteLength >= HEADER
    ? new DataView(buffer).getUint32(16, true)
    : null;
}

/**
 * Decodes a one-column chunk, of either format.
 * - must throw ChunkChecksumError if the CRC does not match or the layout is not one it knows
 *   (a packed chunk included: it reads with `decodePackedChunk`);
 * - when `verify` is false (the caller trusts the bytes) must skip the CRC, not the layout checks.
 */
export function decodeChunk(buffer: ArrayBuffer, verify = true): ColumnChunk {
  const { baseOffset, count, version, layout } = checked(buffer, verify);
  return parsed(() => {
    if (version === 1) return { baseOffset, count, column: decodeV1Body(buffer, count) };
    if (layout !== ONE) throw new Error('a packed chunk, not a column');
    const input = new ByteReader(buffer, HEADER);
    const column = readColumn(input, count);
    input.end();
    return { baseOffset, count, column };
  });
}

/**
 * Decodes a packed chunk written with columns named `names`.
 * - must throw ChunkChecksumError as `decodeChunk` does, and if the chunk is not packed or
 *   was written with other names.
 */
export function decodePackedChunk(
  buffer: ArrayBuffer,
  names: readonly string[],
  verify = true,
): PackedChunk {
  const { baseOffset, count, version, layout } = checked(buffer, verify);
  return parsed(() => {
    if (version !== VERSION || layout !== PACKED) throw new Error('not a packed chunk');
    const input = new ByteReader(buffer, HEADER);
    const crc = new DataView(buffer, HEADER).getUint32(0, true);
    input.bytes(4);
    if (crc !== namesCrc(names)) throw new Error("its columns are not its header's");
    if (input.varint() !== names.length) throw new Error('column count differs');
    const columns = names.map(() => readColumn(input, count));
    input.end();
    return { baseOffset, count, columns };
  });
}

function header(layout: number, count: number): ByteWriter {
  const out = new ByteWriter();
  const view = new DataView(out.bytes.buffer);
  view.setUint8(12, VERSION);
  view.setUint8(13, layout);
  view.setUint32(16, count, true);
  out.length = HEADER;
  return out;
}

function sealed(out: ByteWriter): ArrayBuffer {
  const bytes = out.done();
  new DataView(bytes.buffer).setUint32(8, crc32(bytes.subarray(12)), true);
  return bytes.buffer as ArrayBuffer;
}

function checked(buffer: ArrayBuffer, verify: boolean) {
  const bytes = new Uint8Array(buffer);
  if (bytes.length < HEADER) throw new ChunkChecksumError('chunk too short');
  const view = new DataView(buffer);
  if (verify && view.getUint32(8, true) !== crc32(bytes.subarray(12))) {
    throw new ChunkChecksumError('CRC-32 mismatch');
  }
  const version = view.getUint8(12);
  if (version !== 1 && version !== VERSION) throw new ChunkChecksumError('unknown chunk version');
  return {
    baseOffset: view.getFloat64(0, true),
    count: view.getUint32(16, true),
    version,
    layout: view.getUint8(13),
  };
}

function parsed<T>(decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    throw new ChunkChecksumError(`malformed chunk: ${String(error)}`);
  }
}

function namesCrc(names: readonly string[]): number {
  return crc32(encoder.encode(names.join('\u0000')));
}
