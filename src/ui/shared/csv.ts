// CSV as spreadsheets read it: RFC 4180, with formula-like cells defused.

// A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
const FORMULA = /^[=+\-@\t\r]/;
// Characters that need a cell quoted (RFC 4180, section 2).
const SPECIAL = /[",\r\n]/;

/** `text` as one CSV cell: quoted if it must be, a formula-like start defused with `'`. */
export function csvCell(text: string): string {
  const safe = FORMULA.test(text) ? `'${text}` : text;
  return SPECIAL.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Lines of cells (already written with `csvCell`) as RFC 4180 CSV: CRLF after each line. */
export const csvLines = (lines: readonly (readonly string[])[]): string =>
  lines.map((cells) => `${cells.join(',')}\r\n`).join('');
