// How a URL's cell writes it: a path when it is on the page's origin, and cut in the middle when
// still too long, so that `/downloads/…/report-2024.pdf` and `/downloads/…/prices-2024.csv`
// stay apart where an ellipsis at the end would make both `/downloads/repo…`.

/** `url` without `origin` when it starts with it (`/` for the origin itself); else `url`. */
export function urlText(url: string, origin: string | null): string {
  if (origin === null || !url.startsWith(origin)) return url;
  const rest = url.slice(origin.length);
  if (rest === '') return '/';
  return '/?#'.includes(rest[0]!) ? rest : url; // http://a.b:80 is no origin of http://a.b:8080
}

/**
 * `text` in at most `max` characters: whole if it fits, else its start, `…` and its end. The
 * end keeps the last path segment (the file, what tells URLs of one folder apart) whole when
 * it fits beside a character of the start, and the start ends at a `/` when it has one past the
 * first: `/downloads/…/report-2024.pdf`.
 */
export function middleEllipsis(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return '…';
  const room = max - 1;
  const slash = text.lastIndexOf('/');
  const segment = slash > 0 ? text.slice(slash) : '';
  const tail =
    segment !== '' && segment.length < room
      ? segment
      : text.slice(text.length - Math.floor(room / 2));
  let head = text.slice(0, room - tail.length);
  const atSlash = head.slice(0, head.lastIndexOf('/') + 1);
  if (tail === segment && atSlash.length > 1 && !atSlash.endsWith('//')) head = atSlash;
  return `${head}…${tail}`;
}

/**
 * The longest `middleEllipsis` of `text` whose `width(…)` is at most `room` (px): a binary
 * search over the number of characters kept, as proportional fonts need.
 */
export function fitText(text: string, room: number, width: (text: string) => number): string {
  if (width(text) <= room) return text;
  let low = 1; // fits, or nothing shorter would
  let high = text.length - 1;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (width(middleEllipsis(text, mid)) <= room) low = mid;
    else high = mid - 1;
  }
  return middleEllipsis(text, low);
}

/**
 * Measures text in a font with a canvas, and remembers the fitted texts of one column width
 * and font: a scroll renders the same rows again.
 */
export class TextFitter {
  private readonly context = new OffscreenCanvas(1, 1).getContext('2d');
  private readonly fitted = new Map<string, string>();
  private room = 0;
  private font = '';

  /** Sets the column's room (px) and its cells' font; forgets what was fitted to others. */
  setColumn(room: number, font: string): void {
    if (room === this.room && font === this.font) return;
    this.room = room;
    this.font = font;
    this.fitted.clear();
  }

  /** `text` fitted to the column; whole (for CSS to cut) until the column is measured. */
  fit(text: string): string {
    const { context } = this;
    if (this.room <= 0 || !context) return text;
    let fitted = this.fitted.get(text);
    if (fitted === undefined) {
      context.font = this.font;
      fitted = fitText(text, this.room, (t) => context.measureText(t).width);
      if (this.fitted.size > 5000) this.fitted.clear();
      this.fitted.set(text, fitted);
    }
    return fitted;
  }
}
