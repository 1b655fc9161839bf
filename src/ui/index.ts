import { TabstreamCounts } from './counts';
import { TabstreamFunnel, TabstreamFunnelExplorer } from './funnel';
import { TabstreamHeatmap, TabstreamHeatmapControls } from './heatmap';
import { TabstreamMonitor } from './monitor';
import { TabstreamPaths, TabstreamPathsExplorer } from './paths';
import { TabstreamSql } from './sql';

export { TabstreamCounts } from './counts';
export type { CountsSource } from './counts';
export { TabstreamFunnel, TabstreamFunnelExplorer } from './funnel';
export type { FunnelSource } from './funnel';
export {
  heatmapApi,
  hideHeatmap,
  showHeatmap,
  shownHeatmap,
  TabstreamHeatmap,
  TabstreamHeatmapControls,
} from './heatmap';
export type { HeatLayer, HeatmapApi, HeatmapShowOptions, HeatmapSource } from './heatmap';
export { TabstreamMonitor } from './monitor';
export { showMonitor, showPanel } from './panel';
export { TabstreamPaths, TabstreamPathsExplorer } from './paths';
export type { PathsSource } from './paths';
export { TabstreamSql } from './sql';
export type { SqlResult, SqlSource, SqlStream } from './sql';

/** Every element of tabstream, by its tag name. */
const ELEMENTS: Readonly<Record<string, CustomElementConstructor>> = {
  'tabstream-counts': TabstreamCounts,
  'tabstream-monitor': TabstreamMonitor,
  'tabstream-sql': TabstreamSql,
  'tabstream-heatmap': TabstreamHeatmap,
  'tabstream-heatmap-controls': TabstreamHeatmapControls,
  'tabstream-paths': TabstreamPaths,
  'tabstream-paths-explorer': TabstreamPathsExplorer,
  'tabstream-funnel': TabstreamFunnel,
  'tabstream-funnel-explorer': TabstreamFunnelExplorer,
};

/**
 * Defines tabstream's elements, once each: `<tabstream-counts>`, `<tabstream-monitor>`, the
 * `<tabstream-sql>` of its SQL tab, and the analytics: `<tabstream-heatmap>`,
 * `<tabstream-paths>`, `<tabstream-funnel>` and the panels' tabs that ask for them.
 */
export function defineElements(): void {
  for (const [name, element] of Object.entries(ELEMENTS))
    if (!customElements.get(name)) customElements.define(name, element);
}
