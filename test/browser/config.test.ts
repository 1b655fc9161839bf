import { expect } from 'chai';
import { checkConfig, readScriptConfig, type TabstreamConfig } from '../../src/api/config';

function script(attributes: Record<string, string>): HTMLScriptElement {
  const element = document.createElement('script');
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
}

/** The console errors of each test of the suite, collected instead of printed. */
function consoleErrors(): string[] {
  const errors: string[] = [];
  const error = console.error;
  beforeEach(() => {
    errors.length = 0;
    console.error = (message: string) => errors.push(message);
  });
  afterEach(() => (console.error = error));
  return errors;
}

describe('script tag configuration', () => {
  const errors = consoleErrors();

  it('reads valid data-* attributes', () => {
    const config = readScriptConfig(
      script({
        'data-partitions': '8',
        'data-batch-interval': '500',
        'data-workers': '2',
        'data-log': 'shop',
      }),
    );
    expect(config).to.deep.equal({ partitions: 8, batchIntervalMs: 500, workers: 2, log: 'shop' });
    expect(errors).to.deep.equal([]);
  });

  it('names each invalid attribute and its valid values, and keeps the default', () => {
    const config = readScriptConfig(
      script({ 'data-partitions': 'four', 'data-batch-interval': '10', 'data-log': 'a b' }),
    );
    expect(config).to.deep.equal({});
    expect(errors).to.have.length(3);
    expect(errors[0]).to.contain(
      'data-partitions="four" is invalid: use a whole number from 1 to 64',
    );
    expect(errors[1]).to.contain('data-batch-interval="10"');
    expect(errors[2]).to.contain('data-log="a b"');
  });

  it('works without a script element (an ES module import)', () => {
    expect(readScriptConfig(null)).to.deep.equal({});
  });
});

describe('script tag configuration of the tracker', () => {
  const errors = consoleErrors();

  /** The configuration read from one attribute. */
  const read = (attribute: string, value: string) =>
    readScriptConfig(script({ [attribute]: value }));

  /** Each value of `attribute` reads as its pair, with no console error. */
  function valid(attribute: string, cases: [string, TabstreamConfig][]) {
    for (const [value, config] of cases) {
      errors.length = 0;
      expect(read(attribute, value), `${attribute}="${value}"`).to.deep.equal(config);
      expect(errors, `${attribute}="${value}"`).to.deep.equal([]);
    }
  }

  /** Each value of `attribute` is one console error naming it and `validValues`; the default is kept. */
  function invalid(attribute: string, values: string[], validValues: string) {
    for (const value of values) {
      errors.length = 0;
      expect(read(attribute, value), `${attribute}="${value}"`).to.deep.equal({});
      expect(errors).to.deep.equal([
        `tabstream: ${attribute}="${value}" is invalid: use ${validValues}. Using the default.`,
      ]);
    }
  }

  it('reads data-capture: a list of clicks, pageviews, custom, scrolls, or none', () => {
    valid('data-capture', [
      ['clicks,pageviews', { capture: ['clicks', 'pageviews'] }],
      ['scrolls, pageviews', { capture: ['scrolls', 'pageviews'] }],
      [' custom , clicks ', { capture: ['custom', 'clicks'] }],
      ['clicks,pageviews,custom', { capture: ['clicks', 'pageviews', 'custom'] }],
      ['none', { capture: [] }],
    ]);
    invalid(
      'data-capture',
      ['bogus', 'clicks,bogus', 'clicks,none', '', 'Clicks'],
      'a comma-separated list of "clicks", "pageviews", "custom", "scrolls", or "none"',
    );
  });

  it('reads data-keep-query: none, all, or parameter names', () => {
    valid('data-keep-query', [
      ['none', { keepQuery: 'none' }],
      ['all', { keepQuery: 'all' }],
      ['utm_source, ref', { keepQuery: ['utm_source', 'ref'] }],
      ['utm_source', { keepQuery: ['utm_source'] }],
    ]);
    invalid(
      'data-keep-query',
      ['a b', 'a=b', '', ','],
      '"none", "all", or a comma-separated list of parameter names',
    );
  });

  it('reads data-keep-hash: true, false, or empty (true)', () => {
    valid('data-keep-hash', [
      ['true', { keepHash: true }],
      ['false', { keepHash: false }],
      ['', { keepHash: true }],
      ['TRUE', { keepHash: true }],
    ]);
    invalid('data-keep-hash', ['yes', '1', 'off'], '"true" or "false"');
  });

  it('reads data-replace-state: path, url or never', () => {
    valid('data-replace-state', [
      ['path', { replaceState: 'path' }],
      ['url', { replaceState: 'url' }],
      ['never', { replaceState: 'never' }],
    ]);
    invalid('data-replace-state', ['always', '', 'URL'], '"path", "url", "never"');
  });

  it('reads data-ignore: a CSS selector list', () => {
    valid('data-ignore', [
      ['.admin, #chat', { ignore: '.admin, #chat' }],
      ['[data-private] button', { ignore: '[data-private] button' }],
    ]);
    invalid(
      'data-ignore',
      ['###', '', '.a,', 'div['],
      'a CSS selector list, such as ".admin, #chat"',
    );
  });

  it('reads data-respect-dnt, data-respect-gpc and data-panel as booleans', () => {
    for (const [attribute, key] of [
      ['data-respect-dnt', 'respectDnt'],
      ['data-respect-gpc', 'respectGpc'],
      ['data-panel', 'panel'],
    ] as const) {
      valid(attribute, [
        ['true', { [key]: true }],
        ['false', { [key]: false }],
        ['', { [key]: true }],
      ]);
      invalid(attribute, ['yes', 'on'], '"true" or "false"');
    }
  });

  it('reads every tracker attribute together, and logs one error per invalid one', () => {
    const config = readScriptConfig(
      script({
        'data-capture': 'clicks',
        'data-keep-query': 'bad name',
        'data-keep-hash': 'false',
        'data-replace-state': 'url',
        'data-ignore': '###',
        'data-respect-dnt': 'true',
        'data-respect-gpc': 'maybe',
        'data-panel': '',
        'data-unknown': 'whatever',
      }),
    );
    expect(config).to.deep.equal({
      capture: ['clicks'],
      keepHash: false,
      replaceState: 'url',
      respectDnt: true,
      panel: true,
    });
    expect(errors).to.have.length(3);
    expect(errors[0]).to.contain('data-keep-query="bad name"');
    expect(errors[1]).to.contain('data-ignore="###"');
    expect(errors[2]).to.contain('data-respect-gpc="maybe"');
  });
});

