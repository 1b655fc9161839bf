import { describe, expect, it } from 'vitest';
import {
  columnValue,
  decodeColumns,
  encodeColumn,
  encodeColumns,
  type LogEvent,
} from '../../src/log';

describe('record batch columns', () => {
  it('round-trips strings, numbers, nulls and missing fields', () => {
    const events: LogEvent[] = [
      { page: 'https://a.example/', target: null, x: 1.5, y: 2 },
      { page: 'https://b.example/é', target: 'https://c.example/', x: -3, y: null },
      { page: 'https://a.example/', x: 0, y: 7, extra: 'only here' },
    ];
    const decoded = decodeColumns(encodeColumns(events), events.length);
    expect(decoded).toEqual([
      { page: 'https://a.example/', target: null, x: 1.5, y: 2, extra: null },
      { page: 'https://b.example/é', target: 'https://c.example/', x: -3, y: null, extra: null },
      { page: 'https://a.example/', target: null, x: 0, y: 7, extra: 'only here' },
    ]);
  });

  it('dictionary-encodes strings: each distinct value stored once', () => {
    const column = encodeColumn(['a', 'b', 'a', null, 'a']);
    expect(column.type).toBe('string');
    if (column.type !== 'string') return;
    expect(column.dictionary).toEqual(['a', 'b']);
    expect([...column.ids]).toEqual([1, 2, 1, 0, 1]);
  });

  it('uses one byte per id up to 255 distinct values, two beyond', () => {
    const small = encodeColumn(Array.from({ length: 255 }, (_, i) => `u${i}`));
    const large = encodeColumn(Array.from({ length: 256 }, (_, i) => `u${i}`));
    expect(small.type === 'string' && small.ids).toBeInstanceOf(Uint8Array);
    expect(large.type === 'string' && large.ids).toBeInstanceOf(Uint16Array);
    expect(columnValue(large, 255)).toBe('u255');
  });

  it('keeps a field holding both strings and numbers as it is', () => {
    const column = encodeColumn(['1', 1, null]);
    expect(column.type).toBe('mixed');
    expect([0, 1, 2].map((i) => columnValue(column, i))).toEqual(['1', 1, null]);
  });
});
