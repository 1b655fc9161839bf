/**
 * Built-in operators: functions written as data, so they cross to executors under any
 * Content-Security-Policy. An `Op` is a small expression tree that the executor compiles into a
 * closure once per task, then calls per record.
 */
export type Expr =
  | readonly ['arg', 0 | 1]
  | readonly ['lit', unknown]
  | readonly ['get', Expr, readonly string[]]
  | readonly [Comparison, Expr, Expr]
  | readonly [StringTest, Expr, Expr]
  | readonly ['matches', Expr, string, string]
  | readonly ['and' | 'or', ...Expr[]]
  | readonly ['not', Expr]
  | readonly ['tuple', ...Expr[]]
  | readonly [Arithmetic, Expr, Expr]
  | readonly ['split', Expr, string]
  | readonly ['length', Expr];

type Comparison = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';
type StringTest = 'contains' | 'startsWith' | 'endsWith';
type Arithmetic = 'add' | 'sub' | 'min' | 'max';

/** A built-in operator: what `op.*` returns, and what a dataset stores of it. */
export class Op {
  constructor(readonly expr: Expr) {}
}

/** An operand: an operator, or a literal value. */
export type Operand = Op | string | number | boolean | null;

const lift = (operand: Operand): Expr => (operand instanceof Op ? operand.expr : ['lit', operand]);
const record: Expr = ['arg', 0];

/** The built-in operators, for `map`, `filter`, `keyBy`, `reduceByKey` and the others. */
export const op = {
  /** The record itself. */
  record: () => new Op(record),
  /** A field of the record, by dotted path: `op.field('value.page')`. Missing fields are null. */
  field: (path: string, of: Op = new Op(record)) => new Op(['get', of.expr, path.split('.')]),
  /** The key of a `[key, value]` pair. */
  key: () => new Op(['get', record, ['0']]),
  /** The value of a `[key, value]` pair. */
  value: () => new Op(['get', record, ['1']]),
  literal: (value: unknown) => new Op(['lit', value]),
  /** A `[key, value]` pair: `keyBy` and `map` to pairs. */
  pair: (key: Operand, value: Operand) => new Op(['tuple', lift(key), lift(value)]),
  eq: (a: Operand, b: Operand) => new Op(['eq', lift(a), lift(b)]),
  ne: (a: Operand, b: Operand) => new Op(['ne', lift(a), lift(b)]),
  lt: (a: Operand, b: Operand) => new Op(['lt', lift(a), lift(b)]),
  le: (a: Operand, b: Operand) => new Op(['le', lift(a), lift(b)]),
  gt: (a: Operand, b: Operand) => new Op(['gt', lift(a), lift(b)]),
  ge: (a: Operand, b: Operand) => new Op(['ge', lift(a), lift(b)]),
  contains: (a: Operand, part: Operand) => new Op(['contains', lift(a), lift(part)]),
  startsWith: (a: Operand, prefix: Operand) => new Op(['startsWith', lift(a), lift(prefix)]),
  endsWith: (a: Operand, suffix: Operand) => new Op(['endsWith', lift(a), lift(suffix)]),
  /** Tests a string against a regular expression (its source and flags cross as data). */
  matches: (a: Operand, pattern: RegExp) =>
    new Op(['matches', lift(a), pattern.source, pattern.flags]),
  and: (...terms: Op[]) => new Op(['and', ...terms.map((t) => t.expr)]),
  or: (...terms: Op[]) => new Op(['or', ...terms.map((t) => t.expr)]),
  not: (term: Op) => new Op(['not', term.expr]),
  /** Splits a string, for `flatMap`: `op.split(op.record(), ' ')`. */
  split: (a: Operand, separator: string) => new Op(['split', lift(a), separator]),
  length: (a: Operand) => new Op(['length', lift(a)]),
  /** Reducers, for `reduce` and `reduceByKey`: `(a, b) => a + b`, and the least and greatest. */
  sum: new Op(['add', ['arg', 0], ['arg', 1]]),
  /** `(a, b) => a - b`: the inverse of `sum`, for `reduceByKeyAndWindow`. */
  difference: new Op(['sub', ['arg', 0], ['arg', 1]]),
  min: new Op(['min', ['arg', 0], ['arg', 1]]),
  max: new Op(['max', ['arg', 0], ['arg', 1]]),
} as const;

