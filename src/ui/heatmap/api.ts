import type { Heatmap, HeatmapOptions } from '../../ml';
import { hideHeatmap, showHeatmap, shownHeatmap } from './overlay';
import type { HeatmapApi, HeatmapShowOptions } from './source';

/**
 * `tabstream.heatmap`: computes a heatmap with `compute` (the page's own and its viewport's
 * band unless `options` say otherwise) and shows it over the page, resolving with it; called
 * with no options while one is shown, it takes it off instead (a toggle) and resolves with the
 * one it took off. `.hide()` takes it off.
 */
export function heatmapApi(compute: (options: HeatmapOptions) => Promise<Heatmap>): HeatmapApi {
  const heatmap = async (options?: HeatmapShowOptions): Promise<Heatmap> => {
    const shown = shownHeatmap();
    if (options === undefined && shown) {
      hideHeatmap();
      return shown;
    }
    const { layers, ...asked } = options ?? {};
    const data = await compute(asked);
    showHeatmap(data, layers);
    return data;
  };
  return Object.assign(heatmap, { hide: () => Promise.resolve(void hideHeatmap()) });
}
