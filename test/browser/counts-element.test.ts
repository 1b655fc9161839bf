import { expect } from 'chai';
import { defineElements, type CountsSource, type TabstreamCounts } from '../../src/ui';

type Counts = Record<string, number>;

/** A source of counts driven by the test: what window.tabstream looks like to the element. */
class Source implements CountsSource {
  private listener: ((counts: Counts) => void) | null = null;
  constructor(private current: Counts) {}
  counts = () => Promise.resolve({ ...this.current });
  subscribe(listener: (counts: Counts) => void) {
    this.listener = listener;
    return () => (this.listener = null);
  }
  publish(counts: Counts) {
    this.current = counts;
    this.listener?.(counts);
  }
  get subscribed() {
    return this.listener !== null;
  }
}

async function mount(source: Source): Promise<TabstreamCounts> {
  defineElements();
  const element = document.createElement('tabstream-counts');
  element.source = source;
  document.body.append(element);
  await new Promise((resolve) => setTimeout(resolve, 0));
  await element.updateComplete;
  return element;
}

function rows(element: TabstreamCounts): string[][] {
  return [...element.shadowRoot!.querySelectorAll('tbody tr')].map((row) =>
    [...row.querySelectorAll('td')].slice(0, 2).map((cell) => cell.textContent.trim()),
  );
}

describe('<tabstream-counts>', () => {
  afterEach(() => document.querySelectorAll('tabstream-counts').forEach((e) => e.remove()));

  it('shows counts per URL, most clicked first, with the total', async () => {
    const element = await mount(new Source({ '/b': 2, '/a': 5, '/c': 2 }));
    expect(rows(element)).to.deep.equal([
      ['/a', '5'],
      ['/b', '2'],
      ['/c', '2'],
    ]);
    const total = element.shadowRoot!.querySelector('tfoot td')!.textContent;
    expect(total).to.equal('9');
    expect(element.shadowRoot!.querySelector('table caption')!.textContent).to.contain('Clicks');
  });

  it('updates live when the source publishes a batch', async () => {
    const source = new Source({});
    const element = await mount(source);
    expect(rows(element)).to.deep.equal([['No clicks counted yet.']]);
    source.publish({ '/x': 1 });
    await element.updateComplete;
    expect(rows(element)).to.deep.equal([['/x', '1']]);
  });

  it('renders a hostile URL as text, never as markup', async () => {
    const hostile = '"><img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';
    const element = await mount(new Source({ [hostile]: 1 }));
    expect(element.shadowRoot!.querySelector('img, script')).to.equal(null);
    expect(rows(element)[0]![0]).to.equal(hostile);
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
  });

  it('follows a source set after it was put on the page', async () => {
    defineElements();
    const element = document.createElement('tabstream-counts');
    document.body.append(element);
    const source = new Source({ '/late': 3 });
    element.source = source;
    await new Promise((resolve) => setTimeout(resolve, 0));
    await element.updateComplete;
    expect(rows(element)).to.deep.equal([['/late', '3']]);
    expect(source.subscribed).to.equal(true);
  });

  it('stops listening when removed from the page', async () => {
    const source = new Source({ '/a': 1 });
    const element = await mount(source);
    expect(source.subscribed).to.equal(true);
    element.remove();
    expect(source.subscribed).to.equal(false);
  });
});
