import { resetMouse, sendMouse } from '@web/test-runner-commands';
import {
  DEFAULT_TRACKER_CONFIG,
  OPT_OUT_KEY,
  Tracker,
  type ClickEvent,
  type CustomEvent,
  type PageViewEvent,
  type ScrollEvent,
  type TrackedEvent,
  type TrackerConfig,
} from '../../src/tracker';

let ids = 0;
/** Ids that say which test made them, in order. */
export const newId = (): string => `id-${++ids}`;

/** A tracker and the events it hands on. */
export class Recorded {
  readonly events: TrackedEvent[] = [];
  readonly tracker: Tracker;

  constructor(overrides: Partial<TrackerConfig> = {}, send?: (event: TrackedEvent) => void) {
    this.tracker = new Tracker(
      { ...DEFAULT_TRACKER_CONFIG, ...overrides },
      send ?? ((event) => this.events.push(event)),
      newId,
    );
  }

  get clicks(): ClickEvent[] {
    return this.events.filter((event): event is ClickEvent => event.type === 'click');
  }

  get views(): PageViewEvent[] {
    return this.events.filter((event): event is PageViewEvent => event.type === 'pageview');
  }

  get scrolls(): ScrollEvent[] {
    return this.events.filter((event): event is ScrollEvent => event.type === 'scroll');
  }

  get customs(): CustomEvent[] {
    return this.events.filter((event): event is CustomEvent => event.type === 'custom');
  }

  /** The one click recorded (fails if there is not exactly one). */
  get click(): ClickEvent {
    const clicks = this.clicks;
    if (clicks.length !== 1) throw new Error(`expected one click event, got ${clicks.length}`);
    return clicks[0]!;
  }
}

const running: Tracker[] = [];

/** A started tracker of `overrides`, stopped by `stopTrackers()`. */
export function startTracker(
  overrides: Partial<TrackerConfig> = {},
  send?: (event: TrackedEvent) => void,
): Recorded {
  const recorded = new Recorded(overrides, send);
  recorded.tracker.start();
  running.push(recorded.tracker);
  return recorded;
}

/** Stops every tracker `startTracker` started, the last first (so history unwinds). */
export function stopTrackers(): void {
  for (const tracker of running.splice(0).reverse()) tracker.stop();
}

/**
 * `html` in a fresh container at the top of the body, removed by `clearFixtures()`. Its clicks
 * do nothing by default (no link navigates: the test page must stay), unless `keepDefaults`
 * (a label's click then activates its control, as on a real page).
 */
export function fixture(html: string, keepDefaults = false): HTMLElement {
  const container = document.createElement('div');
  container.className = 'fixture';
  container.innerHTML = html;
  if (!keepDefaults) container.addEventListener('click', (event) => event.preventDefault());
  container.addEventListener('auxclick', (event) => event.preventDefault());
  container.addEventListener('contextmenu', (event) => event.preventDefault());
  document.body.prepend(container);
  return container;
}

export function clearFixtures(): void {
  for (const container of document.querySelectorAll('.fixture')) container.remove();
}

/** The element of `root` matching `selector` (fails if none). */
export function $<E extends Element = HTMLElement>(root: ParentNode, selector: string): E {
  const element = root.querySelector<E>(selector);
  if (!element) throw new Error(`no element matches ${selector}`);
  return element;
}

/** The centre of `element` in viewport coordinates, rounded (as a real mouse sees it). */
export function centreOf(element: Element): [number, number] {
  const box = element.getBoundingClientRect();
  return [Math.round(box.left + box.width / 2), Math.round(box.top + box.height / 2)];
}

/** A synthetic mouse click on `element` (detail 1: a mouse click), at its centre unless told. */
export function click(element: Element, init: MouseEventInit = {}): MouseEvent {
  const [clientX, clientY] = centreOf(element);
  const event = new MouseEvent('click', {
    bubbles: true,
    cancelable: true,
    composed: true,
    view: window,
    detail: 1,
    clientX,
    clientY,
    ...init,
  });
  element.dispatchEvent(event);
  return event;
}

/** A real click of the browser's mouse at the centre of `element`. */
export async function realClick(
  element: Element,
  button: 'left' | 'middle' | 'right' = 'left',
): Promise<[number, number]> {
  const position = centreOf(element);
  await sendMouse({ type: 'click', position, button });
  return position;
}

export { resetMouse };

export const wait = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** A task later: what the tracker does in its next slice (describing clicks, page views) is done. */
export const nextTask = (): Promise<void> => wait(0);

/**
 * Waits past a click's one-second answer window, then for `condition` (at most 20 s more: a
 * busy machine may run the tracker's slices late; a passing test never waits that long).
 */
