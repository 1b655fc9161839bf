// Fault suite, tracker: properties of redaction and URL normalising, over random input
// (fast-check). Card numbers, however written, never reach the log; order numbers do; no URL
// keeps its password, and none keeps a query or fragment it was not told to keep.
import { expect } from 'chai';
import fc from 'fast-check';
import { normaliseUrl, scrub } from '../../../src/tracker';
import {
  $,
  clearFixtures,
  click,
  fixture,
  ignoreOptOutsOfOtherPages,
  startTracker,
  stopTrackers,
} from '../tracker-helpers';

ignoreOptOutsOfOtherPages();

/** The code points of the digit 0 in scripts pages use: ASCII, full-width, Arabic-Indic, extended Arabic-Indic, Devanagari, Bengali, Thai, mathematical bold and double-struck. */
const ZEROS = [0x30, 0xff10, 0x660, 0x6f0, 0x966, 0x9e6, 0xe50, 0x1d7ce, 0x1d7d8];
/** What pages put between the digit groups of a card number. */
const SEPARATORS = [
  ' ',
  '  ',
  '-',
  '–',
  '—',
  '.',
  '/',
  '_',
  ' - ',
  '\u00a0',
  '\u2009',
  '\u3000',
  '．',
  '／',
  '＿',
  '－',
];
/** Text around a number: letters, punctuation and symbols, never a digit. */
const AROUND = fc.string({
  unit: fc.constantFrom(...'abcXYZ éü中:;,()€$#*!?\'"'.split('')),
  maxLength: 12,
});

/** The Luhn check digit that completes `digits`. */
function checkDigit(digits: readonly number[]): number {
  let sum = 0;
  digits.forEach((digit, i) => {
    const doubled = (digits.length - i) % 2 === 1;
    sum += doubled ? (digit * 2 > 9 ? digit * 2 - 9 : digit * 2) : digit;
  });
  return (10 - (sum % 10)) % 10;
}

function luhn(digits: readonly number[]): boolean {
  return checkDigit(digits.slice(0, -1)) === digits.at(-1);
}

/** 13 to 19 digits passing the Luhn check, or (`valid` false) failing it. */
const number = (valid: boolean) =>
  fc
    .tuple(
      fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 12, maxLength: 18 }),
      fc.integer({ min: 1, max: 9 }),
    )
    .map(([body, wrong]) => [...body, (checkDigit(body) + (valid ? 0 : wrong)) % 10]);

/** `digits` in the script of `zero`. */
const inScript = (digits: readonly number[], zero: number) =>
  digits.map((digit) => String.fromCodePoint(zero + digit)).join('');

/** `digits` cut into groups at `cuts` (fractions), each group in the script of `zero`, joined by separators. */
function written(digits: readonly number[], zero: number, cuts: number[], separators: string[]) {
  const at = [...new Set(cuts.map((cut) => 1 + Math.floor(cut * (digits.length - 1))))].sort(
    (a, b) => a - b,
  );
  const groups = [0, ...at].map((start, i) => digits.slice(start, at[i] ?? digits.length));
  return {
    groups,
    text: groups
      .map((group, i) => (i ? separators[i % separators.length] : '') + inScript(group, zero))
      .join(''),
  };
}

const grouping = fc.record({
  zero: fc.constantFrom(...ZEROS),
  cuts: fc.array(fc.double({ min: 0, max: 0.999, noNaN: true }), { maxLength: 6 }),
  separators: fc.array(fc.constantFrom(...SEPARATORS), { minLength: 1, maxLength: 6 }),
  before: AROUND,
  after: AROUND,
});

describe('faults, tracker: redaction over random input (fast-check)', () => {
  afterEach(() => {
    stopTrackers();
    clearFixtures();
  });

  it('redacts every Luhn-valid number of 13 to 19 digits, in any digit script, with any separators, in any text', () => {
    fc.assert(
      fc.property(number(true), grouping, (digits, { zero, cuts, separators, before, after }) => {
        const { text } = written(digits, zero, cuts, separators);
        expect(scrub(`${before}${text}${after}`)).to.equal(`${before}[redacted]${after}`);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps every run of 13 to 19 digits that fails the Luhn check, in any digit script', () => {
    fc.assert(
      fc.property(number(false), grouping, (digits, { zero, before, after }) => {
        const text = `${before}${inScript(digits, zero)}${after}`;
        expect(scrub(text)).to.equal(text);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps grouped numbers none of whose digit groups, taken together, make a Luhn-valid 13 to 19 digits', () => {
    fc.assert(
      fc.property(number(false), grouping, (digits, { zero, cuts, separators, before, after }) => {
        const { groups, text } = written(digits, zero, cuts, separators);
        for (let first = 0; first < groups.length; first++) {
          for (let last = first; last < groups.length; last++) {
            const run = groups.slice(first, last + 1).flat();
            fc.pre(run.length < 13 || run.length > 19 || !luhn(run));
          }
        }
        expect(scrub(`${before}${text}${after}`)).to.equal(`${before}${text}${after}`);
      }),
      { numRuns: 300 },
    );
  });

  it('records no card digit in the label of a clicked button, however the card is written', () => {
    fc.assert(
      fc.property(number(true), grouping, (digits, { zero, cuts, separators }) => {
        const { text } = written(digits, zero, cuts, separators);
        const page = fixture('<button></button>');
        $(page, 'button').textContent = `Pay with ${text} now`;
        const recorded = startTracker();
        click($(page, 'button'));
        recorded.tracker.drain();
        stopTrackers();
        clearFixtures();
        expect(recorded.click.label).to.equal('Pay with [redacted] now');
      }),
      { numRuns: 60 },
    );
  });
});

describe('faults, tracker: URLs over random input (fast-check)', () => {
  const token = (prefix: string) =>
    fc.stringMatching(/^[A-Za-z0-9]{4,10}$/).map((text) => `${prefix}${text}`);

  it('never keeps a password or user name; a query or fragment only as configured, and only of a URL it could parse', () => {
    fc.assert(
      fc.property(
        fc.record({
          scheme: fc.constantFrom('http', 'https', 'HTTP'),
          user: token('USR'),
          password: token('PWD'),
          host: fc.constantFrom('shop.example', 'localhost', '127.0.0.1', 'xn--bcher-kva.example'),
          port: fc.oneof(
            fc.integer({ min: 1, max: 65535 }),
            fc.integer({ min: 65536, max: 9999999 }),
          ),
          path: fc.stringMatching(/^(\/[a-z0-9._~-]{0,8}){0,4}$/),
          query: token('QRY'),
          hash: token('FRG'),
          keepQuery: fc.constantFrom<'none' | 'all' | string[]>('none', 'all', ['q']),
          keepHash: fc.boolean(),
        }),
        ({ scheme, user, password, host, port, path, query, hash, keepQuery, keepHash }) => {
          const href = `${scheme}://${user}:${password}@${host}:${port}${path}?q=${query}#${hash}`;
          const kept = normaliseUrl(href, { keepQuery, keepHash });
          expect(kept).not.to.contain(password);
          expect(kept).not.to.contain(user);
          const parsed = port <= 65535;
          if (keepQuery === 'none' || !parsed) expect(kept).not.to.contain(query);
          if (!keepHash || !parsed) expect(kept).not.to.contain(hash);
        },
      ),
      { numRuns: 500 },
    );
  });
});
