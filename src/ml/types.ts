import type { OffsetRange } from '../log';

/** A viewport width band: heatmaps are kept apart by it, as layouts differ between them. */
export type Band = 'mobile' | 'tablet' | 'desktop';

/** What a heatmap is asked for. */
export interface HeatmapOptions {
  /** The page (as the tracker normalised it); default: the page the heatmap is shown on. */
  readonly page?: string;
  /** The band; default: the band of the viewport it is shown in. */
  readonly band?: Band;
  /** Clusters of k-means; default 8 (fewer when there are fewer distinct points). */
  readonly k?: number;
  /** Only clicks at or after this time (ms since the epoch). */
  readonly since?: number;
  /** The topic of clicks; default `clicks`. */
  readonly topic?: string;
  /** The clicks' offset ranges (`context.offsetRanges(topic)`); default the whole log now. */
  readonly ranges?: readonly OffsetRange[];
}

/** A cluster of clicks (k-means): its centre and spread, in px at the band's reference width. */
export interface HeatCluster {
  readonly x: number;
  readonly y: number;
  readonly count: number;
  /** The root mean square distance of its clicks from the centre, px. */
  readonly radius: number;
}

/**
 * Clicks on one element at one place inside it: `selector` and the position inside its box
 * (`ex`, `ey`, fractions 0..1, bucketed) so a page whose layout reflowed still lines them up;
 * `x`, `y` where they were on the page (px at the band's reference width, mean), for when the
 * element cannot be found.
 */
export interface HeatSpot {
  readonly selector: string;
  readonly ex: number;
  readonly ey: number;
  readonly x: number;
  readonly y: number;
  readonly count: number;
}

/** How far down a page its page views scrolled. */
export interface ScrollDepth {
  /** Page views with a scroll record. */
  readonly views: number;
  /** `reached[i]`: the fraction of them that saw at least i*10% of the page (i = 0..10). */
  readonly reached: readonly number[];
  /** Mean deepest depth, 0..1. */
  readonly average: number;
}

/** One page's heatmap in one band: every layer an overlay draws. */
export interface Heatmap {
  readonly page: string;
  readonly band: Band;
  /** The band's reference width, px: what `x` of clusters and spots is scaled to. */
  readonly width: number;
  /** Clicks counted. */
  readonly clicks: number;
  readonly clusters: readonly HeatCluster[];
  readonly spots: readonly HeatSpot[];
  /** Rage clicks and dead clicks, as spots of their own. */
  readonly rage: readonly HeatSpot[];
  readonly dead: readonly HeatSpot[];
  readonly scroll: ScrollDepth | null;
}
