import { reportOnce } from '../diagnostics';
import type { ClickEvent } from './click-event';
import { cssSelector, linkTarget } from './selector';

/** What the click handler keeps: the least it can, so that a click costs the page next to nothing. */
interface RawClick {
  readonly ts: number;
  readonly page: string;
  readonly element: Element;
  readonly x: number;
  readonly y: number;
}

/**
 * Captures clicks on a document. The capturing listener only records time, place and element;
 * the selector and link are derived after the click's task, in `drain`, which also runs on
 * demand (before the page is hidden or unloads), so no click is left behind.
 * Guarantees: every click reaching the document is handed to `send` once; the tracker never
 * throws into the host page.
 */
export class ClickTracker {
  private pending: RawClick[] = [];
  private scheduled = false;

  constructor(
    private readonly send: (event: ClickEvent) => void,
    private readonly sessionId: string,
    private readonly target: EventTarget = window,
  ) {}

  start(): void {
    this.target.addEventListener('click', this.onClick, { capture: true, passive: true });
  }

  stop(): void {
    this.target.removeEventListener('click', this.onClick, { capture: true });
    this.drain();
  }

  /** Turns every captured click into an event and hands it on, now. */
  drain(): void {
    const clicks = this.pending;
    this.pending = [];
    this.scheduled = false;
    for (const click of clicks) {
      try {
        this.send(this.toEvent(click));
      } catch (error) {
        reportOnce('a click could not be recorded', error);
      }
    }
  }

  private readonly onClick = (event: Event): void => {
    try {
      const { target } = event;
      if (!(target instanceof Element)) return;
      const { pageX: x, pageY: y } = event as MouseEvent;
      this.pending.push({ ts: Date.now(), page: location.href, element: target, x, y });
      if (this.scheduled) return;
      this.scheduled = true;
      setTimeout(() => this.drain(), 0);
    } catch (error) {
      reportOnce('a click could not be captured', error);
    }
  };

  private toEvent({ ts, page, element, x, y }: RawClick): ClickEvent {
    return {
      ts,
      page,
      target: linkTarget(element),
      selector: cssSelector(element),
      x,
      y,
      sessionId: this.sessionId,
    };
  }
}
