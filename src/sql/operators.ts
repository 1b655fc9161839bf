import { compileCast, toNumber } from './cast';
import { compareValues } from './compare';
import type { Compiled } from './runtime-error';
import { SqlRuntimeError } from './runtime-error';
import { str } from './function-kit';

/**
 * The operators of resolved expressions, as Spark's ANSI mode runs them: null in, null out
 * (but `eqns`, `and`, `or`, `isnull`); `/` always a double, `div` truncates, both refuse a zero
 * divisor; `%` takes the dividend's sign, as Java's.
 */
type Binary = (a: Compiled, b: Compiled) => Compiled;

function divideByZero(): SqlRuntimeError {
  return new SqlRuntimeError(
    '[DIVIDE_BY_ZERO] Division by zero. Use `try_divide` to tolerate divisor being 0 and return NULL instead. If necessary set "spark.sql.ansi.enabled" to "false" to bypass this error.',
  );
}

function arithmetic(f: (x: number, y: number) => number): Binary {
  return (a, b) => (row) => {
    const x = a(row);
    if (x == null) return null;
    const y = b(row);
    if (y == null) return null;
    return typeof x === 'number' && typeof y === 'number' ? f(x, y) : f(toNumber(x), toNumber(y));
  };
}

/**
 * Two values as a comparison sees them: a string against a number or a boolean is cast to it
 * (ANSI: malformed is an error), as Spark's implicit cast.
 */
export function sqlCompare(x: unknown, y: unknown): number {
  if (typeof x === 'number' && typeof y === 'string') return compareValues(x, toNumber(y));
  if (typeof x === 'string' && typeof y === 'number') return compareValues(toNumber(x), y);
  if (typeof x === 'boolean' && typeof y === 'string') return compareValues(x, toBoolean(y));
  if (typeof x === 'string' && typeof y === 'boolean') return compareValues(toBoolean(x), y);
  return compareValues(x, y);
}

const toBoolean = compileCast('boolean', null);

function comparison(test: (c: number) => boolean): Binary {
  return (a, b) => (row) => {
    const x = a(row);
    if (x == null) return null;
    const y = b(row);
    if (y == null) return null;
    if (typeof x === 'number' && typeof y === 'number') {
      // The common case, without a call; NaN goes the slow way (it equals itself in Spark).
      if (x < y) return test(-1);
      if (x > y) return test(1);
      if (x === y) return test(0);
    }
    return test(sqlCompare(x, y));
  };
}

/** = and <> without ordering: strings, booleans and numbers of one type need no comparison. */
function equality(negate: boolean): Binary {
  return (a, b) => (row) => {
    const x = a(row);
    if (x == null) return null;
    const y = b(row);
    if (y == null) return null;
    if (x === y) return !negate;
    const type = typeof x;
    // Unequal primitives of one type are not equal, but NaN (equal to NaN in Spark).
    if (type === typeof y && type !== 'object' && (type !== 'number' || x === x)) return negate;
    return (sqlCompare(x, y) === 0) !== negate;
  };
}

export const BINARY: Readonly<Record<string, Binary>> = {
  add: arithmetic((x, y) => x + y),
  sub: arithmetic((x, y) => x - y),
  mul: arithmetic((x, y) => x * y),
  div: arithmetic((x, y) => {
    if (y === 0) throw divideByZero();
    return x / y;
  }),
  intdiv: arithmetic((x, y) => {
    if (y === 0) throw divideByZero();
    return Math.trunc(x / y) || 0;
  }),
  mod: arithmetic((x, y) => {
    if (y === 0) throw divideByZero();
    return x % y || 0;
  }),
  concat: (a, b) => (row) => {
    const x = a(row);
    if (x == null) return null;
    const y = b(row);
    return y == null ? null : str(x) + str(y);
  },
  eq: equality(false),
  ne: equality(true),
  lt: comparison((c) => c < 0),
  le: comparison((c) => c <= 0),
  gt: comparison((c) => c > 0),
  ge: comparison((c) => c >= 0),
  /** `<=>`: two nulls are equal, one null is not equal; never null. */
  eqns: (a, b) => (row) => {
    const x = a(row);
    const y = b(row);
    if (x == null || y == null) return x == null && y == null;
    return sqlCompare(x, y) === 0;
  },
  /** false wins over null, null over true; the right side is not evaluated after a false. */
  and: (a, b) => (row) => {
    const x = a(row);
    if (x === false) return false;
    const y = b(row);
    if (y === false) return false;
    return x == null || y == null ? null : true;
  },
  /** true wins over null, null over false; the right side is not evaluated after a true. */
  or: (a, b) => (row) => {
    const x = a(row);
    if (x === true) return true;
    const y = b(row);
    if (y === true) return true;
    return x == null || y == null ? null : false;
  },
};

export const UNARY: Readonly<Record<string, (a: Compiled) => Compiled>> = {
  neg: (a) => (row) => {
    const x = a(row);
    return x == null ? null : -toNumber(x) || 0;
  },
  not: (a) => (row) => {
    const x = a(row);
    return x == null ? null : !x;
  },
  isnull: (a) => (row) => a(row) == null,
  isnotnull: (a) => (row) => a(row) != null,
};
