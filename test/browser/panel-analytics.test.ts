// The floating panel's Heatmap, Paths and Funnels tabs, over `tabstream.heatmap`'s own toggle
// (heatmapApi) with a heatmap computed in the test.
import { expect } from 'chai';
import type { Paths, PathsOptions } from '../../src/graph';
import type { Heatmap, HeatmapOptions } from '../../src/ml';
import {
  defineElements,
  heatmapApi,
  showPanel,
  type CountsSource,
  type HeatmapSource,
  type PathsSource,
} from '../../src/ui';
import { until } from './helpers';

defineElements();

const counts: CountsSource = {
  counts: () => Promise.resolve({ '/': 1 }),
  subscribe: () => () => {},
};

const heatmapFor = ({ band = 'desktop', page = '/' }: HeatmapOptions): Heatmap => ({
  page,
  band,
  width: band === 'mobile' ? 390 : band === 'tablet' ? 820 : 1440,
  clicks: 3,
  clusters: [{ x: 100, y: 100, count: 3, radius: 10 }],
  spots: [{ selector: 'body', ex: 0.5, ey: 0.1, x: 100, y: 100, count: 3 }],
  rage: [],
  dead: [],
  scroll: null,
});

const panel = () => document.getElementById('tabstream-panel')!;
const tab = (view: string) =>
  panel().querySelector<HTMLButtonElement>(`button[data-view="${view}"]`)!;
const overlay = () => document.querySelector('tabstream-heatmap');

describe('the floating panel: Heatmap, Paths, Funnels', () => {
  let asked: HeatmapOptions[];
  let pathsAsked: PathsOptions[];

  beforeEach(() => {
    asked = [];
    pathsAsked = [];
    const api = heatmapApi((options) => {
      asked.push(options);
      return Promise.resolve(heatmapFor(options));
    });
    const heatmap: HeatmapSource = { show: (options) => api(options), hide: () => api.hide() };
    const paths: PathsSource = {
      paths: (options) => {
        pathsAsked.push(options);
        const start = options.start ?? '/';
        return Promise.resolve<Paths>({
          start,
          end: null,
          sessions: 1,
          nodes: [
            { step: 0, page: start, count: 1, dropOff: 0 },
            { step: 1, page: '/next', count: 1, dropOff: 1 },
          ],
          links: [{ step: 0, source: start, target: '/next', count: 1 }],
        });
      },
    };
    showPanel(counts, { heatmap, paths });
  });

  afterEach(() => {
    panel().remove();
    overlay()?.remove();
    localStorage.removeItem('tabstream:panel');
  });

  it('has a tab each for the counts, the heatmap, the paths and the funnels', () => {
    const views = [...panel().querySelectorAll<HTMLButtonElement>('nav button')].map(
      (b) => b.textContent,
    );
    expect(views).to.deep.equal(['Counts', 'Heatmap', 'Paths', 'Funnels']);
    expect(tab('counts').getAttribute('aria-pressed')).to.equal('true');
    expect(panel().querySelector('tabstream-counts')).to.not.equal(null);
  });

  it('toggles the heatmap over the page, with the layers and the band chosen', async () => {
    tab('heatmap').click();
    expect(panel().querySelector('tabstream-counts'), 'the counts are out').to.equal(null);
    const controls = panel().querySelector('tabstream-heatmap-controls')!;
    await controls.updateComplete;
    const root = controls.shadowRoot!;
    const toggle = root.querySelector<HTMLButtonElement>('button[aria-pressed]')!;
    toggle.click();
    await until(() => overlay() !== null);
    expect(overlay()!.data!.band).to.equal('desktop');
    expect(asked).to.deep.equal([{}], "the page and its band are the API's defaults");
    await until(() => toggle.getAttribute('aria-pressed') === 'true');

    const clusters = root.querySelector<HTMLInputElement>('input[value="clusters"]')!;
    clusters.click();
    await until(() => overlay()!.layers.includes('clusters'));

    const band = root.querySelector('select')!;
    band.value = 'mobile';
    band.dispatchEvent(new Event('change'));
    await until(() => overlay()!.data!.band === 'mobile');
    expect(asked.at(-1)).to.deep.equal({ band: 'mobile' });

    toggle.click();
    await until(() => overlay() === null);
    expect(toggle.getAttribute('aria-pressed')).to.equal('false');
  });

  it('asks for paths from the start page typed, with cleaning rules, and draws the Sankey', async () => {
    tab('paths').click();
    const explorer = panel().querySelector('tabstream-paths-explorer')!;
    await explorer.updateComplete;
    const root = explorer.shadowRoot!;
    const type = (input: HTMLInputElement, text: string) => {
      input.value = text;
      input.dispatchEvent(new Event('input'));
    };
    type(root.querySelector('input[name="start"]')!, '/home');
    [...root.querySelectorAll('button')].find((b) => b.textContent.includes('Add a rule'))!.click();
    await explorer.updateComplete;
    const [pattern, replacement] = root.querySelectorAll<HTMLInputElement>('.rule input');
    type(pattern!, '/orders/[^/]+$');
    type(replacement!, '/orders/*');
    await explorer.updateComplete;
    root.querySelector('form')!.requestSubmit();
    await until(() => root.querySelector('tabstream-paths') !== null);
    expect(pathsAsked).to.deep.equal([
      { start: '/home', clean: [{ pattern: '/orders/[^/]+$', replacement: '/orders/*' }] },
    ]);
    const sankey = root.querySelector('tabstream-paths')!;
    await sankey.updateComplete;
    expect(sankey.shadowRoot!.querySelectorAll('g.step')).to.have.length(2);

    // Back to the counts and again to the paths: the explorer kept what was asked and shown.
    tab('counts').click();
    tab('paths').click();
    expect(panel().querySelector('tabstream-paths-explorer')).to.equal(explorer);
    expect(root.querySelector('tabstream-paths')).to.not.equal(null);
  });

  it('shows the step list editor in the Funnels tab', async () => {
    tab('funnels').click();
    const explorer = panel().querySelector('tabstream-funnel-explorer')!;
    await explorer.updateComplete;
    expect(explorer.shadowRoot!.querySelectorAll('li.step')).to.have.length(2);
    expect(tab('funnels').getAttribute('aria-pressed')).to.equal('true');
  });
});

describe('<tabstream-heatmap-controls>', () => {
  afterEach(() => {
    document.querySelector('tabstream-heatmap-controls')?.remove();
    overlay()?.remove();
  });

  it('forgets what it showed when given a new source (another page, in DevTools)', async () => {
    const api = heatmapApi((options) => Promise.resolve(heatmapFor(options)));
    const source: HeatmapSource = { show: (options) => api(options), hide: () => api.hide() };
    const controls = document.createElement('tabstream-heatmap-controls');
    controls.source = source;
    document.body.append(controls);
    await controls.updateComplete;
    const toggle = () => controls.shadowRoot!.querySelector('button[aria-pressed]')!;
    (toggle() as HTMLButtonElement).click();
    await until(() => toggle().getAttribute('aria-pressed') === 'true');
    expect(controls.shadowRoot!.querySelector('[role="status"]')!.textContent).to.contain(
      '3 clicks',
    );
    controls.source = { ...source };
    await controls.updateComplete;
    expect(toggle().getAttribute('aria-pressed')).to.equal('false');
    expect(controls.shadowRoot!.querySelector('[role="status"]')!.textContent.trim()).to.equal('');
  });
});
