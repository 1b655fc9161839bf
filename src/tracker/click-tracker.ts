import { reportOnce } from '../diagnostics';
import type { Activity } from './activity';
import type { ClickDescription } from './click-description';
import { SCHEMA_VERSION, type ClickEvent } from './events';
import { Slices } from './slices';

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

/**
 * Captures clicks: left, middle and keyboard-activated. The capturing listener keeps time,
 * place and the composed path (about a microsecond); the rest is done after the click, in
 * slices of a few milliseconds: describing the element (at once, while the DOM is as clicked),
 * then, once the page has answered (or its second has passed with no answer), the event.
 * A click on a link or a form field, which answer without telling the DOM, goes at once.
 * Guarantees: every recorded click is handed to `send` once, in order; the tracker never throws
 * into the host page.
 */
export class ClickTracker {
  #raw: RawClick[] = [];
  /** The click described last: the one a label's echo follows. */
  #last: RawClick | null = null;
  #held: HeldClick[] = [];
  #burst: HeldClick[] = [];
  readonly #describing = new Slices(() => this.#describeSome());
  readonly #answering = new Slices(() => this.#answerSome());
  #answerTimer: ReturnType<typeof setTimeout> | null = null;

  readonly #context: ClickContext;
  readonly #activity: Activity;
  readonly #send: (event: ClickEvent) => void;

  constructor(context: ClickContext, activity: Activity, send: (event: ClickEvent) => void) {
    this.#context = context;
    this.#activity = activity;
    this.#send = send;
  }

  start(): void {
    this.#activity.start();
    addEventListener('click', this.#onClick, { capture: true, passive: true });
    addEventListener('auxclick', this.#onClick, { capture: true, passive: true });
  }

  stop(): void {
    removeEventListener('click', this.#onClick, { capture: true });
    removeEventListener('auxclick', this.#onClick, { capture: true });
    this.#activity.stop();
  }

  /** Forgets every click not yet handed on (the visitor opted out). */
  discard(): void {
    this.#raw = [];
    this.#last = null;
    this.#held = [];
    this.#burst = [];
  }

  /**
   * Hands every captured click on, now. A click not yet answered within its second is not dead
   * if `leaving` (the page is being left: that answers it), else its `dead` is unknown (null).
   */
  drain(leaving = false): void {
    while (this.#raw.length) this.#describeSome(Infinity);
    this.#answerSome(Infinity, leaving ? 'leaving' : 'unknown');
  }

  readonly #onClick = (event: Event): void => {
    try {
      const mouse = event as MouseEvent;
      if (event.type === 'auxclick' && mouse.button !== 1) return;
      const { pageviewId, page } = this.#context;
      const path = event.composedPath();
      this.#raw.push({
        ts: Date.now(),
        stamp: event.timeStamp,
        trusted: event.isTrusted,
        path,
        pageX: mouse.pageX,
        pageY: mouse.pageY,
        clientX: mouse.clientX,
        clientY: mouse.clientY,
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
      this.#activity.watch();
      // Clicked inside a shadow root (the target is retargeted to its host): the page may
      // answer in there, which the document's observer cannot see into.
      if (path[0] !== event.target) this.#watchRoots(path);
      this.#describing.schedule();
    } catch (error) {
      reportOnce('a click could not be captured', error);
    }
  };

  #watchRoots(path: readonly EventTarget[]): void {
    for (const node of path) if (node instanceof ShadowRoot) this.#activity.watchRoot(node);
  }

  /** Describes raw clicks until `budgetMs` is spent; true if some are left. */
  #describeSome(budgetMs = Slices.BUDGET_MS): boolean {
    const deadline = performance.now() + budgetMs;
    while (this.#raw.length && performance.now() < deadline) {
      const raw = this.#raw.shift()!;
      const echo = this.#last !== null && isEcho(this.#last, raw);
      this.#last = raw;
      if (echo) continue;
      const description = this.#guard(() => this.#context.describe(raw));
      if (description) this.#hold(raw, description);
    }
    this.#answering.schedule();
    return this.#raw.length > 0;
  }

  #hold(raw: RawClick, description: ClickDescription): void {
    const [first] = this.#burst;
    if (!first || !sameBurst(first.raw, raw)) this.#burst = [];
    const click = { raw, description, burst: this.#burst };
    this.#burst.push(click);
    this.#held.push(click);
  }

  /** The page answered a click: the clicks it answered can go. */
  readonly onResponse = (): void => {
    if (this.#held.length) this.#answering.schedule();
  };

  /** Wakes when the oldest held click's second has passed. */
  #awaitAnswer(): void {
    const [next] = this.#held;
    if (!next || this.#answerTimer !== null || this.#answering.pending) return;
    this.#answerTimer = setTimeout(
      () => {
        this.#answerTimer = null;
        this.#answering.schedule();
      },
      Math.max(0, next.raw.ts + ANSWER_MS - Date.now()),
    );
  }

  /**
   * Hands on the held clicks, in order, while the oldest is decided: answered, unanswerable,
   * or its second passed; all of them if `early` says how to flag the undecided.
   */
  #answerSome(budgetMs = Slices.BUDGET_MS, early?: Early): boolean {
    const deadline = performance.now() + budgetMs;
    const now = Date.now();
    let more = false;
    while (this.#held.length) {
      if (performance.now() >= deadline) {
        more = true;
        break;
      }
      const event = this.#decide(this.#held[0]!, now, early);
      if (!event) break;
      this.#held.shift();
      this.#guard(() => this.#send(event));
    }
    const [next] = this.#held;
    // Responses older than every click waiting (held, or not yet described) answer none.
    this.#activity.forgetBefore(next?.raw.ts ?? this.#raw[0]?.ts ?? now);
    if (!next && this.#raw.length === 0) this.#activity.rest();
    if (!more) queueMicrotask(() => this.#awaitAnswer());
    return more;
  }

  /** The click's event if its flags are known by `now` (or `early`), else null. */
  #decide(click: HeldClick, now: number, early?: Early): ClickEvent | null {
    const { ts } = click.raw;
    const answerable = !click.description.navigates && !click.description.formField;
    const answered = answerable && this.#activity.respondedBetween(ts, ts + ANSWER_MS);
    const due = ts + ANSWER_MS <= now;
    if (answerable && !answered && !due && !early) return null;
    const unanswered = answerable && !answered;
    const dead = !unanswered || early === 'leaving' ? false : due ? true : null;
    // A stepper or a carousel clicked thrice answers each click: that is no rage.
    const rage = unanswered && click.burst.length >= RAGE_CLICKS;
    return this.#toEvent(click, dead, rage);
  }

  #toEvent({ raw, description }: HeldClick, dead: boolean | null, rage: boolean): ClickEvent {
    return {
      v: SCHEMA_VERSION,
      type: 'click',
      ts: raw.ts,
      pageviewId: raw.pageviewId,
      page: raw.page,
      sessionId: this.#context.sessionId(raw.ts),
      tabId: this.#context.tabId,
      ...description.fields,
      x: raw.pageX,
      y: raw.pageY,
      clientX: raw.clientX,
      clientY: raw.clientY,
      vw: description.vw,
      vh: description.vh,
      button: raw.button,
      modifiers: MODIFIERS.filter((_, bit) => raw.modifiers & (1 << bit)).join('+'),
      keyboard: raw.keyboard,
      rage,
      dead,
    };
  }

  #guard<T>(work: () => T): T | null {
    try {
      return work();
    } catch (error) {
      reportOnce('a click could not be recorded', error);
      return null;
    }
  }
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
