// <tabstream-counts>'s exports: CSV and JSON of rows.
import { csvCell, csvLines } from '../shared';
import type { CountRow } from './rows';

/** `rows` as RFC 4180 CSV (CRLF line ends, a header line), formula-like URLs defused with `'`. */
export function rowsToCSV(rows: readonly CountRow[]): string {
  return csvLines([
    ['url', 'clicks'],
    ...rows.map(({ url, clicks }) => [csvCell(url), `${clicks}`]),
  ]);
}

/** `rows` as a JSON array of `{ url, clicks }`. */
export function rowsToJSON(rows: readonly CountRow[]): string {
  return JSON.stringify(rows.map(({ url, clicks }) => ({ url, clicks })));
}
