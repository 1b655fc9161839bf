import { reportOnce } from '../diagnostics';
import { activity } from './activity';
import { describeClick } from './click-description';
import { clickTracker, type ClickContext, type ClickTracker, type RawClick } from './click-tracker';
import { attributeEvent, checkCustomEvent, type CustomEventInput } from './custom-events';
import { SCHEMA_VERSION, type EventBase, type TrackedEvent } from './events';
import { PageViews, type PageViewStart, type ReplaceRule } from './page-views';
import { OPT_OUT_KEY, optedOut, privacySignal, setOptedOut, type PrivacySignals } from './privacy';
import { redact } from './redact';
import { Session, tabId } from './session';
import type { UrlRules } from './url';
import { normaliseUrl } from './url';

/** The kinds of events the tracker can capture. */
export type Capture = 'clicks' | 'pageviews' | 'custom';

/** What the tracker records, and how. */
export interface TrackerConfig extends UrlRules, PrivacySignals {
  /** The events to capture. Default all three. */
  readonly capture: readonly Capture[];
  /** When a `replaceState` is a new page view. Default 'path'. */
  readonly replaceState: ReplaceRule;
  /** Clicks under elements matching this selector list are not recorded, as under `[data-tabstream-ignore]`. */
  readonly ignore: string | null;
}

export const DEFAULT_TRACKER_CONFIG: TrackerConfig = {
  capture: ['clicks', 'pageviews', 'custom'],
  keepQuery: 'none',
  keepHash: false,
  replaceState: 'path',
  ignore: null,
  respectDnt: false,
  respectGpc: false,
};

/**
 * The tracker of one page: clicks, page views and custom events, handed to `send` as events.
 * Guarantees:
 * - nothing is captured while the visitor has opted out, or sends a privacy signal the site
 *   honours; events not yet handed on when the visitor opts out are dropped;
 * - no handler throws into the host page: errors are reported once to the console;
 * - `drain()` hands on everything captured, synchronously (before the page is hidden or left).
 * The tracker's classes keep their state in `#private` members, which the minifier shortens
 * (TypeScript's `private` names stay whole): every page loads this code at once.
 */
export class Tracker {
  readonly #session: Session;
  readonly #tabId: string;
  readonly #activity = activity(() => this.#clicks.onResponse());
  readonly #pageViews: PageViews;
  readonly #clicks: ClickTracker;
  #views: PageViewStart[] = [];
  #viewsTimer: ReturnType<typeof setTimeout> | null = null;
  /** Page views wait to be handed on (for DOMContentLoaded, then a task). */
  #viewsPending = false;
  #running = false;

  readonly #config: TrackerConfig;
  readonly #send: (event: TrackedEvent) => void;
  readonly #onOptOut: () => void;

  constructor(
    config: TrackerConfig,
    send: (event: TrackedEvent) => void,
    newId: () => string,
    /** Called when the visitor opts out (here or in another tab), to drop what waits downstream. */
    onOptOut: () => void = () => {},
  ) {
    this.#config = config;
    this.#send = send;
    this.#onOptOut = onOptOut;
    this.#session = new Session(newId);
    this.#tabId = tabId(newId);
    const normalise = (href: string) => normaliseUrl(href, config);
    this.#pageViews = new PageViews(normalise, config.replaceState, newId, (view) =>
      this.#beginView(view),
    );
    // tabstream's own elements (<tabstream-counts>, <tabstream-monitor>: the `tabstream-` tag
    // names are ours) are the reader's, not the site's: their clicks are never recorded.
    const ignored = (element: Element) =>
      element.hasAttribute('data-tabstream-ignore') ||
      element.localName.startsWith('tabstream-') ||
      (config.ignore !== null && element.matches(config.ignore));
    const views = this.#pageViews;
    const context: ClickContext = {
      get pageviewId() {
        return views.now.id;
      },
      get page() {
        return views.now.page;
      },
      tabId: this.#tabId,
      sessionId: (ts) => this.#session.touch(ts),
      describe: (click) => {
        const description = describeClick(click.path, ignored, normalise);
        if (description && this.#captures('custom')) this.#attributeEvent(click);
        return this.#captures('clicks') ? description : null;
      },
    };
    this.#clicks = clickTracker(context, this.#activity, (event) => this.#send(event));
  }

  /** True while events are captured: started, not opted out, no honoured privacy signal. */
  get capturing(): boolean {
    return this.#running;
  }

