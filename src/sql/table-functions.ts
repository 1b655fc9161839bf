import type { EngineContext } from '../engine';

/** A table function's argument as the function gets it: a constant, evaluated. */
export interface TableFunctionArg {
  /** The name of a named argument (`window => …`), lower case; null for a positional one. */
  readonly name: string | null;
  /** A string, a number, a boolean or null; an INTERVAL is its length in ms. */
  readonly value: unknown;
  /** The argument was an INTERVAL (`value` is ms). */
  readonly interval: boolean;
}

/**
 * A table-valued function, as `SELECT … FROM name(args)` calls it (Spark's `range(…)`): fixed
 * columns, its arguments checked when the query is analyzed, its rows computed before the query
 * runs, which then reads them as any table (WHERE, joins, ORDER BY).
 */
export interface TableFunction<Bound = unknown> {
  readonly columns: readonly string[];
  /**
   * Checks the arguments and makes what `run` takes.
   * - must throw TableFunctionError for arguments it does not take, naming the argument.
   */
  bind(args: readonly TableFunctionArg[]): Bound;
  /** The rows, arrays in `columns` order. */
  run(context: EngineContext, bound: Bound): Promise<unknown[][]>;
}

/** Arguments a table function does not take; `argument`: the index of the one at fault. */
export class TableFunctionError extends Error {
  override name = 'TableFunctionError';
  constructor(
    message: string,
    readonly argument: number | null = null,
  ) {
    super(message);
  }
}

const functions = new Map<string, TableFunction>();

/**
 * Registers a table function under a name (case-insensitive), for SQL's FROM clause.
 * - must throw if the name is taken by another function.
 */
export function defineTableFunction<Bound>(name: string, definition: TableFunction<Bound>): void {
  const key = name.toLowerCase();
  const known = functions.get(key);
  if (known && known !== definition)
    throw new Error(`tabstream: a table function named "${name}" is already defined`);
  functions.set(key, definition);
}

/** The table function of a name, if one is defined. */
export function tableFunction(name: string): TableFunction | undefined {
  return functions.get(name.toLowerCase());
}

/** The names of the table functions defined so far. */
export function tableFunctionNames(): string[] {
  return [...functions.keys()];
}
