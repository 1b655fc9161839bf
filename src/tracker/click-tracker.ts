import { reportOnce } from '../shared';
import type { Activity } from './activity';
import type { ClickDescription } from './click-description';
import { SCHEMA_VERSION, type ClickEvent } from './events';
import { fraction } from './fraction';
import { BUDGET_MS, slices } from './slices';

/** A click is held this long for its answer: the dead-click window, and the rage burst's span. */
export const ANSWER_MS = 1000;
const RAGE_CLICKS = 3;
const RAGE_RADIUS_PX = 30;
const MODIFIERS = ['alt', 'ctrl', 'meta', 'shift'] as const;

/** How to flag the clicks handed on before they are decided: the page is being left, or not. */
type Early = 'leaving' | 'unknown';

/** What the click handler keeps: the least it can, so that a click costs the page next to nothing. */
export interface RawClick {
  readonly ts: number;
  /** The event's `timeStamp` and `isTrusted`: the browser's echo of a click shares them (`isEcho`). */
  readonly stamp: number;
  readonly trusted: boolean;
  /** The event's composed path: `[0]` is the element clicked, even inside a shadow root. */
  readonly path: readonly EventTarget[];
  readonly pageX: number;
  readonly pageY: number;
  readonly clientX: number;
  readonly clientY: number;
  /** A pointer clicked (`detail` > 0): the keyboard and scripts click at 0, 0, nowhere. */
  readonly pointer: boolean;
  readonly button: number;
  readonly modifiers: number;
  readonly keyboard: boolean;
  /** The page view the click belongs to. */
  readonly pageviewId: string;
  readonly page: string;
}

/** A described click waiting for its answer (the page's response). */
interface HeldClick {
  readonly raw: RawClick;
  readonly description: ClickDescription;
  readonly position: Pick<ClickEvent, 'ex' | 'ey'>;
  /** The clicks within 30 px and 1 s of the first of them, this one included: shared, growing. */
  readonly burst: HeldClick[];
}

/** Where the tracker stands: the current page view, and the rules of what it records. */
export interface ClickContext {
  readonly pageviewId: string;
  readonly page: string;
  readonly sessionId: (ts: number) => string;
  readonly tabId: string;
  /** The click's element fields; null for a click that is not to be recorded. */
  describe(click: RawClick): ClickDescription | null;
}

/** What the tracker drives of its click capture (see `clickTracker`). */
export interface ClickTracker {
  start(): void;
  stop(): void;
  /** Forgets every click not yet handed on (the visitor opted out). */
  discard(): void;
  /**
   * Hands every captured click on, now. A click not yet answered within its second is not dead
   * if `leaving` (the page is being left: that answers it), else its `dead` is unknown (null).
   */
  drain(leaving?: boolean): void;
  /** The page answered a click: the clicks it answered can go. */
  onResponse(): void;
}

/**
 * Captures clicks: left, middle and keyboard-activated. The capturing listener keeps time,
 * place and the composed path (about a microsecond); the rest is done after the click, in
 * slices of a few milliseconds: describing the element (at once, while the DOM is as clicked),
 * then, once the page has answered (or its second has passed with no answer), the event.
 * A click on a link or a form field, which answer without telling the DOM, goes at once.
 * Guarantees: every recorded click is handed to `send` once, in order; the tracker never throws
 * into the host page.
 */
