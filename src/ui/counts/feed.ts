// One view of a counts source, followed by <tabstream-counts>: the counts now, then after every
// batch.
import type { CountsSource, CountsView } from '../../streaming';

export type { CountsBy, CountsSource, CountsView, CountsWindow } from '../../streaming';

/**
 * The counts in what a source gave: a URL and a whole number of clicks, at least 0. A source is
 * any object on the page, so nothing it gives is trusted: other entries are dropped (a string
 * `'=1+1'` would be a formula in the CSV export, and `NaN` in the table).
 * - must throw a TypeError if `given` is no plain object of counts at all.
 */
export function countsOf(given: unknown): { counts: Record<string, number>; dropped: number } {
  if (typeof given !== 'object' || given === null || Array.isArray(given))
    throw new TypeError(
      `the counts source gave ${Array.isArray(given) ? 'an array' : String(given)}, not counts`,
    );
  const counts: Record<string, number> = Object.create(null) as Record<string, number>;
  let dropped = 0;
  for (const [url, clicks] of Object.entries(given)) {
    if (Number.isSafeInteger(clicks) && (clicks as number) >= 0) counts[url] = clicks as number;
    else dropped++;
  }
  return { counts, dropped };
}

const keyOf = (view: Required<CountsView> | undefined): string =>
  view ? `${view.by} ${view.window}` : '';

/**
 * Follows one view of one source at a time, calling `receive` with its counts and the view:
 * first those of `counts()` (unless a batch came first), then those of each batch. A failure of
 * `subscribe`, `ready` or `counts()` goes to `fail`; a view no longer followed is ignored.
 */
export class CountsFeed {
  private source: CountsSource | undefined;
  private key = '';
  private unsubscribe: (() => void) | null = null;
  private followed: object | null = null; // the current subscription, for counts() resolving late
  private warned = false;

  constructor(
    private readonly receive: (
      counts: Readonly<Record<string, number>>,
      afterBatch: boolean,
      view: Required<CountsView>,
    ) => void,
    private readonly fail: (error: unknown) => void,
  ) {}

  /** Whether it follows `view` of `source` already (or nothing, if either is missing). */
  follows(source: CountsSource | undefined, view: Required<CountsView> | undefined): boolean {
    return source === this.source && keyOf(view) === this.key;
  }

  /** Follows `view` of `source`, or nothing if either is missing; no-op if it does already. */
  follow(source: CountsSource | undefined, view: Required<CountsView> | undefined): void {
    if (this.follows(source, view)) return;
    this.close();
    this.source = source;
    this.key = keyOf(view);
    if (!source || !view) return;
    const followed = (this.followed = {});
    let batched = false;
    try {
      this.unsubscribe = source.subscribe((counts) => {
        if (this.followed !== followed) return; // a source may call once more after unsubscribe
        batched = true;
        this.accept(counts, true, view);
      }, view);
    } catch (error) {
      this.fail(error);
      return;
    }
    void (async () => {
      try {
        await source.ready;
        const counts = await source.counts(view);
        if (this.followed === followed && !batched) this.accept(counts, false, view);
      } catch (error) {
        if (this.followed === followed) this.fail(error);
      }
    })();
  }

  /** Passes on the counts in `given`, saying once what it dropped; fails on no counts at all. */
  private accept(given: unknown, afterBatch: boolean, view: Required<CountsView>): void {
    let checked;
    try {
      checked = countsOf(given);
    } catch (error) {
      this.fail(error);
      return;
    }
    if (checked.dropped > 0 && !this.warned) {
      this.warned = true;
      console.warn(
        `tabstream-counts: the counts source gave ${checked.dropped} values that are not counts (whole numbers ≥ 0); they are not shown`,
      );
    }
    this.receive(checked.counts, afterBatch, view);
  }

  /** Stops following. */
  close(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.followed = null;
    this.source = undefined;
    this.key = '';
  }
}
