import { reportOnce } from '../shared';
import type { PageViewKind } from './events';
import { urlPath } from './url';
import { whenShown } from './when-shown';

/** When a `replaceState` is a new page view: when the path changes (default), the URL, or never. */
export type ReplaceRule = 'path' | 'url' | 'never';

/** A page view as it begins: its URL is normalised, its title read later (routers set it after). */
export interface PageViewStart {
  readonly id: string;
  readonly kind: PageViewKind;
  readonly ts: number;
  readonly page: string;
  readonly referrer: string | null;
}

type HistoryMethod = 'pushState' | 'replaceState';

/** What the tracker drives of its page views (see `pageViews`). */
export interface PageViews {
  /** The page view now showing: its id and page. */
  readonly now: PageViewStart;
  start(): void;
  stop(): void;
}

/**
 * Follows the page views of a document: its load (once it is shown, if prerendered), its
 * single-page-app navigations (`pushState`, `replaceState`, back and forward, `#hash`
 * changes) and its restores from the back/forward cache.
 * Guarantees: a navigation is one page view at most: one that keeps the normalised URL (or,
 * for `replaceState`, as `replace` says) is none; history methods keep working if ours throw.
 */
export function pageViews(
  normalise: (href: string) => string,
  replace: ReplaceRule,
  newId: () => string,
  begin: (view: PageViewStart) => void,
): PageViews {
  let current: PageViewStart | null = null;
  /** The id of the last page view begun (handed on); the current one may not be, yet. */
  let begunId: string | null = null;
  /** The page is shown (not, or no longer, prerendered): page views may begin. */
  let shown = false;
  /** The URL of the current page view as it was, unnormalised. */
  let href = location.href;
  let cancelActivation = (): void => {};
  /** Undoes each wrap of a history method. */
  let unpatches: (() => void)[] = [];

  /** The document's referrer, normalised as every URL is (no query, by default), or null. */
  const referrer = (): string | null =>
    document.referrer === '' ? null : normalise(document.referrer);

  const viewOf = (kind: PageViewKind, from: string | null): PageViewStart => {
    href = location.href;
    return { id: newId(), kind, ts: Date.now(), page: normalise(href), referrer: from };
  };

  const now = (): PageViewStart => (current ??= viewOf('load', referrer()));

  const open = (view: PageViewStart): void => {
    current = view;
    begunId = view.id;
    begin(view);
  };

  /**
   * The page is shown: its load is a page view, unless it was one before a pause (an opt-out).
   * A view made while prerendered (a script's event, a router's first `pushState`) begins now,
   * as the load, with the id its events already carry.
   */
  const onActivated = (): void => {
    shown = true;
    const page = normalise(location.href);
    if (current && current.id === begunId && current.page === page) return;
    const view =
      current && current.id !== begunId
        ? { ...current, kind: 'load' as const, ts: Date.now(), page, referrer: referrer() }
        : viewOf('load', referrer());
    href = location.href;
    open(view);
  };

  const navigated = (kind: PageViewKind): void => {
    try {
      const previous = now();
      const page = normalise(location.href);
      const counts =
        kind !== 'replace' ||
        (replace !== 'never' && (replace === 'url' || urlPath(previous.page) !== urlPath(page)));
      if (page === previous.page || !counts || !shown) {
        // Prerendered: the view to begin on activation follows the URL.
        if (!shown) current = { ...previous, page };
        href = location.href;
        return;
      }
      open(viewOf(kind, previous.page));
    } catch (error) {
      reportOnce('a page view could not be recorded', error);
    }
  };

  /** A popstate of a `#fragment` navigation (the hashchange event comes after it). */
  const onPopState = (): void => {
    const previous = new URL(href);
    const onlyHash = previous.pathname === location.pathname && previous.search === location.search;
    navigated(onlyHash ? 'hash' : 'pop');
  };
  const onHashChange = (): void => navigated('hash');
  const onPageShow = (event: PageTransitionEvent): void => {
    if (event.persisted) open(viewOf('bfcache', current?.referrer ?? null));
  };
  const listeners = [
    ['popstate', onPopState],
    ['hashchange', onHashChange],
    ['pageshow', onPageShow],
  ] as const;

  /**
   * Wraps `history[method]`: the page's call runs first, then ours, guarded. Unwrapping puts the
   * original back only if no one wrapped ours since (another tracker, a router); else ours stays
   * in their chain, passing calls through.
   */
  const patch = (method: HistoryMethod, kind: PageViewKind): void => {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called on history below
    const original = history[method];
    let live = true;
    const wrapper = function (this: History, ...args: Parameters<History[HistoryMethod]>) {
      const result = original.apply(this, args);
      if (live) navigated(kind);
      return result;
    };
    history[method] = wrapper;
    unpatches.push(() => {
      live = false;
      if (history[method] === wrapper) history[method] = original;
    });
  };

  return {
    get now() {
      return now();
    },
    start() {
      cancelActivation = whenShown(onActivated);
      patch('pushState', 'push');
      patch('replaceState', 'replace');
      for (const [type, listener] of listeners) addEventListener(type, listener as () => void);
    },
    stop() {
      cancelActivation();
      for (const unpatch of unpatches) unpatch();
      unpatches = [];
      for (const [type, listener] of listeners) removeEventListener(type, listener as () => void);
    },
  };
}
