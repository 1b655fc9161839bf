import { compareValues } from './compare';
import { custom, type ScalarFunction } from './function-kit';
import { isTrue } from './truth';

/** The first non-null argument; later ones are not evaluated. */
const coalesce = custom(1, Infinity, (args) => (row) => {
  for (const arg of args) {
    const v = arg(row);
    if (v != null) return v;
  }
  return null;
});

const ifnull = custom(
  2,
  2,
  ([a, b]) =>
    (row) =>
      a!(row) ?? b!(row),
);

export const CONDITIONAL_FUNCTIONS: ReadonlyArray<readonly [string, ScalarFunction]> = [
  ['coalesce', coalesce],
  ['ifnull', ifnull],
  ['nvl', ifnull],
  [
    'nullif',
    custom(2, 2, ([a, b]) => (row) => {
      const x = a!(row);
      const y = b!(row);
      return x != null && y != null && compareValues(x, y) === 0 ? null : (x ?? null);
    }),
  ],
  [
    'nvl2',
    custom(
      3,
      3,
      ([a, b, c]) =>
        (row) =>
          a!(row) != null ? b!(row) : c!(row),
    ),
  ],
  [
    'if',
    custom(
      3,
      3,
      ([c, a, b]) =>
        (row) =>
          isTrue(c!(row)) ? a!(row) : b!(row),
    ),
  ],
  ['array', custom(0, Infinity, (args) => (row) => args.map((a) => a(row) ?? null))],
  // Null for null (ANSI mode turns off Spark's legacy -1).
  [
    'size',
    custom(1, 1, ([a]) => (row) => {
      const v = a!(row);
      return Array.isArray(v) ? v.length : null;
    }),
  ],
];
