// The floating panel's colours by default: the site's own, read from the page, with the text
// kept readable on the background (WCAG's contrast ratio).

/** An sRGB colour, channels 0–255, alpha 0–1. */
interface Rgba {
  readonly r: number;
  readonly g: number;
  readonly b: number;
  readonly a: number;
}

const WHITE: Rgba = { r: 255, g: 255, b: 255, a: 1 };
const BLACK: Rgba = { r: 0, g: 0, b: 0, a: 1 };
/** WCAG AA for body text. */
const READABLE = 4.5;

/** The `--tabstream-*` values the panel takes from the site, by property. */
export type SiteColours = Readonly<Record<`--tabstream-${string}`, string>>;

/**
 * Any CSS colour as sRGB, by painting it: computed styles may give `oklch()` or `color()` as
 * they were written. Null if there is no canvas to paint on.
 */
function toRgba(colour: string): Rgba | null {
  const context = new OffscreenCanvas(1, 1).getContext('2d', { willReadFrequently: true });
  if (!context) return null;
  context.fillStyle = colour;
  context.fillRect(0, 0, 1, 1);
  const [r = 0, g = 0, b = 0, a = 0] = context.getImageData(0, 0, 1, 1).data;
  return { r, g, b, a: a / 255 };
}

/** `top` over `bottom`, `share` of `top` (its alpha if not given): an opaque colour. */
function mix(top: Rgba, bottom: Rgba, share = top.a): Rgba {
  const channel = (t: number, b: number) => Math.round(t * share + b * (1 - share));
  return {
    r: channel(top.r, bottom.r),
    g: channel(top.g, bottom.g),
    b: channel(top.b, bottom.b),
    a: 1,
  };
}

const css = ({ r, g, b }: Rgba): string => `rgb(${r} ${g} ${b})`;

/** WCAG 2's relative luminance. */
function luminance({ r, g, b }: Rgba): number {
  const linear = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** WCAG 2's contrast ratio, 1 to 21. */
export function contrast(a: Rgba, b: Rgba): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** `text` if readable on `background`, else black or white, whichever reads better. */
function readable(text: Rgba, background: Rgba): Rgba {
  if (contrast(text, background) >= READABLE) return text;
  return contrast(BLACK, background) >= contrast(WHITE, background) ? BLACK : WHITE;
}

/**
 * The site's colours and font as the panel's `--tabstream-*` properties: the background of the
 * page's `body` (else of `html`, else white), its text colour (black or white instead where it
 * would not read on that background), its font family at the panel's size, and the muted text
 * and rules mixed from them. Null if colours cannot be read here (no canvas).
 */
export function siteColours(page: Document = document): SiteColours | null {
  const body = page.body ? getComputedStyle(page.body) : null;
  const root = getComputedStyle(page.documentElement);
  const painted = [body?.backgroundColor, root.backgroundColor]
    .map((colour) => (colour ? toRgba(colour) : null))
    .find((colour) => colour !== null && colour.a > 0);
  const text = toRgba((body ?? root).color);
  if (text === null) return null;
  const background = painted ? mix(painted, WHITE) : WHITE;
  const color = readable(mix(text, background), background);
  const muted = mix(color, background, 0.75);
  return {
    '--tabstream-background': css(background),
    '--tabstream-color': css(color),
    '--tabstream-muted': css(contrast(muted, background) >= READABLE ? muted : color),
    '--tabstream-rule': css(mix(color, background, 0.2)),
    '--tabstream-font': `13px/1.4 ${(body ?? root).fontFamily}`,
  };
}
