const OBSERVED: MutationObserverInit = {
  subtree: true,
  childList: true,
  attributes: true,
  characterData: true,
};

/**
 * Notes when the page responds: a DOM mutation, a scroll, a selection change or a navigation.
 * It only listens while a click waits for its answer, and stops at the first answer, so a busy
 * page costs it one callback per click at most.
 */
export class Activity {
  /** Times of the first response after each `watch`, oldest first. */
  private times: number[] = [];
  private watching = false;
  private roots = new WeakSet<ShadowRoot>();
  private readonly observer = new MutationObserver(() => this.note());

  /** Starts listening, if not already: called on the click itself, before the page handles it. */
  watch(): void {
    if (this.watching) return;
    this.watching = true;
    this.observer.observe(document, OBSERVED);
    addEventListener('scroll', this.note, { capture: true, passive: true });
    document.addEventListener('selectionchange', this.note);
  }

  /** Also listens inside a shadow root, which a document's observer does not see into. */
  watchRoot(root: ShadowRoot): void {
    if (!this.watching || this.roots.has(root)) return;
    this.roots.add(root);
    this.observer.observe(root, OBSERVED);
  }

  /** Records a response now (a navigation, say) and stops listening. */
  readonly note = (): void => {
    this.times.push(Date.now());
    this.stop();
  };

  /** True if the page responded within `[from, until]`. */
  respondedBetween(from: number, until: number): boolean {
    return this.times.some((time) => time >= from && time <= until);
  }

  /** Forgets the responses before `ts`: no waiting click is older. */
  forgetBefore(ts: number): void {
    this.times = this.times.filter((time) => time >= ts);
  }

  stop(): void {
    if (!this.watching) return;
    this.watching = false;
    this.observer.disconnect();
    this.roots = new WeakSet();
    removeEventListener('scroll', this.note, { capture: true });
    document.removeEventListener('selectionchange', this.note);
  }
}