export async function afterAnswer(condition: () => boolean): Promise<void> {
  await wait(1200);
  const deadline = Date.now() + 20_000;
  while (!condition() && Date.now() < deadline) await wait(20);
}

/** Captures console.error (and console.info) calls until `restore()`. */
export function captureConsole(): {
  errors: unknown[][];
  infos: unknown[][];
  restore: () => void;
} {
  const { error, info } = console;
  const errors: unknown[][] = [];
  const infos: unknown[][] = [];
  console.error = (...args: unknown[]) => errors.push(args);
  console.info = (...args: unknown[]) => infos.push(args);
  return {
    errors,
    infos,
    restore: () => {
      console.error = error;
      console.info = info;
    },
  };
}

/** The URL as the tracker records it by default: no query, no hash. */
export function pageOf(href: string): string {
  const url = new URL(href);
  return url.origin + url.pathname;
}

/**
 * Test pages run side by side in one origin, so they share localStorage and its opt-out switch:
 * when tracker-privacy.test.ts flips it, the trackers of every other page pause (and drop the
 * clicks they hold). A page calling this keeps its trackers deaf to that: the other pages'
 * opt-out `storage` events stop at this capturing listener, before the trackers' own.
 */
export function ignoreOptOutsOfOtherPages(): void {
  addEventListener(
    'storage',
    (event: StorageEvent) => {
      if (event.key === OPT_OUT_KEY || event.key === null) event.stopImmediatePropagation();
    },
    { capture: true },
  );
}

/**
 * Makes `localStorage` this page's own storage (its sessionStorage, a real Storage) until the
 * returned function is called: the opt-out switch flipped by a test then reaches no other page.
 */
export function pageOwnLocalStorage(): () => void {
  const original = Object.getOwnPropertyDescriptor(window, 'localStorage')!;
  Object.defineProperty(window, 'localStorage', {
    configurable: true,
    enumerable: true,
    get: () => sessionStorage,
  });
  return () => {
    sessionStorage.removeItem(OPT_OUT_KEY);
    Object.defineProperty(window, 'localStorage', original);
  };
}

/** What `work` did: the longest string it ran a string, RegExp, URL or CSS method over, and its calls of the methods that test one element. */
export interface Work {
  readonly longest: number;
  readonly elementCalls: number;
}

const STRING_METHODS = [
  'replace',
  'replaceAll',
  'match',
  'matchAll',
  'split',
  'search',
  'trim',
  'trimStart',
  'trimEnd',
  'toLowerCase',
  'toUpperCase',
  'normalize',
  'indexOf',
  'includes',
  'startsWith',
  'endsWith',
] as const;
const ELEMENT_METHODS = ['matches', 'hasAttribute', 'getAttribute', 'closest'] as const;

/**
 * Runs `work` (the tracker's deferred work on a click, say) and measures what it did over text
 * and the DOM, by wrapping the methods that scan a string or test an element: work bounded
 * "whatever the DOM holds" shows as small numbers however large the page's text.
 */
export function workOf(work: () => void): Work {
  let longest = 0;
  let elementCalls = 0;
  const note = (text: unknown) => {
    if (typeof text === 'string' && text.length > longest) longest = text.length;
  };
  const restores: (() => void)[] = [];
  const wrap = <T extends object>(
    target: T,
    name: keyof T & string,
    before: (self: unknown, args: unknown[]) => void,
  ) => {
    const original = target[name] as (...args: unknown[]) => unknown;
    (target as Record<string, unknown>)[name] = function (this: unknown, ...args: unknown[]) {
      before(this, args);
      return original.apply(this, args);
    };
    restores.push(() => ((target as Record<string, unknown>)[name] = original));
  };
  for (const name of STRING_METHODS) wrap(String.prototype, name, (self) => note(self));
  wrap(RegExp.prototype, 'exec', (_, [text]) => note(text));
  wrap(RegExp.prototype, 'test', (_, [text]) => note(text));
  wrap(CSS, 'escape', (_, [text]) => note(text));
  for (const name of ELEMENT_METHODS) wrap(Element.prototype, name, () => elementCalls++);
  const NativeURL = URL;
  window.URL = class extends NativeURL {
    constructor(url: string | URL, base?: string | URL) {
      note(String(url));
      super(url, base);
    }
  };
  restores.push(() => (window.URL = NativeURL));
  try {
    work();
  } finally {
    for (const restore of restores.reverse()) restore();
  }
  return { longest, elementCalls };
}

/** The first event of a fresh tracker, started and drained, then stopped (a load page view). */
export async function firstEvent(): Promise<TrackedEvent> {
  const recorded = startTracker();
  recorded.tracker.drain();
  await nextTask();
  stopTrackers();
  return recorded.events[0]!;
}
