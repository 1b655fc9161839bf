// The heatmap's layers: what each draws, in what colour, in the order they are drawn.

import type { HeatLayer } from '../../api';

export type { HeatLayer };

/** Every layer, bottom first: rage and dead clicks are drawn over the others. */
export const HEAT_LAYERS: readonly HeatLayer[] = ['scroll', 'clusters', 'clicks', 'dead', 'rage'];

/** The layers shown unless told otherwise: all but the k-means centres. */
export const DEFAULT_LAYERS: readonly HeatLayer[] = ['scroll', 'clicks', 'dead', 'rage'];

/** Each layer's colour as RGB channels, and its name in the legend. */
export const LAYER_STYLE: Readonly<
  Record<HeatLayer, { readonly rgb: string; readonly text: string }>
> = {
  scroll: { rgb: '33 150 243', text: 'Scroll depth' },
  clusters: { rgb: '46 125 50', text: 'Clusters (k-means)' },
  clicks: { rgb: '244 81 30', text: 'Clicks' },
  dead: { rgb: '96 125 139', text: 'Dead clicks' },
  rage: { rgb: '216 27 96', text: 'Rage clicks' },
};

export const isHeatLayer = (value: unknown): value is HeatLayer =>
  HEAT_LAYERS.includes(value as HeatLayer);

/** The layers named in `text` (the `layers` attribute: names between spaces or commas). */
export const parseLayers = (text: string | null): readonly HeatLayer[] =>
  text === null ? DEFAULT_LAYERS : text.split(/[\s,]+/).filter(isHeatLayer);
