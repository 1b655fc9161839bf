import { fn, type Dataset, type EngineContext } from '../engine';
import { REFERENCE_WIDTHS } from './bands';
import { centerStats, packed } from './center-stats';
import { CLICK_COLUMNS, HEAT_TASK, type HeatClick, type Where } from './heat-tasks';
import { KMeans } from './kmeans';
import { mostClickedFirst } from './merge-spots';
import { TASK } from './tasks';
import { ifTopic } from './read-topic';
import { scrollDepth } from './scroll-depth';
import type { Band, HeatCluster, Heatmap, HeatmapOptions, HeatSpot } from './types';
import type { Vector } from './vectors';

export { bandOf } from './bands';

/** Clusters of k-means by default. */
export const DEFAULT_K = 8;
/** The seed of a heatmap's k-means: the same clicks, the same clusters on every redraw. */
const SEED = 20;

type Layers = Pick<Heatmap, 'clicks' | 'clusters' | 'spots' | 'rage' | 'dead'>;
const EMPTY: Layers = { clicks: 0, clusters: [], spots: [], rage: [], dead: [] };

/**
 * One page's heatmap in one viewport band, from the log: its clicks read in the executors
 * (only the columns it needs, filtered by page, band and time where they are read) and cached
 * there; clusters by k-means (k-means|| then Lloyd iterations over the cached points); spots
 * per element and position in it, with rage and dead clicks as layers of their own; and the
 * page's scroll depth. A topic that does not exist yet, or no clicks, make an empty heatmap.
 */
export async function heatmap(
  context: EngineContext,
  options: HeatmapOptions & { readonly page: string; readonly band: Band },
): Promise<Heatmap> {
  const { page, band } = options;
  const width = REFERENCE_WIDTHS[band];
  const where: Where = { page, band, since: options.since ?? null };
  const [layers, scroll] = await Promise.all([
    ifTopic(
      context,
      options.topic ?? 'clicks',
      CLICK_COLUMNS,
      where.since,
      (rows) => clickLayers(rows, { ...where, width }, options.k ?? DEFAULT_K),
      EMPTY,
      options.ranges,
    ),
    scrollDepth(
      context,
      where.since === null ? { page, band } : { page, band, since: where.since },
    ),
  ]);
  return { page, band, width, ...layers, scroll };
}

async function clickLayers(
  rows: Dataset<unknown[]>,
  params: Where & { readonly width: number },
  k: number,
): Promise<Layers> {
  // The page's clicks, read from the log once; k-means caches its own packed points of them.
  const clicks = rows.flatMap<HeatClick>(fn(HEAT_TASK.clicks, params)).cache();
  try {
    const points = clicks.map<Vector>(fn(HEAT_TASK.point));
    const distinct = new Set(
      await points.mapPartitions<string>(fn(HEAT_TASK.distinctUpTo, { n: k })).collect(),
    ).size;
    if (distinct === 0) return EMPTY;
    const model = await KMeans.train(points, { k: Math.min(k, distinct), seed: SEED });
    const [stats, spots] = await Promise.all([
      centerStats(packed(points), model.clusterCenters),
      spotLayers(clicks),
    ]);
    const clusters: HeatCluster[] = [...stats].map(([j, s]) => ({
      x: model.clusterCenters[j]![0]!,
      y: model.clusterCenters[j]![1]!,
      count: s.count,
      radius: Math.sqrt(s.cost / s.count),
    }));
    return {
      clicks: clusters.reduce((n, c) => n + c.count, 0),
      clusters: clusters.sort((a, b) => b.count - a.count),
      ...spots,
    };
  } finally {
    await clicks.unpersist();
  }
}

/** Spots, rage spots and dead spots, most clicked first: one job, counted map-side. */
export async function spotLayers(
  clicks: Dataset<HeatClick>,
): Promise<Pick<Layers, 'spots' | 'rage' | 'dead'>> {
  const counted = await clicks
    .mapPartitions<[string, number[]]>(fn(HEAT_TASK.spots))
    .reduceByKey<string, number[]>(fn(TASK.addVectors))
    .collect();
  const layers: Record<string, HeatSpot[]> = { spots: [], rage: [], dead: [] };
  for (const [key, [count, sumX, sumY]] of counted) {
    const [layer, selector, ex, ey] = JSON.parse(key) as [string, string, number, number];
    layers[layer]!.push({ selector, ex, ey, x: sumX! / count!, y: sumY! / count!, count: count! });
  }
  return {
    spots: layers.spots!.sort(mostClickedFirst),
    rage: layers.rage!.sort(mostClickedFirst),
    dead: layers.dead!.sort(mostClickedFirst),
  };
}
