import { describe, expect, it } from 'vitest';
import { AGGREGATES, compileAggregates } from '../../src/sql/aggregates';
import type { AggregateSpec, Bound } from '../../src/sql/bound';
import { call, col, lit } from './sql-runtime-helpers';

const agg = (
  fn: string,
  args: Bound[] = [col(0)],
  more: Partial<AggregateSpec> = {},
): AggregateSpec => ({
  fn,
  args,
  distinct: false,
  filter: null,
  ...more,
});

/** One pass over the rows. */
function run(specs: AggregateSpec[], rows: unknown[][]): unknown[] {
  const a = compileAggregates(specs);
  let states = a.init();
  for (const row of rows) states = a.update(states, row);
  return a.finish(states);
}

/**
 * The rows split in `parts` runs (in order: first, last and collect_list follow the order of
 * the merged parts), each aggregated on its own, the states sent as JSON, merged.
 */
function runSplit(specs: AggregateSpec[], rows: unknown[][], parts: number): unknown[] {
  const a = compileAggregates(specs);
  const size = Math.ceil(rows.length / parts);
  const partials = Array.from({ length: parts }, (_, p) => {
    let states = a.init();
    for (const row of rows.slice(p * size, (p + 1) * size)) states = a.update(states, row);
    return JSON.parse(JSON.stringify(states)) as unknown[];
  });
  return a.finish(partials.reduce((x, y) => a.merge(x, y)));
}

const values = (...vs: unknown[]): unknown[][] => vs.map((v) => [v]);

describe('AGGREGATES', () => {
  it('names the aggregate functions with their arity', () => {
    expect(AGGREGATES.get('count')!.min).toBe(0);
    expect(AGGREGATES.get('percentile_approx')).toEqual({ min: 2, max: 3 });
    expect(AGGREGATES.has('lower')).toBe(false);
  });
});

