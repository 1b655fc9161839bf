// One view of a counts source, followed by <tabstream-counts>: the counts now, then after every
// batch.
import type { CountsView } from '../api';

export type { CountsBy, CountsView, CountsWindow } from '../api';

/**
 * Where `<tabstream-counts>` gets its numbers: `window.tabstream`, or any object like it.
 * - `counts(view)` resolves with the counts of `view` as of the last batch;
 * - `subscribe(listener, view)` calls `listener` after every batch, until the returned
 *   function is called;
 * - `ready`, if any, resolves once counts can be read.
 */
export interface CountsSource {
  readonly ready?: Promise<void>;
  counts(view?: CountsView): Promise<Record<string, number>>;
  subscribe(
    listener: (counts: Readonly<Record<string, number>>) => void,
    view?: CountsView,
  ): () => void;
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
        this.receive(counts, true, view);
      }, view);
    } catch (error) {
      this.fail(error);
      return;
    }
    void (async () => {
      try {
        await source.ready;
        const counts = await source.counts(view);
        if (this.followed === followed && !batched) this.receive(counts, false, view);
      } catch (error) {
        if (this.followed === followed) this.fail(error);
      }
    })();
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
