import {
  recordWindow,
  type Column,
  type ColumnChunk,
  type FieldValue,
  type OffsetRange,
} from '../log';

/**
 * Adds to `counts` the records of `chunk` within `range`, by value, and returns how many records
 * it looked at. Dictionary-encoded columns are counted by id, then mapped to their strings once
 * per chunk: no string is decoded per record.
 */
export function countChunk(
  chunk: ColumnChunk,
  range: OffsetRange,
  counts: Map<FieldValue, number>,
): number {
  const [start, end] = recordWindow(chunk, range);
  countColumn(chunk.column, start, end, counts);
  return end - start;
}

/**
 * Adds the values at `[start, end)` of a column to `counts`; null (or a missing column: no
 * record of the batch has the field) counts under null.
 */
export function countColumn(
  column: Column | undefined,
  start: number,
  end: number,
  counts: Map<FieldValue, number>,
): void {
  if (!column) {
    if (end > start) add(counts, null, end - start);
  } else if (column.type === 'string') {
    const tally = new Uint32Array(column.dictionary.length + 1);
    for (let i = start; i < end; i++) tally[column.ids[i]!]!++;
    if (tally[0]) add(counts, null, tally[0]);
    for (let id = 1; id < tally.length; id++) {
      if (tally[id]) add(counts, column.dictionary[id - 1]!, tally[id]!);
    }
  } else if (column.type === 'number') {
    for (let i = start; i < end; i++) add(counts, column.nulls?.[i] ? null : column.values[i]!, 1);
  } else {
    for (let i = start; i < end; i++) add(counts, column.values[i] ?? null, 1);
  }
}

function add(counts: Map<FieldValue, number>, key: FieldValue, n: number): void {
  counts.set(key, (counts.get(key) ?? 0) + n);
}
