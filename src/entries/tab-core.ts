// The half of a tab's `window.tabstream` that needs the rest of tabstream: it loads with the core
// (tabstream-core.js), so that the script tag's part carries none of it.
import type {
  CountsRow,
  InitOptions,
  PageRankOptions,
  Tabstream,
  TabstreamAnalytics,
} from '../api';
import type { FunnelOptions } from '../funnels';
import type { PathsOptions } from '../graph';
import { bandOf } from '../ml';
import { Pipeline } from '../pipeline';
import { reportOnce } from '../shared';
import type { Counts } from '../streaming';
import { DEFAULT_TRACKER_CONFIG, normaliseUrl, optedOut, privacySignal } from '../tracker';
import { defineElements, heatmapApi, showPanel } from '../ui';
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
 * `window.tabstream`'s analytics (`TabstreamAnalytics`) on `pipeline`, as property descriptors:
 * the core adds them when it loads.
 */
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
  /** The page's own heatmap in its viewport's band, unless asked for another. */
  const here = <O extends object>(asked: O) => ({
    page: normaliseUrl(location.href, { ...DEFAULT_TRACKER_CONFIG, ...options }),
    band: bandOf(innerWidth),
    ...asked,
  });
  const heatmap = heatmapApi(
    afterFlush((asked) => pipeline.heatmap(here(asked))),
    {
      live: afterFlush((asked, onUpdate) => pipeline.liveHeatmap(here(asked), onUpdate)),
      onPageView: (listener) => pipeline.onPageView(listener),
    },
  );
  const value = (value: unknown): PropertyDescriptor => ({ value, enumerable: true });
  return {
    heatmap: value(heatmap),
    paths: value(afterFlush((asked?: PathsOptions) => pipeline.paths(asked))),
    pageRank: value(afterFlush((asked?: PageRankOptions) => pipeline.pageRank(asked))),
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
