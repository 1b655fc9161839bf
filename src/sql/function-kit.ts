import type { Bound } from './bound';
import { toNumber, valueToString } from './cast';
import type { Compiled } from './runtime-error';

/** A function's arity, for the analyzer to check calls. */
export interface FunctionInfo {
  readonly min: number;
  readonly max: number;
}

/** A scalar function: its arity, and how to make its closure from its compiled arguments. */
export interface ScalarFunction extends FunctionInfo {
  /** `bound` are the arguments as resolved, to precompile literal patterns and formats. */
  compile(args: readonly Compiled[], bound: readonly Bound[]): Compiled;
}

/** The value of a literal argument; undefined when the argument is not a literal. */
export function literal(bound: Bound | undefined): unknown {
  return bound?.[0] === 'lit' ? bound[1] : undefined;
}

/** A string argument: other values are cast to string, as Spark's implicit cast. */
export const str = (v: unknown): string => (typeof v === 'string' ? v : valueToString(v));
export const num = toNumber;
export const int = (v: unknown): number => Math.trunc(toNumber(v));

/** A function of one argument, null in, null out. */
export function fn1(f: (a: unknown) => unknown): ScalarFunction {
  return {
    min: 1,
    max: 1,
    compile: ([a]) => {
      const ca = a!;
      return (row) => {
        const x = ca(row);
        return x == null ? null : f(x);
      };
    },
  };
}

/** A function of two arguments, null if either is null. */
export function fn2(f: (a: unknown, b: unknown) => unknown): ScalarFunction {
  return {
    min: 2,
    max: 2,
    compile: ([a, b]) => {
      const ca = a!;
      const cb = b!;
      return (row) => {
        const x = ca(row);
        if (x == null) return null;
        const y = cb(row);
        return y == null ? null : f(x, y);
      };
    },
  };
}

/**
 * A function of `min`..`max` arguments, null if any given one is null; missing optional
 * arguments are passed as undefined.
 */
export function fnN(
  min: number,
  max: number,
  f: (args: readonly unknown[]) => unknown,
): ScalarFunction {
  return {
    min,
    max,
    compile: (args) => {
      const values: unknown[] = new Array<unknown>(args.length);
      return (row) => {
        for (let i = 0; i < args.length; i++) {
          const v = args[i]!(row);
          if (v == null) return null;
          values[i] = v;
        }
        return f(values);
      };
    },
  };
}

/** A function of its own, with its own null handling and arity. */
export function custom(
  min: number,
  max: number,
  compile: ScalarFunction['compile'],
): ScalarFunction {
  return { min, max, compile };
}

/**
 * A function whose argument `at` is a pattern or a format compiled once: from the literal, or
 * again whenever a row's value differs from the last one.
 */
export function cached<P, T>(make: (text: string) => T): (text: P) => T {
  let last: unknown = undefined;
  let made: T | undefined;
  return (text) => {
    if (text !== last || made === undefined) {
      made = make(String(text));
      last = text;
    }
    return made;
  };
}
