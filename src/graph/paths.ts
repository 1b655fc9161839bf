import type { EngineContext } from '../engine';
import type { PageRankRow, Paths, PathsOptions } from './types';

// CONTRACT STUB (issue 20): replaced by the graph engineer.
export function paths(context: EngineContext, options: PathsOptions): Promise<Paths> {
  throw new Error(`not yet: paths ${context.log} ${JSON.stringify(options)}`);
}

/** Every page's PageRank in the transition graph, highest first. */
export function pageRanks(
  context: EngineContext,
  options: Omit<PathsOptions, 'start' | 'end' | 'minCount'> & { readonly tol?: number },
): Promise<PageRankRow[]> {
  throw new Error(`not yet: pageRanks ${context.log} ${JSON.stringify(options)}`);
}
