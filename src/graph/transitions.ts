import { fn, type Dataset, type EngineContext } from '../engine';
import { listTopics, openLog } from '../log';
import { cleaner } from './clean';
import { Graph } from './graph';
import { TASK } from './tasks';
import type { Edge, TransitionOptions, VertexId } from './types';

const PAGEVIEWS = 'pageviews';
/** The columns a page view's row is read with, in `sessionView`'s order. */
const COLUMNS = ['tabId', 'sessionId', 'ts', 'page', '_partition', '_offset'];

/**
 * Every session's path: its cleaned pages in time order, one per page view. A session is a
 * tab's (tabId, sessionId), its views grouped in the executors and sorted there by ts (then by offset). Null
 * for a topic the log does not have.
 * - must apply the cleaning rules in order, in the executors;
 * - must leave out views older than `since`.
 */
export async function sessionPaths(
  context: EngineContext,
  options: TransitionOptions,
): Promise<Dataset<VertexId[]> | null> {
  const topic = options.topic ?? PAGEVIEWS;
  if (!(await hasTopic(context, topic))) return null;
  const clean = options.clean ?? [];
  cleaner(clean); // a bad pattern throws here, named, rather than in every task
  const since = options.since ?? null;
  return context
    .logRows(topic, { names: COLUMNS, minTimestamp: since })
    .flatMap<[[unknown, unknown], [number, string]]>(fn(TASK.sessionView, { since }))
    .groupByKey<[unknown, unknown], [number, string]>()
    .map<VertexId[]>(fn(TASK.sessionPath, { clean }))
    .setName('session paths');
}

/**
 * The page-transition graph's edges: page → next page within a session, one edge per pair of
 * pages with attr the number of times a session went that way (GraphX's parallel edges,
 * collapsed into a count). Empty for an absent topic.
 */
export async function transitions(
  context: EngineContext,
  options: TransitionOptions = {},
): Promise<Dataset<Edge<number>>> {
  const paths = await sessionPaths(context, options);
  if (!paths) return context.parallelize<Edge<number>>([]);
  return edgesOf(paths);
}

function edgesOf(paths: Dataset<VertexId[]>): Dataset<Edge<number>> {
  return paths
    .flatMap<[[VertexId, VertexId], number]>(fn(TASK.pathTransitions))
    .reduceByKey<[VertexId, VertexId], number>(fn(TASK.sum))
    .map<Edge<number>>(fn(TASK.toEdge))
    .setName('transitions');
}

/**
 * The transition graph: vertices are the pages viewed (attr: their views, so a page seen only
 * in one-view sessions is a vertex with no edge), edges the transitions, weighted by count.
 * The sessions' paths stay cached until the graph's `unpersist()`.
 */
export async function transitionGraph(
  context: EngineContext,
  options: TransitionOptions = {},
): Promise<Graph<number, number>> {
  const paths = await sessionPaths(context, options);
  if (!paths) {
    const none = context.parallelize<[VertexId, number]>([]);
    return new Graph(none, context.parallelize<Edge<number>>([]), { weighted: true });
  }
  paths.cache(); // read twice: for the vertices and for the edges
  const vertices = paths
    .flatMap<[VertexId, number]>(fn(TASK.pageViews))
    .reduceByKey<VertexId, number>(fn(TASK.sum))
    .setName('pages');
  return new Graph(vertices, edgesOf(paths), { weighted: true, cached: [paths] });
}

async function hasTopic(context: EngineContext, topic: string): Promise<boolean> {
  const db = await openLog(context.log);
  try {
    return (await listTopics(db)).some((config) => config.name === topic);
  } finally {
    db.close();
  }
}
