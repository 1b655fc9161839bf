import { reportOnce } from '../diagnostics';
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

/**
 * Follows the page views of a document: its load (once it is shown, if prerendered), its
 * single-page-app navigations (`pushState`, `replaceState`, back and forward, `#hash`
 * changes) and its restores from the back/forward cache.
 * Guarantees: a navigation is one page view at most: one that keeps the normalised URL (or,
 * for `replaceState`, as `replace` says) is none; history methods keep working if ours throw.
 */
export class PageViews {
  #current: PageViewStart | null = null;
  /** The id of the last page view begun (handed on); the current one may not be, yet. */
  #begunId: string | null = null;
  /** The page is shown (not, or no longer, prerendered): page views may begin. */
  #shown = false;
  /** The URL of the current page view as it was, unnormalised. */
  #href = location.href;
  #cancelActivation = (): void => {};
  /** Undoes each wrap of a history method. */
  #unpatches: (() => void)[] = [];

  readonly #normalise: (href: string) => string;
  readonly #replace: ReplaceRule;
  readonly #newId: () => string;
  readonly #begin: (view: PageViewStart) => void;

  constructor(
    normalise: (href: string) => string,
    replace: ReplaceRule,
    newId: () => string,
    begin: (view: PageViewStart) => void,
  ) {
    this.#normalise = normalise;
    this.#replace = replace;
    this.#newId = newId;
    this.#begin = begin;
  }

  /** The page view now showing: its id and page. */
  get now(): PageViewStart {
    return (this.#current ??= this.#viewOf('load', this.#referrer()));
  }

  start(): void {
    this.#cancelActivation = whenShown(this.#onActivated);
    this.#patch('pushState', 'push');
    this.#patch('replaceState', 'replace');
    addEventListener('popstate', this.#onPopState);
    addEventListener('hashchange', this.#onHashChange);
    addEventListener('pageshow', this.#onPageShow);
  }

  stop(): void {
    this.#cancelActivation();
    for (const unpatch of this.#unpatches) unpatch();
    this.#unpatches = [];
    removeEventListener('popstate', this.#onPopState);
    removeEventListener('hashchange', this.#onHashChange);
    removeEventListener('pageshow', this.#onPageShow);
  }

  /**
   * The page is shown: its load is a page view, unless it was one before a pause (an opt-out).
   * A view made while prerendered (a script's event, a router's first `pushState`) begins now,
   * as the load, with the id its events already carry.
   */
  readonly #onActivated = (): void => {
    this.#shown = true;
    const page = this.#normalise(location.href);
    const current = this.#current;
    if (current && current.id === this.#begunId && current.page === page) return;
    this.#current =
      current && current.id !== this.#begunId
        ? { ...current, kind: 'load', ts: Date.now(), page, referrer: this.#referrer() }
        : this.#viewOf('load', this.#referrer());
    this.#href = location.href;
    this.#open(this.#current);
  };

  #open(view: PageViewStart): void {
    this.#begunId = view.id;
    this.#begin(view);
  }

  readonly #onPopState = (): void => {
    this.#navigated(this.#onlyHashChanged() ? 'hash' : 'pop');
  };

  readonly #onHashChange = (): void => this.#navigated('hash');

  readonly #onPageShow = (event: PageTransitionEvent): void => {
    if (!event.persisted) return;
    this.#current = this.#viewOf('bfcache', this.#current?.referrer ?? null);
    this.#open(this.#current);
  };

  /**
   * Wraps `history[method]`: the page's call runs first, then ours, guarded. Unwrapping puts the
   * original back only if no one wrapped ours since (another tracker, a router); else ours stays
   * in their chain, passing calls through.
   */
  #patch(method: HistoryMethod, kind: PageViewKind): void {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called on history below
    const original = history[method];
    let live = true;
    const navigated = (): void => {
      if (live) this.#navigated(kind);
    };
    const wrapper = function (this: History, ...args: Parameters<History[HistoryMethod]>) {
      const result = original.apply(this, args);
      navigated();
      return result;
    };
    history[method] = wrapper;
    this.#unpatches.push(() => {
      live = false;
      if (history[method] === wrapper) history[method] = original;
    });
  }

  #navigated(kind: PageViewKind): void {
    try {
      const previous = this.now;
      const page = this.#normalise(location.href);
      const counts = kind === 'replace' ? this.#replaceCounts(previous.page, page) : true;
      if (page === previous.page || !counts || !this.#shown) {
        // Prerendered: the view to begin on activation follows the URL.
        if (!this.#shown) this.#current = { ...previous, page };
        this.#href = location.href;
        return;
      }
      this.#current = this.#viewOf(kind, previous.page);
      this.#open(this.#current);
    } catch (error) {
      reportOnce('a page view could not be recorded', error);
    }
  }

  #replaceCounts(from: string, to: string): boolean {
    if (this.#replace === 'never') return false;
    return this.#replace === 'url' || urlPath(from) !== urlPath(to);
  }

  /** A popstate of a `#fragment` navigation (the hashchange event comes after it). */
  #onlyHashChanged(): boolean {
    const previous = new URL(this.#href);
    return previous.pathname === location.pathname && previous.search === location.search;
  }

  /** The document's referrer, normalised as every URL is (no query, by default), or null. */
  #referrer(): string | null {
    return document.referrer === '' ? null : this.#normalise(document.referrer);
  }

  #viewOf(kind: PageViewKind, referrer: string | null): PageViewStart {
    this.#href = location.href;
    const page = this.#normalise(location.href);
    return { id: this.#newId(), kind, ts: Date.now(), page, referrer };
  }
}