describe('the aggregates', () => {
  const rows = values(3, null, 1, 3, 2);

  it('count(*), count(x), count of several arguments', () => {
    expect(run([agg('count', [])], rows)).toEqual([5]);
    expect(run([agg('count')], rows)).toEqual([4]);
    const pairs = [
      [1, 'a'],
      [null, 'b'],
      [2, null],
      [1, 'a'],
    ];
    expect(run([agg('count', [col(0), col(1)])], pairs)).toEqual([2]);
    expect(run([agg('count', [col(0), col(1)], { distinct: true })], pairs)).toEqual([1]);
  });

  it('sum, avg, min, max skip nulls; null on no input but count 0', () => {
    expect(run([agg('sum'), agg('avg'), agg('min'), agg('max')], rows)).toEqual([9, 2.25, 1, 3]);
    expect(run([agg('sum'), agg('avg'), agg('min'), agg('count', [])], [])).toEqual([
      null,
      null,
      null,
      0,
    ]);
    expect(run([agg('sum'), agg('max')], values(null, null))).toEqual([null, null]);
    expect(run([agg('min'), agg('max')], values('b', 'a', 'c'))).toEqual(['a', 'c']);
  });

  it('DISTINCT on count, sum and avg', () => {
    const spec = { distinct: true };
    expect(
      run(
        [agg('count', [col(0)], spec), agg('sum', [col(0)], spec), agg('avg', [col(0)], spec)],
        rows,
      ),
    ).toEqual([3, 6, 2]);
  });

  it('FILTER per aggregate keeps only rows where it is true', () => {
    const filter: Bound = call('gt', col(0), lit(1));
    expect(
      run([agg('count', [], { filter }), agg('sum'), agg('sum', [col(0)], { filter })], rows),
    ).toEqual([3, 9, 8]);
  });

  it('first and last, with and without ignoreNulls', () => {
    const r = values(null, 5, 6, null);
    expect(run([agg('first'), agg('last')], r)).toEqual([null, null]);
    expect(run([agg('first', [col(0), lit(true)]), agg('last', [col(0), lit(true)])], r)).toEqual([
      5, 6,
    ]);
  });

  it('collect_list keeps order and duplicates, collect_set not; both skip nulls', () => {
    const [list, set] = run([agg('collect_list'), agg('collect_set')], values('a', null, 'b', 'a'));
    expect(list).toEqual(['a', 'b', 'a']);
    expect((set as string[]).sort()).toEqual(['a', 'b']);
  });

  it('approx_count_distinct: exact for few values, within 5 % for many', () => {
    expect(run([agg('approx_count_distinct')], values(1, 1, 2, 2, 3))).toEqual([3]);
    expect(run([agg('approx_count_distinct')], values(1, '1', null))).toEqual([2]);
    const many = Array.from({ length: 100_000 }, (_, i) => [`session-${i % 50_000}`]);
    const [estimate] = run([agg('approx_count_distinct')], many) as [number];
    expect(Math.abs(estimate - 50_000) / 50_000).toBeLessThan(0.05);
    const [split] = runSplit([agg('approx_count_distinct')], many, 3) as [number];
    expect(Math.abs(split - 50_000) / 50_000).toBeLessThan(0.05);
  });

  it('percentile_approx returns an input value (Spark docs examples)', () => {
    const pct = (p: unknown, ...vs: number[]): unknown =>
      run([agg('percentile_approx', [col(0), lit(p), lit(100)])], values(...vs))[0];
    expect(pct([0.5, 0.4, 0.1], 0, 1, 2, 10)).toEqual([1, 1, 0]);
    expect(pct(0.5, 0, 6, 7, 9, 10)).toBe(7);
    expect(pct(0, 5, 1, 3)).toBe(1);
    expect(pct(1, 5, 1, 3)).toBe(5);
    expect(pct(0.5)).toBeNull();
    expect(() => pct(1.5, 1)).toThrow(/VALUE_OUT_OF_RANGE/);
  });

  it('percentile_approx stays near the true percentile past its limit, without drifting', () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => [(i * 7919) % 200_000]);
    const spec = agg('percentile_approx', [col(0), lit([0.1, 0.5, 0.9]), lit(100)]);
    const [answers] = run([spec], rows) as [number[]];
    const [split] = runSplit([spec], rows, 4) as [number[]];
    [20_000, 100_000, 180_000].forEach((truth, i) => {
      // Spark promises 1 % of the ranks (2,000) for accuracy 100; alternating the kept value
      // of a pair stays within 700, where keeping always the upper one drifted past 1,000.
      expect(Math.abs(answers[i]! - truth)).toBeLessThan(700);
      expect(Math.abs(split[i]! - truth)).toBeLessThan(700);
    });
  });
});

describe('merge of split inputs equals one pass', () => {
  const rows = Array.from({ length: 200 }, (_, i) => [
    i % 7 === 0 ? null : (i * 37) % 101,
    `p${i % 13}`,
  ]);
  const specs: AggregateSpec[] = [
    agg('count', []),
    agg('count'),
    agg('count', [col(1)], { distinct: true }),
    agg('sum'),
    agg('sum', [col(0)], { distinct: true }),
    agg('avg'),
    agg('avg', [col(0)], { distinct: true }),
    agg('min'),
    agg('max', [col(1)]),
    agg('approx_count_distinct', [col(1)]),
    agg('percentile_approx', [col(0), lit([0.25, 0.5, 0.9])]),
    agg('first', [col(0), lit(true)]),
    agg('last', [col(0), lit(true)]),
    agg('collect_list', [col(1)]),
    agg('sum', [col(0)], { filter: call('eq', col(1), lit('p3')) }),
  ];

  it.each([2, 3, 7])('in %i parts, states through JSON', (parts) => {
    expect(runSplit(specs, rows, parts)).toEqual(run(specs, rows));
  });

  it('first and last follow the order of the merged parts', () => {
    const a = compileAggregates([agg('first'), agg('last')]);
    const left = a.update(a.init(), [1]);
    const right = a.update(a.update(a.init(), [2]), [3]);
    expect(a.finish(a.merge(left, right))).toEqual([1, 3]);
  });

  it('states hold no Set, Map, undefined or NaN', () => {
    const a = compileAggregates(specs);
    let states = a.init();
    for (const row of rows) states = a.update(states, row);
    expect(JSON.parse(JSON.stringify(states))).toEqual(states);
  });
});
