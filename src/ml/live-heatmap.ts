import { fn, type Dataset, type EngineContext } from '../engine';
import { UnknownTopicOrPartitionError, type OffsetRange } from '../log';
import { randomId } from '../shared';
import { StreamingContext } from '../streaming';
import { HEAT_TASK, type HeatClick, type Where } from './heat-tasks';
import { DEFAULT_K, heatmap, spotLayers } from './heatmap';
import { LIVE_TASK } from './live-tasks';
import { mergeSpots } from './merge-spots';
import { StreamingKMeans, type StreamingKMeansModel } from './streaming-kmeans';
import type { Band, HeatCluster, Heatmap, HeatmapOptions } from './types';
import type { Vector } from './vectors';

/** The decay factor per batch when none is given: a click's weight halves in about 6.6 batches. */
export const DEFAULT_DECAY_FACTOR = 0.9;

/** How a heatmap is kept live. */
export interface LiveHeatmapOptions {
  /** MLlib's decay factor per batch (1 keeps every click's weight, 0 forgets the past); default 0.9. */
  readonly decayFactor?: number;
  /** The batches after which a click weighs half (instead of `decayFactor`). */
  readonly halfLife?: number;
  /** How often a batch runs, ms; default 1000. */
  readonly batchIntervalMs?: number;
  /**
   * Spark's ManualClock, for tests (as StreamingContext's): batches run only when `runBatch()`
   * is called. Default: the real clock and a timer.
   */
  readonly clock?: { now(): number };
}

/** A heatmap kept live. */
export interface LiveHeatmap {
  /** The heatmap as of the last batch (the batch heatmap before the first). */
  readonly latest: Heatmap;
  /** Runs one batch now (after any under way); false if there were no new records. */
  runBatch(): Promise<boolean>;
  /** Stops the stream and drops what it holds (its checkpoint); resolves once stopped. */
  stop(): Promise<void>;
}

/**
 * One page's heatmap in one band (`heatmap`), then kept live (MLlib's StreamingKMeans on a
 * StreamingContext of the engine): every batch reads the clicks topic's new records in the
 * executors, keeps the page's clicks in the band (the batch heatmap's filter), updates the
 * model (initialised from the batch heatmap's centres, weighted by their clusters' counts) with
 * them, and counts their spots; `onUpdate` gets the heatmap first as computed, then after each
 * batch. Clusters are the model's centres, their counts its (decayed) weights, their radius the
 * batch heatmap's. A page with no clicks yet gets centres from the first batch that has some.
 * - must count every click once: the batch heatmap reads the clicks' offset ranges as they
 *   are at the start, and the stream starts where they end;
 * - must keep no trace once stopped: no consumer group, its checkpoint deleted;
 * - a batch decays the model even with no click of the page (MLlib's rule, per batch).
 */
export async function liveHeatmap(
  context: EngineContext,
  options: HeatmapOptions & LiveHeatmapOptions & { readonly page: string; readonly band: Band },
  onUpdate: (heatmap: Heatmap, model: StreamingKMeansModel | null) => void,
): Promise<LiveHeatmap> {
  const topic = options.topic ?? 'clicks';
  const ranges = await offsetRanges(context, topic);
  const startingOffsets = ranges ? ranges.map((range) => range.untilOffset) : 'latest';
  let latest = await heatmap(context, ranges ? { ...options, ranges } : options);
  const radii = latest.clusters.map((c) => c.radius);
  let kmeans =
    latest.clusters.length > 0
      ? streamingKMeans(options, latest.clusters.length).setInitialCenters(
          latest.clusters.map((c) => [c.x, c.y]),
          latest.clusters.map((c) => c.count),
        )
      : null;
  onUpdate(latest, kmeans?.latestModel() ?? null);

  /** One batch's clicks: the model updated with them, and their count and spots. */
  const update = async (batch: Dataset<HeatClick>): Promise<void> => {
    const clicks = batch.cache();
    try {
      const points = clicks.map<Vector>(fn(HEAT_TASK.point));
      kmeans ??= await seeded(points, options);
      if (!kmeans) return;
      const [model, count, spots] = await Promise.all([
        kmeans.update(points),
        clicks.count(),
        spotLayers(clicks),
      ]);
      latest = {
        ...latest,
        clicks: latest.clicks + count,
        clusters: clustersOf(model, radii),
        spots: mergeSpots(latest.spots, spots.spots),
        rage: mergeSpots(latest.rage, spots.rage),
        dead: mergeSpots(latest.dead, spots.dead),
      };
      onUpdate(latest, model);
    } finally {
      await clicks.unpersist();
    }
  };

  const checkpointId = `heatmap-live-${randomId()}`;
  const ssc = new StreamingContext(context, {
    batchIntervalMs: options.batchIntervalMs ?? 1000,
    checkpointId,
    ...(options.clock && { clock: options.clock }),
  });
  const where: Where & { readonly width: number } = {
    page: latest.page,
    band: latest.band,
    since: options.since ?? null,
    width: latest.width,
  };
  ssc
    .fromLog(topic, { startingOffsets })
    .map<unknown[]>(fn(LIVE_TASK.row))
    .flatMap<HeatClick>(fn(HEAT_TASK.clicks, where))
    .foreachBatch(update);
  await ssc.start();

  let stopped: Promise<void> | null = null;
  return {
    get latest() {
      return latest;
    },
    runBatch: async () => (await ssc.runBatch()) !== null,
    stop: () =>
      (stopped ??= ssc.stop().then(() => StreamingContext.deleteCheckpoint(context, checkpointId))),
  };
}

/** A StreamingKMeans of `k` centres decaying as `options` say. */
function streamingKMeans(options: LiveHeatmapOptions, k: number): StreamingKMeans {
  const kmeans = new StreamingKMeans({
    k,
    decayFactor: options.decayFactor ?? DEFAULT_DECAY_FACTOR,
  });
  return options.halfLife === undefined ? kmeans : kmeans.setHalfLife(options.halfLife, 'batches');
}

/**
 * A StreamingKMeans whose initial centres are up to k distinct points of the batch, of weight 0
 * (its first update moves each to the mean of its points); null if the batch has none.
 */
async function seeded(
  points: Dataset<Vector>,
  options: HeatmapOptions & LiveHeatmapOptions,
): Promise<StreamingKMeans | null> {
  const k = options.k ?? DEFAULT_K;
  const distinct = new Set(
    await points.mapPartitions<string>(fn(HEAT_TASK.distinctUpTo, { n: k })).collect(),
  );
  const centers = [...distinct].slice(0, k).map((p) => JSON.parse(p) as Vector);
  if (centers.length === 0) return null;
  return streamingKMeans(options, centers.length).setInitialCenters(
    centers,
    new Array<number>(centers.length).fill(0),
  );
}

/** The model's clusters, heaviest first: counts are its weights, rounded; radii as they were. */
function clustersOf(model: StreamingKMeansModel, radii: readonly number[]): HeatCluster[] {
  return model.clusterCenters
    .map((center, j) => ({
      x: center[0]!,
      y: center[1]!,
      count: Math.round(model.clusterWeights[j]!),
      radius: radii[j] ?? 0,
    }))
    .sort((a, b) => b.count - a.count);
}

/** The topic's offset ranges now; null for a topic the log does not have yet. */
async function offsetRanges(
  context: EngineContext,
  topic: string,
): Promise<readonly OffsetRange[] | null> {
  try {
    return await context.offsetRanges(topic);
  } catch (error) {
    if (error instanceof UnknownTopicOrPartitionError) return null;
    throw error;
  }
}
