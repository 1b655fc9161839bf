// The floating panel's tabs: the counts, and the heatmap, paths and funnels of the log.
import type { FunnelSource } from '../funnel';
import type { HeatmapSource } from '../heatmap';
import type { PathsSource } from '../paths';

/** One of the floating panel's tabs. */
export type PanelView = 'counts' | 'heatmap' | 'paths' | 'funnels';

export const PANEL_VIEWS: Readonly<Record<PanelView, string>> = {
  counts: 'Counts',
  heatmap: 'Heatmap',
  paths: 'Paths',
  funnels: 'Funnels',
};

/** Where the analytics tabs ask; each defaults to the page's `window.tabstream`. */
export interface AnalyticsSources {
  readonly heatmap?: HeatmapSource;
  readonly paths?: PathsSource;
  readonly funnel?: FunnelSource;
}

/**
 * The element of `view`, made on first use with its source: the caller keeps it, so the
 * reader's choices in it stay while another tab shows.
 */
export function analyticsElement(
  view: Exclude<PanelView, 'counts'>,
  sources: AnalyticsSources,
): HTMLElement {
  if (view === 'heatmap') {
    const element = document.createElement('tabstream-heatmap-controls');
    element.source = sources.heatmap;
    return element;
  }
  if (view === 'paths') {
    const element = document.createElement('tabstream-paths-explorer');
    element.source = sources.paths;
    return element;
  }
  const element = document.createElement('tabstream-funnel-explorer');
  element.source = sources.funnel;
  return element;
}
