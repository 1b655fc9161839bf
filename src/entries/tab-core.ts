// The half of a tab's `window.tabstream` that needs the rest of tabstream: it loads with the core
// (tabstream-core.js), so that the script tag's part carries none of it.
import type { CountsRow, InitOptions, Tabstream } from '../api';
import type { Funnel, FunnelOptions } from '../funnels';
import type { PageRankRow, Paths } from '../graph';
import { bandOf } from '../ml';
import { Pipeline } from '../pipeline';
import { reportOnce } from '../shared';
import type { Counts } from '../streaming';
import { DEFAULT_TRACKER_CONFIG, normaliseUrl, optedOut, privacySignal } from '../tracker';
import { defineElements, heatmapApi, showPanel, type HeatmapApi } from '../ui';
import { createExecutorWorker } from '../../workers';

/**
 * Starts the tab's pipeline with `options` (their defaults for those not given), hands it to
 * `started` (which gives it the events captured so far), then defines the elements and shows
 * the script tag's panel.
 * - must not fail for the elements: the pipeline has the events already, and counting goes on
 *   without them.
 */
export function startPipeline(
  options: InitOptions,
  tab: Tabstream,
  started: (pipeline: Pipeline) => void,
): Pipeline {
  const pipeline = new Pipeline({
    log: options.log ?? 'tabstream',
    partitions: options.partitions ?? 4,
    batchIntervalMs: options.batchIntervalMs ?? 1000,
    workers: options.workers ?? globalThis.navigator?.hardwareConcurrency ?? 1,
    createWorker: options.createWorker === undefined ? createExecutorWorker : options.createWorker,
    flushTimeoutMs: options.flushTimeoutMs ?? 30000,
    compaction: options.compaction ?? true,
    sink: options.sink && { ...options.sink, allowed: () => shipAllowed(options) },
  });
  started(pipeline);
  Object.defineProperties(tab, analytics(pipeline, options, tab));
  try {
    defineElements();
    if (options.panel) showPanel(tab);
  } catch (error) {
    reportOnce('its elements could not be shown', error);
  }
  return pipeline;
}

/**
 * What the core adds to `window.tabstream` (after `ready`): heatmaps, paths, PageRank and
 * funnels of the log, computed on this tab's engine, each over every event captured so far.
 */
export interface TabstreamAnalytics {
  /**
   * Computes this page's heatmap in this viewport's band (MLlib's k-means; `options` may name
   * another page, band, k, since, and the `layers` shown) and shows it over the page, resolving
   * with it; called again with no options, it takes it off. `tabstream.heatmap.hide()` too.
   */
  readonly heatmap: HeatmapApi;
  /** The paths from `start`, or into `end` (GraphX), cleaned by `clean`'s rules; no step cap. */
  paths(options?: Parameters<Pipeline['paths']>[0]): Promise<Paths>;
  /** Every page's PageRank in the page-transition graph, highest first. */
  pageRank(options?: Parameters<Pipeline['pageRank']>[0]): Promise<PageRankRow[]>;
  /** Each step's conversion and drop-off: `funnel({ steps: [{ match: { page: '/' } }, …] })`. */
  funnel(options: FunnelOptions): Promise<Funnel>;
}

declare module '../api/tabstream' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- merges into window.tabstream's type
  interface Tabstream extends TabstreamAnalytics {}
}

/** `TabstreamAnalytics` on `pipeline`, as property descriptors for `window.tabstream`. */
function analytics(
  pipeline: Pipeline,
  options: InitOptions,
  tab: Tabstream,
): Record<keyof TabstreamAnalytics, PropertyDescriptor> {
  /** Runs `work` once every event captured so far is in the log. */
  const afterFlush =
    <A extends unknown[], R>(work: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      await tab.flush();
      return work(...args);
    };
  const heatmap = heatmapApi(
    afterFlush((asked) =>
      pipeline.heatmap({
        page: normaliseUrl(location.href, { ...DEFAULT_TRACKER_CONFIG, ...options }),
        band: bandOf(innerWidth),
        ...asked,
      }),
    ),
  );
  const value = (value: unknown): PropertyDescriptor => ({ value, enumerable: true });
  return {
    heatmap: value(heatmap),
    paths: value(afterFlush((asked?: Parameters<Pipeline['paths']>[0]) => pipeline.paths(asked))),
    pageRank: value(
      afterFlush((asked?: Parameters<Pipeline['pageRank']>[0]) => pipeline.pageRank(asked)),
    ),
    funnel: value(afterFlush((asked: FunnelOptions) => pipeline.funnel(asked))),
  };
}

/** Whether the sink may ship now: not for a visitor who opted out, or sends a signal the site honours. */
function shipAllowed({ respectDnt = false, respectGpc = false }: InitOptions): boolean {
  return !optedOut() && privacySignal({ respectDnt, respectGpc }) === null;
}

/** `counts` as the rows of `tabstream.table()`, most clicked first, printed with `console.table`. */
export function countsTable(counts: Counts): CountsRow[] {
  const rows = Object.entries(counts)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
    .map(([url, clicks]) => ({ url, clicks }));
  console.table(rows);
  return rows;
}
