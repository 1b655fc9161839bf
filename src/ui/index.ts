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

/**
 * Defines tabstream's elements, once each: `<tabstream-counts>`, `<tabstream-monitor>`, the
 * `<tabstream-sql>` of its SQL tab, and the analytics: `<tabstream-heatmap>`,
 * `<tabstream-paths>`, `<tabstream-funnel>` and the panels' tabs that ask for them. Each
 * `define` is written out: the Custom Elements Manifest finds tags by these calls.
 */
export function defineElements(): void {
  const registry = customElements;
  if (!registry.get('tabstream-counts')) customElements.define('tabstream-counts', TabstreamCounts);
  if (!registry.get('tabstream-monitor'))
    customElements.define('tabstream-monitor', TabstreamMonitor);
  if (!registry.get('tabstream-sql')) customElements.define('tabstream-sql', TabstreamSql);
  if (!registry.get('tabstream-heatmap'))
    customElements.define('tabstream-heatmap', TabstreamHeatmap);
  if (!registry.get('tabstream-heatmap-controls'))
    customElements.define('tabstream-heatmap-controls', TabstreamHeatmapControls);
  if (!registry.get('tabstream-paths')) customElements.define('tabstream-paths', TabstreamPaths);
  if (!registry.get('tabstream-paths-explorer'))
    customElements.define('tabstream-paths-explorer', TabstreamPathsExplorer);
  if (!registry.get('tabstream-funnel')) customElements.define('tabstream-funnel', TabstreamFunnel);
  if (!registry.get('tabstream-funnel-explorer'))
    customElements.define('tabstream-funnel-explorer', TabstreamFunnelExplorer);
}
