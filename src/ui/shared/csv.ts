// CSV as spreadsheets read it: RFC 4180, with formula-like cells defused.

// A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
const FORMULA = /^[=+\-@\t\r]/;
// Characters that need a cell quoted (RFC 4180, section 2).
const SPECIAL = /[",\r\n]/;

/** `text` as one CSV cell, quoted if it must be: for what is not text (numbers, JSON). */
export const csvQuoted = (text: string): string =>
  SPECIAL.test(text) ? `"${text.replaceAll('"', '""')}"` : text;

/** Text as one CSV cell: a formula-like start defused with `'`, quoted if it must be. */
export const csvCell = (text: string): string => csvQuoted(FORMULA.test(text) ? `'${text}` : text);

/** Lines of cells (already written with `csvCell`) as RFC 4180 CSV: CRLF after each line. */
export const csvLines = (lines: readonly (readonly string[])[]): string =>
  lines.map((cells) => `${cells.join(',')}\r\n`).join('');
