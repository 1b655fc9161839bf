import { reportOnce } from '../shared';
import { activity } from './activity';
import { describeClick } from './click-description';
import { clickTracker, type ClickContext } from './click-tracker';
import { attributeEvent, checkCustomEvent, type CustomEventInput } from './custom-events';
import { SCHEMA_VERSION, type EventBase, type TrackedEvent } from './events';
import { pageViews, type PageViewStart, type ReplaceRule } from './page-views';
import { OPT_OUT_KEY, optedOut, privacySignal, setOptedOut, type PrivacySignals } from './privacy';
import { redact } from './redact';
import { scrollDepth } from './scroll-depth';
import { session, tabId } from './session';
import type { UrlRules } from './url';
import { normaliseUrl } from './url';

/** The kinds of events the tracker can capture. */
export type Capture = 'clicks' | 'pageviews' | 'custom' | 'scrolls';

/** What the tracker records, and how. */
export interface TrackerConfig extends UrlRules, PrivacySignals {
  /** The events to capture. Default all four. */
  readonly capture: readonly Capture[];
  /** When a `replaceState` is a new page view. Default 'path'. */
  readonly replaceState: ReplaceRule;
  /** Clicks under elements matching this selector list are not recorded, as under `[data-tabstream-ignore]`. */
  readonly ignore: string | null;
}

export const DEFAULT_TRACKER_CONFIG: TrackerConfig = {
  capture: ['clicks', 'pageviews', 'custom', 'scrolls'],
  keepQuery: 'none',
  keepHash: false,
  replaceState: 'path',
  ignore: null,
  respectDnt: false,
  respectGpc: false,
};

/**
 * The tracker of one page: clicks, page views, custom events and how far down each page view
 * was seen, handed to `send` as events.
 * Guarantees:
 * - nothing is captured while the visitor has opted out, or sends a privacy signal the site
 *   honours; events not yet handed on when the visitor opts out are dropped;
 * - no handler throws into the host page: errors are reported once to the console;
 * - `drain()` hands on everything captured, synchronously (before the page is hidden or left).
 * The constructor returns an object of closures over its state (`declare`d members; so
 * `instanceof Tracker` is false), as its parts are: every page loads this code at once, and the
 * minifier shortens local names, not `this.` members.
 */
export class Tracker {
  /** True while events are captured: started, not opted out, no honoured privacy signal. */
  declare readonly capturing: boolean;

  /** Starts capturing, unless the visitor opted out or sends a privacy signal the site honours. */
  declare readonly start: () => void;
  declare readonly stop: () => void;
  /**
   * Hands on every captured event now; `leaving`: the page is being left (see ClickTracker.drain);
   * `seen`: the page view's scroll depth too, if it grew (the page is hidden or left, or
   * tabstream closes; not on `flush()`: the page view goes on).
   */
  declare readonly drain: (leaving?: boolean, seen?: boolean) => void;
  /**
   * Records custom event `name` with `props`, unless capture is off.
   * - must log a console error naming the problem, and record nothing, for invalid input;
   * - must never throw.
   */
  declare readonly track: (name: unknown, props?: unknown) => boolean;
  /** Stops capturing in every tab of the origin, and drops what is not yet handed on. */
  declare readonly optOut: () => void;
  /** Resumes capturing in every tab of the origin (unless a privacy signal says otherwise). */
  declare readonly optIn: () => void;

