import { describe, expect, it } from 'vitest';
import { bestAttempt, type Occurrence } from '../../src/funnels/attempt';
import { figuresOf } from '../../src/funnels/figures';
import { pagePattern } from '../../src/funnels/page-pattern';
import { parseStep } from '../../src/funnels/step-language';
import { planFunnel } from '../../src/funnels/steps';
import type { Query, Select } from '../../src/sql/ast';
import { parseStatement } from '../../src/sql/parser';

describe('a step’s page pattern', () => {
  it.each([
    ['/pricing', 'https://a.test/pricing', true],
    ['/pricing', 'https://a.test/pricing/', false],
    ['/pricing', '/pricing', true],
    ['/', 'https://a.test', true],
    ['/blog/*', 'https://a.test/blog/post', true],
    ['/blog/*', 'https://a.test/blog/2024/post', false],
    ['/docs/**', 'https://a.test/docs/a/b/c', true],
    ['/docs/', 'https://a.test/docs/', true],
    ['https://a.test/*', 'https://a.test/x', true],
    ['https://a.test/*', 'https://b.test/x', false],
    ['/a.b', 'https://a.test/aXb', false],
    ['/^\\/orders\\/\\d+$/', 'https://a.test/orders/42', true],
    ['/^\\/orders\\/\\d+$/', 'https://a.test/orders/new', false],
    ['/^\\/ORDERS/i', 'https://a.test/orders/1', true],
    ['/b\\.test\\/x$/', 'https://b.test/x', true],
  ])('%s on %s: %s', (pattern, page, expected) => {
    expect(pagePattern(pattern)(page)).toBe(expected);
  });

  it('throws for a RegExp that does not compile', () => {
    expect(() => pagePattern('/(/')).toThrow(SyntaxError);
  });
});

describe('a step’s text (SQL’s funnel)', () => {
  it('reads pages, events, OR and optional', () => {
    expect(parseStep('/pricing')).toEqual({
      name: '/pricing',
      match: { page: '/pricing' },
      optional: false,
    });
    expect(parseStep(' /pricing | event:signup ?')).toEqual({
      name: '/pricing | event:signup',
      match: [{ page: '/pricing' }, { event: 'signup' }],
      optional: true,
    });
    expect(parseStep('/^\\/(a|b)$/ | /c').match).toEqual([
      { page: '/^\\/(a|b)$/' },
      { page: '/c' },
    ]);
  });

  it.each(['', ' ? ', 'a |', 'event:'])('rejects %j', (text) => {
    expect(() => parseStep(text)).toThrow(/step/);
  });

  it('parses as a table function in FROM, with named arguments', () => {
    const query = parseStatement(
      "SELECT * FROM funnel('/', 'event:x', window => INTERVAL 1 HOUR) AS f",
    ) as Query;
    const from = (query.body as Select).from!;
    expect(from.kind === 'function' && [from.name, from.alias]).toEqual(['funnel', 'f']);
    const args = from.kind === 'function' ? from.args : [];
    expect(args.map((a) => [a.name, a.expr.kind])).toEqual([
      [null, 'literal'],
      [null, 'literal'],
      ['window', 'interval'],
    ]);
  });
});

describe('a funnel’s options', () => {
  it('take defaults', () => {
    const plan = planFunnel({ steps: [{ match: { page: '/' } }, { match: { event: 'e' } }] });
    expect(plan).toMatchObject({
      names: ['/', 'event:e'],
      optional: [false, false],
      window: 86_400_000,
      key: 'sessionId',
      since: null,
    });
  });

  it.each([
    [{ steps: [] }, /no steps/],
    [{ steps: [{ match: { page: '/' } }, { name: 'or', match: [] }] }, /step 2 \("or"\) is an OR/],
    [{ steps: [{ match: { page: '/[/' } }] }, /step 1: "\/\[\/" is not a valid RegExp/],
    [{ steps: [{ match: { page: '/' } }], window: -5 }, /window/],
    [{ steps: [{ match: { page: '/' } }], window: Number.NaN }, /window/],
    [{ steps: [{ match: { page: '/' } }], by: 'day' }, /by is/],
    [{ steps: [{ match: { page: '/' }, optional: true }] }, /step 1 cannot be optional/],
    [{ steps: [{ match: { page: '' } }] }, /step 1: a match is/],
  ])('are rejected: %j', (options, reason) => {
    expect(() => planFunnel(options as never)).toThrow(reason);
  });
});

describe('a session’s best attempt', () => {
  const at = (ts: number, ...steps: number[]): Occurrence => [ts, steps];

  it('takes later steps strictly after earlier ones, within the window', () => {
    const required = [false, false, false];
    expect(bestAttempt([at(1, 0), at(1, 1), at(2, 2)], required, 100)).toEqual([0]);
    expect(bestAttempt([at(1, 0), at(2, 1), at(3, 2)], required, 100)).toEqual([0, 1, 2]);
    expect(bestAttempt([at(1, 0), at(2, 1), at(102, 2)], required, 100)).toEqual([0, 1]);
    // A later first step starts a better attempt.
    expect(bestAttempt([at(1, 0), at(150, 0), at(160, 1), at(170, 2)], required, 100)).toEqual([
      0, 1, 2,
    ]);
  });

  it('counts an optional step after the previous required one, never requiring it', () => {
    const optional = [false, true, false];
    // A, then C, then B: C is reached, and B too (after A, in the window).
    expect(bestAttempt([at(1, 0), at(2, 2), at(3, 1)], optional, 100)).toEqual([0, 1, 2]);
    expect(bestAttempt([at(1, 0), at(2, 2)], optional, 100)).toEqual([0, 2]);
    expect(bestAttempt([at(1, 1), at(2, 0), at(3, 2)], optional, 100)).toEqual([0, 2]);
  });

  it('matches one event to several steps, each once', () => {
    expect(bestAttempt([at(1, 0, 1), at(2, 0, 1)], [false, false], 100)).toEqual([0, 1]);
  });
});

describe('a funnel’s figures', () => {
  it('go against the previous required step', () => {
    const { entered, steps } = figuresOf(
      [10, 4, 5, 0],
      ['a', 'b?', 'c', 'd'],
      [false, true, false, false],
    );
    expect(entered).toBe(10);
    expect(steps.map((s) => [s.conversion, s.fromPrevious, s.dropOff])).toEqual([
      [1, 1, 0],
      [0.4, 0.4, 0],
      [0.5, 0.5, 5],
      [0, 0, 5],
    ]);
  });
});