/** A compiled operator: called with the record (or two values, for a reducer). */
export type Compiled = (a: unknown, b?: unknown) => unknown;

/** Compiles an expression once, into a closure to call per record. */
export function compileExpr(expr: Expr): Compiled {
  switch (expr[0]) {
    case 'arg':
      return expr[1] === 0 ? (a) => a : (_a, b) => b;
    case 'lit': {
      const value = expr[1];
      return () => value;
    }
    case 'get':
      return getter(compileExpr(expr[1]), expr[2]);
    case 'not': {
      const term = compileExpr(expr[1]);
      return (a, b) => !term(a, b);
    }
    case 'and':
    case 'or':
      return logical(expr[0], expr.slice(1) as Expr[]);
    case 'tuple': {
      const parts = (expr.slice(1) as Expr[]).map(compileExpr);
      return (a, b) => parts.map((part) => part(a, b));
    }
    case 'matches': {
      const [, of, source, flags] = expr;
      const pattern = new RegExp(source, flags.replace(/[gy]/g, ''));
      const value = compileExpr(of);
      return (a, b) => pattern.test(asText(value(a, b)));
    }
    case 'split': {
      const value = compileExpr(expr[1]);
      const separator = expr[2];
      return (a, b) => asText(value(a, b)).split(separator);
    }
    case 'length': {
      const value = compileExpr(expr[1]);
      return (a, b) => (value(a, b) as { length?: number } | null)?.length ?? 0;
    }
    default:
      return binary(expr[0], compileExpr(expr[1]), compileExpr(expr[2]));
  }
}

/** The field path an expression reads from the record, when it is exactly a field: else null. */
export function fieldPathOf(expr: Expr): readonly string[] | null {
  return expr[0] === 'get' && expr[1][0] === 'arg' && expr[1][1] === 0 ? expr[2] : null;
}

/** A value as text, for string tests: null is empty, anything not a string is JSON. */
function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  return value === null || value === undefined ? '' : JSON.stringify(value);
}

function getter(of: Compiled, path: readonly string[]): Compiled {
  if (path.length === 1) {
    const [name] = path as [string];
    return (a, b) => (of(a, b) as Record<string, unknown> | null)?.[name] ?? null;
  }
  return (a, b) => {
    let value = of(a, b);
    for (const name of path) value = (value as Record<string, unknown> | null)?.[name] ?? null;
    return value;
  };
}

function logical(kind: 'and' | 'or', terms: Expr[]): Compiled {
  const compiled = terms.map(compileExpr);
  return kind === 'and'
    ? (a, b) => compiled.every((term) => term(a, b))
    : (a, b) => compiled.some((term) => term(a, b));
}

type Binary = Comparison | StringTest | Arithmetic;

const binaries: Record<Binary, (x: never, y: never) => unknown> = {
  eq: (x, y) => x === y,
  ne: (x, y) => x !== y,
  lt: (x, y) => x < y,
  le: (x, y) => x <= y,
  gt: (x, y) => x > y,
  ge: (x, y) => x >= y,
  contains: (x: string | null, y: string) => x?.includes?.(y) ?? false,
  startsWith: (x: string | null, y: string) => x?.startsWith?.(y) ?? false,
  endsWith: (x: string | null, y: string) => x?.endsWith?.(y) ?? false,
  add: (x: number, y: number) => x + y,
  sub: (x: number, y: number) => x - y,
  min: (x, y) => (y < x ? y : x),
  max: (x, y) => (y > x ? y : x),
};

function binary(kind: Binary, left: Compiled, right: Compiled): Compiled {
  const apply = binaries[kind] as (x: unknown, y: unknown) => unknown;
  return (a, b) => apply(left(a, b), right(a, b));
}
