import { css, html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { Heatmap, HeatSpot } from '../../ml';
import { formatCount, plural } from '../shared';
import { drawScene, type FoundSpots } from './draw';
import { DEFAULT_LAYERS, LAYER_STYLE, parseLayers, type HeatLayer } from './layers';
import { elementOf, layoutNow } from './place';

/**
 * `<tabstream-heatmap>`: a heatmap over the whole current page, given `.data` (src/ml's
 * `Heatmap`). A canvas fixed over the viewport, redrawn on scroll and resize, that takes no
 * pointer events. Each spot is drawn inside the element its selector names as that element is
 * now (so a reflowed layout still lines up), or, if it is gone, at its recorded position, x
 * scaled from the band's reference width to the page's width. Layers: `clicks`, `clusters` (k-means
 * centres), `rage`, `dead`, `scroll` (a band per 10% of the page, by the share of page views
 * that reached it). It reads the page's layout only, never what is typed in it.
 *
 * @csspart legend - the legend
 * @cssprop --tabstream-heatmap-z - its z-index; default 2147482000 (under tabstream's panel)
 */
export class TabstreamHeatmap extends LitElement {
  static override properties = {
    data: { attribute: false },
    layers: {
      converter: { fromAttribute: parseLayers }, // not reflected: read only
    },
  };

  static override styles = css`
    :host {
      position: fixed;
      inset: 0;
      z-index: var(--tabstream-heatmap-z, 2147482000);
      display: block;
      pointer-events: none;
      contain: strict;
    }
    canvas {
      position: absolute;
      inset: 0;
      width: 100%;
      height: 100%;
    }
    .legend {
      position: absolute;
      top: 8px;
      left: 8px;
      margin: 0;
      padding: 6px 10px;
      list-style: none;
      background: rgb(255 255 255 / 0.9);
      color: #111;
      border: 1px solid #999;
      border-radius: 6px;
      font:
        12px/1.5 system-ui,
        sans-serif;
    }
    .swatch {
      display: inline-block;
      width: 0.8em;
      height: 0.8em;
      margin-right: 0.4em;
      border-radius: 50%;
      vertical-align: -0.05em;
    }
  `;

  /** The heatmap drawn; nothing is drawn while null. */
  declare data: Heatmap | null;
  /** The layers shown (attribute `layers`: names between spaces); default all but `clusters`. */
  declare layers: readonly HeatLayer[];

  private found: FoundSpots = new Map();
  private frame = 0;
  /** Made when connected: a server's DOM shim has no ResizeObserver. */
  private resized: ResizeObserver | null = null;

  constructor() {
    super();
    this.data = null;
    this.layers = DEFAULT_LAYERS;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener('scroll', this.scheduleDraw, { passive: true });
    addEventListener('resize', this.relayout);
    this.resized = new ResizeObserver(() => this.relayout());
    this.resized.observe(document.documentElement);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('scroll', this.scheduleDraw);
    removeEventListener('resize', this.relayout);
    this.resized?.disconnect();
    cancelAnimationFrame(this.frame);
  }

  protected override render(): TemplateResult {
    return html`<canvas aria-hidden="true"></canvas>${this.legend()}`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('data')) this.findSpots();
    this.draw();
  }

  /** The legend: what was counted, and each layer shown with its colour. */
  private legend(): TemplateResult | typeof nothing {
    const { data } = this;
    if (!data) return nothing;
    const figure: Readonly<Record<HeatLayer, string>> = {
      clicks: plural(data.clicks, 'click'),
      clusters: plural(data.clusters.length, 'cluster'),
      rage: plural(sum(data.rage), 'click'),
      dead: plural(sum(data.dead), 'click'),
      scroll: data.scroll
        ? `${Math.round(data.scroll.average * 100)}% on average, ${plural(data.scroll.views, 'view')}`
        : 'none recorded',
    };
    return html`<ul class="legend" part="legend" aria-label="Heatmap legend">
      <li><strong>${data.page}</strong> · ${data.band} (${formatCount(data.width)} px)</li>
      ${this.layers.map(
        (layer) =>
          html`<li data-layer=${layer}>
            <span class="swatch" style="background: rgb(${LAYER_STYLE[layer].rgb})"></span
            >${LAYER_STYLE[layer].text}: ${figure[layer]}
          </li>`,
      )}
    </ul>`;
  }

  /** Looks up each spot's element (again: after a change of data or of the page's layout). */
  private findSpots(): void {
    const data = this.data;
    const found = new Map<'clicks' | 'rage' | 'dead', [HeatSpot, Element | null][]>();
    if (data)
      for (const [layer, spots] of [
        ['clicks', data.spots],
        ['rage', data.rage],
        ['dead', data.dead],
      ] as const)
        found.set(
          layer,
          spots.map((spot) => [spot, elementOf(spot.selector)]),
        );
    this.found = found;
  }

  /** Draws again, elements looked up afresh: after the page moved them without a resize. */
  redraw(): void {
    this.relayout();
  }

  private readonly relayout = (): void => {
    this.findSpots();
    this.scheduleDraw();
  };

  private readonly scheduleDraw = (): void => {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  };

  /** Draws the layers shown onto the canvas, sized to the viewport at the device's pixel ratio. */
  private draw(): void {
    const canvas = this.renderRoot.querySelector('canvas');
    const context = canvas?.getContext('2d');
    if (!canvas || !context) return;
    const width = document.documentElement.clientWidth;
    const height = innerHeight;
    const ratio = devicePixelRatio || 1;
    // Set only when changed: setting a canvas's size reallocates it (and a scroll changes none).
    if (canvas.width !== Math.round(width * ratio)) canvas.width = Math.round(width * ratio);
    if (canvas.height !== Math.round(height * ratio)) canvas.height = Math.round(height * ratio);
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    if (!this.data) return context.clearRect(0, 0, width, height);
    drawScene(context, {
      data: this.data,
      layers: new Set(this.layers),
      found: this.found,
      layout: layoutNow(),
      width,
      height,
      documentHeight: document.documentElement.scrollHeight,
    });
  }
}

const sum = (spots: readonly { readonly count: number }[]): number =>
  spots.reduce((total, spot) => total + spot.count, 0);

declare global {
  interface HTMLElementTagNameMap {
    'tabstream-heatmap': TabstreamHeatmap;
  }
}
