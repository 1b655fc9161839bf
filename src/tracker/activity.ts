import type { DomShadowRoot } from '../shared';
const OBSERVED: MutationObserverInit = {
  subtree: true,
  childList: true,
  attributes: true,
  characterData: true,
};

/** What the click tracker asks of the page's responses (see `activity`). */
export interface Activity {
  start(): void;
  /** Awaits the page's response: called on the click itself, before the page handles it. */
  watch(): void;
  /** Also observes a shadow root, which a document's observer does not see into. */
  watchRoot(root: DomShadowRoot): void;
  /** Records a response now (a navigation, say), if a click awaits one. */
  note(): void;
  /** True if the page responded within `[from, until]`. */
  respondedBetween(from: number, until: number): boolean;
  /** Forgets the responses before `ts`: no waiting click is older. */
  forgetBefore(ts: number): void;
  /** No click waits any more: stops observing the DOM. */
  rest(): void;
  stop(): void;
}

/**
 * Notes when the page responds to a click: a DOM mutation, a scroll, a selection change or a
 * navigation. It records the first response after each click, and calls `onResponse`. The DOM
 * is observed only while clicks wait for their answer; the scroll and selection listeners stay
 * (passive, and a boolean test when no click waits), because adding and removing a scroll
 * listener on every click costs more than all the rest of a click.
 */
export function activity(onResponse: () => void = () => {}): Activity {
  /** Times of the first response after each click, oldest first. */
  let times: number[] = [];
  let listening = false;
  let observing = false;
  /** A click waits for its first response. */
  let awaiting = false;
  let roots = new WeakSet<ShadowRoot>();
  const note = (): void => {
    if (!awaiting) return;
    awaiting = false;
    times.push(Date.now());
    onResponse();
  };
  const observer = new MutationObserver(note);
  const rest = (): void => {
    awaiting = false;
    if (!observing) return;
    observing = false;
    observer.disconnect();
    roots = new WeakSet();
  };
  return {
    note,
    rest,
    start() {
      if (listening) return;
      listening = true;
      addEventListener('scroll', note, { capture: true, passive: true });
      document.addEventListener('selectionchange', note, { passive: true });
    },
    watch() {
      awaiting = true;
      if (observing) return;
      observing = true;
      observer.observe(document, OBSERVED);
    },
    watchRoot(root) {
      if (!observing || roots.has(root)) return;
      roots.add(root);
      observer.observe(root, OBSERVED);
    },
    respondedBetween: (from, until) => times.some((time) => time >= from && time <= until),
    forgetBefore(ts) {
      if (times.length && times[0]! < ts) times = times.filter((t) => t >= ts);
    },
    stop() {
      rest();
      if (!listening) return;
      listening = false;
      removeEventListener('scroll', note, { capture: true });
      document.removeEventListener('selectionchange', note);
    },
  };
}
