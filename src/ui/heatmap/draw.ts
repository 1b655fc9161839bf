import type { Heatmap, HeatSpot, ScrollDepth } from '../../ml';
import { LAYER_STYLE, type HeatLayer } from './layers';
import { placePage, placeSpot, type Layout } from './place';

/** The spots of each spot layer with the element each names, looked up once per layout change. */
export type FoundSpots = ReadonlyMap<
  'clicks' | 'rage' | 'dead',
  readonly (readonly [HeatSpot, Element | null])[]
>;

/** What one drawing needs: the data, the layers shown, the spots' elements, the page now. */
export interface Scene {
  readonly data: Heatmap;
  readonly layers: ReadonlySet<HeatLayer>;
  readonly found: FoundSpots;
  readonly layout: Layout;
  /** The viewport's size, px. */
  readonly width: number;
  readonly height: number;
  /** The document's height, px (what scroll depth is a fraction of). */
  readonly documentHeight: number;
}

const SCROLL_STRIP = 56;

const rgba = (layer: HeatLayer, alpha: number) =>
  `rgb(${LAYER_STYLE[layer].rgb} / ${alpha.toFixed(3)})`;

/** A spot's radius, px: it grows with the count, slowly. */
export const spotRadius = (count: number): number => 10 + 4 * Math.log2(Math.max(1, count));

/** Draws `scene` onto `context` (cleared first), bottom layer first. */
export function drawScene(context: CanvasRenderingContext2D, scene: Scene): void {
  context.clearRect(0, 0, scene.width, scene.height);
  const { data, layers } = scene;
  if (layers.has('scroll') && data.scroll) drawScroll(context, data.scroll, scene);
  if (layers.has('clusters')) drawClusters(context, scene);
  for (const layer of ['clicks', 'dead', 'rage'] as const)
    if (layers.has(layer)) drawSpots(context, layer, scene);
}

/** Spots as soft discs, more opaque the more clicks (relative to the layer's busiest spot). */
function drawSpots(
  context: CanvasRenderingContext2D,
  layer: 'clicks' | 'rage' | 'dead',
  { found, width, layout, data, height }: Scene,
): void {
  const spots = found.get(layer) ?? [];
  const most = Math.max(1, ...spots.map(([spot]) => spot.count));
  for (const [spot, element] of spots) {
    const { x, y } = placeSpot(spot, element, data.width, layout);
    const radius = spotRadius(spot.count);
    if (x < -radius || y < -radius || x > width + radius || y > height + radius) continue;
    const strength = 0.55 + 0.4 * (spot.count / most);
    const gradient = context.createRadialGradient(x, y, 0, x, y, radius);
    gradient.addColorStop(0, rgba(layer, strength));
    gradient.addColorStop(0.6, rgba(layer, strength * 0.6));
    gradient.addColorStop(1, rgba(layer, 0));
    context.fillStyle = gradient;
    context.beginPath();
    context.arc(x, y, radius, 0, 2 * Math.PI);
    context.fill();
  }
}

/** k-means centres: a circle of the cluster's radius, its count as the label. */
function drawClusters(context: CanvasRenderingContext2D, { data, layout }: Scene): void {
  const scale = data.width > 0 ? layout.width / data.width : 1;
  context.lineWidth = 2;
  context.font = 'bold 12px system-ui, sans-serif';
  context.textAlign = 'center';
  context.textBaseline = 'middle';
  for (const cluster of data.clusters) {
    const { x, y } = placePage(cluster, data.width, layout);
    const radius = Math.max(6, cluster.radius * scale);
    context.strokeStyle = rgba('clusters', 0.9);
    context.fillStyle = rgba('clusters', 0.12);
    context.beginPath();
    context.arc(x, y, radius, 0, 2 * Math.PI);
    context.fill();
    context.stroke();
    context.fillStyle = rgba('clusters', 1);
    context.fillText(String(cluster.count), x, y);
  }
}

/**
 * Scroll depth: a strip at the right edge with a band per 10% of the document, as opaque as the
 * share of page views that reached it, labelled with that share.
 */
function drawScroll(
  context: CanvasRenderingContext2D,
  scroll: ScrollDepth,
  { width, layout, documentHeight }: Scene,
): void {
  const left = width - SCROLL_STRIP;
  context.font = '11px system-ui, sans-serif';
  context.textAlign = 'center';
  context.textBaseline = 'middle';
  for (let band = 0; band < 10; band++) {
    const reached = scroll.reached[band] ?? 0;
    const top = (band / 10) * documentHeight - layout.scrollY;
    const bottom = ((band + 1) / 10) * documentHeight - layout.scrollY;
    context.fillStyle = rgba('scroll', 0.1 + 0.6 * reached);
    context.fillRect(left, top, SCROLL_STRIP, bottom - top);
    context.strokeStyle = rgba('scroll', 0.9);
    context.lineWidth = 1;
    context.beginPath();
    context.moveTo(left, top + 0.5);
    context.lineTo(width, top + 0.5);
    context.stroke();
    context.fillStyle = reached > 0.5 ? '#fff' : '#000';
    context.fillText(`${Math.round(reached * 100)}%`, left + SCROLL_STRIP / 2, (top + bottom) / 2);
  }
}
