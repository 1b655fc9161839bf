import { describe, expect, it } from 'vitest';
import { checkCustomEvent, MAX_PROPS, normaliseUrl, scrub } from '../../src/tracker';

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
});