describe('init() configuration (checkConfig)', () => {
  const errors = consoleErrors();

  const createWorker = (name: string) => new Worker('about:blank', { name });

  it('keeps valid options and the others as they are, with no console error', () => {
    const config = {
      log: 'shop',
      partitions: 8,
      batchIntervalMs: 500,
      workers: 2,
      capture: ['clicks', 'custom'],
      keepQuery: ['utm_source'],
      keepHash: true,
      replaceState: 'never',
      ignore: '.admin, #chat',
      respectDnt: true,
      respectGpc: false,
      panel: true,
      createWorker,
    } satisfies TabstreamConfig & { createWorker: unknown };
    const checked = checkConfig(config, ['createWorker']);
    expect(checked).to.deep.equal(config);
    expect(checked.createWorker).to.equal(createWorker);
    expect(errors).to.deep.equal([]);
  });

  it("accepts keepQuery 'none' and 'all', and an empty capture list", () => {
    for (const config of [{ keepQuery: 'none' }, { keepQuery: 'all' }, { capture: [] }] as const) {
      expect(checkConfig(config, [])).to.deep.equal(config);
    }
    expect(errors).to.deep.equal([]);
  });

  it('does not change the object it is given', () => {
    const config = { partitions: 0, bogus: 1 };
    checkConfig(config as TabstreamConfig, []);
    expect(config).to.deep.equal({ partitions: 0, bogus: 1 });
  });

  const invalid: [keyof TabstreamConfig, unknown, string][] = [
    ['partitions', 0, 'option partitions: 0 is invalid: use a whole number from 1 to 64'],
    ['partitions', 2.5, 'option partitions: 2.5 is invalid'],
    [
      'batchIntervalMs',
      '500',
      'option batchIntervalMs: "500" is invalid: use a whole number from 100 to 600000',
    ],
    ['workers', 17, 'option workers: 17 is invalid: use a whole number from 1 to 16'],
    ['log', 'a b', 'option log: "a b" is invalid'],
    [
      'capture',
      ['clicks', 'bogus'],
      'option capture: ["clicks","bogus"] is invalid: use a comma-separated list of "clicks", "pageviews", "custom", "scrolls"',
    ],
    ['capture', 'clicks', 'option capture: "clicks" is invalid'],
    [
      'keepQuery',
      'some',
      'option keepQuery: "some" is invalid: use "none", "all", or a comma-separated list of parameter names',
    ],
    ['keepQuery', ['a b'], 'option keepQuery: ["a b"] is invalid'],
    ['keepHash', 'yes', 'option keepHash: "yes" is invalid: use "true" or "false"'],
    [
      'replaceState',
      'always',
      'option replaceState: "always" is invalid: use "path", "url", "never"',
    ],
    [
      'ignore',
      '###',
      'option ignore: "###" is invalid: use a CSS selector list, such as ".admin, #chat"',
    ],
    ['ignore', null, 'option ignore: null is invalid'],
    ['respectDnt', 1, 'option respectDnt: 1 is invalid: use "true" or "false"'],
    ['respectGpc', 'true', 'option respectGpc: "true" is invalid'],
    ['panel', () => true, 'option panel: a function is invalid'],
  ];
  for (const [key, value, message] of invalid) {
    it(`logs one error for ${key}: ${typeof value === 'function' ? 'a function' : JSON.stringify(value)}, and drops it`, () => {
      // A valid option beside it is kept.
      const beside = key === 'panel' ? { keepHash: true } : { panel: true };
      const checked = checkConfig({ ...beside, [key]: value }, []);
      expect(checked).to.deep.equal(beside);
      expect(errors).to.have.length(1);
      expect(errors[0]).to.contain(message);
      expect(errors[0]).to.match(/^tabstream: .*\. Using the default\.$/);
    });
  }

  it('logs one error for each unknown option, and drops it', () => {
    const checked = checkConfig(
      {
        keepHash: true,
        keepQuerry: 'all',
        createWorkers: createWorker,
        createWorker,
      } as TabstreamConfig,
      ['createWorker'],
    );
    expect(checked).to.deep.equal({ keepHash: true, createWorker });
    expect(errors).to.have.length(2);
    expect(errors[0]).to.match(
      /^tabstream: option keepQuerry is unknown: use partitions, .*\blog\b.*\bkeepQuery\b.*\. Ignoring it\.$/,
    );
    expect(errors[1]).to.contain('option createWorkers is unknown');
  });

  it('logs one error per problem, invalid values and unknown keys together', () => {
    const checked = checkConfig(
      {
        partitions: 0,
        capture: ['bogus'],
        keepHash: 'yes',
        ignore: '###',
        panel: true,
        colour: 'blue',
        createWorker,
      } as unknown as TabstreamConfig,
      ['createWorker'],
    );
    expect(checked).to.deep.equal({ panel: true, createWorker });
    expect(errors).to.have.length(5);
    expect(errors.filter((message) => message.includes('is unknown'))).to.have.length(1);
  });
});

