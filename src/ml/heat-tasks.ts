import { defineFn } from '../engine';
import { bandOf } from './bands';
import type { Band } from './types';

/**
 * The functions heatmaps and scroll depth run in the executors, by name: the page's clicks
 * filtered where they are read, spots counted map-side. Loaded by every executor and the page.
 */
export const HEAT_TASK = {
  clicks: 'tabstream.ml.heat-clicks',
  point: 'tabstream.ml.heat-point',
  spots: 'tabstream.ml.heat-spots',
  distinctUpTo: 'tabstream.ml.distinct-up-to',
  scrolls: 'tabstream.ml.scroll-views',
  max: 'tabstream.ml.max',
  depths: 'tabstream.ml.depth-summary',
} as const;

/** The columns a heatmap reads of a click, in this order. */
export const CLICK_COLUMNS = [
  'page',
  'vw',
  'x',
  'y',
  'selector',
  'ex',
  'ey',
  'rage',
  'dead',
  '_timestamp',
] as const;

/** The columns scroll depth reads of a scroll record, in this order. */
export const SCROLL_COLUMNS = ['page', 'vw', 'pageviewId', 'depth', '_timestamp'] as const;

/** A click of the heatmap: `[x at the reference width, y, selector, ex, ey, rage, dead]`. */
export type HeatClick = [number, number, unknown, unknown, unknown, boolean, boolean];

export interface Where {
  readonly page: string;
  readonly band: Band | null;
  readonly since: number | null;
}

const isNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/** The page, band and time asked for; a record with no viewport width is in no band. */
function matches(where: Where, page: unknown, vw: unknown, ts: unknown): vw is number {
  return (
    page === where.page &&
    isNumber(vw) &&
    vw > 0 &&
    (where.band === null || bandOf(vw) === where.band) &&
    (where.since === null || (ts as number) >= where.since)
  );
}

defineFn(HEAT_TASK.clicks, (row, p) => {
  const [page, vw, x, y, selector, ex, ey, rage, dead, ts] = row as unknown[];
  const { width } = p as { width: number };
  if (!matches(p as Where, page, vw, ts) || !isNumber(x) || !isNumber(y)) return [];
  return [[(x / vw) * width, y, selector, ex, ey, rage === true, dead === true] as HeatClick];
});

defineFn(HEAT_TASK.point, (click) => [(click as HeatClick)[0], (click as HeatClick)[1]]);

/** The 0.05-wide bucket of a position inside an element (0..1), as its centre. */
const bucket = (e: number) =>
  Math.round(((Math.min(19, Math.max(0, Math.floor(e * 20 + 1e-9))) + 0.5) / 20) * 1000) / 1000;

/**
 * Per partition, `[key, [count, sum x, sum y]]` per layer, selector and bucketed position in
 * the element (key: JSON of `[layer, selector, ex, ey]`); clicks with no position in their
 * element (older records, keyboard clicks) are in no spot.
 */
defineFn(HEAT_TASK.spots, (clicks) => {
  const spots = new Map<string, [number, number, number]>();
  const add = (layer: string, c: HeatClick) => {
    const key = JSON.stringify([layer, c[2], bucket(c[3] as number), bucket(c[4] as number)]);
    const spot = spots.get(key);
    if (spot) {
      spot[0]++;
      spot[1] += c[0];
      spot[2] += c[1];
    } else spots.set(key, [1, c[0], c[1]]);
  };
  for (const c of clicks as HeatClick[]) {
    if (typeof c[2] !== 'string' || !isNumber(c[3]) || !isNumber(c[4])) continue;
    add('spots', c);
    if (c[5]) add('rage', c);
    if (c[6]) add('dead', c);
  }
  return spots;
});

/** Up to `n` distinct records of the partition, as JSON. */
defineFn(HEAT_TASK.distinctUpTo, (records, p) => {
  const { n } = p as { n: number };
  const seen = new Set<string>();
  for (const record of records as unknown[]) {
    if (seen.size >= n) break;
    seen.add(JSON.stringify(record));
  }
  return seen;
});

/** `[pageviewId, depth]` of a scroll record of the page (band, time) asked for. */
defineFn(HEAT_TASK.scrolls, (row, p) => {
  const [page, vw, pageviewId, depth, ts] = row as unknown[];
  if (!matches(p as Where, page, vw, ts) || !isNumber(depth)) return [];
  return [[pageviewId, depth]];
});

defineFn(HEAT_TASK.max, (a, b) => Math.max(a as number, b as number));

/** Per partition: `[[views, sum of depths, reached 0%, 10%, …, 100%]]`. */
defineFn(HEAT_TASK.depths, (views) => {
  const summary = new Float64Array(13);
  for (const [, depth] of views as [unknown, number][]) {
    summary[0]!++;
    summary[1]! += depth;
    for (let i = 0; i <= 10; i++) if (depth >= i / 10) summary[2 + i]!++;
  }
  return [Array.from(summary)];
});