  /** Starts capturing, unless the visitor opted out or sends a privacy signal the site honours. */
  start(): void {
    addEventListener('storage', this.#onStorage);
    const signal = privacySignal(this.#config);
    if (signal) {
      console.info(
        `tabstream: ${signal === 'dnt' ? 'Do Not Track' : 'Global Privacy Control'} is on; nothing is recorded.`,
      );
      return;
    }
    if (!optedOut()) this.#resume();
  }

  stop(): void {
    removeEventListener('storage', this.#onStorage);
    this.#pause();
  }

  /** Hands on every captured event now; `leaving`: the page is being left (see ClickTracker.drain). */
  drain(leaving = false): void {
    this.#flushViews();
    this.#clicks.drain(leaving);
  }

  /**
   * Records custom event `name` with `props`, unless capture is off.
   * - must log a console error naming the problem, and record nothing, for invalid input;
   * - must never throw.
   */
  track(name: unknown, props?: unknown): boolean {
    try {
      const input = checkCustomEvent(name, props);
      if (typeof input === 'string') {
        console.error(`tabstream: track() ignored an event: ${input}.`);
        return false;
      }
      if (!this.#running || !this.#captures('custom')) return false;
      this.#sendCustom(input, Date.now());
      return true;
    } catch (error) {
      reportOnce('an event could not be tracked', error);
      return false;
    }
  }

  /** Stops capturing in every tab of the origin, and drops what is not yet handed on. */
  optOut(): void {
    this.#forget();
    setOptedOut(true); // throws if not kept, once nothing is captured any more
  }

  /** Stops capturing and drops everything not yet in the log. */
  #forget(): void {
    this.#clicks.discard();
    this.#views = [];
    this.#pause();
    this.#onOptOut();
  }

  /** Resumes capturing in every tab of the origin (unless a privacy signal says otherwise). */
  optIn(): void {
    setOptedOut(false);
    if (!privacySignal(this.#config)) this.#resume();
  }

  #resume(): void {
    if (this.#running) return;
    this.#running = true;
    this.#pageViews.start();
    if (this.#captures('clicks') || this.#captures('custom')) this.#clicks.start();
  }

  #pause(): void {
    if (!this.#running) return;
    this.#running = false;
    this.#pageViews.stop();
    this.#clicks.stop();
  }

  #captures(kind: Capture): boolean {
    return this.#config.capture.includes(kind);
  }

  /** Another tab flipped the opt-out switch. */
  readonly #onStorage = (event: StorageEvent): void => {
    if (event.key !== OPT_OUT_KEY && event.key !== null) return;
    if (optedOut()) this.#forget();
    else if (!privacySignal(this.#config)) this.#resume();
  };

  /**
   * A page view is handed on a task later: routers set the title after they navigate. While
   * the document is still being parsed, that is a task after DOMContentLoaded: the page's own
   * deferred scripts, which may set the title, run after ours.
   */
  #beginView(view: PageViewStart): void {
    this.#activity.note();
    if (!this.#captures('pageviews')) return;
    this.#views.push(view);
    if (this.#viewsPending) return;
    this.#viewsPending = true;
    whenParsed(() => (this.#viewsTimer ??= setTimeout(() => this.#flushViews(), 0)));
  }

  #flushViews(): void {
    if (this.#viewsTimer !== null) clearTimeout(this.#viewsTimer);
    this.#viewsTimer = null;
    this.#viewsPending = false;
    const views = this.#views;
    this.#views = [];
    for (const view of views) {
      this.#guard(() =>
        this.#send({
          ...this.#base(view.ts, view.id, view.page),
          type: 'pageview',
          kind: view.kind,
          referrer: view.referrer,
          title: redact(document.title.trim()),
          vw: innerWidth,
          vh: innerHeight,
        }),
      );
    }
  }

  #attributeEvent(click: RawClick): void {
    const input = attributeEvent(click.path);
    if (typeof input === 'string') reportOnce('a data-tabstream-event attribute is invalid', input);
    else if (input) this.#sendCustom(input, click.ts, click.pageviewId, click.page);
  }

  #sendCustom(
    { name, props }: CustomEventInput,
    ts: number,
    pageviewId = this.#pageViews.now.id,
    page = this.#pageViews.now.page,
  ): void {
    this.#send({ ...this.#base(ts, pageviewId, page), type: 'custom', name, props });
  }

  #base(ts: number, pageviewId: string, page: string): EventBase {
    return {
      v: SCHEMA_VERSION,
      ts,
      pageviewId,
      page,
      sessionId: this.#session.touch(ts),
      tabId: this.#tabId,
    };
  }

  #guard(work: () => void): void {
    try {
      work();
    } catch (error) {
      reportOnce('an event could not be recorded', error);
    }
  }
}

/** Calls `fn` once the document is parsed and its deferred scripts have run: at once if so. */
function whenParsed(fn: () => void): void {
  const [navigation] = performance.getEntriesByType?.('navigation') ?? [];
  const parsed =
    navigation instanceof PerformanceNavigationTiming
      ? navigation.domContentLoadedEventStart > 0
      : document.readyState !== 'loading';
  if (parsed) fn();
  else addEventListener('DOMContentLoaded', fn, { once: true });
}
