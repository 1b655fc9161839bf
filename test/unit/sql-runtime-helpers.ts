import type { Bound } from '../../src/sql/bound';
import { compileScalar } from '../../src/sql/scalar';

/** Resolved-expression builders for the runtime's tests. */
export const lit = (v: unknown): Bound => ['lit', v];
export const col = (i: number): Bound => ['col', i];
export const call = (name: string, ...args: Bound[]): Bound => ['call', name, ...args];

/** `name(literal args…)` evaluated on an empty row. */
export function fn(name: string, ...args: unknown[]): unknown {
  return compileScalar(call(name, ...args.map(lit)))([]);
}

export function evaluate(expr: Bound, row: unknown[] = []): unknown {
  return compileScalar(expr)(row);
}

/** Local time (the functions use the local time zone) as ms. */
export const local = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number =>
  new Date(y, mo - 1, d, h, mi, s, ms).getTime();