export function clickTracker(
  context: ClickContext,
  activity: Activity,
  send: (event: ClickEvent) => void,
): ClickTracker {
  let raws: RawClick[] = [];
  /** The click described last: the one a label's echo follows. */
  let last: RawClick | null = null;
  let held: HeldClick[] = [];
  let burst: HeldClick[] = [];
  let answerTimer: ReturnType<typeof setTimeout> | null = null;

  const guard = <T>(work: () => T): T | null => {
    try {
      return work();
    } catch (error) {
      reportOnce('a click could not be recorded', error);
      return null;
    }
  };

  const onClick = (event: Event): void => {
    try {
      const mouse = event as MouseEvent;
      if (event.type === 'auxclick' && mouse.button !== 1) return;
      const { pageviewId, page } = context;
      const path = event.composedPath();
      raws.push({
        ts: Date.now(),
        stamp: event.timeStamp,
        trusted: event.isTrusted,
        path,
        pageX: mouse.pageX,
        pageY: mouse.pageY,
        clientX: mouse.clientX,
        clientY: mouse.clientY,
        pointer: mouse.detail > 0,
        button: mouse.button,
        modifiers:
          (mouse.altKey ? 1 : 0) |
          (mouse.ctrlKey ? 2 : 0) |
          (mouse.metaKey ? 4 : 0) |
          (mouse.shiftKey ? 8 : 0),
        keyboard: mouse.detail === 0 && isFocused(path),
        pageviewId,
        page,
      });
      activity.watch();
      // Clicked inside a shadow root (the target is retargeted to its host): the page may
      // answer in there, which the document's observer cannot see into.
      if (path[0] !== event.target)
        for (const node of path) if (node instanceof ShadowRoot) activity.watchRoot(node);
      describing.schedule();
    } catch (error) {
      reportOnce('a click could not be captured', error);
    }
  };

  /** Describes raw clicks until `budgetMs` is spent; true if some are left. */
  const describeSome = (budgetMs = BUDGET_MS): boolean => {
    const deadline = performance.now() + budgetMs;
    while (raws.length && performance.now() < deadline) {
      const raw = raws.shift()!;
      const echo = last !== null && isEcho(last, raw);
      last = raw;
      if (echo) continue;
      const description = guard(() => context.describe(raw));
      if (!description) continue;
      const [first] = burst;
      if (!first || !sameBurst(first.raw, raw)) burst = [];
      const click = { raw, description, position: positionIn(raw), burst };
      burst.push(click);
      held.push(click);
    }
    answering.schedule();
    return raws.length > 0;
  };

  /** Wakes when the oldest held click's second has passed. */
  const awaitAnswer = (): void => {
    const [next] = held;
    if (!next || answerTimer !== null || answering.pending) return;
    answerTimer = setTimeout(
      () => {
        answerTimer = null;
        answering.schedule();
      },
      Math.max(0, next.raw.ts + ANSWER_MS - Date.now()),
    );
  };

  /**
   * Hands on the held clicks, in order, while the oldest is decided: answered, unanswerable,
   * or its second passed; all of them if `early` says how to flag the undecided.
   */
  const answerSome = (budgetMs = BUDGET_MS, early?: Early): boolean => {
    const deadline = performance.now() + budgetMs;
    const now = Date.now();
    let more = false;
    while (held.length) {
      if (performance.now() >= deadline) {
        more = true;
        break;
      }
      const event = decide(held[0]!, now, early);
      if (!event) break;
      held.shift();
      guard(() => send(event));
    }
    const [next] = held;
    // Responses older than every click waiting (held, or not yet described) answer none.
    activity.forgetBefore(next?.raw.ts ?? raws[0]?.ts ?? now);
    if (!next && raws.length === 0) activity.rest();
    if (!more) queueMicrotask(awaitAnswer);
    return more;
  };

  /** The click's event if its flags are known by `now` (or `early`), else null. */
  const decide = (click: HeldClick, now: number, early?: Early): ClickEvent | null => {
    const { raw, description } = click;
    const { ts } = raw;
    const answerable = !description.navigates && !description.formField;
    const answered = answerable && activity.respondedBetween(ts, ts + ANSWER_MS);
    const due = ts + ANSWER_MS <= now;
    if (answerable && !answered && !due && !early) return null;
    const unanswered = answerable && !answered;
    return {
      v: SCHEMA_VERSION,
      type: 'click',
      ts,
      pageviewId: raw.pageviewId,
      page: raw.page,
      sessionId: context.sessionId(ts),
      tabId: context.tabId,
      ...description.fields,
      x: raw.pageX,
      y: raw.pageY,
      clientX: raw.clientX,
      clientY: raw.clientY,
      vw: description.vw,
      vh: description.vh,
      ...click.position,
      button: raw.button,
      modifiers: MODIFIERS.filter((_, bit) => raw.modifiers & (1 << bit)).join('+'),
      keyboard: raw.keyboard,
      // A stepper or a carousel clicked thrice answers each click: that is no rage.
      rage: unanswered && click.burst.length >= RAGE_CLICKS,
      dead: !unanswered || early === 'leaving' ? false : due ? true : null,
    };
  };

  const describing = slices(describeSome);
  const answering = slices(answerSome);
  const listen = (add: boolean): void => {
    for (const type of ['click', 'auxclick'])
      (add ? addEventListener : removeEventListener)(type, onClick, {
        capture: true,
        passive: true,
      });
  };
  return {
    start() {
      activity.start();
      listen(true);
    },
    stop() {
      listen(false);
      activity.stop();
    },
    discard() {
      raws = [];
      last = null;
      held = [];
      burst = [];
    },
    drain(leaving = false) {
      while (raws.length) describeSome(Infinity);
      answerSome(Infinity, leaving ? 'leaving' : 'unknown');
    },
    onResponse() {
      if (held.length) answering.schedule();
    },
  };
}

/**
 * Where `click` fell in the element clicked, as fractions of its border box; nulls without a
 * pointer, or for a box with no area (an element the page removed as it answered). The box is
 * read here, in the slice after the click, not in the click's listener: there it would make
 * the browser lay out again a page its own handlers had just changed, on every click; page
 * coordinates keep a page scrolled since in place.
 */
function positionIn({ path, pointer, pageX, pageY }: RawClick): Pick<ClickEvent, 'ex' | 'ey'> {
  const box = pointer && path[0] instanceof Element ? path[0].getBoundingClientRect() : null;
  const area = box && box.width * box.height;
  return {
    ex: area ? fraction(pageX - scrollX - box.left, box.width) : null,
    ey: area ? fraction(pageY - scrollY - box.top, box.height) : null,
  };
}

/**
 * A click with no pointer (`detail` 0) on the focused element came from the keyboard; one on
 * another element came from a script (`element.click()`).
 */
function isFocused(path: readonly EventTarget[]): boolean {
  const focused = document.activeElement;
  return focused !== null && path.includes(focused);
}

/**
 * True if `click` is the browser's echo of the click before it on a label: the click that
 * activates the label's control (`<label for>`, or a label around it, in a shadow root too),
 * dispatched in the same task with the label click's time stamp, trust and coordinates.
 * One click of a person is one click, so the echo is not recorded; the label's click is, as
 * analytics tools record what the visitor's pointer was on (the label's text, where it is).
 * Two genuine clicks have their own time stamps: both count. A keyboard activation of a
 * control, or a click on it, fires no label click: it counts once.
 */
function isEcho(first: RawClick, click: RawClick): boolean {
  return (
    click.stamp === first.stamp &&
    click.trusted === first.trusted &&
    click.clientX === first.clientX &&
    click.clientY === first.clientY &&
    first.path.some((node) => node instanceof HTMLLabelElement && node.control === click.path[0])
  );
}

function sameBurst(first: RawClick, click: RawClick): boolean {
  return (
    click.ts - first.ts <= ANSWER_MS &&
    Math.hypot(click.pageX - first.pageX, click.pageY - first.pageY) <= RAGE_RADIUS_PX
  );
}
