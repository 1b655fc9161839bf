// The SQL tab's exports: the result as CSV (RFC 4180) or as the JSON `tabstream.sql` answers.
import { csvCell, csvLines, csvQuoted } from '../shared';
import type { SqlResult } from './source';
import { isNull, valueText } from './values';

/**
 * The result as RFC 4180 CSV: a header line of the column names, CRLF line ends, quotes where
 * a cell needs them, formula-like text defused with `'` (not a negative number). As Spark's CSV writer has
 * it, NULL is an empty cell and the empty string `""`; timestamps stay numbers of ms, as the log
 * keeps them.
 */
export function resultToCSV({ columns, rows }: SqlResult): string {
  const cell = (value: unknown) =>
    isNull(value)
      ? ''
      : value === ''
        ? '""' // not NULL's empty cell
        : typeof value === 'string'
          ? csvCell(value)
          : csvQuoted(valueText(value));
  return csvLines([
    columns.map(csvCell),
    ...rows.map((row) => columns.map((_, i) => cell(row[i]))),
  ]);
}

/** The result as `{ columns, rows }`, as `tabstream.sql` answers: lossless, whatever the names. */
export const resultToJSON = ({ columns, rows }: SqlResult): string =>
  JSON.stringify({ columns, rows });
