// Spark's SparkPi: π estimated by throwing darts at the unit square, on the executors.
import type { EngineContext } from '../engine';

/**
 * Spark's `bin/run-example SparkPi [slices]`: `slices` tasks of 100000 points each, made with
 * `parallelize`, `map` and `reduce`; prints `Pi is roughly …` and resolves with the estimate.
 * - must throw RangeError for `slices` that is not a whole number from 1 up.
 */
export async function sparkPi(context: EngineContext, slices: unknown = 2): Promise<number> {
  if (!Number.isInteger(slices) || (slices as number) < 1)
    throw new RangeError(`tabstream: SparkPi [slices]: a whole number ≥ 1, not ${String(slices)}`);
  const n = Math.min(100000 * (slices as number), 2 ** 31 - 1);
  const points = Array.from({ length: n - 1 }, (_, i) => i + 1); // Scala's `1 until n`
  // The functions cross to the executors as source text: nothing from this module's scope.
  const count = await context
    .parallelize(points, slices as number)
    .map((): number => {
      const x = Math.random() * 2 - 1;
      const y = Math.random() * 2 - 1;
      return x * x + y * y <= 1 ? 1 : 0;
    })
    .reduce((a: number, b: number) => a + b);
  const pi = (4 * count) / (n - 1);
  console.log(`Pi is roughly ${pi}`);
  return pi;
}
