// <tabstream-counts>'s exports: CSV and JSON of rows, downloaded from a Blob (never the network).
import type { CountRow } from './rows';

// A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
const FORMULA = /^[=+\-@\t\r]/;
// Characters that need a cell quoted (RFC 4180, section 2).
const SPECIAL = /[",\r\n]/;

function csvCell(text: string): string {
  const safe = FORMULA.test(text) ? `'${text}` : text;
  return SPECIAL.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** `rows` as RFC 4180 CSV (CRLF line ends, a header line), formula-like URLs defused with `'`. */
export function rowsToCSV(rows: readonly CountRow[]): string {
  return ['url,clicks', ...rows.map(({ url, clicks }) => `${csvCell(url)},${clicks}`)]
    .map((line) => `${line}\r\n`)
    .join('');
}

/** `rows` as a JSON array of `{ url, clicks }`. */
export function rowsToJSON(rows: readonly CountRow[]): string {
  return JSON.stringify(rows.map(({ url, clicks }) => ({ url, clicks })));
}

/** Saves `text` as a file named `name`, through an `<a download>` on a Blob URL. */
export function download(name: string, type: string, text: string): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([text], { type }));
  link.download = name;
  link.click();
  // Not at once: the browser reads the Blob after click() returns (FileSaver.js waits 40 s).
  setTimeout(() => URL.revokeObjectURL(link.href), 40_000);
}
