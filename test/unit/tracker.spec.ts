import { describe, expect, it } from 'vitest';
import { checkCustomEvent, MAX_PROPS, normaliseUrl, scrub } from '../../src/tracker';
import { fraction } from '../../src/tracker/fraction';

describe('normaliseUrl', () => {
  const url = 'https://shop.example/beans/kenya?utm_source=news&token=s3cret#reviews';

  it('drops the query and the hash by default: tokens in URLs stay out of the log', () => {
    expect(normaliseUrl(url, { keepQuery: 'none', keepHash: false })).toBe(
      'https://shop.example/beans/kenya',
    );
  });

  it('drops a user name and password', () => {
    expect(
      normaliseUrl('https://ann:pw@shop.example/a', { keepQuery: 'all', keepHash: true }),
    ).toBe('https://shop.example/a');
  });

  it('keeps all parameters, the named ones only, and the hash, as configured', () => {
    expect(normaliseUrl(url, { keepQuery: 'all', keepHash: true })).toBe(url);
    expect(normaliseUrl(url, { keepQuery: ['utm_source', 'ref'], keepHash: false })).toBe(
      'https://shop.example/beans/kenya?utm_source=news',
    );
  });

  it('leaves what is not a URL alone, and keeps only the scheme of one that is not http(s)', () => {
    expect(normaliseUrl('not a url', { keepQuery: 'none', keepHash: false })).toBe('not a url');
    expect(
      normaliseUrl('mailto:a@b.example?subject=x', { keepQuery: 'none', keepHash: false }),
    ).toBe('mailto:');
    expect(normaliseUrl('data:text/csv,ann@b.example', { keepQuery: 'all', keepHash: true })).toBe(
      'data:',
    );
    expect(
      normaliseUrl('javascript:alert(document.cookie)', { keepQuery: 'none', keepHash: false }),
    ).toBe('javascript:');
  });

  it('keeps of a URL it cannot parse no user, password, query or fragment, whatever the rules', () => {
    const all = { keepQuery: 'all', keepHash: true } as const;
    expect(normaliseUrl('http://user:PASSW0RD@host:99999/?token=TOK1', all)).toBe(
      'http://host:99999/',
    );
    expect(normaliseUrl('https://a@b@host:99999/p#x', all)).toBe('https://host:99999/p');
    expect(normaliseUrl('//user:pw@host:99999/p?q', all)).toBe('//host:99999/p');
    expect(normaliseUrl('http://user:pw@[::1', all)).toBe('http://');
    expect(normaliseUrl('app://user:pw@host:99999/', all)).toBe('app:');
  });

  it('reads at most 2,048 chars of a URL', () => {
    const long = `https://shop.example/${'p'.repeat(3000)}`;
    expect(normaliseUrl(long, { keepQuery: 'none', keepHash: false })).toBe(long.slice(0, 2048));
  });

  it('scrubs a card number in a path', () => {
    expect(
      normaliseUrl('https://shop.example/cards/4111111111111111/edit', {
        keepQuery: 'none',
        keepHash: false,
      }),
    ).toBe('https://shop.example/cards/[redacted]/edit');
  });
});

describe('scrub', () => {
  it('redacts card numbers, grouped or not, and social-security-like numbers', () => {
    expect(scrub('Pay with 4111 1111 1111 1111 now')).toBe('Pay with [redacted] now');
    expect(scrub('4111-1111-1111-1111')).toBe('[redacted]');
    expect(scrub('card 4111111111111111')).toBe('card [redacted]');
    expect(scrub('SSN 123-45-6789.')).toBe('SSN [redacted].');
  });

  it('keeps ordinary numbers: prices, years, phone-length digits', () => {
    const text = 'Kenya AA, 250 g, €14.50, since 2019, order 1234567';
    expect(scrub(text)).toBe(text);
  });

  it('redacts Luhn-valid card numbers however written, and keeps those that fail the check', () => {
    expect(scrub('Card4111111111111111')).toBe('Card[redacted]');
    expect(scrub('4111.1111.1111.1111 / 4111_1111_1111_1111')).toBe('[redacted] / [redacted]');
    expect(scrub('４１１１－１１１１－１１１１－１１１１')).toBe('[redacted]');
    expect(scrub('٤١١١ ١١١١ ١١١١ ١١١١')).toBe('[redacted]');
    expect(scrub('𝟒𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏')).toBe('[redacted]'); // mathematical bold digits
    expect(scrub('order 4111111111111112')).toBe('order 4111111111111112');
    expect(scrub('12 4111 1111 1111 1111')).toBe('12 [redacted]');
  });

  it('redacts social-security-like numbers glued to words, in any digits', () => {
    expect(scrub('SSN123-45-6789')).toBe('SSN[redacted]');
    expect(scrub('١٢٣-٤٥-٦٧٨٩')).toBe('[redacted]');
    expect(scrub('call 555-123-4567')).toBe('call 555-123-4567');
  });
});

describe('checkCustomEvent', () => {
  it('keeps a valid event, trimming its name and scrubbing and cutting string props', () => {
    expect(checkCustomEvent(' signup ', { plan: 'pro', seats: 3, trial: true })).toEqual({
      name: 'signup',
      props: { plan: 'pro', seats: 3, trial: true },
    });
    const checked = checkCustomEvent('paid', {
      card: '4111 1111 1111 1111',
      note: 'x'.repeat(300),
    });
    expect(checked).toEqual({ name: 'paid', props: { card: '[redacted]', note: 'x'.repeat(255) } });
  });

  it('names the problem of an invalid name, props or value', () => {
    expect(checkCustomEvent('')).toMatch(/name must be a string of 1 to 100/);
    expect(checkCustomEvent('x'.repeat(101))).toMatch(/name must be/);
    expect(checkCustomEvent(42)).toMatch(/not 42/);
    expect(checkCustomEvent('a', [1])).toMatch(/props must be a plain object.*an array/);
    expect(checkCustomEvent('a', { n: Number.NaN })).toMatch(/prop "n" must be .*not NaN/);
    expect(checkCustomEvent('a', { o: { deep: 1 } })).toMatch(/prop "o"/);
    const many = Object.fromEntries(Array.from({ length: MAX_PROPS + 1 }, (_, i) => [`p${i}`, i]));
    expect(checkCustomEvent('a', many)).toMatch(/at most 30 props, not 31/);
  });

  it('bounds, trims and scrubs prop names, and names a prop that cannot be stored', () => {
    expect(checkCustomEvent('a', { ' plan ': 'pro', 'card 4111 1111 1111 1111': 1 })).toEqual({
      name: 'a',
      props: { plan: 'pro', 'card [redacted]': 1 },
    });
    expect(checkCustomEvent('a', { ['k'.repeat(101)]: 1 })).toMatch(/prop name must be 1 to 100/);
    expect(checkCustomEvent('a', { '': 1 })).toMatch(/prop name must be/);
    expect(checkCustomEvent('a', JSON.parse('{"__proto__": 1}'))).toMatch(/"__proto__"/);
  });
});

describe('fraction (ex, ey, depth)', () => {
  it('is part over whole, 3 decimals, within 0..1; 1 for a whole of 0', () => {
    expect(fraction(50, 200)).toBe(0.25);
    expect(fraction(1, 3)).toBe(0.333);
    expect(fraction(2, 3)).toBe(0.667);
    expect(fraction(-5, 200)).toBe(0);
    expect(fraction(250, 200)).toBe(1);
    expect(fraction(200, 200)).toBe(1);
    expect(fraction(0, 0)).toBe(1);
  });
});
