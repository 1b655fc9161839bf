// CONTRACT STUB (issue 20): replaced by the graph engineer. Figure `pagerank` of suite `ml`.
import type { Figure, SuiteOptions } from './suites/figure';

export function pagerankFigures(
  emit: (figure: Figure) => void,
  options: SuiteOptions,
): Promise<void> {
  return Promise.resolve();
  void emit;
  void options;
}
