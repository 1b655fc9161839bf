const OBSERVED: MutationObserverInit = {
  subtree: true,
  childList: true,
  attributes: true,
  characterData: true,
};

/**
 * Notes when the page responds to a click: a DOM mutation, a scroll, a selection change or a
 * navigation. It records the first response after each click. The DOM is observed only while
 * clicks wait for their answer; the scroll and selection listeners stay (passive, and a
 * boolean test when no click waits), because adding and removing a scroll listener on every
 * click costs more than all the rest of a click.
 */
export class Activity {
  /** Times of the first response after each click, oldest first. */
  #times: number[] = [];
  #listening = false;
  #observing = false;
  /** A click waits for its first response. */
  #awaiting = false;
  #roots = new WeakSet<ShadowRoot>();
  readonly #observer = new MutationObserver(() => this.note());

  /** Called with each response recorded. */
  readonly #onResponse: () => void;

  constructor(onResponse: () => void = () => {}) {
    this.#onResponse = onResponse;
  }

  start(): void {
    if (this.#listening) return;
    this.#listening = true;
    addEventListener('scroll', this.note, { capture: true, passive: true });
    document.addEventListener('selectionchange', this.note, { passive: true });
  }

  /** Awaits the page's response: called on the click itself, before the page handles it. */
  watch(): void {
    this.#awaiting = true;
    if (this.#observing) return;
    this.#observing = true;
    this.#observer.observe(document, OBSERVED);
  }

  /** Also observes a shadow root, which a document's observer does not see into. */
  watchRoot(root: ShadowRoot): void {
    if (!this.#observing || this.#roots.has(root)) return;
    this.#roots.add(root);
    this.#observer.observe(root, OBSERVED);
  }

  /** Records a response now (a navigation, say), if a click awaits one. */
  readonly note = (): void => {
    if (!this.#awaiting) return;
    this.#awaiting = false;
    this.#times.push(Date.now());
    this.#onResponse();
  };

  /** True if the page responded within `[from, until]`. */
  respondedBetween(from: number, until: number): boolean {
    return this.#times.some((time) => time >= from && time <= until);
  }

  /** Forgets the responses before `ts`: no waiting click is older. */
  forgetBefore(ts: number): void {
    if (this.#times.length && this.#times[0]! < ts)
      this.#times = this.#times.filter((t) => t >= ts);
  }

  /** No click waits any more: stops observing the DOM. */
  rest(): void {
    this.#awaiting = false;
    if (!this.#observing) return;
    this.#observing = false;
    this.#observer.disconnect();
    this.#roots = new WeakSet();
  }

  stop(): void {
    this.rest();
    if (!this.#listening) return;
    this.#listening = false;
    removeEventListener('scroll', this.note, { capture: true });
    document.removeEventListener('selectionchange', this.note);
  }
}
