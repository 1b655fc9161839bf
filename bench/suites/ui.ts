// Suite `ui`: what `<tabstream-counts>` (src/ui/counts.ts) costs the page at 10,000 URLs, against
// a naive Lit table measured side by side in the same page run.
//
// Data: 10,000 distinct page URLs (`https://shop.example/<category>/item-<i>`, 10 categories)
// with Zipf-like all-time counts (the URL of rank r has about 1,000,000 / r clicks, ±10%, at
// least 1; ranks shuffled, seeded). A batch adds clicks to 200 distinct URLs drawn Zipf-like by
// rank (1–20 clicks each) and 5 new URLs (1–3 clicks): a new all-time snapshot object, as the
// real source publishes, so the URLs grow by 5 per batch (10,000 at first render, 10,180 at the
// batch-update and filter phases' end, 11,080 at the end).
// Variants, each driven by a `CountsSource` of its own that the suite publishes batches to (the
// listener called synchronously, as `subscribe`'s is after a batch):
// - ours: `<tabstream-counts show-all>` (defineElements()): every URL reachable, as in the
//   baseline; it renders the rows in view plus 8 either side and spacers for the rest;
// - naive (the baseline): a minimal LitElement of the suite's own, `<bench-naive-counts>`, that
//   follows its source the same way and renders every row: `Object.entries` filtered by the
//   filter, fully sorted (count desc, then URL) on every render, one `<tr>` of two text cells
//   (URL, count formatted like ours) per URL through an unkeyed `map`, in a scroll region of the
//   same height with the same fixed table layout and row height; no sparkline, no bar.
// Only the variant measured is displayed: the others' containers are `display: none` (shown
// again, untimed, two frames before a measurement). A measurement ends when the variant's
// `updateComplete` has resolved with the change rendered and a frame has been produced: the
// next `requestAnimationFrame` callback, then a `setTimeout(0)` set from it, which runs after
// the frame's style, layout, ResizeObserver callbacks and paint (raster is off the main thread
// and not included). Every figure thus includes the wait for the next frame (vsync, 0–16.7 ms);
// the notes split each median into script (until updateComplete), wait (until the rAF
// callback) and frame (style, layout, paint: rAF callback to the timeout).
// Repetitions: a warm-up, then 15, the variants' order rotating each repetition; `gc()` before
// each timed step. Figures are medians (ms), ratio = ours / naive:
// - counts-first-render-10k: from `createElement` (source and show-all set, appended) until the
//   10,000 rows' first render with counts is painted (ours: rows, then the re-render its
//   ResizeObserver asks for, in that frame); a fresh element each time, removed after;
// - counts-batch-update-10k: a batch published to the mounted element (ours with 20 batches of
//   sparkline history, warmed up first) until its render is painted;
// - counts-filter-10k: the property `filter` set to `shoes` (1 URL in 10) until painted; the
//   filter is cleared, untimed, after each;
// - counts-scroll-10k: the scroll region (the shadow root's `[part~="scroll"]`) scrolled down by
//   its clientHeight by setting scrollTop, until the frame that ran the scroll event (and ours'
//   re-render of the rows in view) is painted; per repetition the median of 30 steps from the
//   top; the figure is the median of those medians. The notes say whether ours' rows covered
//   the view after every step (no blank gap);
// - counts-long-tasks (count): PerformanceObserver 'longtask' entries (tasks over 50 ms) during
//   60 batches published one after another, each once the last one is painted plus a 50 ms
//   pause; 3 rounds, order rotating, every variant getting the round's same 60 snapshots (built
//   before the timing starts); the figure is the median count.
// Notes (stderr): the split of each median, ours with the default limit (the top 100 rows) on
// first render, whether ours' rows covered the scrolled view (no blank gap under the sticky
// header or above the sticky footer), the long tasks' durations, and a batch's data work part by
// part, each timed on its own (ours: SortedRows.of, matchingRows, BatchHistory.add; naive:
// Object.entries + sort).
import { css, html, LitElement, type TemplateResult } from 'lit';
import { defineElements, type CountsSource, type TabstreamCounts } from '../../src/ui';
import { matchingRows, SortedRows } from '../../src/ui/counts/rows';
import { BatchHistory } from '../../src/ui/counts/sparkline';
import { collectGarbage, FULL_RUN, median, type Figure, type SuiteOptions } from './figure';

