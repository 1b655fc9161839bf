import type { Quantiles } from './snapshot';

/**
 * Min, 25th percentile, median, 75th percentile and max of `values`, each an actual value
 * (nearest rank, as Spark's `Distribution.getQuantiles`); null for no values.
 */
export function quantiles(values: readonly number[]): Quantiles | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number): number =>
    sorted[Math.min(Math.floor(p * sorted.length), sorted.length - 1)]!;
  return { min: sorted[0]!, p25: at(0.25), median: at(0.5), p75: at(0.75), max: at(1) };
}
