import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { Band, Heatmap } from '../../ml';
import { analyticsStyles, messageOf } from '../analytics';
import { plural } from '../shared';
import { DEFAULT_LAYERS, HEAT_LAYERS, LAYER_STYLE, type HeatLayer } from './layers';
import { pageHeatmapSource, type HeatmapSource } from './source';

const BANDS: readonly (Band | 'auto')[] = ['auto', 'mobile', 'tablet', 'desktop'];

/**
 * `<tabstream-heatmap-controls>`: the panels' Heatmap tab. A toggle that shows the heatmap over
 * the page (or takes it off), the viewport band it is for (the page's own by default) and the
 * layers shown; changing either while shown shows it again. It asks `source`, or the page's
 * `window.tabstream.heatmap`.
 */
export class TabstreamHeatmapControls extends LitElement {
  static override properties = {
    source: { attribute: false },
    shown: { state: true },
    band: { state: true },
    live: { state: true },
    layers: { state: true },
    busy: { state: true },
    result: { state: true },
  };

  static override styles = analyticsStyles;

  /** Where the heatmap is asked for; default the page's `window.tabstream.heatmap`. */
  declare source: HeatmapSource | undefined;
  declare private shown: boolean;
  declare private band: Band | 'auto';
  /** Whether it is kept live (MLlib's StreamingKMeans) while shown. */
  declare private live: boolean;
  declare private layers: readonly HeatLayer[];
  declare private busy: boolean;
  /** The heatmap shown, or why it could not be; null before the first. */
  declare private result: Heatmap | string | null;
  /** Bumped by each request: an answer to an earlier one is not shown. */
  private asked = 0;

  constructor() {
    super();
    this.shown = false;
    this.band = 'auto';
    this.live = false;
    this.layers = DEFAULT_LAYERS;
    this.busy = false;
    this.result = null;
  }

  /** A new source is another page (DevTools' inspected page navigated): nothing shown there. */
  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('source') && changed.get('source') !== undefined) {
      this.asked++;
      this.shown = false;
      this.busy = false;
      this.result = null;
    }
  }

  protected override render(): TemplateResult {
    return html`<div class="row">
        <button
          type="button"
          aria-pressed=${this.shown ? 'true' : 'false'}
          ?disabled=${this.busy}
          @click=${() => this.toggle()}
        >
          ${this.shown ? 'Hide the heatmap' : 'Show the heatmap'}
        </button>
        <label
          >Band
          <select
            @change=${(event: Event) =>
              this.change({ band: (event.target as HTMLSelectElement).value as Band | 'auto' })}
          >
            ${BANDS.map(
              (band) =>
                html`<option value=${band} ?selected=${band === this.band}>
                  ${band === 'auto' ? "this page's" : band}
                </option>`,
            )}
          </select>
        </label>
        <label class="layer"
          ><input
            type="checkbox"
            .checked=${this.live}
            @change=${(event: Event) =>
              this.change({ live: (event.target as HTMLInputElement).checked })}
          />Live</label
        >
      </div>
      <fieldset>
        <legend>Layers</legend>
        ${HEAT_LAYERS.map(
          (layer) =>
            html`<label class="layer"
              ><input
                type="checkbox"
                value=${layer}
                .checked=${this.layers.includes(layer)}
                @change=${(event: Event) => this.toggleLayer(layer, event)}
              />${LAYER_STYLE[layer].text}</label
            > `,
        )}
      </fieldset>
      <p class="status" role="status">${this.status()}</p>`;
  }

  private status(): TemplateResult | string | typeof nothing {
    if (this.busy) return 'Computing the heatmap…';
    const { result } = this;
    if (typeof result === 'string') return html`<span class="error">${result}</span>`;
    if (result === null || !this.shown) return nothing;
    return `${result.page} (${result.band}): ${plural(result.clicks, 'click')}, ${plural(
      result.clusters.length,
      'cluster',
    )}${result.scroll ? `, scrolled ${Math.round(result.scroll.average * 100)}% on average` : ''}${
      this.live ? ', live' : ''
    }.`;
  }

  private toggleLayer(layer: HeatLayer, event: Event): void {
    const on = (event.target as HTMLInputElement).checked;
    const layers = HEAT_LAYERS.filter((l) => (l === layer ? on : this.layers.includes(l)));
    this.change({ layers });
  }

  private change(change: {
    band?: Band | 'auto';
    live?: boolean;
    layers?: readonly HeatLayer[];
  }): void {
    if (change.band !== undefined) this.band = change.band;
    if (change.live !== undefined) this.live = change.live;
    if (change.layers !== undefined) this.layers = change.layers;
    if (this.shown) void this.show();
  }

  private async toggle(): Promise<void> {
    if (!this.shown) return this.show();
    this.asked++;
    this.shown = false;
    try {
      await this.heatmapSource().hide();
    } catch (error) {
      this.result = messageOf(error);
    }
  }

  private async show(): Promise<void> {
    const asked = ++this.asked;
    this.busy = true;
    try {
      const result = await this.heatmapSource().show({
        layers: this.layers,
        ...(this.live && { live: true }),
        ...(this.band !== 'auto' && { band: this.band }),
      });
      if (asked !== this.asked) return;
      this.result = result;
      this.shown = true;
    } catch (error) {
      if (asked !== this.asked) return;
      this.result = messageOf(error);
    } finally {
      if (asked === this.asked) this.busy = false;
    }
  }

  private heatmapSource(): HeatmapSource {
    const source = this.source ?? pageHeatmapSource();
    if (!source) throw new Error('tabstream has not loaded on this page yet');
    return source;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tabstream-heatmap-controls': TabstreamHeatmapControls;
  }
}
