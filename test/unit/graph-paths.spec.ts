// One session's steps of a Sankey, and path cleaning: the pure parts of paths, by hand.
import { describe, expect, it } from 'vitest';
import { cleaner } from '../../src/graph/clean';
import { pathSteps } from '../../src/graph/path-steps';

const PATH = ['/', '/a', '/b', '/a', '/c'];

const text = (steps: ReturnType<typeof pathSteps>) =>
  steps.map(([key, [count, ended]]) => `${key.join(' ')} ${count}${ended ? ' end' : ''}`);

describe('pathSteps', () => {
  it('walks from the first view of start to the end of the session', () => {
    expect(text(pathSteps(PATH, { start: '/a', end: null }))).toEqual([
      's 1',
      'n 0 /a 1',
      'l 0 /a /b 1',
      'n 1 /b 1',
      'l 1 /b /a 1',
      'n 2 /a 1',
      'l 2 /a /c 1',
      'n 3 /c 1 end',
    ]);
  });

  it('walks back from the last view of end, step 0 the end', () => {
    expect(text(pathSteps(PATH, { start: null, end: '/a' }))).toEqual([
      's 1',
      'n 0 /a 1',
      'l 0 /a /b 1',
      'n 1 /b 1',
      'l 1 /b /a 1',
      'n 2 /a 1',
      'l 2 /a / 1',
      'n 3 / 1 end',
    ]);
  });

  it('takes start to the last end after it, and nothing when either is missing', () => {
    expect(text(pathSteps(PATH, { start: '/a', end: '/b' }))).toEqual([
      's 1',
      'n 0 /a 1',
      'l 0 /a /b 1',
      'n 1 /b 1 end',
    ]);
    expect(pathSteps(PATH, { start: '/x', end: null })).toEqual([]);
    expect(pathSteps(PATH, { start: null, end: '/x' })).toEqual([]);
    expect(pathSteps(PATH, { start: '/c', end: '/b' })).toEqual([]);
  });

  it('counts a one-page session as a node that ends at once', () => {
    expect(text(pathSteps(['/'], { start: null, end: null }))).toEqual(['s 1', 'n 0 / 1 end']);
  });
});

describe('cleaner', () => {
  it('applies every rule in order, every match, with groups', () => {
    const clean = cleaner([
      { pattern: '/orders/\\d+', replacement: '/orders/:id' },
      { pattern: '^https://([^/]+)/orders/:id', replacement: '$1 order' },
      { pattern: '[?#].*$', replacement: '' },
    ]);
    expect(clean('https://shop.example/orders/12?x=1')).toBe('shop.example order');
    expect(clean('/orders/1/orders/2')).toBe('/orders/:id/orders/:id');
    expect(clean('/about')).toBe('/about');
  });

  it('names a pattern that is not a RegExp', () => {
    expect(() => cleaner([{ pattern: '(', replacement: '' }])).toThrow(SyntaxError);
    expect(() => cleaner([{ pattern: '(', replacement: '' }])).toThrow('/(/');
  });
});
