import type { ScrollEvent } from './events';
import { fraction } from './fraction';

/** The page view a scroll record belongs to. */
interface ViewOf {
  readonly id: string;
  readonly page: string;
}

/** A scroll record's own fields. */
export type ScrollFields = Pick<ScrollEvent, 'depth' | 'bottom' | 'height' | 'vw' | 'vh'>;

/** What the tracker drives of its scroll depth (see `scrollDepth`). */
export interface ScrollDepth {
  /** Listens to the page's scrolling, or stops. */
  listen(on: boolean): void;
  /** Page view `view` begins: the one before ends (see `end`), this one is measured from now. */
  begin(view: ViewOf): void;
  /** Records the page view's depth if it was seen further down than its last record said. */
  end(): void;
  /** Forgets how far down the page view was seen (the visitor opted out). */
  discard(): void;
}

/**
 * Measures how far down each page view is seen: a passive `scroll` listener keeps the deepest
 * bottom of the viewport (`scrollY + innerHeight`: no layout), and the document's height is
 * read only for a record.
 * Guarantees: a page view's first `end` records it (one never scrolled too), a later one only
 * if it was seen further down since; nothing is recorded before a page view begins.
 */
export function scrollDepth(record: (view: ViewOf, fields: ScrollFields) => void): ScrollDepth {
  let view: ViewOf | null = null;
  let deepest = 0;
  let recorded = -1;
  const onScroll = (): void => {
    deepest = Math.max(deepest, Math.round(scrollY + innerHeight));
  };
  const end = (): void => {
    onScroll();
    if (!view || deepest <= recorded) return;
    recorded = deepest;
    const height = document.documentElement.scrollHeight;
    record(view, {
      depth: fraction(deepest, height),
      bottom: deepest,
      height,
      vw: innerWidth,
      vh: innerHeight,
    });
  };
  return {
    listen: (on) =>
      (on ? addEventListener : removeEventListener)('scroll', onScroll, { passive: true }),
    begin(next) {
      end();
      view = next;
      deepest = 0;
      recorded = -1;
    },
    end,
    discard() {
      deepest = 0;
    },
  };
}
