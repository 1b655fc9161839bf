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

/**
 * @param peerStart/peerEnd each row's peer group [start, end)
 * @param firstKey each row's first ORDER BY value (RANGE offsets need exactly one, numeric)
 */
export function computeFrames(
  frame: FrameSpec,
  n: number,
  peerStart: Int32Array,
  peerEnd: Int32Array,
  firstKey: readonly unknown[],
  key: SortKey | undefined,
): Frames {
  const lo = new Int32Array(n);
  const hi = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (frame.unit === 'rows') {
      lo[i] = frame.start === null ? 0 : clamp(i + frame.start, n);
      hi[i] = frame.end === null ? n : clamp(i + frame.end + 1, n);
    } else {
      lo[i] = rangeBound(frame.start, i, 0, true, peerStart, peerEnd, firstKey, key, n);
      hi[i] = rangeBound(frame.end, i, n, false, peerStart, peerEnd, firstKey, key, n);
    }
    if (hi[i]! < lo[i]!) hi[i] = lo[i]!;
  }
  return { lo, hi };
}

const clamp = (i: number, n: number): number => Math.max(0, Math.min(n, i));

function rangeBound(
  offset: number | null,
  i: number,
  unbounded: number,
  isStart: boolean,
  peerStart: Int32Array,
  peerEnd: Int32Array,
  firstKey: readonly unknown[],
  key: SortKey | undefined,
  n: number,
): number {
  if (offset === null) return unbounded;
  const k = firstKey[i];
  // Offset 0 is the peers; a null key's rows are peers of each other only.
  if (offset === 0 || k == null || !key) return isStart ? peerStart[i]! : peerEnd[i]!;
  // Ascending, the frame holds values in [k + start, k + end]; descending, [k - end, k - start].
  const sign = key.descending ? -1 : 1;
  const bound = toNumber(k) + sign * offset;
  // The first row past the bound, in sort order, among the non-null keys.
  const before = (v: number): boolean =>
    isStart ? sign * (v - bound) < 0 : sign * (v - bound) <= 0;
  let a = 0;
  let b = n;
  while (a < n && firstKey[a] == null) a++;
  while (b > a && firstKey[b - 1] == null) b--;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (before(toNumber(firstKey[mid]))) a = mid + 1;
    else b = mid;
  }
  return a;
}
