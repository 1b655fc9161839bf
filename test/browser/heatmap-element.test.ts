// <tabstream-heatmap> in real Chromium: its canvas is read back, pixel by pixel, where each
// spot must be drawn (inside its element as laid out now) and where nothing must be.
import { expect } from 'chai';
import type { Heatmap, HeatSpot } from '../../src/ml';
import { defineElements, type HeatLayer, type TabstreamHeatmap } from '../../src/ui';
import { until } from './helpers';

defineElements();

const REFERENCE = 1440;

const spot = (selector: string, ex: number, ey: number, count = 4, x = 0, y = 0): HeatSpot => ({
  selector,
  ex,
  ey,
  x,
  y,
  count,
});

const heatmapOf = (change: Partial<Heatmap>): Heatmap => ({
  page: 'http://localhost/',
  band: 'desktop',
  width: REFERENCE,
  clicks: 0,
  clusters: [],
  spots: [],
  rage: [],
  dead: [],
  scroll: null,
  ...change,
});

/** A box on the page at (left, top), 200×100, with id `id`. */
function box(id: string, left: number, top: number): HTMLElement {
  const element = document.createElement('div');
  element.id = id;
  Object.assign(element.style, {
    position: 'absolute',
    left: `${left}px`,
    top: `${top}px`,
    width: '200px',
    height: '100px',
  });
  document.body.append(element);
  return element;
}

async function overlay(data: Heatmap, layers?: readonly HeatLayer[]): Promise<TabstreamHeatmap> {
  const element = document.createElement('tabstream-heatmap');
  element.data = data;
  if (layers) element.layers = layers;
  document.body.append(element);
  await element.updateComplete;
  return element;
}

/** The canvas's pixel at viewport point (x, y), as [r, g, b, a]. */
function pixel(element: TabstreamHeatmap, x: number, y: number): number[] {
  const canvas = element.shadowRoot!.querySelector('canvas')!;
  const ratio = canvas.width / document.documentElement.clientWidth;
  const data = canvas
    .getContext('2d')!
    .getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data;
  return [...data];
}

const painted = (element: TabstreamHeatmap, x: number, y: number) => pixel(element, x, y)[3]! > 0;

