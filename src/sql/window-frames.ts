import type { FrameSpec, SortKey } from './bound';
import { toNumber } from './cast';

/**
 * The frame of every row of one sorted window partition, as [lo, hi) index ranges: ROWS by
 * position, RANGE by the ORDER BY value (CURRENT ROW meaning the row's peers, ties by ORDER BY).
 */
export interface Frames {
  readonly lo: Int32Array;
  readonly hi: Int32Array;
}

/** Spark's default frame: RANGE UNBOUNDED PRECEDING..CURRENT ROW with ORDER BY, else all rows. */
export function defaultFrame(ordered: boolean): FrameSpec {
  return ordered
    ? { unit: 'range', start: null, end: 0 }
    : { unit: 'rows', start: null, end: null };
}

/** Each row's peer group (rows tied by ORDER BY) as [start, end). */
export interface Peers {
  readonly start: Int32Array;
  readonly end: Int32Array;
}

/**
 * @param peers the partition's peer groups (asked for by RANGE frames only)
 * @param firstKey a row's first ORDER BY value (RANGE offsets need exactly one, numeric)
 */
export function computeFrames(
  frame: FrameSpec,
  n: number,
  peers: () => Peers,
  firstKey: (i: number) => unknown,
  key: SortKey | undefined,
): Frames {
  const lo = new Int32Array(n);
  const hi = new Int32Array(n);
  const range = frame.unit === 'range' ? rangeContext(n, peers(), firstKey, key) : null;
  for (let i = 0; i < n; i++) {
    if (range === null) {
      lo[i] = frame.start === null ? 0 : clamp(i + frame.start, n);
      hi[i] = frame.end === null ? n : clamp(i + frame.end + 1, n);
    } else {
      lo[i] = frame.start === null ? 0 : rangeBound(range, frame.start, i, true);
      hi[i] = frame.end === null ? n : rangeBound(range, frame.end, i, false);
    }
    if (hi[i]! < lo[i]!) hi[i] = lo[i]!;
  }
  return { lo, hi };
}

const clamp = (i: number, n: number): number => Math.max(0, Math.min(n, i));

/** What RANGE bounds search: the peers, and the [from, to) rows whose key is not null. */
interface RangeContext {
  readonly peers: Peers;
  readonly firstKey: (i: number) => unknown;
  readonly key: SortKey | undefined;
  readonly from: number;
  readonly to: number;
}

function rangeContext(
  n: number,
  peers: Peers,
  firstKey: (i: number) => unknown,
  key: SortKey | undefined,
): RangeContext {
  let from = 0;
  let to = n;
  while (from < n && firstKey(from) == null) from++;
  while (to > from && firstKey(to - 1) == null) to--;
  return { peers, firstKey, key, from, to };
}

function rangeBound(r: RangeContext, offset: number, i: number, isStart: boolean): number {
  const k = r.firstKey(i);
  // Offset 0 is the peers; a null key's rows are peers of each other only.
  if (offset === 0 || k == null || !r.key) return isStart ? r.peers.start[i]! : r.peers.end[i]!;
  // Ascending, the frame holds values in [k + start, k + end]; descending, [k - end, k - start].
  const sign = r.key.descending ? -1 : 1;
  const bound = toNumber(k) + sign * offset;
  // Binary search: the first row past the bound, in sort order, among the non-null keys.
  let a = r.from;
  let b = r.to;
  while (a < b) {
    const mid = (a + b) >>> 1;
    const d = sign * (toNumber(r.firstKey(mid)) - bound);
    if (isStart ? d < 0 : d <= 0) a = mid + 1;
    else b = mid;
  }
  return a;
}
