import { CONDITIONAL_FUNCTIONS } from './conditional-functions';
import type { ScalarFunction } from './function-kit';
import { MATH_FUNCTIONS } from './math-functions';
import { STRING_FUNCTIONS } from './string-functions';
import { TIME_FUNCTIONS } from './time-functions';

export type { FunctionInfo } from './function-kit';

/**
 * Every scalar SQL function compileScalar knows, by lower-case name, with its arity (for the
 * analyzer to check names and calls) and its compiler.
 */
export const FUNCTIONS: ReadonlyMap<string, ScalarFunction> = new Map([
  ...STRING_FUNCTIONS,
  ...MATH_FUNCTIONS,
  ...TIME_FUNCTIONS,
  ...CONDITIONAL_FUNCTIONS,
]);
