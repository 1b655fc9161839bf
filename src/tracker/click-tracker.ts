import { reportOnce } from '../diagnostics';
import type { Activity } from './activity';
import type { ClickDescription } from './click-description';
import type { ClickEvent } from './events';
import { Slices } from './slices';

/** A click is held this long for its answer: the dead-click window, and the rage burst's span. */
export const ANSWER_MS = 1000;
const RAGE_CLICKS = 3;
const RAGE_RADIUS_PX = 30;
const MODIFIERS = ['alt', 'ctrl', 'meta', 'shift'] as const;

/** What the click handler keeps: the least it can, so that a click costs the page next to nothing. */
export interface RawClick {
  readonly ts: number;
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

/** A described click waiting for its answer (the page's response) and its rage flag. */
interface HeldClick {
  readonly raw: RawClick;
  readonly description: ClickDescription;
  rage: boolean;
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
 * then, once the click's second has passed, its rage and dead flags.
 * Guarantees: every recorded click is handed to `send` once, in order; the tracker never throws
 * into the host page.
 */
export class ClickTracker {
  private raw: RawClick[] = [];
  private held: HeldClick[] = [];
  private burst: HeldClick[] = [];
  private readonly describing = new Slices(() => this.describeSome());
  private readonly answering = new Slices(() => this.answerSome());
  private answerTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly context: ClickContext,
    private readonly activity: Activity,
    private readonly send: (event: ClickEvent) => void,
  ) {}

  start(): void {
    this.activity.start();
    addEventListener('click', this.onClick, { capture: true, passive: true });
    addEventListener('auxclick', this.onClick, { capture: true, passive: true });
  }

  stop(): void {
    removeEventListener('click', this.onClick, { capture: true });
    removeEventListener('auxclick', this.onClick, { capture: true });
    this.activity.stop();
  }

  /** Forgets every click not yet handed on (the visitor opted out). */
  discard(): void {
    this.raw = [];
    this.held = [];
    this.burst = [];
  }

  /**
   * Hands every captured click on, now. A click whose second has not passed is dead if
   * `leaving` (the page is being left, so nothing can answer), else unknown (null) unless it was
   * answered already.
   */
  drain(leaving = false): void {
    while (this.raw.length) this.describeSome(Infinity);
    this.answerSome(Infinity, leaving ? 'leaving' : 'unknown');
  }

  private readonly onClick = (event: Event): void => {
    try {
      const mouse = event as MouseEvent;
      if (event.type === 'auxclick' && mouse.button !== 1) return;
      const { pageviewId, page } = this.context;
      const path = event.composedPath();
      this.raw.push({
        ts: Date.now(),
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
      this.activity.watch();
      // Clicked inside a shadow root (the target is retargeted to its host): the page may
      // answer in there, which the document's observer cannot see into.
      if (path[0] !== event.target) this.watchRoots(path);
      this.describing.schedule();
    } catch (error) {
      reportOnce('a click could not be captured', error);
    }
  };

  private watchRoots(path: readonly EventTarget[]): void {
    for (const node of path) if (node instanceof ShadowRoot) this.activity.watchRoot(node);
  }

  /** Describes raw clicks until `budgetMs` is spent; true if some are left. */
  private describeSome(budgetMs = Slices.BUDGET_MS): boolean {
    const deadline = performance.now() + budgetMs;
    while (this.raw.length && performance.now() < deadline) {
      const raw = this.raw.shift()!;
      const description = this.guard(() => this.context.describe(raw));
      if (description) this.hold({ raw, description, rage: false });
    }
    return this.raw.length > 0;
  }

  private hold(click: HeldClick): void {
    const [first] = this.burst;
    if (!first || !sameBurst(first.raw, click.raw)) this.burst = [];
    this.burst.push(click);
    if (this.burst.length >= RAGE_CLICKS) for (const member of this.burst) member.rage = true;
    this.held.push(click);
    this.awaitAnswer();
  }

  /** Wakes when the oldest held click's second has passed. */
  private awaitAnswer(): void {
    const [next] = this.held;
    if (!next || this.answerTimer !== null || this.answering.pending) return;
    this.answerTimer = setTimeout(
      () => {
        this.answerTimer = null;
        this.answering.schedule();
      },
      Math.max(0, next.raw.ts + ANSWER_MS - Date.now()),
    );
  }

  /** Hands on the held clicks whose second has passed (all, if `early` says how to flag the rest). */
  private answerSome(budgetMs = Slices.BUDGET_MS, early?: 'leaving' | 'unknown'): boolean {
    const deadline = performance.now() + budgetMs;
    const now = Date.now();
    while (this.held.length && performance.now() < deadline) {
      const click = this.held[0]!;
      const due = click.raw.ts + ANSWER_MS <= now;
      if (!due && !early) break;
      this.held.shift();
      this.guard(() => this.send(this.toEvent(click, due ? 'due' : early!)));
    }
    const [next] = this.held;
    // Responses older than every click waiting (held, or not yet described) answer none.
    this.activity.forgetBefore(next?.raw.ts ?? this.raw[0]?.ts ?? now);
    if (!next && this.raw.length === 0) this.activity.rest();
    const more = next !== undefined && next.raw.ts + ANSWER_MS <= now;
    if (!more) queueMicrotask(() => this.awaitAnswer());
    return more;
  }

  private toEvent(
    { raw, description, rage }: HeldClick,
    when: 'due' | 'leaving' | 'unknown',
  ): ClickEvent {
    const answered = this.activity.respondedBetween(raw.ts, raw.ts + ANSWER_MS);
    const answerable = !description.navigates && !description.formField;
    const dead =
      !answerable || answered || when === 'leaving' ? false : when === 'due' ? true : null;
    return {
      v: 1,
      type: 'click',
      ts: raw.ts,
      pageviewId: raw.pageviewId,
      page: raw.page,
      sessionId: this.context.sessionId(raw.ts),
      tabId: this.context.tabId,
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

  private guard<T>(work: () => T): T | null {
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

function sameBurst(first: RawClick, click: RawClick): boolean {
  return (
    click.ts - first.ts <= ANSWER_MS &&
    Math.hypot(click.pageX - first.pageX, click.pageY - first.pageY) <= RAGE_RADIUS_PX
  );
}
