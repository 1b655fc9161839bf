import { columnValue, recordWindow, type OffsetRange, type RecordBatch } from '../log';

/**
 * Adds to `counts` the records of `batch` within `range`, by the value of `field`, and returns
 * how many records it looked at. Dictionary-encoded columns are counted by id, then mapped to
 * their strings once per batch: no string is decoded per record.
 */
export function countBatch(
  batch: RecordBatch,
  range: OffsetRange,
  field: string,
  counts: Map<string, number>,
): number {
  const [start, end] = recordWindow(batch, range);
  const column = batch.columns[field];
  if (!column) return end - start;
  if (column.type === 'string') {
    const tally = new Uint32Array(column.dictionary.length + 1);
    for (let i = start; i < end; i++) tally[column.ids[i]!]!++;
    for (let id = 1; id < tally.length; id++) {
      if (tally[id]) add(counts, column.dictionary[id - 1]!, tally[id]!);
    }
  } else {
    for (let i = start; i < end; i++) {
      const value = columnValue(column, i);
      if (value !== null) add(counts, String(value), 1);
    }
  }
  return end - start;
}

function add(counts: Map<string, number>, key: string, n: number): void {
  counts.set(key, (counts.get(key) ?? 0) + n);
}
