import type { Heatmap, HeatmapOptions, LiveHeatmap, LiveHeatmapOptions } from '../../ml';
import { reportOnce } from '../../shared';
import { hideHeatmap, showHeatmap, shownHeatmap } from './overlay';
import type { HeatmapApi, HeatmapShowOptions } from './source';

/** What `tabstream.heatmap` computes with: the tab's engine, as the core gives it. */
export interface HeatmapWork {
  /** Must compute the heatmap of `options` (the page's own and its band unless they say). */
  compute(options: HeatmapOptions): Promise<Heatmap>;
  /** Must compute it, then keep it live, calling `onUpdate` with the first and each after. */
  live(
    options: HeatmapOptions & LiveHeatmapOptions,
    onUpdate: (heatmap: Heatmap) => void,
  ): Promise<LiveHeatmap>;
  /** Must call `listener` with the page of each of the tab's page views; returns the unsubscribe. */
  onPageView(listener: (page: string) => void): () => void;
}

/**
 * `tabstream.heatmap`: computes a heatmap (the page's own and its viewport's band unless
 * `options` say otherwise) and shows it over the page, resolving with it; with `live`, keeps
 * it live while shown (each batch redraws it). Called with no options while one is shown, it
 * takes it off instead (a toggle) and resolves with the one it took off. `.hide()` takes it off.
 * - must stop a live heatmap's stream whenever its heatmap is taken off or replaced;
 * - must show only the latest asked for: an answer to an earlier call is dropped;
 * - a shown heatmap follows the tab's in-app navigations: a page view of another page takes it
 *   off at once (it belongs to the page left) and computes it again, as it was asked for, for
 *   the new page.
 */
export function heatmapApi(work: HeatmapWork): HeatmapApi {
  /** What the heatmap shown (or being computed) was asked for; null while none is. */
  let current: HeatmapShowOptions | null = null;
  /** The page it is for, once known. */
  let currentPage: string | null = null;
  let live: LiveHeatmap | null = null;
  /** Bumped by each show and hide: what an earlier call computed is not shown. */
  let asked = 0;

  const takeOff = async (): Promise<void> => {
    asked++;
    hideHeatmap();
    const stopping = live;
    live = null;
    await stopping?.stop();
  };

  const show = async (options: HeatmapShowOptions): Promise<Heatmap> => {
    current = options;
    currentPage = options.page ?? null;
    const stopping = takeOff(); // bumps `asked` at once
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
        const data = await work.compute(wanted);
        draw(data);
        return data;
      }
      const started = await work.live(wanted, draw);
      if (mine === asked) live = started;
      else await started.stop();
      return started.latest;
    } catch (error) {
      if (mine === asked) current = null;
      throw error;
    }
  };

  work.onPageView((page) => {
    if (!current || page === currentPage) return;
    show({ ...current, page }).catch((error: unknown) =>
      reportOnce('the heatmap could not follow the page', error),
    );
  });

  const hide = (): Promise<void> => {
    current = null;
    return takeOff();
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
