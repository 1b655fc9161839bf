// <tabstream-paths> in real Chromium: the Sankey's SVG, node by node and link by link.
import { sendKeys } from '@web/test-runner-commands';
import { expect } from 'chai';
import type { PathLink, PathNode, Paths } from '../../src/graph';
import { defineElements, type TabstreamPaths } from '../../src/ui';

defineElements();

const HOSTILE = '/"><img src=x onerror=alert(1)>';

/** Paths from '/': 10 sessions, 6 to /a (2 end there), 4 to HOSTILE, on to /c. */
const PATHS: Paths = {
  start: '/',
  end: null,
  sessions: 10,
  nodes: [
    { step: 0, page: '/', count: 10, dropOff: 0 },
    { step: 1, page: '/a', count: 6, dropOff: 2 },
    { step: 1, page: HOSTILE, count: 4, dropOff: 0 },
    { step: 2, page: '/c', count: 8, dropOff: 8 },
  ],
  links: [
    { step: 0, source: '/', target: '/a', count: 6 },
    { step: 0, source: '/', target: HOSTILE, count: 4 },
    { step: 1, source: '/a', target: '/c', count: 4 },
    { step: 1, source: HOSTILE, target: '/c', count: 4 },
  ],
};

async function sankey(data: Paths): Promise<TabstreamPaths> {
  const element = document.createElement('tabstream-paths');
  element.data = data;
  element.style.width = '400px';
  document.body.append(element);
  await element.updateComplete;
  return element;
}

const nodes = (element: TabstreamPaths) => [...element.shadowRoot!.querySelectorAll('g.step')];
const links = (element: TabstreamPaths) => [
  ...element.shadowRoot!.querySelectorAll<SVGPathElement>('path.link'),
];
const nodeBar = (element: TabstreamPaths, page: string) =>
  nodes(element)
    .find((g) => g.querySelector('text.page')!.textContent === page)!
    .querySelector<SVGRectElement>('rect.node')!;

describe('<tabstream-paths>', () => {
  afterEach(() => document.querySelectorAll('tabstream-paths').forEach((e) => e.remove()));

  it('has a node per (step, page) and a link per link, every page a text label', async () => {
    const element = await sankey(PATHS);
    expect(
      nodes(element).map((g) => [
        g.getAttribute('data-step'),
        g.querySelector('text.page')!.textContent,
      ]),
    ).to.deep.equal(PATHS.nodes.map((n) => [String(n.step), n.page]));
    expect(
      links(element)
        .map((path) => path.querySelector('title')!.textContent)
        .sort(),
    ).to.deep.equal(
      PATHS.links
        .map((l) => `${l.source} → ${l.target}: ${l.count} session${l.count === 1 ? '' : 's'}`)
        .sort(),
    );
    expect(element.shadowRoot!.querySelector('img'), 'a page is text, never markup').to.equal(null);
  });

  it('writes pages of its origin as paths, cut in the middle past their room, whole in the title', async () => {
    const long = `${location.origin}/downloads/2024/quarterly-reports/annual/report-2024.pdf`;
    const element = await sankey({
      start: `${location.origin}/`,
      end: null,
      sessions: 2,
      nodes: [
        { step: 0, page: `${location.origin}/`, count: 2, dropOff: 0 },
        { step: 1, page: long, count: 1, dropOff: 1 },
        { step: 1, page: 'https://elsewhere.example/a', count: 1, dropOff: 1 },
      ],
      links: [
        { step: 0, source: `${location.origin}/`, target: long, count: 1 },
        { step: 0, source: `${location.origin}/`, target: 'https://elsewhere.example/a', count: 1 },
      ],
    });
    const labels = nodes(element).map((g) => g.querySelector('text.page')!.textContent);
    expect(labels).to.deep.equal([
      '/',
      '/downloads/…/report-2024.pdf',
      'https://elsewhere.example/a',
    ]);
    const titles = nodes(element).map((g) => g.querySelector('title')!.textContent);
    expect(titles[1]).to.match(new RegExp(`^${long.replace(/[.?/]/g, '\\$&')}: `));
    element.origin = 'https://elsewhere.example';
    await element.updateComplete;
    expect(nodes(element)[2]!.querySelector('text.page')!.textContent).to.equal('/a');
  });

  it('makes nodes as tall and links as thick as their sessions, and marks drop-off', async () => {
    const element = await sankey(PATHS);
    const height = (page: string) => nodeBar(element, page).height.baseVal.value;
    expect(height('/a') / height('/')).to.be.closeTo(0.6, 1e-9);
    expect(height(HOSTILE) / height('/')).to.be.closeTo(0.4, 1e-9);
    const widths = links(element).map((l) => Number(l.getAttribute('stroke-width')));
    expect(Math.max(...widths) / Math.min(...widths)).to.be.closeTo(6 / 4, 1e-9);
    const a = nodes(element).find((g) => g.querySelector('text.page')!.textContent === '/a')!;
    const drop = a.querySelector<SVGRectElement>('rect.drop')!;
    expect(drop.height.baseVal.value / height('/a')).to.be.closeTo(2 / 6, 1e-9);
    expect(a.querySelector('text.count')!.textContent).to.contain('2 dropped off');
  });

  it('lets the keyboard reach every link, and each says where it goes', async () => {
    const element = await sankey(PATHS);
    element.shadowRoot!.querySelector<SVGPathElement>('path.link')!.focus();
    const seen = new Set<string>();
    for (let i = 0; i < PATHS.links.length; i++) {
      const focused = element.shadowRoot!.activeElement!;
      expect(focused.classList.contains('link')).to.equal(true);
      seen.add(focused.getAttribute('aria-label')!);
      await sendKeys({ press: 'Tab' });
    }
    expect(seen.size).to.equal(PATHS.links.length);
  });

  it('has no step cap: 40 steps are 40 columns, and it scrolls sideways', async () => {
    const steps = 40;
    const node = (step: number): PathNode => ({
      step,
      page: `/p${step}`,
      count: 3,
      dropOff: step === steps - 1 ? 3 : 0,
    });
    const link = (step: number): PathLink => ({
      step,
      source: `/p${step}`,
      target: `/p${step + 1}`,
      count: 3,
    });
    const element = await sankey({
      start: '/p0',
      end: null,
      sessions: 3,
      nodes: Array.from({ length: steps }, (_, i) => node(i)),
      links: Array.from({ length: steps - 1 }, (_, i) => link(i)),
    });
    const xs = new Set(nodes(element).map((g) => g.querySelector('rect.node')!.getAttribute('x')));
    expect(xs.size).to.equal(steps);
    expect(links(element)).to.have.length(steps - 1);
    expect(element.scrollWidth > element.clientWidth, 'scrolls sideways').to.equal(true);
  });

  it('puts the end page at the right for paths into it', async () => {
    const element = await sankey({
      start: null,
      end: '/buy',
      sessions: 2,
      nodes: [
        { step: 0, page: '/buy', count: 2, dropOff: 0 },
        { step: 1, page: '/cart', count: 2, dropOff: 0 },
      ],
      links: [{ step: 0, source: '/buy', target: '/cart', count: 2 }],
    });
    const x = (page: string) => nodeBar(element, page).x.baseVal.value;
    expect(x('/buy') > x('/cart')).to.equal(true);
    expect(links(element)).to.have.length(1);
  });

  it('says so when there are no paths', async () => {
    const element = await sankey({ start: '/none', end: null, sessions: 0, nodes: [], links: [] });
    expect(element.shadowRoot!.textContent).to.contain('No paths');
    expect(element.shadowRoot!.querySelector('svg')).to.equal(null);
  });
});
