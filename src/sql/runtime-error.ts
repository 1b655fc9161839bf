/** A row: its values in the analyzer's slot order. */
export type Row = unknown[];

/** A compiled expression: one closure per node, made once, called per row. */
export type Compiled = (row: Row) => unknown;

/**
 * A value that Spark (ANSI mode) refuses at run time, with Spark's error class first in the
 * message, e.g. `[DIVIDE_BY_ZERO] Division by zero.`
 */
export class SqlRuntimeError extends Error {
  override name = 'SqlRuntimeError';
}
