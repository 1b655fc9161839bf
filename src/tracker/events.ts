/** The version of the event schema below: bumped when a field changes meaning or goes. */
export const SCHEMA_VERSION = 1;

/** The log's topic of each type of event. */
export const TOPICS = {
  click: 'clicks',
  pageview: 'pageviews',
  custom: 'events',
  scroll: 'scrolls',
} as const;

/** What every event of the tracker carries. */
export interface EventBase {
  /** The schema version, `SCHEMA_VERSION`. */
  readonly v: number;
  /** When it happened, in ms since the epoch. */
  readonly ts: number;
  /** The page view it belongs to: a new id on every load and single-page-app navigation. */
  readonly pageviewId: string;
  /** The URL of the page, normalised as configured (no query and no hash, by default). */
  readonly page: string;
  /** The tab's session: renewed after 30 minutes without an event, never shared between tabs. */
  readonly sessionId: string;
  /** The tab: the same across its pages and reloads, until it closes. */
  readonly tabId: string;
}

/** A click, on topic `clicks`: left, middle (`auxclick`) or activated from the keyboard. */
export interface ClickEvent extends EventBase {
  readonly type: 'click';
  /** The resolved `href` of the nearest link around the clicked element (normalised), or null. */
  readonly target: string | null;
  /** A short CSS selector of the element clicked, `composedPath()[0]` (at most 5 levels; ` >>> ` enters a shadow root). */
  readonly selector: string;
  /**
   * The element clicked, or the link or button around it: its tag, id, first classes and role,
   * each cut to 100 chars, card numbers in the id and classes (and the selector) scrubbed.
   */
  readonly tag: string;
  readonly id: string | null;
  readonly classes: string | null;
  readonly role: string | null;
  /** Its visible text or aria-label, trimmed to 255 chars and scrubbed; null for sensitive elements. */
  readonly label: string | null;
  /** Where, in page and viewport coordinates, and the viewport's size: enough for a heatmap. */
  readonly x: number;
  readonly y: number;
  readonly clientX: number;
  readonly clientY: number;
  readonly vw: number;
  readonly vh: number;
  /**
   * Where in the element clicked (the one `selector` names): fractions 0..1 of its border box
   * just after the click (in the slice that describes it, not in its listener, which lays out
   * nothing), 3 decimals, so that clicks line up however the page reflows. Null for a
   * click with no pointer (the keyboard, a script's `click()`) or on a box with no area.
   */
  readonly ex: number | null;
  readonly ey: number | null;
  /** 0 main (left), 1 auxiliary (middle). */
  readonly button: number;
  /** The modifier keys held, joined by '+' in the order alt, ctrl, meta, shift; '' for none. */
  readonly modifiers: string;
  /** True for a click activated from the keyboard (Enter or Space). */
  readonly keyboard: boolean;
  /** The target is on another origin. */
  readonly outbound: boolean;
  /** The target is a download: a `download` attribute, or a file extension of Plausible's file-downloads list (`link.ts`). */
  readonly download: boolean;
  /** One of at least 3 clicks within 30 px and 1 s, which the page did not answer (see `dead`). */
  readonly rage: boolean;
  /**
   * No navigation, DOM mutation, scroll or selection followed within 1 s; null when it was
   * handed on before its second had passed (the page hidden, `flush()`, `close()`).
   */
  readonly dead: boolean | null;
}

/** How a page view began. */
export type PageViewKind = 'load' | 'push' | 'replace' | 'pop' | 'hash' | 'bfcache';

/** A page view, on topic `pageviews`: on load and on each single-page-app navigation. */
export interface PageViewEvent extends EventBase {
  readonly type: 'pageview';
  readonly kind: PageViewKind;
  /** `document.referrer` on load, the previous page view's URL after a navigation; null if none. */
  readonly referrer: string | null;
  readonly title: string;
  readonly vw: number;
  readonly vh: number;
}

/** The properties of a custom event: flat, at most 30; names 1 to 100 chars, scrubbed; string values at most 255, scrubbed. */
export type EventProps = Readonly<Record<string, string | number | boolean>>;

/** A custom event, on topic `events`: `tabstream.track(name, props)` or `data-tabstream-event`. */
export interface CustomEvent extends EventBase {
  readonly type: 'custom';
  /** 1 to 100 chars, trimmed, card and social-security-like numbers scrubbed. */
  readonly name: string;
  readonly props: EventProps;
}

/**
 * How far down a page view was seen, on topic `scrolls`: recorded when the page view ends (a
 * navigation, the page left) or the page is hidden, if it was seen further down than its last
 * record said (its first record always). The depth of a page view is the max of its records'.
 */
export interface ScrollEvent extends EventBase {
  readonly type: 'scroll';
  /** The deepest bottom of the viewport over the document's height: 0..1, 3 decimals. */
  readonly depth: number;
  /** The deepest bottom of the viewport (`scrollY + innerHeight`), and the document's height, in px. */
  readonly bottom: number;
  readonly height: number;
  readonly vw: number;
  readonly vh: number;
}

/** Any event of the tracker. */
export type TrackedEvent = ClickEvent | PageViewEvent | CustomEvent | ScrollEvent;