describe("data-master and init's master: Spark's spelling of the executors", () => {
  const errors = consoleErrors();
  const cores = Math.min(16, navigator.hardwareConcurrency);
  const VALID_MASTERS = '"local", "local[N]" with N from 1 to 16, or "local[*]"';

  it('reads local as 1 worker, local[N] as N (1 to 16), local[*] as navigator.hardwareConcurrency', () => {
    for (const [text, workers] of [
      ['local', 1],
      ['local[1]', 1],
      ['local[2]', 2],
      ['local[16]', 16],
      [' local[4] ', 4],
      ['local[*]', cores],
    ] as const) {
      const master = text.trim();
      expect(readScriptConfig(script({ 'data-master': text })), text).to.deep.equal({
        master,
        workers,
      });
      expect(checkConfig({ master }, []), master).to.deep.equal({ master, workers });
    }
    expect(errors).to.deep.equal([]);
  });

  it('names an invalid data-master and its valid values, and keeps the default', () => {
    for (const text of ['local[0]', 'local[17]', 'local[]', 'LOCAL', 'local[2,3]', 'locally', '']) {
      errors.length = 0;
      expect(readScriptConfig(script({ 'data-master': text })), text).to.deep.equal({});
      expect(errors).to.deep.equal([
        `tabstream: data-master="${text}" is invalid: use ${VALID_MASTERS}. Using the default.`,
      ]);
    }
    errors.length = 0;
    expect(checkConfig({ master: 'local[99]' }, [])).to.deep.equal({});
    expect(errors).to.deep.equal([
      `tabstream: option master: "local[99]" is invalid: use ${VALID_MASTERS}. Using the default.`,
    ]);
  });

  it("says a cluster's master runs no executors in the browser: that is issue 18's Kafka + Spark", () => {
    const masters = [
      'spark://host:7077',
      'yarn',
      'k8s://https://host:6443',
      'mesos://host:5050',
      'local-cluster[2,1,1024]',
    ];
    for (const master of masters) {
      errors.length = 0;
      expect(readScriptConfig(script({ 'data-master': master }))).to.deep.equal({});
      expect(checkConfig({ master }, [])).to.deep.equal({});
      expect(errors, master).to.have.length(2);
      for (const error of errors) {
        expect(error).to.contain(
          `is invalid: tabstream runs only local masters in the browser (use ${VALID_MASTERS}); ` +
            "a real cluster is issue 18's Kafka + Spark. Using the default.",
        );
      }
      expect(errors[0]).to.contain(`data-master="${master}"`);
      expect(errors[1]).to.contain(`option master: "${master}"`);
    }
  });

  it('with data-workers too: the same count says nothing; another is one error naming both, data-workers used', () => {
    expect(
      readScriptConfig(script({ 'data-master': 'local[3]', 'data-workers': '3' })),
    ).to.deep.equal({ master: 'local[3]', workers: 3 });
    expect(errors).to.deep.equal([]);
    expect(
      readScriptConfig(script({ 'data-master': 'local[2]', 'data-workers': '4' })),
    ).to.deep.equal({ master: 'local[2]', workers: 4 });
    expect(errors).to.deep.equal([
      'tabstream: data-master="local[2]" (2 workers) and data-workers="4" disagree: using data-workers="4".',
    ]);
    errors.length = 0;
    expect(checkConfig({ master: 'local', workers: 2 }, [])).to.deep.equal({
      master: 'local',
      workers: 2,
    });
    expect(errors).to.deep.equal([
      'tabstream: option master: "local" (1 worker) and option workers: 2 disagree: using option workers: 2.',
    ]);
  });

  it('an invalid data-workers beside a valid data-master: one error, the master used', () => {
    expect(
      readScriptConfig(script({ 'data-master': 'local[2]', 'data-workers': '99' })),
    ).to.deep.equal({ master: 'local[2]', workers: 2 });
    expect(errors).to.have.length(1);
    expect(errors[0]).to.contain('data-workers="99" is invalid');
  });
});

