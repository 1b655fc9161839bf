import { expect } from 'chai';
import fc from 'fast-check';
import { checkConfig, readScriptConfig, type TabstreamConfig } from '../../../src/api/config';

function script(attributes: Record<string, string>): HTMLScriptElement {
  const element = document.createElement('script');
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
}

/** The console errors while `run` runs, and what it returned. */
function withErrors<T>(run: () => T): [T, string[]] {
  const errors: string[] = [];
  const { error } = console;
  console.error = (message: string) => errors.push(message);
  try {
    return [run(), errors];
  } finally {
    console.error = error;
  }
}

const ATTRIBUTES = [
  'data-partitions',
  'data-batch-interval',
  'data-workers',
  'data-master',
  'data-log',
  'data-capture',
  'data-keep-query',
  'data-keep-hash',
  'data-replace-state',
  'data-ignore',
  'data-respect-dnt',
  'data-respect-gpc',
  'data-panel',
];

describe('faults: hostile configuration', () => {
  for (const word of ['__proto__', 'constructor']) {
    it(`names data-keep-hash="${word}" as the invalid attribute, and uses the default`, () => {
      const [config, errors] = withErrors(() =>
        readScriptConfig(script({ 'data-keep-hash': word })),
      );
      expect(config).to.deep.equal({});
      expect(errors).to.deep.equal([
        `tabstream: data-keep-hash="${word}" is invalid: use "true" or "false". Using the default.`,
      ]);
    });
  }

  for (const text of ['0x10', '1e1', '0b11', '0o7', ' 16.0', '+4', '-0', 'Infinity', '4 4']) {
    it(`refuses data-partitions="${text}": whole numbers are written in digits`, () => {
      const [config, errors] = withErrors(() =>
        readScriptConfig(script({ 'data-partitions': text })),
      );
      expect(config).to.deep.equal({});
      expect(errors).to.have.length(1);
      expect(errors[0]).to.contain(`data-partitions="${text}" is invalid`);
    });
  }

  it('names an init() option whose value is cyclic or a BigInt, without throwing', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const [checked, errors] = withErrors(() =>
      checkConfig({ partitions: cyclic, workers: 10n } as unknown as TabstreamConfig, []),
    );
    expect(checked).to.deep.equal({});
    expect(errors).to.have.length(2);
    expect(errors[0]).to.contain(
      'option partitions: a value that is not JSON (cyclic, or a BigInt) is invalid',
    );
    expect(errors[1]).to.contain(
      'option workers: a value that is not JSON (cyclic, or a BigInt) is invalid',
    );
  });

  it('names a hostile init() master (not a string, a huge count, a prototype name), without throwing', () => {
    const values = [
      { toString: () => 'local[2]' },
      ['local[2]'],
      2,
      `local[${'9'.repeat(400)}]`,
      '__proto__',
    ];
    for (const master of values) {
      const [checked, errors] = withErrors(() =>
        checkConfig({ master } as unknown as TabstreamConfig, []),
      );
      expect(checked).to.deep.equal({});
      expect(errors).to.have.length(1);
      expect(errors[0]).to.match(/^tabstream: option master: .* is invalid: use "local", /);
    }
  });

  it('reads any attribute text to a valid value or to one error naming it (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ATTRIBUTES), fc.string({ maxLength: 40 }), (name, text) => {
        const [config, errors] = withErrors(() => readScriptConfig(script({ [name]: text })));
        const values = Object.values(config);
        if (values.length === 0) {
          expect(errors).to.have.length(1);
          expect(errors[0]).to.contain(`${name}="${text}" is invalid`);
        } else {
          expect(errors).to.deep.equal([]);
          // What the tag accepts, init() accepts: the same option, checked the same way.
          const [checked, again] = withErrors(() => checkConfig(config, []));
          expect(checked).to.deep.equal(config);
          expect(again).to.deep.equal([]);
        }
      }),
    );
  });
});
