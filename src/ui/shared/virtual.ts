// Which rows of a virtualised table (<tabstream-counts>, <tabstream-sql>) are in the DOM: those
// in view, plus a margin either side so that a quick scroll shows no gap before the next
// render. Rows all have the same height.

/** Rows `[start, end)` of a list: the rows rendered; spacers stand in for the others. */
export interface RowRange {
  readonly start: number;
  readonly end: number;
}

/** Rows rendered beyond each edge of the view. */
const OVERSCAN = 8;

/**
 * The rows to render of `count` rows of `rowHeight` px, when the view shows `height` px
 * starting `top` px below the first row (negative while the header is in view).
 */
export function rowRange(count: number, rowHeight: number, top: number, height: number): RowRange {
  const inView = Math.ceil(height / rowHeight) + 1;
  const first = Math.floor(Math.max(0, top) / rowHeight);
  // Clamped so that a list that just got shorter still fills the view before the scroll event.
  const start = Math.max(0, Math.min(first, count - inView) - OVERSCAN);
  return { start, end: Math.min(count, start + inView + 2 * OVERSCAN) };
}
