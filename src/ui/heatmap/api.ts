import type { Heatmap, HeatmapOptions, LiveHeatmap, LiveHeatmapOptions } from '../../ml';
import { reportOnce } from '../../shared';
import { hideHeatmap, showHeatmap, shownHeatmap } from './overlay';
import type { HeatmapApi, HeatmapShowOptions } from './source';

/** What `tabstream.heatmap` keeps live and follows with: the tab's engine and tracker. */
export interface HeatmapLive {
  /** Must compute the heatmap, then keep it live, calling `onUpdate` with it and after each batch. */
  live(
    options: HeatmapOptions & LiveHeatmapOptions,
    onUpdate: (heatmap: Heatmap) => void,
  ): Promise<LiveHeatmap>;
  /** Must call `listener` with the page of each of the tab's page views; returns the unsubscribe. */
  onPageView(listener: (page: string) => void): () => void;
}

/**
 * `tabstream.heatmap`: computes a heatmap with `compute` (the page's own and its viewport's
 * band unless `options` say otherwise) and shows it over the page, resolving with it; with
 * `live`, keeps it live while shown with `follow.live` (each batch redraws it). Called with no
 * options while one is shown, it takes it off instead (a toggle) and resolves with the one it
 * took off. `.hide()` takes it off.
 * - must stop a live heatmap's stream whenever its heatmap is taken off or replaced;
 * - must show only the latest asked for: an answer to an earlier call is dropped; one that
 *   fails takes off what was shown;
 * - a shown heatmap follows the tab's in-app navigations (`follow.onPageView`): a page view of
 *   another page takes it off at once (it belongs to the page left) and computes it again, as
 *   it was asked for, for that page.
 */
export function heatmapApi(
  compute: (options: HeatmapOptions) => Promise<Heatmap>,
  follow?: HeatmapLive,
): HeatmapApi {
  /** What the heatmap shown (or being computed) was asked for; null while none is. */
  let current: HeatmapShowOptions | null = null;
  /** The page it is for, once known. */
  let currentPage: string | null = null;
  let live: LiveHeatmap | null = null;
  /** Bumped by each show and hide: what an earlier call computed is not shown. */
  let asked = 0;

  /** Drops what earlier calls compute, and stops the live stream; the overlay stays. */
  const stopLive = async (): Promise<void> => {
    asked++;
    const stopping = live;
    live = null;
    await stopping?.stop();
  };

  const show = async (options: HeatmapShowOptions): Promise<Heatmap> => {
    current = options;
    currentPage = options.page ?? null;
    const stopping = stopLive(); // bumps `asked` at once
    const mine = asked;
    await stopping;
    const { layers, live: isLive = false, ...wanted } = options;
    const draw = (data: Heatmap) => {
      if (mine !== asked) return;
      currentPage = data.page;
      showHeatmap(data, layers);
    };
    try {
      if (!isLive) {
        const data = await compute(wanted);
        draw(data);
        return data;
      }
      if (!follow) throw new Error('tabstream: no live heatmaps here');
      const started = await follow.live(wanted, draw);
      if (mine === asked) live = started;
      else await started.stop();
      return started.latest;
    } catch (error) {
      // Nothing shown rather than a heatmap that no longer follows the page.
      if (mine === asked) void hide();
      throw error;
    }
  };

  follow?.onPageView((page) => {
    if (!current || page === currentPage) return;
    hideHeatmap();
    show({ ...current, page }).catch((error: unknown) =>
      reportOnce('the heatmap could not follow the page', error),
    );
  });

  const hide = (): Promise<void> => {
    current = null;
    hideHeatmap();
    return stopLive();
  };
  const heatmap = async (options?: HeatmapShowOptions): Promise<Heatmap> => {
    const shown = shownHeatmap();
    if (options === undefined && shown) {
      await hide();
      return shown;
    }
    return show(options ?? {});
  };
  return Object.assign(heatmap, { hide });
}
