import { describe, expect, it } from 'vitest';
import {
  ChunkChecksumError,
  columnValue,
  crc32,
  decodeChunk,
  decodePackedChunk,
  encodeChunk,
  encodeColumn,
  encodeRecords,
  eventAt,
  PACKED_MAX_RECORDS,
  recordColumnsOf,
  type Column,
  type ProducerRecord,
} from '../../src/log';

function roundTrip(column: Column, count: number): Column {
  return decodeChunk(encodeChunk(column, count)).column;
}

describe('crc32', () => {
  it('gives the IEEE check value and matches a bytewise CRC at every length', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    const bytes = Uint8Array.from({ length: 37 }, (_, i) => (i * 73 + 11) & 0xff);
    for (let n = 0; n <= bytes.length; n++)
      expect(crc32(bytes.subarray(0, n))).toBe(slowCrc(bytes.subarray(0, n)));
  });
});

describe('column chunks', () => {
  it('round-trip strings (non-ASCII too), numbers with nulls, and mixed values', () => {
    const strings = encodeColumn([
      'https://a.example/',
      null,
      'https://b.example/é😀',
      'https://a.example/',
    ]);
    const decoded = roundTrip(strings, 4);
    expect([0, 1, 2, 3].map((i) => columnValue(decoded, i))).toEqual([
      'https://a.example/',
      null,
      'https://b.example/é😀',
      'https://a.example/',
    ]);
    const numbers = roundTrip(encodeColumn([1.5, null, -3]), 3);
    expect([0, 1, 2].map((i) => columnValue(numbers, i))).toEqual([1.5, null, -3]);
    const mixed = roundTrip(encodeColumn(['1', 1, null]), 3);
    expect(mixed.type).toBe('mixed');
    expect([0, 1, 2].map((i) => columnValue(mixed, i))).toEqual(['1', 1, null]);
  });

  it('detects any flipped byte covered by the CRC', () => {
    const chunk = encodeChunk(encodeColumn(['a', 'b', 'a']), 3);
    for (let i = 8; i < chunk.byteLength; i++) {
      const copy = chunk.slice(0);
      new Uint8Array(copy)[i]! ^= 0x10;
      expect(() => decodeChunk(copy), `byte ${i}`).toThrow(ChunkChecksumError);
    }
  });

  it('keeps the base offset outside the CRC, so it can be set after encoding', () => {
    const chunk = encodeChunk(encodeColumn([1, 2]), 2);
    new DataView(chunk).setFloat64(0, 42, true);
    expect(decodeChunk(chunk).baseOffset).toBe(42);
  });
});

describe('encodeRecords', () => {
  it('packs a small batch into one chunk: timestamps, keys and each field, in the order of its header', () => {
    const records: ProducerRecord[] = [
      { key: null, timestamp: 10, value: { page: '/a', x: 1 } },
      { key: 'k', timestamp: 30, value: { page: '/b', extra: 'only here' } },
      { key: null, timestamp: 20, value: { page: '/a', x: 2 } },
    ];
    const encoded = encodeRecords(records);
    expect(encoded).toMatchObject({ count: 3, firstTimestamp: 10, maxTimestamp: 30, keyed: true });
    expect(encoded.packed).toBe(true);
    expect(encoded.chunks.map(([name]) => name)).toEqual(['timestamp']);
    expect(encoded.bytes).toBe(encoded.chunks[0]![1].byteLength);
    const names = recordColumnsOf(encoded);
    expect(names).toEqual(['timestamp', 'key', 'value.page', 'value.x', 'value.extra']);
    const { columns } = decodePackedChunk(encoded.chunks[0]![1], names);
    const values = { page: columns[2]!, x: columns[3]!, extra: columns[4]! };
    expect([0, 1, 2].map((i) => eventAt(values, i))).toEqual([
      { page: '/a', x: 1, extra: null },
      { page: '/b', x: null, extra: 'only here' },
      { page: '/a', x: 2, extra: null },
    ]);
    expect([0, 1, 2].map((i) => columnValue(columns[0]!, i))).toEqual([10, 30, 20]);
    expect([0, 1, 2].map((i) => columnValue(columns[1]!, i))).toEqual([null, 'k', null]);
    expect(() => decodePackedChunk(encoded.chunks[0]![1], names.slice(1))).toThrow(
      ChunkChecksumError,
    );
    expect(() => decodeChunk(encoded.chunks[0]![1])).toThrow(ChunkChecksumError);
  });

  it('encodes a batch larger than PACKED_MAX_RECORDS as a chunk per column', () => {
    const records: ProducerRecord[] = Array.from(
      { length: PACKED_MAX_RECORDS + 1 },
      (_, i): ProducerRecord => ({
        key: i === 3 ? 'k' : null,
        timestamp: 1_700_000_000_000 + i,
        value: i % 2 ? { page: `/p${i % 5}`, x: i } : { page: '/a', extra: true },
      }),
    );
    const encoded = encodeRecords(records);
    expect(encoded.packed).toBe(false);
    expect(encoded.chunks.map(([name]) => name)).toEqual([
      'timestamp',
      'key',
      'value.page',
      'value.extra',
      'value.x',
    ]);
    expect(encoded.bytes).toBe(encoded.chunks.reduce((n, [, c]) => n + c.byteLength, 0));
    const values = Object.fromEntries(
      encoded.chunks
        .filter(([n]) => n.startsWith('value.'))
        .map(([n, c]) => [n.slice(6), decodeChunk(c).column]),
    );
    records.forEach((record, i) =>
      expect(eventAt(values, i)).toEqual({ page: null, x: null, extra: null, ...record.value }),
    );
  });

  it('dictionary-encodes strings in one byte per id up to 255 distinct values, two beyond', () => {
    const column = encodeColumn(['a', 'b', 'a', null, 'a']);
    expect(column).toMatchObject({ type: 'string', dictionary: ['a', 'b'] });
    expect(column.type === 'string' && [...column.ids]).toEqual([1, 2, 1, 0, 1]);
    const small = encodeColumn(Array.from({ length: 255 }, (_, i) => `u${i}`));
    const large = encodeColumn(Array.from({ length: 256 }, (_, i) => `u${i}`));
    expect(small.type === 'string' && small.ids).toBeInstanceOf(Uint8Array);
    expect(large.type === 'string' && large.ids).toBeInstanceOf(Uint16Array);
    expect(columnValue(roundTrip(large, 256), 255)).toBe('u255');
  });
});

function slowCrc(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
