import { fn, type EngineContext } from '../engine';
import { HEAT_TASK, SCROLL_COLUMNS, type Where } from './heat-tasks';
import { ifTopic } from './read-topic';
import type { Band, ScrollDepth } from './types';

export interface ScrollDepthOptions {
  readonly page: string;
  /** Only page views in this viewport band; default: all. */
  readonly band?: Band;
  /** Only scroll records at or after this time (ms since the epoch). */
  readonly since?: number;
  /** The topic of scroll records; default `scrolls`. */
  readonly topic?: string;
}

/**
 * How far down a page its page views scrolled, from topic `scrolls`: a page view's depth is the
 * greatest of its records' (the tracker writes one whenever it grew), then the share of page
 * views that reached each tenth and the mean. Two jobs' worth of stages: max by page view
 * (a shuffle), then a summary per partition. Null if no page view of the page has a record.
 */
export async function scrollDepth(
  context: EngineContext,
  options: ScrollDepthOptions,
): Promise<ScrollDepth | null> {
  const where: Where = {
    page: options.page,
    band: options.band ?? null,
    since: options.since ?? null,
  };
  const parts = await ifTopic(
    context,
    options.topic ?? 'scrolls',
    SCROLL_COLUMNS,
    where.since,
    (rows) =>
      rows
        .flatMap<[unknown, number]>(fn(HEAT_TASK.scrolls, where))
        .reduceByKey<unknown, number>(fn(HEAT_TASK.max))
        .mapPartitions<number[]>(fn(HEAT_TASK.depths))
        .collect(),
    [],
  );
  const total = parts.reduce(
    (sum, part) => sum.map((x, i) => x + part[i]!),
    new Array<number>(13).fill(0),
  );
  const views = total[0]!;
  if (views === 0) return null;
  return {
    views,
    reached: total.slice(2).map((n) => n / views),
    average: total[1]! / views,
  };
}
