import type { HeatSpot } from '../../ml';

/** A point in the viewport, px (what a fixed canvas draws at). */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/** The page as it is laid out now: its width and how far it is scrolled. */
export interface Layout {
  readonly width: number;
  readonly scrollX: number;
  readonly scrollY: number;
}

/** The page as it is now. */
export const layoutNow = (): Layout => ({
  width: document.documentElement.clientWidth,
  scrollX,
  scrollY,
});

/**
 * The element `selector` names in this page now, or null if none (or the selector is one this
 * browser cannot parse: it came from the log, written by another version of the page).
 */
export function elementOf(selector: string, root: ParentNode = document): Element | null {
  try {
    return root.querySelector(selector);
  } catch {
    return null;
  }
}

/**
 * Where `spot` is in the viewport now: inside its element's box as it is now (so a reflowed
 * layout lines up) when `element` is there and has a box; else at its recorded page position, its
 * x scaled from the band's reference `width` to the page's width now.
 */
export function placeSpot(
  spot: HeatSpot,
  element: Element | null,
  width: number,
  layout: Layout,
): Point {
  const box = element?.getBoundingClientRect();
  if (box && (box.width > 0 || box.height > 0))
    return { x: box.left + spot.ex * box.width, y: box.top + spot.ey * box.height };
  return placePage(spot, width, layout);
}

/**
 * A point recorded on the page, its x in px at the reference `width` (src/ml scales x alone:
 * a page's height does not follow its width), in the viewport now.
 */
export function placePage(point: Point, width: number, layout: Layout): Point {
  const scale = width > 0 ? layout.width / width : 1;
  return { x: point.x * scale - layout.scrollX, y: point.y - layout.scrollY };
}
