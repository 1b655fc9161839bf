import { describe, expect, it } from 'vitest';
import type { AggregateSpec, FrameSpec, SortKey, WindowFnSpec } from '../../src/sql/bound';
import { compareValues, compileOrdering } from '../../src/sql/ordering';
import { computeWindows, WINDOW_FUNCTIONS } from '../../src/sql/windows';
import { col, lit } from './sql-runtime-helpers';

const asc = (i: number, nullsFirst = true): SortKey => ({
  expr: col(i),
  descending: false,
  nullsFirst,
});
const desc = (i: number, nullsFirst = false): SortKey => ({
  expr: col(i),
  descending: true,
  nullsFirst,
});
const win = (fn: string, args = [col(1)], frame: FrameSpec | null = null): WindowFnSpec => ({
  fn,
  args,
  aggregate: null,
  frame,
});
const over = (
  fn: string,
  frame: FrameSpec | null = null,
  more: Partial<AggregateSpec> = {},
): WindowFnSpec => ({
  fn,
  args: [],
  aggregate: { fn, args: [col(1)], distinct: false, filter: null, ...more },
  frame,
});

/** The window values (after the row's own values) of each output row. */
function windowValues(rows: unknown[][], orderBy: SortKey[], fns: WindowFnSpec[]): unknown[][] {
  const width = rows[0]?.length ?? 0;
  return computeWindows(rows, { partitionBy: [], orderBy, fns }).map((r) => r.slice(width));
}

describe('compareValues and compileOrdering', () => {
  it('orders numbers, strings by UTF-8 bytes, booleans, structs', () => {
    expect(compareValues(1, 2)).toBeLessThan(0);
    expect(compareValues(NaN, Infinity)).toBeGreaterThan(0);
    expect(compareValues(NaN, NaN)).toBe(0);
    expect(compareValues('a', 'b')).toBeLessThan(0);
    expect(compareValues('B', 'a')).toBeLessThan(0);
    // U+FF5E (one UTF-16 unit) is below U+1F600 (a surrogate pair) in UTF-8, not in UTF-16.
    expect(compareValues('\uff5e', '😀')).toBeLessThan(0);
    expect(compareValues(false, true)).toBeLessThan(0);
    expect(compareValues({ start: 1, end: 5 }, { start: 1, end: 9 })).toBeLessThan(0);
    expect(compareValues({ start: 2, end: 0 }, { start: 1, end: 9 })).toBeGreaterThan(0);
  });

  it('sorts with nulls first or last, descending, stably', () => {
    const rows = [
      [2, 'a'],
      [null, 'b'],
      [1, 'c'],
      [2, 'd'],
      [null, 'e'],
    ];
    const sorted = (keys: SortKey[]): unknown[] =>
      [...rows].sort(compileOrdering(keys)).map((r) => r[1]);
    expect(sorted([asc(0)])).toEqual(['b', 'e', 'c', 'a', 'd']);
    expect(sorted([asc(0, false)])).toEqual(['c', 'a', 'd', 'b', 'e']);
    expect(sorted([desc(0)])).toEqual(['a', 'd', 'c', 'b', 'e']);
    expect(sorted([desc(0), desc(1)])).toEqual(['d', 'a', 'c', 'e', 'b']);
  });
});

