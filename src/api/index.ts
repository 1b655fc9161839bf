// window.tabstream: the facade a page sees, its options and the queue of events that wait for
// the core.
export { readScriptConfig, readTrackerAttributes } from './config';
export type { TabstreamConfig } from './config';
export type { SinkConfig } from './sink-config';
export { createTabstream, startTabstream } from './tabstream';
export type { Core, CountsRow, InitOptions, Tabstream } from './tabstream';
export type {
  HeatLayer,
  HeatmapApi,
  HeatmapShowOptions,
  PageRankOptions,
  TabstreamAnalytics,
} from './analytics';
