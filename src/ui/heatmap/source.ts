import type { HeatmapApi, HeatmapShowOptions } from '../../api';
import type { Heatmap } from '../../ml';
import { pageTabstream } from '../shared';

export type { HeatmapApi, HeatmapShowOptions };

/**
 * What the panel's Heatmap tab asks: the page's `tabstream.heatmap`, or the DevTools panel's
 * stand-in for it (which asks the inspected page). Everything it answers must be JSON-safe.
 */
export interface HeatmapSource {
  /** Must compute the heatmap of `options`, show it over the page, and resolve with it. */
  show(options: HeatmapShowOptions): Promise<Heatmap>;
  /** Must take the heatmap off the page (nothing if it is not shown). */
  hide(): Promise<void>;
}

/** The page's `window.tabstream.heatmap` as a source, once it is there; undefined until then. */
export function pageHeatmapSource(): HeatmapSource | undefined {
  const api = pageTabstream<{ heatmap: HeatmapApi }>(
    (t) => typeof t.heatmap === 'function',
  )?.heatmap;
  if (!api || typeof api.hide !== 'function') return undefined;
  return {
    // With options it always shows (called bare, it would toggle).
    show: (options) => api(options),
    hide: () => api.hide(),
  };
}
