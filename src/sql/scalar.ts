import type { Bound } from './bound';
import { compileCast } from './cast';
import { FUNCTIONS } from './functions';
import { str } from './function-kit';
import { compileLike } from './like';
import { BINARY, sqlCompare, UNARY } from './operators';
import type { Compiled, Row } from './runtime-error';
import { SqlRuntimeError } from './runtime-error';
import { isTrue } from './truth';

export type { Row } from './runtime-error';
export { SqlRuntimeError } from './runtime-error';
export { isTrue } from './truth';

/**
 * A resolved expression as one closure per node, made once and run per row, with no `eval`
 * (the executors run under a strict CSP) and no allocation per row where it can be avoided.
 *
 * must throw SqlRuntimeError for what Spark's ANSI mode refuses (division by zero, malformed
 * casts), at the row that does it.
 */
export function compileScalar(expr: Bound): (row: Row) => unknown {
  switch (expr[0]) {
    case 'col': {
      const index = expr[1];
      return (row) => row[index] ?? null;
    }
    case 'lit': {
      const value = expr[1] ?? null;
      return () => value;
    }
    case 'field':
      return compileField(compileScalar(expr[1]), expr[2]);
    case 'call':
      return compileCall(expr[1], expr.slice(2) as Bound[]);
    case 'case':
      return compileCase(expr[1], expr[2]);
    case 'like':
      return compileLikeExpr(expr[1], expr[2], expr[3], expr[4]);
    case 'in':
      return compileIn(compileScalar(expr[1]), expr[2]);
    case 'cast': {
      const arg = compileScalar(expr[1]);
      const cast = compileCast(expr[2], expr[3] ?? null);
      return (row) => {
        const v = arg(row);
        return v == null ? null : cast(v);
      };
    }
  }
}

function compileField(struct: Compiled, name: string): Compiled {
  return (row) => {
    const v = struct(row);
    return v !== null && typeof v === 'object' && Object.hasOwn(v, name)
      ? ((v as Record<string, unknown>)[name] ?? null)
      : null;
  };
}

function compileCall(name: string, args: Bound[]): Compiled {
  const compiled = args.map(compileScalar);
  const binary = BINARY[name];
  if (binary && compiled.length === 2) return binary(compiled[0]!, compiled[1]!);
  const unary = UNARY[name];
  if (unary && compiled.length === 1) return unary(compiled[0]!);
  const fn = FUNCTIONS.get(name);
  if (!fn) throw new SqlRuntimeError(`[UNRESOLVED_ROUTINE] Cannot resolve routine \`${name}\`.`);
  if (args.length < fn.min || args.length > fn.max)
    throw new SqlRuntimeError(
      `[WRONG_NUM_ARGS] The \`${name}\` requires ${fn.min === fn.max ? fn.min : `${fn.min} to ${fn.max}`} parameters but the actual number is ${args.length}.`,
    );
  return fn.compile(compiled, args);
}

function compileCase(whens: readonly (readonly [Bound, Bound])[], otherwise: Bound): Compiled {
  const conditions = whens.map(([c]) => compileScalar(c));
  const values = whens.map(([, v]) => compileScalar(v));
  const fallback = compileScalar(otherwise);
  return (row) => {
    for (let i = 0; i < conditions.length; i++)
      if (isTrue(conditions[i]!(row))) return values[i]!(row);
    return fallback(row);
  };
}

function compileLikeExpr(
  arg: Bound,
  pattern: Bound,
  escape: string,
  caseInsensitive: boolean,
): Compiled {
  const value = compileScalar(arg);
  if (pattern[0] === 'lit') {
    if (pattern[1] == null) return () => null;
    const test = compileLike(str(pattern[1]), escape, caseInsensitive);
    return (row) => {
      const v = value(row);
      return v == null ? null : test(str(v));
    };
  }
  const patternOf = compileScalar(pattern);
  let last: string | null = null;
  let test: ((s: string) => boolean) | null = null;
  return (row) => {
    const v = value(row);
    const p = patternOf(row);
    if (v == null || p == null) return null;
    if (test === null || p !== last) {
      last = str(p);
      test = compileLike(last, escape, caseInsensitive);
    }
    return test(str(v));
  };
}

/**
 * `x IN (…)` with three values: true on a match, else null if x or any item is null, else
 * false. A list of literals of one type is a Set, looked up without comparisons.
 */
function compileIn(value: Compiled, list: readonly Bound[]): Compiled {
  const literals = list.every((b) => b[0] === 'lit');
  const items = literals ? list.map((b) => b[1] ?? null) : [];
  const type = typeof items[0];
  if (
    literals &&
    items.length > 0 &&
    (type === 'string' || type === 'number') &&
    items.every((v) => typeof v === type && !Number.isNaN(v))
  ) {
    const set = new Set(items);
    return (row) => {
      const v = value(row);
      if (v == null) return null;
      if (typeof v === type && !Number.isNaN(v)) return set.has(v);
      return items.some((item) => sqlCompare(v, item) === 0);
    };
  }
  const compiled = list.map(compileScalar);
  return (row) => {
    const v = value(row);
    if (v == null) return null;
    let sawNull = false;
    for (const item of compiled) {
      const w = item(row);
      if (w == null) sawNull = true;
      else if (sqlCompare(v, w) === 0) return true;
    }
    return sawNull ? null : false;
  };
}