  constructor(
    config: TrackerConfig,
    send: (event: TrackedEvent) => void,
    newId: () => string,
    /** Called when the visitor opts out (here or in another tab), to drop what waits downstream. */
    onOptOut: () => void = () => {},
  ) {
    const touch = session(newId);
    const tab = tabId(newId);
    let running = false;
    let views: PageViewStart[] = [];
    let viewsTimer: ReturnType<typeof setTimeout> | null = null;
    /** Page views wait to be handed on (for DOMContentLoaded, then a task). */
    let viewsPending = false;

    const captures = (kind: Capture): boolean => config.capture.includes(kind);
    const guard = (work: () => void): void => {
      try {
        work();
      } catch (error) {
        reportOnce('an event could not be recorded', error);
      }
    };
    const base = (ts: number, pageviewId: string, page: string): EventBase => ({
      v: SCHEMA_VERSION,
      ts,
      pageviewId,
      page,
      sessionId: touch(ts),
      tabId: tab,
    });
    const sendCustom = (
      { name, props }: CustomEventInput,
      ts: number,
      { id, page }: { readonly id: string; readonly page: string } = pages.now,
    ): void => send({ ...base(ts, id, page), type: 'custom', name, props });

    const flushViews = (): void => {
      if (viewsTimer !== null) clearTimeout(viewsTimer);
      viewsTimer = null;
      viewsPending = false;
      const flushed = views;
      views = [];
      for (const view of flushed) {
        guard(() =>
          send({
            ...base(view.ts, view.id, view.page),
            type: 'pageview',
            kind: view.kind,
            referrer: view.referrer,
            title: redact(document.title.trim()),
            vw: innerWidth,
            vh: innerHeight,
          }),
        );
      }
    };

    /**
     * A page view is handed on a task later: routers set the title after they navigate. While
     * the document is still being parsed, that is a task after DOMContentLoaded: the page's own
     * deferred scripts, which may set the title, run after ours.
     */
    const beginView = (view: PageViewStart): void => {
      responses.note();
      if (captures('scrolls')) guard(() => scrolls.begin(view));
      if (!captures('pageviews')) return;
      views.push(view);
      if (viewsPending) return;
      viewsPending = true;
      whenParsed(() => (viewsTimer ??= setTimeout(flushViews, 0)));
    };

    const normalise = (href: string) => normaliseUrl(href, config);
    const pages = pageViews(normalise, config.replaceState, newId, beginView);
    // tabstream's own elements (<tabstream-counts>, <tabstream-monitor>: the `tabstream-` tag
    // names are ours) are the reader's, not the site's: their clicks are never recorded.
    const ignored = (element: Element) =>
      element.hasAttribute('data-tabstream-ignore') ||
      element.localName.startsWith('tabstream-') ||
      (config.ignore !== null && element.matches(config.ignore));
    const context: ClickContext = {
      get pageviewId() {
        return pages.now.id;
      },
      get page() {
        return pages.now.page;
      },
      tabId: tab,
      sessionId: touch,
      describe: (click) => {
        const description = describeClick(click.path, ignored, normalise);
        if (description && captures('custom')) {
          const input = attributeEvent(click.path);
          if (typeof input === 'string')
            reportOnce('a data-tabstream-event attribute is invalid', input);
          else if (input) sendCustom(input, click.ts, { id: click.pageviewId, page: click.page });
        }
        return captures('clicks') ? description : null;
      },
    };
    const scrolls = scrollDepth(({ id, page }, fields) =>
      guard(() => send({ ...base(Date.now(), id, page), type: 'scroll', ...fields })),
    );
    const responses = activity(() => clicks.onResponse());
    const clicks = clickTracker(context, responses, (event) => send(event));

    const resume = (): void => {
      if (running) return;
      running = true;
      pages.start();
      if (captures('clicks') || captures('custom')) clicks.start();
      if (captures('scrolls')) scrolls.listen(true);
    };
    const pause = (): void => {
      if (!running) return;
      running = false;
      pages.stop();
      clicks.stop();
      scrolls.listen(false);
    };
    /** Stops capturing and drops everything not yet in the log. */
    const forget = (): void => {
      clicks.discard();
      scrolls.discard();
      views = [];
      pause();
      onOptOut();
    };
    /** Another tab flipped the opt-out switch. */
    const onStorage = (event: StorageEvent): void => {
      if (event.key !== OPT_OUT_KEY && event.key !== null) return;
      if (optedOut()) forget();
      else if (!privacySignal(config)) resume();
    };

    return {
      get capturing() {
        return running;
      },
      start: () => {
        addEventListener('storage', onStorage);
        const signal = privacySignal(config);
        if (signal) {
          console.info(
            `tabstream: ${signal === 'dnt' ? 'Do Not Track' : 'Global Privacy Control'} is on; nothing is recorded.`,
          );
          return;
        }
        if (!optedOut()) resume();
      },
      stop: () => {
        removeEventListener('storage', onStorage);
        pause();
      },
      drain: (leaving = false, seen = false) => {
        flushViews();
        clicks.drain(leaving);
        if (seen && running) guard(() => scrolls.end());
      },
      track: (name, props) => {
        try {
          const input = checkCustomEvent(name, props);
          if (typeof input === 'string') {
            console.error(`tabstream: track() ignored an event: ${input}.`);
            return false;
          }
          if (!running || !captures('custom')) return false;
          sendCustom(input, Date.now());
          return true;
        } catch (error) {
          reportOnce('an event could not be tracked', error);
          return false;
        }
      },
      optOut: () => {
        forget();
        setOptedOut(true); // throws if not kept, once nothing is captured any more
      },
      optIn: () => {
        setOptedOut(false);
        if (!privacySignal(config)) resume();
      },
    };
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
