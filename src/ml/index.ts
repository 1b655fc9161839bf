// MLlib on the clicks: k-means and StreamingKMeans on the engine's executors, and heatmaps.
// Importing this module registers the executors' named functions (`tabstream.ml.*`).
import './tasks';
import './heat-tasks';
import './live-tasks';

export { bandOf, REFERENCE_WIDTHS } from './bands';
export { heatmap } from './heatmap';
export { KMeans } from './kmeans';
export { DEFAULT_DECAY_FACTOR, liveHeatmap } from './live-heatmap';
export type { LiveHeatmap, LiveHeatmapOptions } from './live-heatmap';
export type { KMeansOptions } from './kmeans';
export { KMeansModel } from './kmeans-model';
export { scrollDepth } from './scroll-depth';
export type { ScrollDepthOptions } from './scroll-depth';
export { StreamingKMeans, StreamingKMeansModel } from './streaming-kmeans';
export type { StreamingKMeansOptions, TimeUnit } from './streaming-kmeans';
export type { Vector } from './vectors';
export type { Band, HeatCluster, Heatmap, HeatmapOptions, HeatSpot, ScrollDepth } from './types';
