// Functions that run in the inspected page, not here: each is serialised with toString() and
// evaluated there with JSON arguments, so each must be self-contained (no outside names).

/**
 * What the panel asks the page's tabstream for, a method's path from `tabstream` (`sql.explain`
 * is `tabstream.sql.explain`): each resolves with JSON-safe data.
 */
export type Method =
  | 'counts'
  | 'status'
  | 'sql'
  | 'sql.explain'
  | 'sql.streams'
  | 'sql.results'
  | 'heatmap'
  | 'heatmap.hide'
  | 'paths'
  | 'funnel';

/** How a call started by `startInPage` ended, or that it has not yet. */
export type Outcome =
  | { readonly settled: false }
  | { readonly settled: true; readonly value: unknown }
  | { readonly settled: true; readonly error: string };

/** A call as the page keeps it, until the panel takes its outcome or forgets it. */
interface Kept {
  /** When the call started, by the page's `performance.now()`. */
  readonly at: number;
  readonly outcome: Outcome;
}

/** The inspected page as the panel polls it. */
export interface Probe {
  readonly url: string;
  /** The page's tabstream, or null if it has none (yet). */
  readonly tabstream: {
    readonly version: string;
    readonly isLeader: boolean;
    /** The number of the last batch any tab committed, or null before the first. */
    readonly batch: number | null;
  } | null;
}

/** `window.tabstream` as the page-side functions may find it: anything, so checked. */
interface PageGlobals {
  tabstream?: Partial<Record<'counts' | 'status', (...args: unknown[]) => Promise<unknown>>> & {
    readonly ready?: Promise<void>;
    readonly version?: unknown;
    readonly isLeader?: unknown;
    readonly batches?: readonly { readonly batch?: unknown }[];
  };
}

export function probeInPage(): Probe {
  try {
    const { tabstream } = globalThis as PageGlobals;
    // A named element (`<div id="tabstream">`) is window.tabstream too: check it is the API.
    if (typeof tabstream?.counts !== 'function') return { url: location.href, tabstream: null };
    const batch = tabstream.batches?.at(-1)?.batch;
    return {
      url: location.href,
      tabstream: {
        version: String(tabstream.version),
        isLeader: tabstream.isLeader === true,
        batch: typeof batch === 'number' ? batch : null,
      },
    };
  } catch {
    return { url: location.href, tabstream: null }; // a cross-origin frame named "tabstream"
  }
}

/**
 * Starts `tabstream[method](...args)` once tabstream is ready, and keeps how it ends under `id`
 * for `takeInPage`: `inspectedWindow.eval` cannot wait for a promise. False if the page has no
 * tabstream. First drops the calls started over a minute ago: the panel waits 30 s at most, so
 * no one will take them (DevTools closed mid-call, or a timeout whose `forgetInPage` failed).
 */
export function startInPage({ id, method, args }: { id: string; method: Method; args: unknown[] }) {
  const { tabstream } = globalThis as PageGlobals;
  if (typeof tabstream?.counts !== 'function') return false;
  const key = Symbol.for('tabstream.devtools');
  const store = globalThis as unknown as Record<symbol, Map<string, Kept> | undefined>;
  const outcomes = (store[key] ??= new Map<string, Kept>());
  const at = performance.now(); // monotonic: a change of the clock ages no call
  // Not `> 60000`: a call kept without `at` (by an older version of the extension) goes too.
  for (const [old, kept] of outcomes) if (!(at - kept.at <= 60000)) outcomes.delete(old);
  outcomes.set(id, { at, outcome: { settled: false } });
  // Not kept if dropped or forgotten meanwhile: no one asks for it any more.
  const settle = (outcome: Outcome) => {
    if (outcomes.has(id)) outcomes.set(id, { at, outcome });
  };
  Promise.resolve(tabstream.ready)
    .then(() => {
      // `sql.explain`: the function at that path, called on what holds it (`tabstream.sql`).
      const path = method.split('.');
      const name = path.pop()!;
      const owner = path.reduce<unknown>(
        (at, key) => (at as Record<string, unknown> | undefined)?.[key],
        tabstream,
      ) as Record<string, unknown> | undefined;
      const call = owner?.[name];
      if (typeof call !== 'function')
        throw new Error(`this page's tabstream ${String(tabstream.version)} has no ${method}()`);
      return (call as (...args: unknown[]) => unknown).apply(owner, args);
    })
    .then(
      (value) => settle({ settled: true, value }),
      (error: unknown) =>
        settle({ settled: true, error: error instanceof Error ? error.message : String(error) }),
    );
  return true;
}

/** How call `id` ended, and forgets it if it has; null if the page does not know it (reloaded). */
export function takeInPage(id: string): Outcome | null {
  const store = globalThis as unknown as Record<symbol, Map<string, Kept> | undefined>;
  const outcomes = store[Symbol.for('tabstream.devtools')];
  const outcome = outcomes?.get(id)?.outcome ?? null;
  if (outcome?.settled) outcomes!.delete(id);
  return outcome;
}

/** Forgets call `id`, which the panel gave up on: its outcome is not kept when it comes. */
export function forgetInPage(id: string): void {
  const store = globalThis as unknown as Record<symbol, Map<string, Kept> | undefined>;
  store[Symbol.for('tabstream.devtools')]?.delete(id);
}