const SUITE = 'ui';
const URLS = 10_000;
const CATEGORIES = [
  'shoes',
  'shirts',
  'bags',
  'hats',
  'watches',
  'jackets',
  'socks',
  'belts',
  'scarves',
  'gloves',
] as const;
const CHANGED_PER_BATCH = 200;
const NEW_PER_BATCH = 5;
/**
 * Repetitions (after a warm-up), scroll steps, batches and rounds of the long-task phase, and
 * batches of history before the batch phase (ours' sparklines span 20 batches,
 * src/ui/counts-sparkline.ts). Short mode: one of each (no warm-up), at the same 10,000 URLs.
 */
const SIZES = {
  full: {
    repetitions: 15,
    warmUp: true,
    scrollSteps: 30,
    longTaskBatches: 60,
    longTaskRounds: 3,
    historyBatches: 20,
  },
  short: {
    repetitions: 1,
    warmUp: false,
    scrollSteps: 3,
    longTaskBatches: 5,
    longTaskRounds: 1,
    historyBatches: 2,
  },
};
/** This run's: set once by run(). */
let sizes = SIZES.full;
const LONG_TASK_PAUSE_MS = 50;
const FILTER = 'shoes';
const BASELINE = 'naive-lit-table';

type Emit = (figure: Figure) => void;
type Counts = Record<string, number>;

/** Times of one measurement, ms from its start. */
interface Timing {
  /** Until updateComplete with the change rendered (or, for a scroll, the scroll event). */
  readonly script: number;
  /** Until the next requestAnimationFrame callback. */
  readonly frame: number;
  /** Until the setTimeout(0) set from it: the frame produced. */
  readonly painted: number;
}

