import { sendKeys } from '@web/test-runner-commands';
import { expect } from 'chai';
import { TabstreamCounts, type CountsSource, type CountsView } from '../../src/ui/counts/counts';
import { until } from './helpers';

// The element alone, as defineElements() defines it: this suite needs nothing else of src/ui.
if (!customElements.get('tabstream-counts'))
  customElements.define('tabstream-counts', TabstreamCounts);

type Counts = Record<string, number>;
type Listener = { readonly view: string; readonly fn: (counts: Counts) => void };

const viewKey = (view?: CountsView): string => `${view?.by ?? 'page'} ${view?.window ?? 'all'}`;

/**
 * A source of counts driven by the test: what window.tabstream looks like to the element.
 * Counts are kept per view (`"page all"`, `"target 5m"`…); `publish` is a batch of one view.
 */
class Source implements CountsSource {
  readonly current = new Map<string, Counts>();
  readonly listeners = new Set<Listener>();
  ready: Promise<void> | undefined;
  failure: Error | null = null;
  private readonly held = new Map<string, (() => void)[]>(); // views whose counts() wait

  constructor(counts: Counts = {}, views: Record<string, Counts> = {}) {
    this.current.set('page all', counts);
    for (const [view, viewCounts] of Object.entries(views)) this.current.set(view, viewCounts);
  }
  async counts(view?: CountsView): Promise<Counts> {
    if (this.failure) throw this.failure;
    const counts = { ...this.current.get(viewKey(view)) }; // as of the call
    const held = this.held.get(viewKey(view));
    if (held) await new Promise<void>((resolve) => held.push(resolve));
    return counts;
  }
  /** Makes counts() of `view` wait until `release(view)`. */
  hold(view: string): void {
    this.held.set(view, []);
  }
  release(view: string): void {
    this.held.get(view)?.forEach((resolve) => resolve());
    this.held.delete(view);
  }
  subscribe(fn: (counts: Counts) => void, view?: CountsView): () => void {
    const listener = { view: viewKey(view), fn };
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  publish(counts: Counts, view = 'page all'): void {
    this.current.set(view, counts);
    for (const listener of this.listeners) if (listener.view === view) listener.fn({ ...counts });
  }
  /** The views subscribed to now, sorted. */
  get subscribed(): string[] {
    return [...this.listeners].map(({ view }) => view).sort();
  }
}

const settle = async (element: TabstreamCounts): Promise<void> => {
  await new Promise((resolve) => setTimeout(resolve, 0)); // counts() resolves
  await element.updateComplete;
};

async function mount(
  source: Source | undefined,
  attributes: Record<string, string> = {},
): Promise<TabstreamCounts> {
  const element = document.createElement('tabstream-counts');
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  if (source) element.source = source;
  document.body.append(element);
  await settle(element);
  return element;
}

const $ = <E extends Element = HTMLElement>(element: TabstreamCounts, selector: string): E =>
  element.shadowRoot!.querySelector<E>(selector)!;
const $$ = <E extends Element = HTMLElement>(element: TabstreamCounts, selector: string): E[] => [
  ...element.shadowRoot!.querySelectorAll<E>(selector),
];

/** The body rows' URL and count cells, as shown. */
const rows = (element: TabstreamCounts): string[][] =>
  $$(element, 'tbody tr:not(.spacer)').map((row) =>
    [...row.querySelectorAll(':is(th, td):not(.spark, .bar)')].map((cell) =>
      cell.textContent.trim(),
    ),
  );
const urls = (element: TabstreamCounts): string[] => rows(element).map(([url]) => url!);

async function choose(element: TabstreamCounts, name: string, value: string): Promise<void> {
  const select = $<HTMLSelectElement>(element, `select[name="${name}"]`);
  select.value = value;
  select.dispatchEvent(new Event('change'));
  await settle(element);
}

async function click(element: TabstreamCounts, button: HTMLElement): Promise<void> {
  button.click();
  await settle(element);
}

const button = (element: TabstreamCounts, text: string): HTMLButtonElement =>
  $$<HTMLButtonElement>(element, 'button').find((b) => b.textContent.trim().startsWith(text))!;

describe('<tabstream-counts>', () => {
  afterEach(() => {
    document.querySelectorAll('tabstream-counts, .test-fixture').forEach((e) => e.remove());
    delete (window as { tabstream?: unknown }).tabstream;
  });

  it('shows counts per URL, most clicked first, with the total', async () => {
    const element = await mount(new Source({ '/b': 2, '/a': 5, '/c': 2 }));
    expect(rows(element)).to.deep.equal([
      ['/a', '5'],
      ['/b', '2'],
      ['/c', '2'],
    ]);
    expect($(element, 'tfoot td').textContent).to.equal('9');
    expect($(element, 'table caption').textContent.trim()).to.equal(
      'Clicks per page URL, all time',
    );
    expect($(element, 'tfoot th[scope="row"]').textContent).to.equal('Total');
    // Each row's header is its URL, for a screen reader's row by row reading.
    expect($$(element, 'tbody th[scope="row"]').map((th) => th.textContent)).to.deep.equal([
      '/a',
      '/b',
      '/c',
    ]);
    expect($$(element, 'thead th').map((th) => th.getAttribute('scope'))).to.deep.equal([
      'col',
      'col',
      'col',
      'col',
    ]);
  });

  it('updates live when the source publishes a batch', async () => {
    const source = new Source({});
    const element = await mount(source);
    expect(rows(element)).to.deep.equal([['No clicks counted yet.']]);
    source.publish({ '/x': 1, '/y': 1200 });
    await element.updateComplete;
    expect(rows(element)).to.deep.equal([
      ['/y', '1,200'],
      ['/x', '1'],
    ]);
    expect($(element, 'tfoot td').textContent).to.equal('1,201');
  });

  it('sorts by either column, both ways, from the column headers', async () => {
    const element = await mount(new Source({ '/b': 3, '/a': 1, '/c': 2 }));
    const header = (n: number) => $$(element, 'thead th')[n]!;
    const sortButton = (n: number) => header(n).querySelector('button')!;
    expect(header(1).getAttribute('aria-sort')).to.equal('descending');
    expect(header(0).hasAttribute('aria-sort')).to.equal(false);

    await click(element, sortButton(1));
    expect(urls(element)).to.deep.equal(['/a', '/c', '/b']);
    expect(header(1).getAttribute('aria-sort')).to.equal('ascending');
    expect(element.getAttribute('order')).to.equal('asc');

    await click(element, sortButton(0));
    expect(urls(element)).to.deep.equal(['/a', '/b', '/c']);
    expect(header(0).getAttribute('aria-sort')).to.equal('ascending');
    expect(header(1).hasAttribute('aria-sort')).to.equal(false);
    expect(element.getAttribute('sort')).to.equal('url');

    await click(element, sortButton(0));
    expect(urls(element)).to.deep.equal(['/c', '/b', '/a']);
    expect(header(0).getAttribute('aria-sort')).to.equal('descending');

    await click(element, sortButton(1));
    expect(urls(element)).to.deep.equal(['/b', '/c', '/a']);
    expect(header(1).getAttribute('aria-sort')).to.equal('descending');
  });

  it('filters by a substring of the URL, ignoring case, and totals what matches', async () => {
    const element = await mount(
      new Source({ '/Shop/cart': 4, '/shop/item': 2, '/about': 7, '/blog/shopping': 1 }),
    );
    const input = $<HTMLInputElement>(element, 'input[part="filter"]');
    input.value = 'SHOP';
    input.dispatchEvent(new Event('input'));
    await element.updateComplete;
    expect(urls(element)).to.deep.equal(['/Shop/cart', '/shop/item', '/blog/shopping']);
    expect($(element, 'tfoot td').textContent).to.equal('7');
    expect($(element, '.summary').textContent).to.equal('Showing 3 of 3 matching URLs (of 4)');
    expect($(element, '[role="status"]').textContent).to.equal(
      'Showing 3 of 3 matching URLs (of 4)',
    );
    input.value = 'nothing-like-it';
    input.dispatchEvent(new Event('input'));
    await element.updateComplete;
    expect(rows(element)).to.deep.equal([['No URL contains “nothing-like-it”.']]);

    element.setAttribute('filter', 'ABOUT'); // the attribute sets it too
    await element.updateComplete;
    expect(urls(element)).to.deep.equal(['/about']);
    expect(input.value).to.equal('ABOUT');
    element.removeAttribute('filter');
    await element.updateComplete;
    expect(urls(element)).to.have.length(4);
  });

  it('shows the top N, then all of them with "Show all", and back', async () => {
    const counts = Object.fromEntries(['/a', '/b', '/c', '/d', '/e'].map((u, i) => [u, 10 - i]));
    const element = await mount(new Source(counts), { limit: '3' });
    expect(urls(element)).to.deep.equal(['/a', '/b', '/c']);
    expect($(element, 'table').getAttribute('aria-rowcount')).to.equal('5');
    expect($(element, '.summary').textContent).to.equal('Showing 3 of 5 URLs');
    expect($(element, 'tfoot td').textContent).to.equal('40'); // the total is of every row

    await click(element, button(element, 'Show all'));
    expect(urls(element)).to.deep.equal(['/a', '/b', '/c', '/d', '/e']);
    expect(element.hasAttribute('show-all')).to.equal(true);
    expect($(element, 'table').getAttribute('aria-rowcount')).to.equal('7');

    await click(element, button(element, 'Show top 3'));
    expect(urls(element)).to.deep.equal(['/a', '/b', '/c']);
    expect(element.hasAttribute('show-all')).to.equal(false);

    // A filter is announced as shown: the top N of what matches.
    const input = $<HTMLInputElement>(element, 'input[part="filter"]');
    input.value = '/';
    input.dispatchEvent(new Event('input'));
    await element.updateComplete;
    expect($(element, '[role="status"]').textContent).to.equal('Showing 3 of 5 URLs');
  });

  it('switches between page and target URLs, subscribing to the view shown', async () => {
    const source = new Source({ '/page': 2 }, { 'target all': { 'https://x.example/a': 5 } });
    const element = await mount(source);
    expect(source.subscribed).to.deep.equal(['page all']);

    await choose(element, 'by', 'target');
    expect(source.subscribed).to.deep.equal(['target all']);
    expect(rows(element)).to.deep.equal([['/a', '5']]); // the origin every row shares, once:
    expect($(element, 'caption').textContent).to.contain('on https://x.example,');
    expect(element.getAttribute('by')).to.equal('target');
    expect($(element, 'thead th button').textContent).to.contain('Target URL');
    source.publish({ 'https://x.example/a': 6, 'https://y.example/': 1 }, 'target all');
    await element.updateComplete;
    expect(rows(element)).to.deep.equal([
      ['https://x.example/a', '6'],
      ['https://y.example/', '1'],
    ]);
    expect($(element, 'caption').textContent).not.to.contain(' on ');

    element.setAttribute('by', 'page'); // and the attribute drives the control
    await settle(element);
    expect(source.subscribed).to.deep.equal(['page all']);
    expect($<HTMLSelectElement>(element, 'select[name="by"]').value).to.equal('page');
    expect(rows(element)).to.deep.equal([['/page', '2']]);
  });

  it('ignores counts that arrive for a view no longer shown', async () => {
    const source = new Source({ '/page': 1 }, { 'target all': { '/target': 2 } });
    source.hold('page all');
    const element = await mount(source);
    expect(rows(element)).to.deep.equal([['Loading…']]);
    await choose(element, 'by', 'target');
    expect(rows(element)).to.deep.equal([['/target', '2']]);
    source.release('page all');
    await settle(element);
    expect(rows(element)).to.deep.equal([['/target', '2']]);
  });

  it('ignores a batch its source delivers after it unsubscribed', async () => {
    const source = new Source({ '/page': 1 }, { 'target all': { '/target': 2 } });
    const element = await mount(source);
    const [late] = [...source.listeners]; // a refetch of the page's counts, still on its way
    await choose(element, 'by', 'target');
    late!.fn({ '/page': 3 });
    await element.updateComplete;
    expect(rows(element)).to.deep.equal([['/target', '2']]);
    source.publish({ '/target': 5 }, 'target all');
    await element.updateComplete;
    // The target's first batch is 3 clicks, not its whole count over a page's count.
    expect($(element, 'td.spark').textContent.trim()).to.equal('3 clicks in the last batch');
  });

  it('keeps a batch over a first read that resolves after it', async () => {
    const source = new Source({ '/a': 1 });
    source.hold('page all');
    const element = await mount(source);
    source.publish({ '/a': 2 });
    source.release('page all');
    await settle(element);
    expect(rows(element)).to.deep.equal([['/a', '2']]);
  });

  it('starts the sparklines anew for the other URLs', async () => {
    const source = new Source({ '/a': 5 }, { 'target all': { '/a': 1 } });
    const element = await mount(source);
    source.publish({ '/a': 6 });
    await choose(element, 'by', 'target');
    expect($(element, 'tbody td.spark').textContent.trim()).to.equal('no batch yet');
    source.publish({ '/a': 2 }, 'target all');
    await element.updateComplete;
    expect($(element, 'tbody td.spark').textContent.trim()).to.equal('1 click in the last batch');
  });

  it('switches the time window, keeping the sparklines on all-time counts', async () => {
    const source = new Source({ '/a': 10 }, { 'page 5m': { '/a': 3 } });
    const element = await mount(source);
    await choose(element, 'window', '5m');
    expect(source.subscribed).to.deep.equal(['page 5m', 'page all']);
    expect(rows(element)).to.deep.equal([['/a', '3']]);
    expect(element.getAttribute('window')).to.equal('5m');
    expect($(element, 'caption').textContent.trim()).to.equal(
      'Clicks per page URL, last 5 minutes',
    );

    source.publish({ '/a': 14 }); // all time: 4 more
    source.publish({ '/a': 7 }, 'page 5m');
    await element.updateComplete;
    expect(rows(element)).to.deep.equal([['/a', '7']]);
    expect($(element, 'polyline').getAttribute('points')).to.equal('57,0');
    expect($(element, 'td.spark').textContent.trim()).to.equal('4 clicks in the last batch');

    await choose(element, 'window', 'all');
    expect(source.subscribed).to.deep.equal(['page all']);
    expect(rows(element)).to.deep.equal([['/a', '14']]);
  });

  it("draws each URL's clicks in the recent batches as a sparkline", async () => {
    const source = new Source({ '/a': 1, '/b': 4 }); // the baseline
    const element = await mount(source, { sort: 'url', order: 'asc' });
    source.publish({ '/a': 3, '/b': 4 });
    source.publish({ '/a': 6, '/b': 5, '/c': 2 });
    source.publish({ '/a': 7, '/b': 5, '/c': 2 });
    await element.updateComplete;
    // Increments /a 2,3,1; /b 0,1,0; /c 0,2,0 (new in the 2nd batch). The newest is at x = 57,
    // each batch 3 to the left; y runs from 12 (none) to 0 (the URL's most in one batch).
    expect($$(element, 'polyline').map((line) => line.getAttribute('points'))).to.deep.equal([
      '51,4 54,0 57,8',
      '51,12 54,0 57,12',
      '51,12 54,0 57,12',
    ]);
    expect($$(element, 'tbody td.spark').map((cell) => cell.textContent.trim())).to.deep.equal([
      '6 clicks in the last 3 batches',
      '1 click in the last 3 batches',
      '2 clicks in the last 3 batches',
    ]);
  });

  it('keeps the last 20 batches of a sparkline', async () => {
    const source = new Source({ '/a': 0 });
    const element = await mount(source);
    for (let batch = 1; batch <= 25; batch++) source.publish({ '/a': (batch * (batch + 1)) / 2 });
    await element.updateComplete;
    const points = $(element, 'polyline').getAttribute('points')!.split(' ');
    expect(points).to.have.length(20);
    expect(points[0]).to.equal(`0,${+(12 - (6 / 25) * 12).toFixed(2)}`); // batch 6 of 25
    expect(points[19]).to.equal('57,0');
    expect($(element, 'svg').getAttribute('aria-hidden')).to.equal('true');
  });

  it('exports the filtered, sorted rows as CSV and JSON, quoting and defusing formulas', async () => {
    const hostile = {
      '/plain': 9,
      '=HYPERLINK("http://evil")': 8,
      '/a,b': 7,
      '/say "hi"': 6,
      '/line\nbreak': 5,
      '+1': 4,
      '-2': 3,
      '@x': 2,
      '\tt': 1,
      '\rr': 1,
    };
    const element = await mount(new Source(hostile), { limit: '2' });
    expect(element.toCSV()).to.equal(
      [
        'url,clicks',
        '/plain,9',
        `"'=HYPERLINK(""http://evil"")",8`,
        '"/a,b",7',
        '"/say ""hi""",6',
        '"/line\nbreak",5',
        "'+1,4",
        "'-2,3",
        "'@x,2",
        "'\tt,1",
        `"'\rr",1`,
        '',
      ].join('\r\n'),
    );
    expect(JSON.parse(element.toJSON())).to.deep.equal(
      Object.entries(hostile)
        .map(([url, clicks]) => ({ url, clicks }))
        .sort((a, b) => b.clicks - a.clicks || (a.url < b.url ? -1 : 1)),
    );

    const input = $<HTMLInputElement>(element, 'input[part="filter"]');
    input.value = 'A'; // ignoring case; the formula has no A
    input.dispatchEvent(new Event('input'));
    await click(element, $$(element, 'thead button')[1]!); // by count, ascending
    expect(element.toCSV()).to.equal(
      'url,clicks\r\n"/line\nbreak",5\r\n"/say ""hi""",6\r\n"/a,b",7\r\n/plain,9\r\n',
    );
    expect(JSON.parse(element.toJSON())).to.deep.equal([
      { url: '/line\nbreak', clicks: 5 },
      { url: '/say "hi"', clicks: 6 },
      { url: '/a,b', clicks: 7 },
      { url: '/plain', clicks: 9 },
    ]);
  });

  it('downloads the export from a Blob through an <a download>', async () => {
    const source = new Source({}, { 'target 5m': { '/a': 1, '/b': 2 } });
    const element = await mount(source, { by: 'target', window: '5m' });
    const links: HTMLAnchorElement[] = [];
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      links.push(this);
    };
    try {
      $<HTMLButtonElement>(element, 'button[aria-label="Download CSV"]').click();
      $<HTMLButtonElement>(element, 'button[aria-label="Download JSON"]').click();
    } finally {
      delete (HTMLAnchorElement.prototype as { click?: unknown }).click;
    }
    expect(links.map((link) => link.download)).to.deep.equal([
      'tabstream-clicks-target-5m.csv',
      'tabstream-clicks-target-5m.json',
    ]);
    expect(links.every((link) => link.href.startsWith('blob:'))).to.equal(true);
    const [csv, json] = await Promise.all(links.map(async (l) => (await fetch(l.href)).text()));
    expect(csv).to.equal('url,clicks\r\n/b,2\r\n/a,1\r\n');
    expect(JSON.parse(json!)).to.deep.equal([
      { url: '/b', clicks: 2 },
      { url: '/a', clicks: 1 },
    ]);
  });

  describe('with 10,000 URLs', () => {
    const url = (i: number) => `/u/${String(i).padStart(5, '0')}`;
    const many = (): Counts =>
      Object.fromEntries(Array.from({ length: 10000 }, (_, i) => [url(i), i + 1]));

    async function scrollTo(element: TabstreamCounts, top: number): Promise<HTMLElement> {
      const region = $(element, '[role="region"]');
      region.scrollTop = top;
      // Chromium fires scroll events with rendering, which a background tab (another test file
      // runs in the foreground) does not do: the event the element listens to, sent at once.
      region.dispatchEvent(new Event('scroll'));
      await element.updateComplete;
      return region;
    }

    /** The row drawn at the middle of the scroll region. */
    function rowInMiddle(element: TabstreamCounts): HTMLTableRowElement {
      const box = $(element, '[role="region"]').getBoundingClientRect();
      const hit = element.shadowRoot!.elementFromPoint(box.left + 20, box.top + box.height / 2)!;
      return hit.closest('tr')!;
    }

    it('shows the top rows again when taken out of the page scrolled and put back', async () => {
      const element = await mount(new Source(many()), { 'show-all': '' });
      await until(() => rows(element).length > 0);
      const rowHeight = $$(element, 'tbody tr[part="row"]')[0]!.getBoundingClientRect().height;
      await scrollTo(element, 5000 * rowHeight);
      expect(urls(element)[0]).to.not.equal(url(9999));
      element.remove();
      document.body.append(element); // its scroll region is at the top again
      await element.updateComplete;
      await until(() => urls(element)[0] !== 'Loading…'); // it reads the source again
      expect($(element, '[role="region"]').scrollTop).to.equal(0);
      expect(urls(element)[0]).to.equal(url(9999));
    });

    it('renders only the rows in view, with the full size for the scrollbar and assistive tech', async () => {
      const element = await mount(new Source(many()), { 'show-all': '' });
      await until(() => rows(element).length > 0);
      expect($(element, 'table').getAttribute('aria-rowcount')).to.equal('10002');
      const rendered = $$(element, 'tbody tr[part="row"]');
      expect(rendered.length).to.be.within(10, 60);
      expect(rendered[0]!.getAttribute('aria-rowindex')).to.equal('2');
      expect(urls(element)[0]).to.equal(url(9999));
      const region = $(element, '[role="region"]');
      const rowHeight = rendered[0]!.getBoundingClientRect().height;
      expect(region.scrollHeight).to.be.above(10000 * rowHeight);
      expect(region.scrollHeight).to.be.below(10003 * rowHeight + 200);

      await scrollTo(element, 5000 * rowHeight);
      const middle = rowInMiddle(element);
      const index = Number(middle.getAttribute('aria-rowindex')) - 2; // 0-based, below the header
      expect(index).to.be.within(5000, 5000 + region.clientHeight / rowHeight);
      expect(middle.querySelector('[part="url"]')!.textContent).to.equal(url(9999 - index));
      expect($$(element, 'tbody tr[part="row"]').length).to.be.within(10, 60);

      await scrollTo(element, region.scrollHeight);
      const last = $$(element, 'tbody tr[part="row"]').at(-1)!;
      expect(last.getAttribute('aria-rowindex')).to.equal('10001');
      expect(last.querySelector('[part="url"]')!.textContent).to.equal(url(0));
      expect(last.getBoundingClientRect().bottom).to.be.at.most(
        region.getBoundingClientRect().bottom,
      );
    });

    // How fast: `npm run bench -- ui`.
    it('re-renders a new batch of 10,000 URLs, the rows in view only', async () => {
      const source = new Source(many());
      const element = await mount(source, { 'show-all': '' });
      const next = many();
      next[url(0)] = 20000; // the least clicked becomes the most
      source.publish(next);
      await element.updateComplete;
      expect(urls(element)[0]).to.equal(url(0));
      expect($$(element, 'tbody tr[part="row"]').length).to.be.below(60);
    });

    it('moves a row focus with the arrow keys, Home and End', async () => {
      const element = await mount(new Source(many()), { 'show-all': '' });
      const focused = () => element.shadowRoot!.activeElement;
      $(element, '[role="region"]').focus();
      await sendKeys({ press: 'ArrowDown' });
      await until(() => focused()?.getAttribute('aria-rowindex') === '2');
      await sendKeys({ press: 'ArrowDown' });
      await until(() => focused()?.getAttribute('aria-rowindex') === '3');
      expect(focused()!.querySelector('[part="url"]')!.textContent).to.equal(url(9998));
      await sendKeys({ press: 'End' });
      await until(() => focused()?.getAttribute('aria-rowindex') === '10001');
      expect(focused()!.querySelector('[part="url"]')!.textContent).to.equal(url(0));
      await sendKeys({ press: 'ArrowUp' });
      await until(() => focused()?.getAttribute('aria-rowindex') === '10000');
      await sendKeys({ press: 'Home' });
      await until(() => focused()?.getAttribute('aria-rowindex') === '2');
    });

    it('keeps a row focus that a batch sorts away on the row now in its place', async () => {
      const source = new Source(many());
      const element = await mount(source, { 'show-all': '' });
      const focused = () => element.shadowRoot!.activeElement;
      const focusedRow = () => [
        focused()?.getAttribute('aria-rowindex'),
        focused()?.querySelector('[part="url"]')?.textContent,
      ];
      $(element, '[role="region"]').focus();
      await sendKeys({ press: 'ArrowDown' });
      await sendKeys({ press: 'ArrowDown' });
      await until(() => focused()?.getAttribute('aria-rowindex') === '3');
      expect(focusedRow()).to.deep.equal(['3', url(9998)]);

      // The focused URL falls from the 2nd row to the last, out of the DOM: the focus stays
      // on the 2nd row, in the element, and the arrow keys go on from there.
      const next = many();
      next[url(9998)] = 0;
      source.publish(next);
      await element.updateComplete;
      expect($$(element, `td[title="${url(9998)}"]`)).to.have.length(0);
      expect(document.activeElement?.localName).to.equal('tabstream-counts'); // not <body>
      expect(focusedRow()).to.deep.equal(['3', url(9997)]);
      await sendKeys({ press: 'ArrowDown' });
      await until(() => focused()?.getAttribute('aria-rowindex') === '4');
      expect(focusedRow()).to.deep.equal(['4', url(9996)]);

      // A URL that moves within the view keeps the focus.
      next[url(9996)] = 30000;
      source.publish({ ...next });
      await element.updateComplete;
      expect(focusedRow()).to.deep.equal(['2', url(9996)]);
      expect($(element, '[role="region"]').scrollTop).to.equal(0); // the view never jumped
    });

    it('keeps a row focus in the element when its row goes: the last row, or the region', async () => {
      const element = await mount(new Source(many()), { 'show-all': '' });
      const focused = () => element.shadowRoot!.activeElement;
      const region = $(element, '[role="region"]');
      region.focus();
      for (let i = 0; i < 6; i++) await sendKeys({ press: 'ArrowDown' });
      await until(() => focused()?.getAttribute('aria-rowindex') === '7');

      element.filter = '/u/0000'; // 10 rows, the focused one not among them
      await element.updateComplete;
      expect(focused()?.getAttribute('aria-rowindex')).to.equal('7');
      expect(focused()?.querySelector('[part="url"]')?.textContent).to.equal(url(4));
      element.filter = '/u/09999'; // fewer rows than its position: the last (the only one)
      await element.updateComplete;
      expect(focused()?.getAttribute('aria-rowindex')).to.equal('2');
      expect(focused()?.querySelector('[part="url"]')?.textContent).to.equal(url(9999));
      element.filter = 'no such URL'; // no row: the region
      await element.updateComplete;
      expect(focused()?.getAttribute('role')).to.equal('region');

      element.filter = '';
      await element.updateComplete;
      await sendKeys({ press: 'ArrowDown' });
      await until(() => focused()?.getAttribute('aria-rowindex') === '2');
      const far = 5000 * focused()!.getBoundingClientRect().height;
      region.scrollTop = far; // scrolled far away
      region.dispatchEvent(new Event('scroll'));
      await element.updateComplete;
      expect(focused()?.getAttribute('role')).to.equal('region');
      expect(region.scrollTop).to.equal(far); // the view stays (no scroll anchoring)
      // …from which the arrow keys go to the first row in view, below the sticky header.
      const header = $(element, 'thead th').getBoundingClientRect().bottom;
      const first = $$(element, 'tbody tr[part="row"]').find(
        (row) => row.getBoundingClientRect().top >= header - 1,
      )!;
      expect(Number(first.getAttribute('aria-rowindex'))).to.be.above(5000);
      await sendKeys({ press: 'ArrowDown' });
      await until(() => focused()?.getAttribute('part') === 'row');
      expect(focused()?.getAttribute('aria-rowindex')).to.equal(
        first.getAttribute('aria-rowindex'),
      );
    });
  });

  it('renders hostile URLs as text, never as markup', async () => {
    const hostile = ['"><img src=x onerror=alert(1)>', '<script>alert(1)</script>'];
    const element = await mount(new Source({ [hostile[0]!]: 2, [hostile[1]!]: 1 }));
    const cells = $$(element, '[part="url"]');
    expect(cells.map((cell) => cell.textContent)).to.deep.equal(hostile);
    expect(cells.map((cell) => cell.title)).to.deep.equal(hostile);
    expect(cells.every((cell) => cell.childElementCount === 0)).to.equal(true);
    expect(element.shadowRoot!.querySelector('img, script')).to.equal(null);
    expect(element.shadowRoot!.querySelector('[href], [src]')).to.equal(null);
  });

  it('can be used from the keyboard alone: Tab reaches every control in order', async () => {
    const before = document.createElement('button');
    before.className = 'test-fixture';
    before.textContent = 'before';
    document.body.append(before);
    const element = await mount(new Source({ '/a': 3, '/b': 2, '/c': 1 }), { limit: '2' });
    before.focus();
    const reached: string[] = [];
    for (let i = 0; i < 9; i++) {
      await sendKeys({ press: 'Tab' });
      const active = element.shadowRoot!.activeElement as HTMLElement | null;
      reached.push(
        active === null
          ? 'outside'
          : (active.getAttribute('name') ??
              active.getAttribute('aria-label') ??
              active.getAttribute('role') ??
              (active.textContent.trim() || active.getAttribute('part')!)),
      );
    }
    expect(reached).to.deep.equal([
      'by',
      'window',
      'filter',
      'region',
      'Page URL↕',
      'Clicks↓',
      'Show all',
      'Download CSV',
      'Download JSON',
    ]);
  });

  it('gives every control, and the scroll region, a name', async () => {
    const element = await mount(new Source({ '/a': 3, '/b': 2, '/c': 1 }), { limit: '2' });
    // A name as assistive tech computes it, for the kinds of naming used here.
    const text = (node: Node): string =>
      node instanceof Text
        ? node.data
        : node instanceof HTMLElement &&
            node.ariaHidden !== 'true' &&
            !node.matches('select, input')
          ? [...node.childNodes].map(text).join('')
          : '';
    const name = (control: HTMLElement): string => {
      const labelledBy = control.getAttribute('aria-labelledby');
      const labels =
        'labels' in control ? [...(control.labels as NodeListOf<HTMLLabelElement>)] : [];
      return (
        control.getAttribute('aria-label') ??
        (labelledBy ? text(element.shadowRoot!.getElementById(labelledBy)!) : null) ??
        (labels.length > 0 ? labels.map(text).join(' ') : text(control))
      )
        .replace(/\s+/g, ' ')
        .trim();
    };
    const names = $$(element, 'button, select, input, [role="region"]').map(
      (control) => `${control.localName}: ${name(control)}`,
    );
    expect(names).to.deep.equal([
      'select: Count by',
      'select: Over',
      'input: Filter',
      'div: Clicks per page URL, all time',
      'button: Page URL',
      'button: Clicks',
      'button: Show all',
      'button: Download CSV',
      'button: Download JSON',
    ]);
  });

  it('is themed by custom properties and ::part from the page', async () => {
    const style = document.createElement('style');
    style.className = 'test-fixture';
    style.textContent = `
      tabstream-counts.themed { --tabstream-accent: rgb(4, 5, 6); --tabstream-row-height: 40px; }
      tabstream-counts.themed::part(url) { color: rgb(1, 2, 3); }
      tabstream-counts.themed::part(controls) { outline: 3px solid rgb(7, 8, 9); }`;
    document.head.append(style);
    const element = await mount(new Source({ '/a': 2, '/b': 1 }));
    element.className = 'themed';
    expect(getComputedStyle($(element, '[part="url"]')).color).to.equal('rgb(1, 2, 3)');
    expect(getComputedStyle($(element, '[part="controls"]')).outlineColor).to.equal('rgb(7, 8, 9)');
    expect(getComputedStyle($(element, '[part="bar"]')).backgroundColor).to.equal('rgb(4, 5, 6)');
    expect(getComputedStyle($(element, 'polyline')).stroke).to.equal('rgb(4, 5, 6)');
    expect($(element, 'tr[part="row"]').getBoundingClientRect().height).to.be.closeTo(40, 1);
  });

  it("shows the page's own URLs as paths, cut in the middle to fit, each whole in its title", async () => {
    // Two long targets on the page's origin that differ only at their end, and a link out.
    const dir = `${location.origin}/downloads/2024/quarterly-reports/annual-review`;
    const pdf = `${dir}/report-2024-final.pdf`;
    const csv = `${dir}/report-2024-final.csv`;
    const out = 'https://partner.example/a/long/path/to/somewhere/else/entirely/landing.html';
    const targets = { [pdf]: 3, [csv]: 2, [out]: 1 };
    const element = document.createElement('tabstream-counts');
    element.style.width = '360px';
    element.by = 'target';
    element.source = new Source({}, { 'target all': targets });
    document.body.append(element);
    const cells = () => $$(element, 'tbody th.url');
    // Cut once the element has measured its URL column.
    await until(() => cells().length === 3 && cells().every((c) => c.textContent.includes('…')));
    const [pdfText, csvText, outText] = cells().map((cell) => cell.textContent);
    expect(pdfText).to.match(/^\/.*…\/report-2024-final\.pdf$/);
    expect(csvText).to.match(/^\/.*…\/report-2024-final\.csv$/);
    expect(outText).to.match(/^https:\/\/pa.*…\/landing\.html$/);
    expect(cells().map((cell) => cell.title)).to.deep.equal([pdf, csv, out]);
    // Cut to fit: no cell needs the browser's ellipsis at its end.
    for (const cell of cells()) expect(cell.scrollWidth).to.be.at.most(cell.clientWidth);
    expect($(element, 'caption').textContent).to.contain(`(paths on ${location.origin})`);

    // Wider, less is cut; the origin set by whoever shows the element (DevTools) wins.
    element.style.width = '900px';
    await until(() => cells()[0]!.textContent.length > pdfText!.length);
    element.origin = 'https://partner.example';
    await until(() => cells()[2]!.textContent.startsWith('/a/long/'));
    expect(cells()[0]!.textContent).to.match(/^http:\/\//);
  });

  it('hides the bars, then the sparklines, when narrow', async () => {
    const element = await mount(new Source({ '/a': 2 }));
    const shown = (selector: string) => getComputedStyle($(element, selector)).display !== 'none';
    element.style.width = '600px';
    expect([shown('td.spark'), shown('td.bar')]).to.deep.equal([true, true]);
    element.style.width = '400px'; // the floating panel
    expect([shown('td.spark'), shown('td.bar')]).to.deep.equal([true, false]);
    element.style.width = '260px'; // a narrow sidebar
    expect([shown('td.spark'), shown('td.bar')]).to.deep.equal([false, false]);
    expect(shown('[part="url"]')).to.equal(true);
  });

  it('fits 554 px and 360 px: controls wrap, the URL and its count in view, nothing sticks out', async () => {
    const long = `${location.origin}/a/very/long/path/that/would/not/fit/anywhere/narrow/page.html`;
    const element = await mount(new Source({ [long]: 1200, '/b': 2 }));
    for (const width of [554, 360]) {
      element.style.width = `${width}px`;
      await until(() => $(element, 'tbody th.url').textContent.includes('…'));
      const box = element.getBoundingClientRect();
      expect(element.scrollWidth, `${width}`).to.be.at.most(element.clientWidth);
      for (const part of $$(element, '.controls > *, .footer > *, tbody th.url, tbody td.count')) {
        const { left, right } = part.getBoundingClientRect();
        expect(left, `${width}: ${part.className}`).to.be.at.least(box.left - 0.5);
        expect(right, `${width}: ${part.className}`).to.be.at.most(box.right + 0.5);
      }
    }
  });

  it('says when the source fails, and logs it once', async () => {
    const source = new Source({ '/a': 1 });
    source.failure = new Error('the log is closed');
    const logged: unknown[][] = [];
    const error = console.error;
    console.error = (...args: unknown[]) => logged.push(args);
    try {
      const element = await mount(source, { window: '1m' }); // two views, both failing
      expect($(element, '[part="error"]').textContent).to.equal('Could not read the counts.');
      expect(logged).to.have.length(1);
      expect(logged[0]![1]).to.equal(source.failure);
      source.failure = null;
      source.publish({ '/a': 2 }, 'page 1m'); // a batch: the source works again
      await element.updateComplete;
      expect(element.shadowRoot!.querySelector('[part="error"]')).to.equal(null);
      expect(rows(element)).to.deep.equal([['/a', '2']]);
    } finally {
      console.error = error;
    }
  });

  it('says when the source cannot be subscribed to', async () => {
    const source = new Source({ '/a': 1 });
    const failure = new Error('closed');
    source.subscribe = () => {
      throw failure;
    };
    const logged: unknown[][] = [];
    const error = console.error;
    console.error = (...args: unknown[]) => logged.push(args);
    try {
      const element = await mount(source);
      expect($(element, '[part="error"]').textContent).to.equal('Could not read the counts.');
      expect(logged.map(([, reason]) => reason)).to.deep.equal([failure]);
    } finally {
      console.error = error;
    }
  });

  it('follows a source set after it was put on the page, and a new one', async () => {
    const element = await mount(undefined);
    expect(rows(element)).to.deep.equal([['Waiting for tabstream…']]);
    const first = new Source({ '/late': 3 });
    element.source = first;
    await settle(element);
    expect(rows(element)).to.deep.equal([['/late', '3']]);
    expect(first.subscribed).to.deep.equal(['page all']);

    const second = new Source({ '/next': 4 });
    element.source = second;
    await settle(element);
    expect(first.subscribed).to.deep.equal([]);
    expect(second.subscribed).to.deep.equal(['page all']);
    expect(rows(element)).to.deep.equal([['/next', '4']]);
  });

  it('waits for window.tabstream to appear', async () => {
    const element = await mount(undefined);
    const source = new Source({ '/from-page': 5 });
    (window as { tabstream?: unknown }).tabstream = source;
    await until(() => rows(element)[0]?.[0] === '/from-page', 2000);
    expect(source.subscribed).to.deep.equal(['page all']);
  });

  it('stops listening when removed from the page, and listens again when put back', async () => {
    const source = new Source({ '/a': 1 });
    const element = await mount(source, { window: '5m' });
    expect(source.subscribed).to.deep.equal(['page 5m', 'page all']);
    element.remove();
    expect(source.subscribed).to.deep.equal([]);
    document.body.append(element);
    await settle(element);
    expect(source.subscribed).to.deep.equal(['page 5m', 'page all']);
  });
});
