// What the core adds to window.tabstream: heatmaps, paths, PageRank and funnels. Types only:
// the script tag's part carries none of their code (src/entries/tab-core.ts adds them).
import type { Funnel, FunnelOptions } from '../funnels';
import type { pageRanks, PageRankRow, Paths, PathsOptions } from '../graph';
import type { Heatmap, HeatmapOptions, LiveHeatmapOptions } from '../ml';

/** A layer of `<tabstream-heatmap>`. */
export type HeatLayer = 'scroll' | 'clusters' | 'clicks' | 'dead' | 'rage';

/** What a heatmap is asked for, and which layers the overlay shows. */
export interface HeatmapShowOptions
  extends HeatmapOptions, Pick<LiveHeatmapOptions, 'decayFactor' | 'halfLife'> {
  /** The layers the overlay shows; default all but `clusters`. */
  readonly layers?: readonly HeatLayer[];
  /**
   * Keeps it live while shown (MLlib's StreamingKMeans over the clicks from now on, a batch
   * every batch interval, decayed by `decayFactor` per batch, default 0.9, or by `halfLife`
   * batches); default false.
   */
  readonly live?: boolean;
}

/** `tabstream.heatmap`: a function with `hide`. */
export interface HeatmapApi {
  /**
   * Computes this page's heatmap in this viewport's band (unless `options` say otherwise) and
   * shows it over the page, resolving with it; called again with no options while shown, it
   * takes it off instead and resolves with the one it took off. Shown, it follows the tab's
   * in-app navigations: on a page view of another page it is computed again for that page.
   */
  (options?: HeatmapShowOptions): Promise<Heatmap>;
  /** Takes the heatmap off the page, live or not (nothing if it is not shown). */
  hide(): Promise<void>;
}

/** What `tabstream.pageRank` is asked for. */
export type PageRankOptions = Parameters<typeof pageRanks>[1];

/**
 * The analytics of `window.tabstream`, computed on the tab's engine, each over every event
 * captured so far. The core adds them when it loads: after `ready`.
 */
export interface TabstreamAnalytics {
  /** This page's heatmap (MLlib's k-means), shown over the page; `heatmap.hide()` takes it off. */
  readonly heatmap: HeatmapApi;
  /** The paths from `start`, or into `end` (GraphX), cleaned by `clean`'s rules; no step cap. */
  paths(options?: PathsOptions): Promise<Paths>;
  /** Every page's PageRank in the page-transition graph, highest first. */
  pageRank(options?: PageRankOptions): Promise<PageRankRow[]>;
  /** Each step's conversion and drop-off: `funnel({ steps: [{ match: { page: '/' } }, …] })`. */
  funnel(options: FunnelOptions): Promise<Funnel>;
}
