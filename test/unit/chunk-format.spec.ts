import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ChunkChecksumError,
  columnValue,
  decodeChunk,
  decodePackedChunk,
  encodeRecords,
  PACKED_MAX_RECORDS,
  recordColumnsOf,
  type Column,
  type EncodedRecords,
  type FieldValue,
  type ProducerRecord,
} from '../../src/log';
import { V1_HEADER, V1_RECORDS, v1Chunks } from '../browser/fixtures/log-v1-batch';

/** Every column of encoded records, decoded, by name. */
function columnsOf(encoded: EncodedRecords): Map<string, Column> {
  const names = recordColumnsOf(encoded);
  if (!encoded.packed)
    return new Map(encoded.chunks.map(([name, chunk]) => [name, decodeChunk(chunk).column]));
  const { columns } = decodePackedChunk(encoded.chunks[0]![1], names);
  return new Map(names.map((name, i) => [name, columns[i]!]));
}

/** The records back from their columns: missing fields as null. */
function recordsOf(columns: Map<string, Column>, count: number) {
  return Array.from({ length: count }, (_, i) => {
    const value: Record<string, FieldValue> = {};
    for (const [name, column] of columns)
      if (name.startsWith('value.')) value[name.slice(6)] = columnValue(column, i);
    const keys = columns.get('key');
    return {
      key: keys ? columnValue(keys, i) : null,
      timestamp: columnValue(columns.get('timestamp')!, i),
      value,
    };
  });
}

/**
 * What the log documents a field reads back as: strings, numbers (NaN, ±Infinity and -0
 * included) and booleans exactly when the field holds only that type (and nulls) in its
 * batch; a field of mixed types as its JSON would.
 */
function expected(records: readonly ProducerRecord[]) {
  const fields = new Set(records.flatMap((record) => Object.keys(record.value)));
  const kinds = new Map<string, Set<string>>();
  for (const field of fields) {
    const types = records.map((r) => r.value[field] ?? null).filter((v) => v !== null);
    kinds.set(field, new Set(types.map((v) => typeof v)));
  }
  return records.map((record) => {
    const value: Record<string, FieldValue> = {};
    for (const field of fields) {
      const v = record.value[field] ?? null;
      value[field] = kinds.get(field)!.size > 1 ? (JSON.parse(JSON.stringify(v)) as FieldValue) : v;
    }
    return { key: record.key, timestamp: record.timestamp, value };
  });
}

/** Where two values differ, by Object.is, deeply: `path: a ≠ b`. */
function differences(a: unknown, b: unknown, path = ''): string[] {
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((key) =>
      differences(
        (a as Record<string, unknown>)[key],
        (b as Record<string, unknown>)[key],
        `${path}.${key}`,
      ),
    );
  }
  return Object.is(a, b) ? [] : [`${path}: ${String(a)} ≠ ${String(b)}`];
}

const odd = fc.constantFrom(-0, NaN, Infinity, -Infinity, 2 ** 53, -(2 ** 60), 0.1, 1e-300);
const number = fc.oneof(fc.integer(), fc.double(), fc.maxSafeInteger(), odd);
const string = fc.string({ unit: 'binary', maxLength: 12 });
const anything = fc.oneof(fc.constant(null), number, string, fc.boolean());
const event = fc.record(
  {
    n: fc.option(number),
    i: fc.option(fc.integer({ min: -300, max: 300 })),
    ts: fc.option(fc.integer({ min: 1.6e12, max: 1.6e12 + 5000 })),
    s: fc.option(string),
    b: fc.option(fc.boolean()),
    one: fc.option(fc.constant('the same')),
    m: anything,
    'ü 😀': anything,
  },
  { requiredKeys: [] },
);
const record = fc.record({
  key: fc.option(string),
  timestamp: fc.oneof(
    fc.integer({ min: 1.6e12, max: 1.6e12 + 100_000 }),
    fc.double({ min: 0, max: 1e15, noNaN: true }),
  ),
  value: event,
});

describe('chunk format 2', () => {
  it('round-trips arbitrary records, packed and a chunk per column, as documented', () => {
    fc.assert(
      fc.property(
        fc.array(record, { minLength: 1, maxLength: PACKED_MAX_RECORDS + 60 }),
        (records) => {
          const encoded = encodeRecords(records);
          expect(encoded.packed).toBe(records.length <= PACKED_MAX_RECORDS);
          const back = recordsOf(columnsOf(encoded), records.length);
          expect(differences(back, expected(records as ProducerRecord[]))).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('detects any flipped byte covered by the CRC of a packed chunk', () => {
    const encoded = encodeRecords(V1_RECORDS);
    const chunk = encoded.chunks[0]![1];
    const names = recordColumnsOf(encoded);
    for (let i = 8; i < chunk.byteLength; i++) {
      const copy = chunk.slice(0);
      new Uint8Array(copy)[i]! ^= 0x01;
      expect(() => decodePackedChunk(copy, names), `byte ${i}`).toThrow(ChunkChecksumError);
    }
  });

  it('holds a small batch of clicks in far fewer bytes than format 1', () => {
    const encoded = encodeRecords(V1_RECORDS);
    expect(encoded.bytes).toBeLessThan(V1_HEADER.bytes / 2);
  });
});

describe('chunk format 1', () => {
  it('still reads, as the version before issue 16 wrote it', () => {
    const columns = new Map(v1Chunks().map(([name, chunk]) => [name, decodeChunk(chunk).column]));
    expect([...columns.keys()]).toEqual(recordColumnsOf(V1_HEADER));
    expect(differences(recordsOf(columns, V1_HEADER.count), V1_RECORDS)).toEqual([]);
  });

  it('fails its CRC at any flipped byte', () => {
    for (const [name, chunk] of v1Chunks()) {
      for (let i = 8; i < chunk.byteLength; i++) {
        const copy = chunk.slice(0);
        new Uint8Array(copy)[i]! ^= 0x01;
        expect(() => decodeChunk(copy), `${name} byte ${i}`).toThrow(ChunkChecksumError);
      }
    }
  });
});
