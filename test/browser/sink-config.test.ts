// The Kafka sink as a site turns it on: the data-kafka-* attributes and init's `sink`, checked
// before anything is shipped; an invalid sink is named and stays off.
import { expect } from 'chai';
import { checkConfig, readScriptConfig } from '../../src/api/config';

function script(attributes: Record<string, string>): HTMLScriptElement {
  const element = document.createElement('script');
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
}

describe('the Kafka sink: configuration', () => {
  const errors: string[] = [];
  const error = console.error;
  beforeEach(() => {
    errors.length = 0;
    console.error = (message: string) => errors.push(message);
  });
  afterEach(() => (console.error = error));

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
