// The npm package's `tabstream/elements`: importing it defines <tabstream-counts>,
// <tabstream-monitor>, <tabstream-sql> (the monitor's SQL tab), and the analytics elements:
// <tabstream-heatmap>, <tabstream-paths>, <tabstream-funnel> and the panels' tabs that ask for
// them. Apart from the main entry, which imports without Lit. Built twice (see
// vite.config.ts): dist/elements.mjs for a page, or a worker, where its classes exist but there
// is no element registry to define them in; dist/elements.server.mjs for a server, where they are
// defined in the registry of Lit's DOM shim.
import {
  defineElements,
  type TabstreamCounts,
  type TabstreamFunnel,
  type TabstreamFunnelExplorer,
  type TabstreamHeatmap,
  type TabstreamHeatmapControls,
  type TabstreamMonitor,
  type TabstreamPaths,
  type TabstreamPathsExplorer,
  type TabstreamSql,
} from '../ui';

if (globalThis.customElements) defineElements();

export {
  defineElements,
  TabstreamCounts,
  TabstreamFunnel,
  TabstreamFunnelExplorer,
  TabstreamHeatmap,
  TabstreamHeatmapControls,
  TabstreamMonitor,
  TabstreamPaths,
  TabstreamPathsExplorer,
  TabstreamSql,
} from '../ui';
export type {
  CountsSource,
  FunnelSource,
  HeatLayer,
  HeatmapShowOptions,
  HeatmapSource,
  PathsSource,
  SqlResult,
  SqlSource,
  SqlStream,
} from '../ui';

declare global {
  interface HTMLElementTagNameMap {
    'tabstream-counts': TabstreamCounts;
    'tabstream-funnel': TabstreamFunnel;
    'tabstream-funnel-explorer': TabstreamFunnelExplorer;
    'tabstream-heatmap': TabstreamHeatmap;
    'tabstream-heatmap-controls': TabstreamHeatmapControls;
    'tabstream-monitor': TabstreamMonitor;
    'tabstream-paths': TabstreamPaths;
    'tabstream-paths-explorer': TabstreamPathsExplorer;
    'tabstream-sql': TabstreamSql;
  }
}
