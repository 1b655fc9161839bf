import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkRecord, InvalidTopicError, SerializationError } from '../../src/log/record-check';

const MAX = 1024 * 1024;
const primitive = fc.oneof(fc.string(), fc.double(), fc.boolean(), fc.constant(null));

/** The size as the contract states it: UTF-16 code units count 2, anything else 8. */
function expectedSize(value: Record<string, unknown>, key: string | null): number {
  let bytes = 16 + (key === null ? 0 : 2 * key.length);
  for (const [field, item] of Object.entries(value))
    bytes += 2 * field.length + (typeof item === 'string' ? 2 * item.length : 8);
  return bytes;
}

describe('checkRecord', () => {
  it('sizes a flat record of primitives as its contract says', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), primitive), fc.option(fc.string()), (value, key) => {
        expect(checkRecord('clicks', value, key, 0, MAX)).toBe(expectedSize(value, key));
      }),
    );
  });

  it('sizes nested fields too, and still finds what cannot be stored below the top', () => {
    expect(checkRecord('clicks', { a: 'xy', b: { c: 1 } }, null, 0, MAX)).toBe(
      16 + 2 + 4 + 2 + (2 + 8),
    );
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = { back: cyclic };
    expect(() => checkRecord('clicks', cyclic, null, 0, MAX)).toThrow(SerializationError);
    expect(() => checkRecord('clicks', { a: 1, f: () => 1 }, null, 0, MAX)).toThrow(
      SerializationError,
    );
  });

  it('rejects a bad topic name right after a good one, and takes the good one again', () => {
    expect(checkRecord('clicks', {}, null, 0, MAX)).toBe(16);
    expect(() => checkRecord('no such/topic', {}, null, 0, MAX)).toThrow(InvalidTopicError);
    expect(() => checkRecord('no such/topic', {}, null, 0, MAX)).toThrow(InvalidTopicError);
    expect(checkRecord('clicks', {}, null, 0, MAX)).toBe(16);
  });
});