describe('computeWindows: rank functions (Spark docs: A1 1, A1 1, A1 2)', () => {
  const rows = [
    ['A1', 2],
    ['A1', 1],
    ['A1', 1],
  ];

  it('returns rows in ORDER BY order with one value per function', () => {
    const out = computeWindows(rows, {
      partitionBy: [col(0)],
      orderBy: [asc(1)],
      fns: [win('row_number', [])],
    });
    expect(out).toEqual([
      ['A1', 1, 1],
      ['A1', 1, 2],
      ['A1', 2, 3],
    ]);
    expect(out[0]).not.toBe(rows[1]);
    expect(WINDOW_FUNCTIONS.get('lag')).toEqual({ min: 1, max: 3 });
  });

  it('rank, dense_rank, percent_rank, cume_dist give ties one value', () => {
    const fns = ['rank', 'dense_rank', 'percent_rank', 'cume_dist'].map((f) => win(f, []));
    expect(windowValues(rows, [asc(1)], fns)).toEqual([
      [1, 1, 0, 2 / 3],
      [1, 1, 0, 2 / 3],
      [3, 2, 1, 1],
    ]);
  });

  it('ntile puts the extra rows in the first buckets', () => {
    const seven = Array.from({ length: 7 }, (_, i) => ['p', i]);
    expect(windowValues(seven, [asc(1)], [win('ntile', [lit(3)])]).flat()).toEqual([
      1, 1, 1, 2, 2, 3, 3,
    ]);
    expect(windowValues(rows, [asc(1)], [win('ntile', [lit(2)])]).flat()).toEqual([1, 1, 2]);
    expect(windowValues(rows, [asc(1)], [win('ntile', [lit(5)])]).flat()).toEqual([1, 2, 3]);
  });

  it('lag and lead with offset and default, ignoring the frame', () => {
    const r = [
      ['p', 1],
      ['p', 2],
      ['p', 3],
      ['p', 4],
    ];
    const frame: FrameSpec = { unit: 'rows', start: 0, end: 0 };
    expect(
      windowValues(
        r,
        [asc(1)],
        [
          win('lag', [col(1)], frame),
          win('lead', [col(1)]),
          win('lag', [col(1), lit(2), lit(0)]),
          win('lead', [col(1), lit(2), col(1)]),
        ],
      ),
    ).toEqual([
      [null, 2, 0, 3],
      [1, 3, 0, 4],
      [2, 4, 1, 3],
      [3, null, 2, 4],
    ]);
  });
});

