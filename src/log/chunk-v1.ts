import type { Column, MixedColumn } from './column';

// Reads the body of a chunk of format 1, as versions before issue 16 wrote them: one chunk per
// column of every batch, bytes [0, 24) the header (see column-chunk.ts), then
//     string: u32 ends[size] (UTF-16 ends in the joined dictionary), u32 utf8Bytes, utf8 bytes,
//             padding to 4, ids[count] of the width at byte 14;
//     number: f64 values[count], then u8 nulls[count] if byte 14 is 1;
//     mixed:  UTF-8 JSON array of the values, its length at byte 20.
// Nothing writes it any more: logs written by older versions still read.
const HEADER = 24;
const STRING = 1;
const NUMBER = 2;
const MIXED = 3;
const decoder = new TextDecoder();

/** Decodes the column of a chunk of format 1 holding `count` records. */
export function decodeV1Body(buffer: ArrayBuffer, count: number): Column {
  if (buffer.byteLength < HEADER) throw new Error('chunk too short');
  const view = new DataView(buffer);
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
