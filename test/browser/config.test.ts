import { expect } from 'chai';
import { readScriptConfig } from '../../src/config';

function script(attributes: Record<string, string>): HTMLScriptElement {
  const element = document.createElement('script');
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
}

describe('script tag configuration', () => {
  let errors: string[];
  const error = console.error;
  beforeEach(() => {
    errors = [];
    console.error = (message: string) => errors.push(message);
  });
  afterEach(() => (console.error = error));

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
