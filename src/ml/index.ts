export { bandOf, heatmap } from './heatmap';
export type { Band, HeatCluster, Heatmap, HeatmapOptions, HeatSpot, ScrollDepth } from './types';
