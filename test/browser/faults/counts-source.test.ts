import { expect } from 'chai';
import fc from 'fast-check';
import { countsOf } from '../../../src/ui/counts/feed';
import { TabstreamCounts, type CountsSource } from '../../../src/ui/counts/counts';
import { until } from '../helpers';

if (!customElements.get('tabstream-counts'))
  customElements.define('tabstream-counts', TabstreamCounts);

/** A source that gives `given` (whatever it is) as its counts, now and at every batch. */
function sourceOf(given: unknown): CountsSource {
  return {
    counts: () => Promise.resolve(given as Record<string, number>),
    subscribe: () => () => {},
  };
}

async function mount(source: CountsSource): Promise<TabstreamCounts> {
  const element = document.createElement('tabstream-counts');
  element.source = source;
  document.body.append(element);
  await until(() => !element.shadowRoot!.textContent.includes('Loading'));
  await element.updateComplete;
  return element;
}

/** Console warnings and errors while `run` runs. */
async function consoleOf(run: () => Promise<void>): Promise<string[]> {
  const said: string[] = [];
  const { warn, error } = console;
  console.warn = (...args: unknown[]) => said.push(String(args[0]));
  console.error = (...args: unknown[]) => said.push(String(args[0]));
  try {
    await run();
  } finally {
    Object.assign(console, { warn, error });
  }
  return said;
}

describe('faults: a counts source that gives what are not counts', () => {
  afterEach(() => document.querySelectorAll('tabstream-counts').forEach((e) => e.remove()));

  it('exports no formula and shows no NaN for clicks that are strings', async () => {
    let element!: TabstreamCounts;
    const said = await consoleOf(async () => {
      element = await mount(sourceOf({ '/a': 2, '/b': '=1+1', '/c': 'NaN' }));
    });
    expect(element.toCSV()).to.equal('url,clicks\r\n/a,2\r\n');
    expect(element.shadowRoot!.textContent).not.to.include('NaN');
    expect(said.filter((text) => /2 values that are not counts/.test(text))).to.have.length(1);
  });

  it('drops negative, fractional, infinite and unsafe counts, keeping the good ones', async () => {
    const element = await mount(
      sourceOf({ '/ok': 3, '/neg': -1, '/frac': 1.5, '/inf': Infinity, '/big': 2 ** 60 }),
    );
    expect(JSON.parse(element.toJSON())).to.deep.equal([{ url: '/ok', clicks: 3 }]);
  });

  it('keeps a URL named __proto__ as a row, not as the prototype', () => {
    const given = JSON.parse('{"__proto__": 4, "/a": 1}') as unknown;
    const { counts } = countsOf(given);
    expect(Object.entries(counts)).to.deep.equal([
      ['__proto__', 4],
      ['/a', 1],
    ]);
  });

  for (const given of [null, 'counts', 42, [1, 2]]) {
    it(`says the source failed, not "Loading…", when it gives ${JSON.stringify(given)}`, async () => {
      const element = await mount(sourceOf(given));
      expect(element.shadowRoot!.textContent).to.match(/could not read the counts/i);
    });
  }

  it('passes on exactly the whole numbers ≥ 0, for any object (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.anything()), (given) => {
        const { counts, dropped } = countsOf(given);
        const good = Object.entries(given).filter(
          ([, v]) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0,
        );
        expect(Object.entries(counts)).to.deep.equal(good);
        expect(dropped).to.equal(Object.keys(given).length - good.length);
      }),
    );
  });
});