describe('computeWindows: aggregates and frames', () => {
  const rows = [
    ['p', 2],
    ['p', 1],
    ['p', 1],
    ['p', 4],
  ];

  it('the default frame with ORDER BY is RANGE to the current row: peers together', () => {
    expect(windowValues(rows, [asc(1)], [over('sum'), over('count')])).toEqual([
      [2, 2],
      [2, 2],
      [4, 3],
      [8, 4],
    ]);
  });

  it('without ORDER BY the frame is the whole partition', () => {
    expect(
      windowValues(rows, [], [over('sum'), over('max'), win('first_value')]).map((r) => r.join()),
    ).toEqual(Array(4).fill('8,4,2'));
  });

  it('ROWS frames by position', () => {
    const frame = (start: number | null, end: number | null): FrameSpec => ({
      unit: 'rows',
      start,
      end,
    });
    expect(
      windowValues(
        rows,
        [asc(1)],
        [
          over('sum', frame(-1, 0)),
          over('sum', frame(null, 0)),
          over('sum', frame(0, null)),
          over('sum', frame(-1, 1)),
          over('sum', frame(1, 2)),
        ],
      ),
    ).toEqual([
      [1, 1, 8, 2, 3],
      [2, 2, 7, 4, 6],
      [3, 4, 6, 7, 4],
      [6, 8, 4, 6, null],
    ]);
  });

  it('RANGE frames by value, ascending and descending', () => {
    const r = [
      [0, 1],
      [0, 2],
      [0, 4],
      [0, 5],
      [0, 5],
    ];
    const range: FrameSpec = { unit: 'range', start: -1, end: 1 };
    expect(windowValues(r, [asc(1)], [over('sum', range)]).flat()).toEqual([3, 3, 14, 14, 14]);
    const back: FrameSpec = { unit: 'range', start: -1, end: 0 };
    expect(windowValues(r, [desc(1)], [over('sum', back)]).flat()).toEqual([10, 10, 14, 2, 3]);
  });

  it('a RANGE offset frame keeps null keys among themselves', () => {
    const r = [
      [0, null],
      [0, 1],
      [0, 2],
      [0, null],
    ];
    const range: FrameSpec = { unit: 'range', start: -1, end: 0 };
    const spec: WindowFnSpec = {
      ...over('count', range),
      aggregate: { fn: 'count', args: [], distinct: false, filter: null },
    };
    expect(windowValues(r, [asc(1)], [spec]).flat()).toEqual([2, 2, 1, 2]);
  });

  it('a RANGE offset frame skips the null keys at either end', () => {
    const r = [
      [0, null],
      [0, null],
      [0, 3],
      [0, 1],
      [0, 2],
      [0, null],
    ];
    const range: FrameSpec = { unit: 'range', start: -1, end: 1 };
    const sums = (key: SortKey): unknown[] => windowValues(r, [key], [over('sum', range)]).flat();
    expect(sums(asc(1, true))).toEqual([null, null, null, 3, 6, 5]);
    expect(sums(asc(1, false))).toEqual([3, 6, 5, null, null, null]);
  });

  it('first_value, last_value, nth_value over the frame, optionally skipping nulls', () => {
    const r = [
      ['p', null],
      ['p', 1],
      ['p', 2],
      ['p', 3],
    ];
    const all: FrameSpec = { unit: 'rows', start: null, end: null };
    const key = { expr: lit(0), descending: false, nullsFirst: true };
    const out = windowValues(
      r,
      [key],
      [
        win('first_value'),
        win('first_value', [col(1), lit(true)]),
        win('last_value'),
        win('last_value', [col(1)], all),
        win('nth_value', [col(1), lit(2)], all),
        win('nth_value', [col(1), lit(5)], all),
      ],
    );
    // One ORDER BY value for all: every row is a peer, the default frame is the partition.
    expect(out).toEqual(Array(4).fill([null, 1, 3, 3, 1, null]));
    const running = windowValues(
      r,
      [asc(1)],
      [win('last_value'), win('first_value', [col(1), lit(true)])],
    );
    expect(running).toEqual([
      [null, null],
      [1, 1],
      [2, 1],
      [3, 1],
    ]);
  });

  it('frames growing at the end keep first, last and collect_list in order', () => {
    const r = [
      ['p', 'a'],
      ['p', 'b'],
      ['p', 'c'],
    ];
    const following: FrameSpec = { unit: 'rows', start: 0, end: null };
    const key = asc(1);
    expect(
      windowValues(
        r,
        [key],
        [over('first', following), over('last', following), over('collect_list', following)],
      ),
    ).toEqual([
      ['a', 'c', ['a', 'b', 'c']],
      ['b', 'c', ['b', 'c']],
      ['c', 'c', ['c']],
    ]);
  });

  it('aggregates with DISTINCT and FILTER over a window', () => {
    const r = [
      ['p', 1],
      ['p', 1],
      ['p', 2],
    ];
    expect(
      windowValues(
        r,
        [],
        [
          over('count', null, { distinct: true }),
          over('sum', null, { filter: ['call', 'gt', col(1), lit(1)] }),
        ],
      ),
    ).toEqual(Array(3).fill([2, 2]));
  });

  it('a running aggregate over a large partition is one pass', () => {
    const n = 200_000;
    const big = Array.from({ length: n }, (_, i) => ['p', n - i]);
    const out = windowValues(
      big,
      [asc(1)],
      [over('sum'), win('row_number', []), win('lag', [col(1)])],
    );
    expect(out[n - 1]).toEqual([(n * (n + 1)) / 2, n, n - 1]);
    expect(out[0]).toEqual([1, 1, null]);
  });

  it('an empty partition gives no rows', () => {
    expect(computeWindows([], { partitionBy: [], orderBy: [asc(1)], fns: [over('sum')] })).toEqual(
      [],
    );
  });
});
