import { compareValues } from './compare';
import { custom, fn1, fn2, fnN, int, num, type ScalarFunction } from './function-kit';

/**
 * Spark's round (HALF_UP) works on the double's shortest decimal form (Scala's BigDecimal of a
 * double), so round(2.675, 2) is 2.68 although 2.675 is stored a little below it: shift the
 * decimal text, not the binary value.
 */
function roundHalfUp(x: number, scale: number): number {
  if (!Number.isFinite(x) || (Number.isInteger(x) && scale >= 0)) return x;
  const [mantissa, exponent = '0'] = String(Math.abs(x)).split('e') as [string, string?];
  const shifted = Math.round(Number(`${mantissa}e${Number(exponent) + scale}`));
  const [m2, e2 = '0'] = String(shifted).split('e') as [string, string?];
  const rounded = Number(`${m2}e${Number(e2) - scale}`);
  return rounded === 0 ? 0 : Math.sign(x) * rounded;
}

/** ln, log10, log2 and log are null at and below 0, as Spark's. */
const logOf = (f: (x: number) => number) =>
  fn1((x) => {
    const n = num(x);
    return n <= 0 ? null : f(n);
  });

/** greatest / least: the extreme of the non-null arguments, null if all are null. */
function extreme(sign: 1 | -1): ScalarFunction {
  return custom(2, Infinity, (args) => (row) => {
    let best: unknown = null;
    for (const arg of args) {
      const v = arg(row);
      if (v != null && (best === null || sign * compareValues(v, best) > 0)) best = v;
    }
    return best;
  });
}

const ceil = fn1((x) => Math.ceil(num(x)));
const pow = fn2((x, y) => Math.pow(num(x), num(y)));
const sign = fn1((x) => Math.sign(num(x)));

export const MATH_FUNCTIONS: ReadonlyArray<readonly [string, ScalarFunction]> = [
  ['abs', fn1((x) => Math.abs(num(x)))],
  ['round', fnN(1, 2, ([x, d]) => roundHalfUp(num(x), d === undefined ? 0 : int(d)))],
  ['floor', fn1((x) => Math.floor(num(x)))],
  ['ceil', ceil],
  ['ceiling', ceil],
  ['sqrt', fn1((x) => Math.sqrt(num(x)))],
  ['cbrt', fn1((x) => Math.cbrt(num(x)))],
  ['pow', pow],
  ['power', pow],
  ['exp', fn1((x) => Math.exp(num(x)))],
  ['ln', logOf(Math.log)],
  ['log10', logOf(Math.log10)],
  ['log2', logOf(Math.log2)],
  [
    'log',
    fn2((b, x) => {
      const base = num(b);
      const n = num(x);
      return base <= 0 || n <= 0 ? null : Math.log(n) / Math.log(base);
    }),
  ],
  ['sign', sign],
  ['signum', sign],
  [
    'pmod',
    fn2((a, b) => {
      const m = num(b);
      if (m === 0) return null;
      const r = num(a) % m;
      return r < 0 ? (r + m) % m : r;
    }),
  ],
  ['try_divide', fn2((x, y) => (num(y) === 0 ? null : num(x) / num(y)))],
  ['pi', custom(0, 0, () => () => Math.PI)],
  ['e', custom(0, 0, () => () => Math.E)],
  ['greatest', extreme(1)],
  ['least', extreme(-1)],
];