/** A counts source driven by the suite: `publish` is a batch. */
class Source implements CountsSource {
  readonly listeners = new Set<(counts: Readonly<Counts>) => void>();
  constructor(private current: Counts) {}
  counts(): Promise<Counts> {
    return Promise.resolve(this.current);
  }
  subscribe(listener: (counts: Readonly<Counts>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  publish(counts: Counts): void {
    this.current = counts;
    for (const listener of this.listeners) listener(counts);
  }
}

// --- The baseline: every row in the DOM. ---

const naiveCount = new Intl.NumberFormat('en'); // as src/ui/format.ts formatCount
const byCountThenUrl = (a: [string, number], b: [string, number]): number =>
  b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

class NaiveCounts extends LitElement {
  static override properties = {
    counts: { state: true },
    filter: {},
  };
  static override styles = css`
    :host {
      display: block;
      font:
        14px/1.4 system-ui,
        sans-serif;
    }
    .scroll {
      max-height: min(24rem, 60vh);
      overflow: auto;
    }
    table {
      font: inherit;
      width: 100%;
      border-collapse: collapse;
      table-layout: fixed;
    }
    tr {
      height: 1.75rem;
    }
    th,
    td {
      padding: 0 0.5em;
      border-bottom: 1px solid #e3e3e8;
      text-align: left;
      white-space: nowrap;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .count {
      width: 5.5em;
      text-align: right;
    }
  `;

  declare counts: Readonly<Counts> | null;
  declare filter: string;
  source: CountsSource | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor() {
    super();
    this.counts = null;
    this.filter = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const source = this.source;
    if (!source) return;
    let batched = false;
    this.unsubscribe = source.subscribe((counts) => {
      batched = true;
      this.counts = counts;
    });
    void source.counts().then((counts) => {
      if (!batched) this.counts = counts;
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
  }

  protected override render(): TemplateResult {
    const needle = this.filter.trim().toLowerCase();
    const rows = Object.entries(this.counts ?? {})
      .filter(([url]) => needle === '' || url.toLowerCase().includes(needle))
      .sort(byCountThenUrl);
    return html`<div part="scroll" class="scroll">
      <table>
        <thead>
          <tr>
            <th scope="col">Page URL</th>
            <th scope="col" class="count">Clicks</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            ([url, clicks]) =>
              html`<tr>
                <td>${url}</td>
                <td class="count">${naiveCount.format(clicks)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }
}

// --- The variants, as the phases drive them. ---

type VariantName = 'ours' | 'naive';

interface Mounted {
  readonly name: VariantName;
  readonly element: LitElement;
  readonly source: Source;
  readonly container: HTMLElement;
  /** The rows of the body in the DOM. */
  rows(): number;
  /** The rows shown (rendered or stood in for by spacers). */
  shown(): number;
  /** Whether the counts have been rendered, once no update is pending (cheap). */
  ready(): boolean;
  scroller(): HTMLElement;
  setFilter(filter: string): void;
}

function mount(name: VariantName, counts: Counts, showAll = true): Mounted {
  const source = new Source(counts);
  const container = document.createElement('div');
  container.style.width = '960px';
  document.body.append(container);
  const root = (element: LitElement) => element.shadowRoot!;
  if (name === 'ours') {
    const element: TabstreamCounts = document.createElement('tabstream-counts');
    element.showAll = showAll;
    element.source = source;
    container.append(element);
    return {
      name,
      element,
      source,
      container,
      rows: () => root(element).querySelectorAll('tbody tr[part~="row"]').length,
      ready: () => root(element).querySelector('tbody tr[part~="row"]') !== null,
      shown: () =>
        Number(root(element).querySelector('table')?.getAttribute('aria-rowcount') ?? 2) - 2,
      scroller: () => root(element).querySelector<HTMLElement>('[part~="scroll"]')!,
      setFilter: (filter) => (element.filter = filter),
    };
  }
  const element = document.createElement('bench-naive-counts') as NaiveCounts;
  element.source = source;
  container.append(element);
  const rows = () => root(element).querySelectorAll('tbody tr').length;
  return {
    name,
    element,
    source,
    container,
    rows,
    shown: rows,
    ready: () => element.counts !== null,
    scroller: () => root(element).querySelector<HTMLElement>('[part~="scroll"]')!,
    setFilter: (filter) => (element.filter = filter),
  };
}

function unmount(variant: Mounted): void {
  variant.container.remove();
}

/** Displays `variant` alone, and waits until two frames have been produced since. */
async function showOnly(variant: Mounted, all: readonly Mounted[]): Promise<void> {
  for (const other of all) other.container.style.display = other === variant ? '' : 'none';
  await painted();
  await painted();
}

// --- The data. ---

function urlOf(i: number): string {
  return `https://shop.example/${CATEGORIES[i % CATEGORIES.length]}/item-${i}`;
}

/** All-time counts and the batches that add to them, one snapshot object per batch. */
class Clicks {
  /** URLs by popularity rank, most clicked first (new URLs join at the end). */
  private readonly ranked: string[];
  private readonly cumulative: number[] = [];
  private counts: Counts = {};
  private nextUrl = URLS;
  private readonly random = seeded(7);

  constructor() {
    const ranks = Array.from({ length: URLS }, (_, i) => i);
    for (let i = ranks.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      [ranks[i], ranks[j]] = [ranks[j]!, ranks[i]!];
    }
    this.ranked = new Array<string>(URLS);
    for (let i = 0; i < URLS; i++) {
      const rank = ranks[i]!;
      this.ranked[rank] = urlOf(i);
      this.counts[urlOf(i)] = Math.max(
        1,
        Math.round((1_000_000 / (rank + 1)) * (0.9 + 0.2 * this.random())),
      );
    }
    this.weigh();
  }

  get now(): Counts {
    return this.counts;
  }

  /** The next batch's all-time counts: a new object. */
  batch(): Counts {
    const counts = { ...this.counts };
    const changed = new Set<string>();
    while (changed.size < CHANGED_PER_BATCH) changed.add(this.ranked[this.pick()]!);
    for (const url of changed) counts[url]! += 1 + Math.floor(this.random() * 20);
    for (let i = 0; i < NEW_PER_BATCH; i++) {
      const url = urlOf(this.nextUrl++);
      counts[url] = 1 + Math.floor(this.random() * 3);
      this.ranked.push(url);
    }
    this.weigh();
    this.counts = counts;
    return counts;
  }

  /** Zipf weights by rank, cumulative, for the URLs known. */
  private weigh(): void {
    let sum = this.cumulative.at(-1) ?? 0;
    for (let rank = this.cumulative.length; rank < this.ranked.length; rank++)
      this.cumulative.push((sum += 1 / (rank + 1)));
  }

  private pick(): number {
    const r = this.random() * this.cumulative.at(-1)!;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! < r) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

// --- The suite. ---

export async function run(emit: Emit, options: SuiteOptions = FULL_RUN): Promise<void> {
  sizes = options.short ? SIZES.short : SIZES.full;
  defineElements();
  if (!customElements.get('bench-naive-counts'))
    customElements.define('bench-naive-counts', NaiveCounts);
  const frames: number[] = [];
  for (let i = 0; i < 10; i++) frames.push((await painted()).frame);
  note(`crossOriginIsolated ${String(crossOriginIsolated)}; frame interval ${frameInterval()} ms`);
  const clicks = new Clicks();

  await firstRender(emit, clicks.now);

  // The mounted elements of the other phases.
  const variants = [mount('ours', clicks.now), mount('naive', clicks.now)];
  for (const variant of variants) {
    await showOnly(variant, variants);
    await rendered(variant, () => variant.ready());
  }
  const ours = variants[0]!;
  if (ours.source.listeners.size !== 1)
    note(`ours subscribed ${ours.source.listeners.size} times, not once`);
  for (let i = 0; i < sizes.historyBatches; i++) {
    const counts = clicks.batch();
    for (const variant of variants) variant.source.publish(counts);
    for (const variant of variants) await variant.element.updateComplete;
    await painted();
  }

  await batchUpdates(emit, variants, clicks);
  await filtering(emit, variants);
  await scrolling(emit, variants);
  await longTaskCounts(emit, variants, clicks);
  note(`URLs at the end: ${Object.keys(clicks.now).length}`);
  variants.forEach(unmount);
  await painted();
  batchParts(clicks);

  function frameInterval(): string {
    const gaps = frames.slice(1).map((frame, i) => frame - frames[i]!);
    return median(gaps).toFixed(1);
  }
}

async function firstRender(emit: Emit, counts: Counts): Promise<void> {
  const kinds = [{ name: 'ours' }, { name: 'naive' }, { name: 'ours-top100' }] as const;
  const times = await rounds(kinds, (repetition) => async ({ name }) => {
    collectGarbage();
    await painted();
    const start = performance.now();
    const variant = mount(name === 'naive' ? 'naive' : 'ours', counts, name === 'ours');
    await rendered(variant, () => variant.ready());
    const timing = await paintedSince(start);
    if (repetition === 0) check(variant, name === 'ours-top100' ? 100 : URLS);
    unmount(variant);
    return timing;
  });
  await painted();
  note(`first render, top 100 rows (ours' default limit): ${split(times.get('ours-top100')!)}`);
  compare(emit, 'counts-first-render-10k', times.get('ours')!, times.get('naive')!);
}

async function batchUpdates(emit: Emit, variants: Mounted[], clicks: Clicks): Promise<void> {
  const times = await rounds(variants, () => {
    const counts = clicks.batch();
    return (variant) => timeChange(variant, variants, () => variant.source.publish(counts));
  });
  compare(emit, 'counts-batch-update-10k', times.get('ours')!, times.get('naive')!);
}

async function filtering(emit: Emit, variants: Mounted[]): Promise<void> {
  const matched = new Map<VariantName, number>();
  const times = await rounds(variants, () => async (variant) => {
    const timing = await timeChange(variant, variants, () => variant.setFilter(FILTER));
    matched.set(variant.name, variant.shown());
    variant.setFilter('');
    await rendered(variant, () => true);
    return timing;
  });
  note(`filter "${FILTER}": ours shows ${matched.get('ours')} rows, naive ${matched.get('naive')}`);
  if (matched.get('ours') !== matched.get('naive'))
    throw new Error('ours and the naive table matched different rows');
  compare(emit, 'counts-filter-10k', times.get('ours')!, times.get('naive')!);
}

async function scrolling(emit: Emit, variants: Mounted[]): Promise<void> {
  let steps = 0;
  let gaps = 0;
  const rowsInDom: number[] = [];
  const medians = await rounds(variants, (repetition) => async (variant) => {
    await showOnly(variant, variants);
    const scroller = variant.scroller();
    scroller.scrollTop = 0;
    await painted();
    await painted();
    collectGarbage();
    await painted();
    let scrolled = 0;
    const onScroll = () => (scrolled = performance.now());
    // Capturing, on the shadow root: before the element's own listener (and its re-render).
    variant.element.shadowRoot!.addEventListener('scroll', onScroll, { capture: true });
    const timings: Timing[] = [];
    for (let step = 0; step < sizes.scrollSteps; step++) {
      const start = performance.now();
      const top = scroller.scrollTop;
      scroller.scrollTop = top + scroller.clientHeight;
      const { frame, painted: done } = await painted();
      await variant.element.updateComplete;
      timings.push({ script: scrolled - start, frame: frame - start, painted: done - start });
      if (variant.name === 'ours' && repetition >= 0) {
        steps++;
        if (!rowsCoverView(variant)) gaps++;
        rowsInDom.push(variant.rows());
      }
      if (scroller.scrollTop <= top) throw new Error(`${variant.name}: the region did not scroll`);
    }
    variant.element.shadowRoot!.removeEventListener('scroll', onScroll, { capture: true });
    return medianTiming(timings);
  });
  note(
    `scroll: ours' rows covered the view after ${steps - gaps} of ${steps} steps; ` +
      `rows in ours' DOM: median ${median(rowsInDom)}, at most ${Math.max(...rowsInDom)}`,
  );
  compare(emit, 'counts-scroll-10k', medians.get('ours')!, medians.get('naive')!, 'scroll');
}

async function longTaskCounts(emit: Emit, variants: Mounted[], clicks: Clicks): Promise<void> {
  const sanity = await longTasks(async () => {
    busy(60);
    await sleep(0);
  });
  note(`longtask observer: saw ${sanity.length} of 1 deliberate 60 ms task`);
  const durations = await rounds(
    variants,
    () => {
      // The round's batches, the same for every variant, built before the timing starts.
      const snapshots = Array.from({ length: sizes.longTaskBatches }, () => clicks.batch());
      return async (variant) => {
        await showOnly(variant, variants);
        collectGarbage();
        await painted();
        return longTasks(async () => {
          for (const snapshot of snapshots) {
            variant.source.publish(snapshot);
            await rendered(variant, () => true);
            await painted();
            await sleep(LONG_TASK_PAUSE_MS);
          }
        });
      };
    },
    { repetitions: sizes.longTaskRounds, warmUp: false },
  );
  const counts = new Map(
    [...durations].map(([name, perRound]) => [name, perRound.map((t) => t.length)]),
  );
  for (const [name, perRound] of durations) {
    const list = perRound.flat();
    note(
      `long tasks, ${name}: ${counts.get(name)!.join(', ')} in ${sizes.longTaskRounds} rounds of ` +
        `${sizes.longTaskBatches} batches` +
        (list.length
          ? `; durations median ${median(list).toFixed(0)} ms, max ${Math.max(...list).toFixed(0)} ms`
          : ''),
    );
  }
  const ours = median(counts.get('ours')!);
  const naive = median(counts.get('naive')!);
  emit({
    suite: SUITE,
    name: 'counts-long-tasks',
    value: ours,
    unit: 'count',
    baseline: BASELINE,
    baseline_value: naive,
    ...(naive > 0 ? { ratio: ratioOf(ours, naive) } : {}),
  });
}

/**
 * The data work of a batch, each part on its own: ours' (src/ui/counts-rows.ts,
 * counts-sparkline.ts) and the naive table's.
 */
function batchParts(clicks: Clicks): void {
  const before = clicks.now;
  const after = clicks.batch();
  const each = (prepare: () => () => unknown): string => {
    const runs: number[] = [];
    for (let r = sizes.warmUp ? -1 : 0; r < sizes.repetitions; r++) {
      const work = prepare();
      collectGarbage();
      const start = performance.now();
      work();
      if (r >= 0) runs.push(performance.now() - start);
    }
    return median(runs).toFixed(2);
  };
  const sortedAfter = (primed: boolean) => () => {
    const sorted = new SortedRows();
    if (primed) sorted.of(before, 'count', 'desc');
    return () => sorted.of(after, 'count', 'desc');
  };
  const rows = new SortedRows().of(after, 'count', 'desc');
  note(
    `data work at ${Object.keys(after).length} URLs, ms: ours: SortedRows.of after a batch ` +
      `${each(sortedAfter(true))}, from scratch ${each(sortedAfter(false))}; matchingRows '' ` +
      `${each(() => () => matchingRows(rows, ''))}, "${FILTER}" ${each(() => () => matchingRows(rows, FILTER))}; ` +
      `BatchHistory.add ${each(() => {
        const history = new BatchHistory();
        history.add(before, false);
        return () => history.add(after, true);
      })}; naive: entries + sort ${each(() => () => Object.entries(after).sort(byCountThenUrl))}`,
  );
}

// --- Measuring. ---

/**
 * Measures each of `variants` once a round: `round(repetition)` is called at the start of each
 * round (to build what its variants share) and returns the measure. A warm-up round comes first
 * unless `warmUp` is false, and is not kept. Which variant goes first rotates, so none always
 * runs after the same other. Resolves with each variant's measures, by name.
 */
async function rounds<V extends { readonly name: string }, T>(
  variants: readonly V[],
  round: (repetition: number) => (variant: V) => Promise<T>,
  { repetitions = sizes.repetitions, warmUp = sizes.warmUp } = {},
): Promise<Map<V['name'], T[]>> {
  const kept = new Map<V['name'], T[]>(variants.map((variant) => [variant.name, []]));
  for (let repetition = warmUp ? -1 : 0; repetition < repetitions; repetition++) {
    const measure = round(repetition);
    for (let i = 0; i < variants.length; i++) {
      const variant = variants[(i + Math.max(repetition, 0)) % variants.length]!;
      const result = await measure(variant);
      if (repetition >= 0) kept.get(variant.name)!.push(result);
    }
  }
  return kept;
}

/** Shows `variant` alone, makes `change`, and times it until rendered and painted. */
async function timeChange(
  variant: Mounted,
  variants: readonly Mounted[],
  change: () => void,
): Promise<Timing> {
  await showOnly(variant, variants);
  collectGarbage();
  await painted();
  const start = performance.now();
  change();
  await rendered(variant, () => true);
  return paintedSince(start);
}

/** Waits until `variant` has no update pending and `done()` holds (microtasks, then tasks). */
async function rendered(variant: Mounted, done: () => boolean): Promise<void> {
  for (let turn = 0; turn < 1000; turn++) {
    if ((await variant.element.updateComplete) && done()) return;
    if (turn < 20) await Promise.resolve();
    else await sleep(0);
  }
  throw new Error(`${variant.name} never rendered`);
}

/** The time of the next requestAnimationFrame callback and of a setTimeout(0) set from it. */
async function painted(): Promise<{ frame: number; painted: number }> {
  const frame = await new Promise<number>((resolve) =>
    requestAnimationFrame(() => resolve(performance.now())),
  );
  await sleep(0);
  return { frame, painted: performance.now() };
}

async function paintedSince(start: number): Promise<Timing> {
  const script = performance.now() - start;
  const { frame, painted: done } = await painted();
  return { script, frame: frame - start, painted: done - start };
}

/** Per field, the median of `timings`. */
function medianTiming(timings: readonly Timing[]): Timing {
  return {
    script: median(timings.map((t) => t.script)),
    frame: median(timings.map((t) => t.frame)),
    painted: median(timings.map((t) => t.painted)),
  };
}

/** How the parts of a Timing are called in the notes: of a change, or of a scroll. */
const PARTS = {
  change: ['script', 'wait'],
  scroll: ['scroll event at', 'then listeners and re-render'],
} as const;

/** The medians of `timings` as "total (script, wait, frame)". */
function split(timings: readonly Timing[], kind: keyof typeof PARTS = 'change'): string {
  const m = medianTiming(timings);
  const [script, wait] = PARTS[kind];
  return (
    `${m.painted.toFixed(1)} ms (${script} ${m.script.toFixed(1)}, ` +
    `${wait} ${(m.frame - m.script).toFixed(1)}, frame ${(m.painted - m.frame).toFixed(1)}; ` +
    `range ${Math.min(...timings.map((t) => t.painted)).toFixed(1)}–` +
    `${Math.max(...timings.map((t) => t.painted)).toFixed(1)})`
  );
}

function compare(
  emit: Emit,
  name: string,
  ours: readonly Timing[],
  naive: readonly Timing[],
  kind: keyof typeof PARTS = 'change',
): void {
  note(`${name}: ours ${split(ours, kind)}; naive ${split(naive, kind)}`);
  const value = median(ours.map((t) => t.painted));
  const baseline = median(naive.map((t) => t.painted));
  emit({
    suite: SUITE,
    name,
    value: round2(value),
    unit: 'ms',
    baseline: BASELINE,
    baseline_value: round2(baseline),
    ratio: ratioOf(value, baseline),
  });
}

/** Throws unless `variant` shows `expected` rows (ours: some of them in the DOM). */
function check(variant: Mounted, expected: number): void {
  const shown = variant.shown();
  if (shown !== expected) throw new Error(`${variant.name} shows ${shown} rows, not ${expected}`);
  note(`${variant.name}, ${expected} rows shown: ${variant.rows()} in the DOM`);
}

/** Whether ours' rendered rows reach from under the sticky header to the sticky footer. */
function rowsCoverView(variant: Mounted): boolean {
  const root = variant.element.shadowRoot!;
  const view = variant.scroller().getBoundingClientRect();
  // The cells are sticky, not their row groups: thead's and tfoot's own boxes scroll away.
  const top = root.querySelector('thead th')!.getBoundingClientRect().bottom;
  const bottom = Math.min(view.bottom, root.querySelector('tfoot th')!.getBoundingClientRect().top);
  const rows = [...root.querySelectorAll('tbody tr[part~="row"]')].map((row) =>
    row.getBoundingClientRect(),
  );
  if (!rows.length) return false;
  return rows[0]!.top <= top + 1 && rows.at(-1)!.bottom >= bottom - 1;
}

/** The durations (ms) of the long tasks during `work`. */
async function longTasks(work: () => Promise<void>): Promise<number[]> {
  const tasks: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => tasks.push(...list.getEntries()));
  observer.observe({ type: 'longtask', buffered: false });
  await work();
  await sleep(100); // entries are reported after their task
  tasks.push(...observer.takeRecords());
  observer.disconnect();
  return tasks.map((task) => task.duration);
}

function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

/** `value / baseline` to 3 significant digits (ours is often a few hundredths of the baseline). */
function ratioOf(value: number, baseline: number): number {
  return Number((value / baseline).toPrecision(3));
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function note(text: string): void {
  console.log(`BENCH-NOTE ${text}`);
}