describe('<tabstream-heatmap>', () => {
  afterEach(() => {
    for (const element of document.querySelectorAll('tabstream-heatmap, [id^="heat-"]'))
      element.remove();
    scrollTo(0, 0);
  });

  it('draws a spot inside the element its selector names, and nothing where no spot is', async () => {
    box('heat-target', 100, 200);
    const element = await overlay(
      heatmapOf({ clicks: 4, spots: [spot('#heat-target', 0.25, 0.5)] }),
      ['clicks'],
    );
    // 0.25 of 200 px across, 0.5 of 100 px down the box at (100, 200).
    expect(painted(element, 150, 250), 'the spot').to.equal(true);
    expect(painted(element, 450, 250), 'beside it').to.equal(false);
    expect(painted(element, 150, 450), 'below it').to.equal(false);
  });

  it('moves a spot with its element: drawn where the element is now', async () => {
    const target = box('heat-moving', 100, 200);
    const element = await overlay(heatmapOf({ spots: [spot('#heat-moving', 0.5, 0.5)] }), [
      'clicks',
    ]);
    expect(painted(element, 200, 250)).to.equal(true);
    target.style.left = '400px';
    element.redraw();
    await until(() => painted(element, 500, 250));
    expect(painted(element, 200, 250), 'where it was').to.equal(false);
  });

  it('redraws by itself when the page reflows (the document is resized)', async () => {
    const spacer = document.createElement('div');
    spacer.id = 'heat-spacer';
    spacer.style.height = '10px';
    document.body.prepend(spacer);
    const target = document.createElement('div');
    target.id = 'heat-flow';
    Object.assign(target.style, { width: '200px', height: '50px' });
    spacer.after(target);
    const element = await overlay(heatmapOf({ spots: [spot('#heat-flow', 0.5, 0.5)] }), ['clicks']);
    const before = target.getBoundingClientRect();
    expect(painted(element, before.left + 100, before.top + 25)).to.equal(true);
    spacer.style.height = '300px'; // the element moves down 290 px, the document grows
    const after = target.getBoundingClientRect();
    await until(() => painted(element, after.left + 100, after.top + 25));
    expect(painted(element, before.left + 100, before.top + 25), 'where it was').to.equal(false);
  });

  it("draws a spot whose element is gone (or whose selector cannot parse) at its x scaled to the page's width, and its y", async () => {
    const width = document.documentElement.clientWidth;
    const scale = width / REFERENCE;
    const element = await overlay(
      heatmapOf({
        spots: [spot('#heat-gone', 0.5, 0.5, 3, 720, 300), spot('div[', 0.5, 0.5, 3, 300, 450)],
      }),
      ['clicks'],
    );
    expect(painted(element, 720 * scale, 300), 'the missing element').to.equal(true);
    expect(painted(element, 300 * scale, 450), 'the unparsable selector').to.equal(true);
    expect(painted(element, 720 * scale, 450)).to.equal(false);
    expect(painted(element, 720, 300), 'x unscaled').to.equal(scale === 1);
  });

  it('shows the layers it is given, each in its own colour, and toggles them', async () => {
    box('heat-clicked', 50, 100);
    box('heat-raged', 300, 100);
    const data = heatmapOf({
      spots: [spot('#heat-clicked', 0.5, 0.5)],
      rage: [spot('#heat-raged', 0.5, 0.5)],
      dead: [spot('#heat-clicked', 0.5, 0.5)],
    });
    const element = await overlay(data, ['clicks']);
    expect(painted(element, 150, 150)).to.equal(true);
    expect(painted(element, 400, 150), 'rage is off').to.equal(false);
    element.layers = ['rage'];
    await element.updateComplete;
    expect(painted(element, 150, 150), 'clicks are off').to.equal(false);
    const [r, g, b] = pixel(element, 400, 150);
    expect(r! > g! && b! > g!, `rage is magenta, not ${[r, g, b].join()}`).to.equal(true);
    element.layers = ['dead'];
    await element.updateComplete;
    const [dr, dg, db] = pixel(element, 150, 150);
    expect(db! > dr!, `dead clicks are blue-grey, not ${[dr, dg, db].join()}`).to.equal(true);
    const legend = element.shadowRoot!.querySelector('[part="legend"]')!;
    expect(
      [...legend.querySelectorAll('[data-layer]')].map((li) => li.getAttribute('data-layer')),
    ).to.deep.equal(['dead']);
  });

  it('draws k-means centres as circles of their radius, with their count', async () => {
    const scale = document.documentElement.clientWidth / REFERENCE;
    const cluster = { x: 720, y: 400, radius: 60, count: 12 };
    const element = await overlay(heatmapOf({ clusters: [cluster] }), ['clusters']);
    const [cx, cy, r] = [cluster.x * scale, cluster.y, cluster.radius * scale];
    expect(painted(element, cx + r - 1, cy), 'its edge').to.equal(true);
    expect(painted(element, cx + r + 6, cy), 'outside it').to.equal(false);
    expect(element.shadowRoot!.textContent).to.contain('1 cluster');
  });

  it('shows scroll depth as a band per 10% of the page, as opaque as the share that reached it', async () => {
    const tall = box('heat-tall', 0, 0);
    tall.style.height = `${innerHeight * 3}px`;
    const reached = [1, 1, 0.8, 0.5, 0.3, 0.2, 0.1, 0.05, 0, 0, 0];
    const element = await overlay(heatmapOf({ scroll: { views: 20, reached, average: 0.4 } }), [
      'scroll',
    ]);
    const right = document.documentElement.clientWidth - 10;
    const band = (i: number) => ((i + 0.5) / 10) * document.documentElement.scrollHeight;
    const alphaAt = (y: number) => pixel(element, right, y - scrollY)[3]!;
    const top = alphaAt(band(0));
    scrollTo(0, band(5) - innerHeight / 2);
    await until(() => alphaAt(band(5)) !== top);
    expect(alphaAt(band(5)) < top, 'the 50% band is fainter than the first').to.equal(true);
    expect(painted(element, 100, innerHeight / 2), 'nothing beside the strip').to.equal(false);
  });

  it('reads its layers from the attribute, names between spaces or commas, unknown ones left out', async () => {
    const element = document.createElement('tabstream-heatmap');
    element.setAttribute('layers', 'rage, clicks  bogus');
    document.body.append(element);
    await element.updateComplete;
    expect(element.layers).to.deep.equal(['rage', 'clicks']);
    element.removeAttribute('layers');
    await element.updateComplete;
    expect(element.layers).to.deep.equal(['scroll', 'clicks', 'dead', 'rage']);
  });

  it('takes no pointer events: a click goes to the page under it', async () => {
    const target = box('heat-under', 100, 100);
    await overlay(heatmapOf({ spots: [spot('#heat-under', 0.5, 0.5)] }));
    expect(document.elementFromPoint(200, 150)).to.equal(target);
  });
});
