// Spark's example programs (`bin/run-example`), run on a tab's engine from the console.
import type { EngineContext } from '../engine';
import { sparkPi } from './spark-pi';
import { wordCount } from './word-count';

const EXAMPLES: Readonly<Record<string, (context: EngineContext, ...args: unknown[]) => unknown>> =
  { SparkPi: sparkPi, WordCount: wordCount };

/** The names `runExample` knows. */
export const EXAMPLE_NAMES: readonly string[] = Object.keys(EXAMPLES);

/**
 * Runs Spark's example `name` with `args` on `context`, as `bin/run-example name args…` does,
 * and resolves with its result.
 * - must reject naming the known examples for a name it does not know.
 */
export async function runExample(
  context: EngineContext,
  name: string,
  ...args: unknown[]
): Promise<unknown> {
  if (typeof name !== 'string' || !Object.hasOwn(EXAMPLES, name)) {
    throw new Error(
      `tabstream: no example ${JSON.stringify(name) ?? String(name)}: the examples are ${EXAMPLE_NAMES.join(', ')}`,
    );
  }
  return await EXAMPLES[name]!(context, ...args);
}
