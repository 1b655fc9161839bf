import type { Heatmap } from '../../ml';
import type { HeatLayer } from './layers';

const OVERLAY_ID = 'tabstream-heatmap-overlay';

/** The heatmap over this page, if one is shown. */
export function shownHeatmap(): Heatmap | null {
  const shown = document.getElementById(OVERLAY_ID) as
    HTMLElementTagNameMap['tabstream-heatmap'] | null;
  return shown?.data ?? null;
}

/**
 * Shows `data` over the whole page in a `<tabstream-heatmap>` (`tabstream.heatmap()`), with
 * `layers` (else its default ones); one at a time: an overlay shown already is given them.
 */
export function showHeatmap(data: Heatmap, layers?: readonly HeatLayer[]): void {
  let overlay = document.getElementById(OVERLAY_ID) as
    HTMLElementTagNameMap['tabstream-heatmap'] | null;
  if (!overlay) {
    overlay = document.createElement('tabstream-heatmap');
    overlay.id = OVERLAY_ID;
    overlay.setAttribute('data-tabstream-ignore', '');
    document.body.append(overlay);
  }
  overlay.data = data;
  if (layers) overlay.layers = layers;
}

/** Takes the heatmap off the page; false if none was shown. */
export function hideHeatmap(): boolean {
  const shown = document.getElementById(OVERLAY_ID);
  shown?.remove();
  return shown !== null;
}
