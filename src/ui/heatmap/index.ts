// <tabstream-heatmap> (the overlay), <tabstream-heatmap-controls> (the panels' Heatmap tab),
// and the page's overlay as `tabstream.heatmap()` shows it.
export { heatmapApi } from './api';
export { TabstreamHeatmapControls } from './controls';
export { TabstreamHeatmap } from './heatmap';
export { DEFAULT_LAYERS, HEAT_LAYERS, type HeatLayer } from './layers';
export { hideHeatmap, showHeatmap, shownHeatmap } from './overlay';
export { pageHeatmapSource } from './source';
export type { HeatmapApi, HeatmapShowOptions, HeatmapSource } from './source';