// The Kafka sink as a site turns it on: one sink of the data-kafka-* attributes or init's `sink`,
// or none, named.
describe('the Kafka sink: configuration', () => {
  const errors = consoleErrors();

  it('is off without data-kafka-rest', () => {
    expect(readScriptConfig(script({ 'data-partitions': '2' }))).to.deep.equal({ partitions: 2 });
    expect(errors).to.deep.equal([]);
  });

  it('reads the four attributes as one sink', () => {
    const config = readScriptConfig(
      script({
        'data-kafka-rest': 'https://proxy.example:8082',
        'data-kafka-rest-api': 'v3',
        'data-kafka-cluster': 'lkc-1',
        'data-kafka-topics': 'clicks, pageviews',
      }),
    );
    expect(config.sink).to.deep.equal({
      url: 'https://proxy.example:8082',
      api: 'v3',
      cluster: 'lkc-1',
      topics: ['clicks', 'pageviews'],
    });
    expect(errors).to.deep.equal([]);
  });

  it('defaults to v2 and all topics: only the URL is needed', () => {
    const config = readScriptConfig(script({ 'data-kafka-rest': 'http://127.0.0.1:8082' }));
    expect(config.sink).to.deep.equal({ url: 'http://127.0.0.1:8082' });
  });

  for (const [attributes, problem] of [
    [{ 'data-kafka-rest': 'proxy.example' }, 'http(s) URL'],
    [{ 'data-kafka-rest': 'javascript:alert(1)' }, 'http(s) URL'],
    [{ 'data-kafka-rest': 'https://p.example', 'data-kafka-rest-api': 'v4' }, "'v2' or 'v3'"],
    [{ 'data-kafka-rest': 'https://p.example', 'data-kafka-rest-api': 'v3' }, 'needs a cluster'],
    [{ 'data-kafka-rest': 'https://p.example', 'data-kafka-topics': 'a b' }, 'topic names'],
    [{ 'data-kafka-topics': 'clicks' }, 'without data-kafka-rest'],
  ] as const)
    it(`names ${JSON.stringify(attributes)} in one error, and ships nothing`, () => {
      expect(readScriptConfig(script(attributes))).to.deep.equal({});
      expect(errors).to.have.length(1);
      expect(errors[0]).to.contain(problem).and.contain('nothing is shipped');
    });

  it("checks init's sink as the attributes are checked", () => {
    const sink = { url: 'https://p.example', api: 'v2', topics: ['clicks'] } as const;
    expect(checkConfig({ sink }, []).sink).to.deep.equal(sink);
    expect(errors).to.deep.equal([]);
    for (const hostile of [
      'https://p.example',
      { url: 'https://p.example', api: 'v3' },
      { url: 'https://p.example', proxy: 'x' },
      { url: 'https://p.example', topics: [{ toString: () => 'clicks' }] },
    ]) {
      errors.length = 0;
      const checked = checkConfig({ sink: hostile as never, partitions: 2 }, []);
      expect(checked).to.deep.equal({ partitions: 2 });
      expect(errors, JSON.stringify(hostile)).to.have.length(1);
      expect(errors[0]).to.contain('option sink').and.contain('nothing is shipped');
    }
  });
});
