import { fn, type EngineContext } from '../engine';
import type { StepCount, StepKey } from './path-steps';
import { TASK } from './tasks';
import { sessionPaths, transitionGraph } from './transitions';
import type { PageRankRow, PathLink, PathNode, Paths, PathsOptions, VertexId } from './types';

/**
 * The sessions' paths as a Sankey's data (see `pathSteps` for where a path starts and ends):
 * every step, no cap; each node with the sessions there and those whose path ended there;
 * each link with the sessions that took it. Counted in the executors; only the counts are
 * collected.
 * - must leave out links fewer than `minCount` sessions took, and the nodes reached only by
 *   links left out (step 0's nodes stay);
 * - must answer with no sessions for an absent topic.
 */
export async function paths(context: EngineContext, options: PathsOptions): Promise<Paths> {
  const start = options.start ?? null;
  const end = options.end ?? null;
  const sessions = await sessionPaths(context, options);
  const counts = sessions
    ? await sessions
        .flatMap<StepCount>(fn(TASK.pathSteps, { start, end }))
        .reduceByKey<StepKey, [number, number]>(fn(TASK.sumPair))
        .collect()
    : [];
  return sankey(start, end, counts, options.minCount ?? 1);
}

function sankey(
  start: string | null,
  end: string | null,
  counts: readonly StepCount[],
  minCount: number,
): Paths {
  let total = 0;
  const nodes: PathNode[] = [];
  const links: PathLink[] = [];
  for (const [key, [count, dropOff]] of counts) {
    if (key[0] === 's') total = count;
    else if (key[0] === 'n') nodes.push({ step: key[1], page: key[2], count, dropOff });
    else if (count >= minCount) links.push({ step: key[1], source: key[2], target: key[3], count });
  }
  const byCount = (a: { count: number }, b: { count: number }) => b.count - a.count;
  links.sort(
    (a, b) =>
      a.step - b.step || byCount(a, b) || order(a.source, b.source) || order(a.target, b.target),
  );
  const reached = new Set<string>();
  for (const node of nodes) if (node.step === 0) reached.add(at(0, node.page));
  const kept = links.filter((link) => {
    if (!reached.has(at(link.step, link.source))) return false;
    reached.add(at(link.step + 1, link.target));
    return true;
  });
  return {
    start,
    end,
    sessions: total,
    nodes: nodes
      .filter((node) => reached.has(at(node.step, node.page)))
      .sort((a, b) => a.step - b.step || byCount(a, b) || order(a.page, b.page)),
    links: kept,
  };
}

const at = (step: number, page: VertexId): string => `${step} ${page}`;
const order = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Every page's PageRank in the transition graph, highest first. */
export async function pageRanks(
  context: EngineContext,
  options: Omit<PathsOptions, 'start' | 'end' | 'minCount'> & { readonly tol?: number },
): Promise<PageRankRow[]> {
  const graph = await transitionGraph(context, options);
  const ranked = await graph.pageRank(options.tol ?? DEFAULT_TOL);
  try {
    const degrees = graph.edges
      .flatMap<[VertexId, [number, number]]>(fn(TASK.edgeDegrees, { weighted: true }))
      .reduceByKey<VertexId, [number, number]>(fn(TASK.sumPair));
    const total = await ranked.numVertices();
    const rows = await ranked.vertices
      .leftOuterJoin(degrees)
      .map<PageRankRow>(fn(TASK.rankRow, { total }))
      .collect();
    return rows.sort((a, b) => b.rank - a.rank || order(a.page, b.page));
  } finally {
    await Promise.all([ranked.unpersist(), graph.unpersist()]);
  }
}

/** GraphX's examples' tolerance: ranks (summing to the number of pages) within 1e-4. */
const DEFAULT_TOL = 1e-4;
