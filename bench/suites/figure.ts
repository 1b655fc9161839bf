/** One measured figure, as `npm run bench` prints it: one JSON line. */
export interface Figure {
  readonly suite: string;
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** The figure this one is compared with, measured side by side in the same page run. */
  readonly baseline?: string;
  readonly baseline_value?: number;
  readonly ratio?: number;
}

/**
 * What `npm run bench` passes every suite's `run(emit, options)`. `short` (`--short`, as
 * `npm test` runs every suite): small sizes, one round, no warm-up: a check that the suite
 * still runs and prints its figures, not a measurement.
 */
export interface SuiteOptions {
  readonly short: boolean;
}

export const FULL_RUN: SuiteOptions = { short: false };

/**
 * The rounds of a suite's loop `for (let r = from; r < to; r++)`: a warm-up (`r` = -1, not
 * kept) and `repetitions`; in short mode one round and no warm-up.
 */
export function rounds(options: SuiteOptions, repetitions: number): { from: number; to: number } {
  return options.short ? { from: 0, to: 1 } : { from: -1, to: repetitions };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Synthetic click events: `distinctPages` page URLs with Zipf-like popularity, 1,000 sessions. */
export function syntheticClicks(n: number, distinctPages: number) {
  const pages = Array.from({ length: distinctPages }, (_, i) => `https://shop.example/p/${i}`);
  const weights = pages.map((_, i) => 1 / (i + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  let sum = 0;
  for (const weight of weights) cumulative.push((sum += weight / total));
  let seed = 42;
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  return Array.from({ length: n }, (_, i) => {
    const r = random();
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < r) lo = mid + 1;
      else hi = mid;
    }
    return {
      ts: 1_700_000_000_000 + i,
      page: pages[lo]!,
      target: i % 3 ? pages[(lo + 1) % distinctPages]! : null,
      selector: 'main > ul.products > li > a',
      x: i % 1280,
      y: i % 800,
      sessionId: `session-${i % 1000}`,
    };
  });
}

/** Collects garbage now, where the page allows it (`npm run bench` does), so a phase does not pay for the last one's. */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
