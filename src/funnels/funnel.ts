import { fn, op, type Dataset, type EngineContext } from '../engine';
import { listTopics, openLog } from '../log';
import type { Occurrence } from './attempt';
import { figuresOf } from './figures';
import { planFunnel, type FunnelPlan } from './steps';
import { FUNNEL_TASK, type MatchParams, type ReachParams } from './tasks';
import type { Funnel, FunnelOptions } from './types';

/** The topics a funnel reads, and the field that names what a step matches in each. */
const SOURCES = [
  { topic: 'pageviews', kind: 'page', field: 'page' },
  { topic: 'events', kind: 'event', field: 'name' },
] as const;

/**
 * A funnel over the log's page views and custom events, computed in the executors: each topic's
 * rows (three columns read) matched to steps, keyed by session (or tab), grouped, each group's
 * best attempt found, and the steps reached counted with a map-side combine; only the counts
 * come back.
 * - must throw (before any job) for bad options, naming the step (see `planFunnel`);
 * - must count a topic that does not exist as empty, and read only the topics its steps need.
 */
export async function funnel(context: EngineContext, options: FunnelOptions): Promise<Funnel> {
  const plan = planFunnel(options);
  const occurrences = await occurrencesOf(context, plan);
  const reach: ReachParams = { optional: plan.optional, window: plan.window };
  const counted = occurrences
    ? await occurrences
        .groupByKey()
        .flatMap<[number, number]>(fn(FUNNEL_TASK.reach, reach))
        .reduceByKey(op.sum)
        .setName('funnel steps')
        .collect()
    : [];
  const counts = plan.steps.map(() => 0);
  for (const [step, count] of counted) counts[step] = count;
  return figuresOf(counts, plan.names, plan.optional);
}

/** `[key, occurrence]` of every row that matches a step, of the topics that exist; null if none. */
async function occurrencesOf(
  context: EngineContext,
  plan: FunnelPlan,
): Promise<Dataset<[unknown, Occurrence]> | null> {
  const existing = await topicsOf(context.log);
  const datasets = SOURCES.filter(({ kind, topic }) => {
    const needed = plan.steps.some((step) => (kind === 'page' ? step.pages : step.events).length);
    return needed && existing.has(topic);
  }).map(({ topic, kind, field }) => {
    const params: MatchParams = { kind, steps: plan.steps, since: plan.since };
    return context
      .logRows(topic, { names: [field, 'ts', plan.key], minTimestamp: plan.since })
      .flatMap<[unknown, Occurrence]>(fn(FUNNEL_TASK.match, params))
      .setName(`funnel ${topic}`);
  });
  const [first, ...rest] = datasets;
  return first ? first.union(...rest) : null;
}

async function topicsOf(log: string): Promise<Set<string>> {
  const db = await openLog(log);
  try {
    return new Set((await listTopics(db)).map((topic) => topic.name));
  } finally {
    db.close();
  }
}
