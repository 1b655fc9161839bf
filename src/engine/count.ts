import { recordWindow, type ColumnChunk, type OffsetRange } from '../log';

/**
 * Adds to `counts` the records of `chunk` within `range`, by value, and returns how many records
 * it looked at. Dictionary-encoded columns are counted by id, then mapped to their strings once
 * per chunk: no string is decoded per record. Null values are not counted.
 */
export function countChunk(
  chunk: ColumnChunk,
  range: OffsetRange,
  counts: Map<string, number>,
): number {
  const [start, end] = recordWindow(chunk, range);
  const { column } = chunk;
  if (column.type === 'string') {
    const tally = new Uint32Array(column.dictionary.length + 1);
    for (let i = start; i < end; i++) tally[column.ids[i]!]!++;
    for (let id = 1; id < tally.length; id++) {
      if (tally[id]) add(counts, column.dictionary[id - 1]!, tally[id]!);
    }
  } else if (column.type === 'number') {
    for (let i = start; i < end; i++) {
      if (!column.nulls?.[i]) add(counts, String(column.values[i]), 1);
    }
  } else {
    for (let i = start; i < end; i++) {
      const value = column.values[i];
      if (value !== null && value !== undefined) add(counts, String(value), 1);
    }
  }
  return end - start;
}

function add(counts: Map<string, number>, key: string, n: number): void {
  counts.set(key, (counts.get(key) ?? 0) + n);
}
