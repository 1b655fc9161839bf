// Compares tabstream's answer to a query with Spark's: `difference(query, spark, tabstream)` is
// null when they agree, else what differs, with both answers, for the test's failure.
// An answer is `{ columns, rows }` or `{ error }`; tabstream's error also says `crash` (the
// error's name) when it is JavaScript's own (a TypeError…), not a rejection of the query.

const DEFAULT_TOLERANCE = 1e-9;
/** Rows shown of each answer when they differ. */
const SHOWN = 12;

/** Equal values: numbers within `tolerance` (relative), structs field by field, the rest exactly. */
export function sameValue(a, b, tolerance) {
  if (typeof a === 'number' && typeof b === 'number') {
    if (a === b) return true;
    return Math.abs(a - b) <= tolerance * Math.max(Math.abs(a), Math.abs(b));
  }
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((value, i) => sameValue(value, b[i], tolerance));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((key) => key in b && sameValue(a[key], b[key], tolerance))
    );
  }
  return a === b;
}

const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A row's sort key, the same for rows whose numbers differ only beyond 8 digits: so that a
 * multiset's rows sort alike in both answers, whatever order each engine gave them in.
 */
function sortKey(row) {
  return JSON.stringify(row, (_, value) =>
    typeof value === 'number' ? `n${Number(value.toPrecision(8))}` : value,
  );
}

const sorted = (rows) =>
  rows
    .map((row) => [sortKey(row), row])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, row]) => row);

/** Spark names a column the user named (an alias, a column) as written; tabstream must too. */
function namedByUser(name, sql) {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && new RegExp(`\\b${name}\\b`).test(sql);
}

const show = (answer) =>
  'error' in answer
    ? `error: ${answer.error}`
    : `columns ${JSON.stringify(answer.columns)}, ${answer.rows.length} row(s)` +
      answer.rows
        .slice(0, SHOWN)
        .map((row) => `\n    ${JSON.stringify(row)}`)
        .join('') +
      (answer.rows.length > SHOWN ? '\n    …' : '');

/** What differs between the answers, or null. */
export function difference(query, spark, tabstream) {
  const both = `\n  Spark:     ${show(spark)}\n  tabstream: ${show(tabstream)}`;
  if ('error' in spark || 'error' in tabstream) {
    if ('error' in spark && 'error' in tabstream)
      return tabstream.crash
        ? `tabstream crashed (${tabstream.crash}) where it must reject${both}`
        : null;
    return (
      ('error' in spark ? 'Spark rejects it, tabstream answers' : 'tabstream rejects it') + both
    );
  }
  if (spark.columns.length !== tabstream.columns.length) return `columns differ${both}`;
  const renamed = spark.columns.findIndex(
    (name, i) => namedByUser(name, query.sql) && tabstream.columns[i] !== name,
  );
  if (renamed >= 0) return `column ${renamed + 1} is named otherwise${both}`;
  if (spark.rows.length !== tabstream.rows.length) return `row counts differ${both}`;
  const tolerance = query.tolerance ?? DEFAULT_TOLERANCE;
  const [expected, actual] = query.ordered
    ? [spark.rows, tabstream.rows]
    : [sorted(spark.rows), sorted(tabstream.rows)];
  const at = expected.findIndex((row, i) => !sameValue(row, actual[i], tolerance));
  if (at < 0) return null;
  return (
    `${query.ordered ? 'row' : 'sorted row'} ${at + 1} differs: Spark ${JSON.stringify(expected[at])}, ` +
    `tabstream ${JSON.stringify(actual[at])}${both}`
  );
}
