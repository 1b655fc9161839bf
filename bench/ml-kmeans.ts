// Figure `kmeans-cached` of suite `ml`: MLlib's point made visible, iterations over a dataset
// cached in the executors' memory against the same iterations re-reading the log.
import type { Dataset, EngineContext } from '../src/engine';
import { KMeans, type Vector } from '../src/ml';
import { collectGarbage, median, rounds, type Figure, type SuiteOptions } from './suites/figure';

/** k-means' centres to start from: the same for both sides, so both run the same iterations. */
const INITIAL: Vector[] = [
  [100, 100],
  [600, 100],
  [1100, 100],
  [100, 700],
  [600, 700],
  [1100, 700],
  [350, 400],
  [850, 400],
];

export interface KMeansBench {
  readonly context: EngineContext;
  /** Clicks in topic `clicks` of the context's log. */
  readonly events: number;
  readonly iterations: number;
  readonly repetitions: number;
  readonly note: (text: string) => void;
}

/**
 * Times `iterations` Lloyd iterations of KMeans.train (from INITIAL, epsilon 0 so none stops
 * early) over the clicks' `[x, y]` read from the log (only those two columns, in the workers),
 * from the call to the model:
 * - cached: train's default, the points read from the log once, packed and cached in the
 *   executors by the first iteration (timed), every other iteration reading that memory;
 * - uncached (`persistInput: false`): every iteration reads the log again.
 * Both alternate, garbage collected before each; value: clicks/s per iteration (events ×
 * iterations / seconds), medians of the rounds.
 */
export async function kmeansFigures(
  emit: (figure: Figure) => void,
  options: SuiteOptions,
  bench: KMeansBench,
): Promise<void> {
  const { context, events, iterations } = bench;
  const { from, to } = rounds(options, bench.repetitions);
  const rates = { cached: [] as number[], uncached: [] as number[] };
  for (let r = from; r < to; r++) {
    const sides = r % 2 ? (['uncached', 'cached'] as const) : (['cached', 'uncached'] as const);
    for (const side of sides) {
      // Rows of the two columns are the points: no map between the log and k-means.
      const points = context.logRows('clicks', {
        names: ['x', 'y'],
        minTimestamp: null,
      }) as Dataset<Vector>;
      collectGarbage();
      const start = performance.now();
      const model = await KMeans.train(points, {
        k: INITIAL.length,
        initialModel: INITIAL,
        maxIterations: iterations,
        epsilon: 0,
        persistInput: side === 'cached',
      });
      const seconds = (performance.now() - start) / 1000;
      if (model.numIter !== iterations)
        throw new Error(`k-means converged after ${model.numIter} of ${iterations} iterations`);
      bench.note(`kmeans ${side}: ${iterations} iterations in ${seconds.toFixed(2)} s`);
      if (r < 0) continue;
      rates[side].push((events * iterations) / seconds);
    }
  }
  const [cached, uncached] = [median(rates.cached), median(rates.uncached)];
  emit({
    suite: 'ml',
    name: 'kmeans-cached',
    value: Math.round(cached),
    unit: 'events/s',
    baseline: 'uncached',
    baseline_value: Math.round(uncached),
    ratio: Math.round((cached / uncached) * 100) / 100,
  });
}
