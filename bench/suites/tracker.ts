// Suite `tracker`: what the script tag's click tracker costs the host page, on a deep page
// (1,107 elements; every clickable leaf 19 elements deep, html included), against a bare
// reference listener measured side by side. Synthetic `click` MouseEvents (bubbles, composed,
// detail 1) dispatched on random leaves, as PERF-BASELINE section 7 did; in a round, every
// variant clicks the same leaves, and the variants' order rotates from round to round, so drift
// hits all alike. A bubbling listener of the page's own (a router's: it keeps links in the page)
// runs in every variant.
// Variants:
// - none: no listener of ours: the dispatch itself;
// - reference: a capturing listener that pushes `{ts: Date.now(), x, y, target}` to an array;
// - tracker: the real Tracker (DEFAULT_TRACKER_CONFIG, randomId), started as the script tag
//   starts it, sending through the real EventQueue, handed to a sink that pushes to an array;
// Figures (µs per click, above `none`; baseline: `reference`):
// - click-cost-median, click-cost-p99: bursts: groups of 100 clicks dispatched in one task,
//   timed as a whole (performance.now ticks 5 µs: the page is cross-origin isolated); a group's
//   per-click cost is its time / 100; median and p99 over 1,000 groups per variant, minus none's
//   median and p99. Between groups (untimed) the page answers the burst with a DOM change and a
//   task passes, so the first click of a group finds the tracker as a click after a pause does:
//   not watching for the page's answer, no slice scheduled. The tracker's deferred work for a
//   group runs untimed, right after it: `tracker.drain()`;
// - click-deferred-cost: that drain() time / clicks: describing each click, rage/dead flags,
//   the event, EventQueue.send: what the 4 ms slices do later (with dead = null instead of
//   waiting out the 1 s answer window);
// - click-cost-isolated: lone clicks, one per task, as a person clicks: the page answered the
//   last click and the tracker handed it on (drain()), so each click pays Activity.watch()
//   (MutationObserver.observe) and a setTimeout. Per round, the mean of the variant's single-click timings (one
//   click is about one 5 µs tick; Chromium jitters its clamped timer, so a mean of ticks is
//   unbiased); the figure is the median over the rounds (40 of 50 clicks);
// - click-cost-after-frame: the same with a rendered frame between clicks (16 rounds of 20):
//   caches and CPU are cold, as after a person's pause, and everything costs several times more;
// - long-tasks: PerformanceObserver 'longtask' entries during 10,000 clicks, 100 per task with
//   setTimeout 0 between (a fast user, or a bot), until the tracker has sent all 10,000; baseline:
//   the same clicks with no listener of ours, over as long a wait;
// - script-gzip, core-gzip: gzipped bytes of dist/tabstream.js (what the script tag loads at
//   once) and dist/tabstream-core.js, as `npm run bench` builds them from src/ into
//   .bench-dist/lib/ (CompressionStream: zlib's default level 6; `gzip -9` saves a few bytes).
// Notes (stderr): the per-variant costs, and microbenchmarks of the deferred work's parts, each on
// its own in a loop.
import { EventQueue } from '../../src/api/event-queue';
import { randomId } from '../../src/shared/random-id';
import { cssSelector, DEFAULT_TRACKER_CONFIG, normaliseUrl, Tracker } from '../../src/tracker';
import { describeClick } from '../../src/tracker/click-description';
import { attributeEvent } from '../../src/tracker/custom-events';
import { labelOf } from '../../src/tracker/label';
import { linkOf } from '../../src/tracker/link';
import { collectGarbage, FULL_RUN, median, type Figure, type SuiteOptions } from './figure';

const SUITE = 'tracker';
/** Children per element on the way down from the page's root element to the leaves. */
const BRANCHING = [1, 2, 1, 2, 1, 1, 2, 1, 2, 1, 1, 2, 1, 2, 2, 6];
const GROUP = 100;
/**
 * How much a run clicks: bursts (rounds of groups), lone clicks (rounds, and clicks per variant
 * in a round, with a task or a frame between clicks), fast clicks watched for long tasks; a
 * warm-up round first. Short mode: a few of each, no warm-up.
 */
const SIZES = {
  full: {
    rounds: 40,
    groupsPerRound: 25,
    lone: { task: { rounds: 40, clicks: 50 }, frame: { rounds: 16, clicks: 20 } },
    longTaskClicks: 10_000,
    firstRound: -1,
  },
  short: {
    rounds: 2,
    groupsPerRound: 5,
    lone: { task: { rounds: 2, clicks: 10 }, frame: { rounds: 2, clicks: 5 } },
    longTaskClicks: 1_000,
    firstRound: 0,
  },
};
type Sizes = (typeof SIZES)['full'];
const LONE_FIGURES = { task: 'click-cost-isolated', frame: 'click-cost-after-frame' } as const;
const LONG_TASK_BATCH = 100;
/** How long the tracker may take to hand on the fast clicks: a way out, not a measure. */
const SENT_DEADLINE_MS = 120_000;
/** What Activity.watch() observes. */
const CAPTURE = { capture: true, passive: true } as const;

type Emit = (figure: Figure) => void;

interface Variant {
  readonly name: string;
  install(): void;
  uninstall(): void;
  /** Untimed, after each group of clicks: hands on, or forgets, what the listener kept. */
  after(): void;
  /** Untimed, before each lone click: undoes what the last one started (the page answered it). */
  between?(): void;
}

export async function run(emit: Emit, options: SuiteOptions = FULL_RUN): Promise<void> {
  const sizes = options.short ? SIZES.short : SIZES.full;
  const { longTaskClicks } = sizes;
  note(`crossOriginIsolated ${String(crossOriginIsolated)}, timer tick ${tick().toFixed(1)} µs`);
  const page = buildPage();
  note(`page: ${page.elements} elements, leaves ${page.depth} elements deep`);
  if (page.elements < 1000 || page.depth < 15) throw new Error('the page is not deep enough');

  let clicksSent = 0;
  const sent: unknown[] = [];
  const queue = new EventQueue('bench-tracker');
  queue.handTo({
    send(topic, event) {
      if (topic === 'clicks') clicksSent++;
      sent.push(event);
    },
  });
  const tracker = new Tracker(DEFAULT_TRACKER_CONFIG, (event) => queue.send(event), randomId);
  tracker.start(); // as the script tag does; stopped while the other variants run
  await sleep(50);
  tracker.drain();
  tracker.stop();

  const deferred = { ms: 0, clicks: 0 };
  const kept: unknown[] = [];
  const listening = (name: string, listener: (event: Event) => void, between?: () => void) => ({
    name,
    install: () => addEventListener('click', listener, CAPTURE),
    uninstall: () => removeEventListener('click', listener, CAPTURE),
    after: () => (kept.length = 0),
    between,
  });
  const none: Variant = { name: 'none', install() {}, uninstall() {}, after() {} };
  const reference = listening('reference', (event) => {
    const mouse = event as MouseEvent;
    kept.push({ ts: Date.now(), x: mouse.clientX, y: mouse.clientY, target: mouse.target });
  });
  const tracking: Variant = {
    name: 'tracker',
    install: () => tracker.start(),
    uninstall: () => tracker.stop(),
    after() {
      const start = performance.now();
      tracker.drain();
      deferred.ms += performance.now() - start;
      deferred.clicks += GROUP;
      sent.length = 0;
    },
  };

  // Bursts.
  const variants = [none, reference, tracking];
  const perClick = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  for (let round = sizes.firstRound; round < sizes.rounds; round++) {
    for (let i = 0; i < variants.length; i++) {
      const variant = variants[(i + Math.max(round, 0)) % variants.length]!;
      collectGarbage();
      variant.install();
      const before = clicksSent;
      for (let group = 0; group < sizes.groupsPerRound; group++) {
        const random = seeded(round * sizes.groupsPerRound + group + 2);
        const targets = Array.from({ length: GROUP }, () => pick(page.leaves, random));
        const events = targets.map(() => click(random));
        page.respond();
        await nextTask();
        const start = performance.now();
        for (let c = 0; c < GROUP; c++) targets[c]!.dispatchEvent(events[c]!);
        const time = performance.now() - start;
        variant.after();
        if (round >= 0) perClick.get(variant.name)!.push((time * 1000) / GROUP);
      }
      variant.uninstall();
      const expected = variant === tracking ? GROUP * sizes.groupsPerRound : 0;
      if (clicksSent - before !== expected)
        throw new Error(`${variant.name} sent ${clicksSent - before} clicks, not ${expected}`);
    }
  }
  const at = (name: string, q: number) => quantile(perClick.get(name)!, q);
  note(
    `bursts, µs per click, dispatch included, median / p99: ${variants
      .map((v) => `${v.name} ${at(v.name, 0.5).toFixed(2)} / ${at(v.name, 0.99).toFixed(2)}`)
      .join(', ')}`,
  );
  for (const [name, q] of [
    ['click-cost-median', 0.5],
    ['click-cost-p99', 0.99],
  ] as const)
    compared(emit, name, at('tracker', q) - at('none', q), at('reference', q) - at('none', q));
  emit({
    suite: SUITE,
    name: 'click-deferred-cost',
    value: round2((deferred.ms * 1000) / deferred.clicks),
    unit: 'us',
  });

  // Lone clicks.
  const lone: Variant[] = [
    none,
    reference,
    {
      ...tracking,
      after() {
        tracker.drain();
        sent.length = 0;
      },
    },
  ];
  await loneClicks(emit, page, lone, 'task', sizes);
  await loneClicks(emit, page, lone, 'frame', sizes);
  deferredParts(page);

  // Long tasks of 10,000 fast clicks: none first, then the tracker.
  note(
    `longtask observer: saw ${(await longTasks(() => busy(60))).length} of 1 deliberate 60 ms task`,
  );
  const random = seeded(1);
  const targets = Array.from({ length: longTaskClicks }, () => pick(page.leaves, random));
  const dispatchAll = async () => {
    for (let i = 0; i < longTaskClicks; i += LONG_TASK_BATCH) {
      await sleep(0);
      for (let c = i; c < i + LONG_TASK_BATCH; c++) targets[c]!.dispatchEvent(click(random));
    }
  };
  const timeline = { start: 0, dispatched: 0, sent: 0 };
  const timed = async (wait: () => Promise<void>) => {
    timeline.start = performance.now();
    await dispatchAll();
    timeline.dispatched = performance.now() - timeline.start;
    await wait();
    timeline.sent = performance.now() - timeline.start;
  };
  const during = (tasks: string[]) =>
    `${tasks.length} [${tasks.join(', ')}]; clicks dispatched by ${timeline.dispatched.toFixed(0)} ms`;
  collectGarbage();
  const withNone = await longTasks(() => timed(() => sleep(1200)));
  note(`long tasks, none: ${during(withNone)}`);
  collectGarbage();
  tracker.start();
  const before = clicksSent;
  const withTracker = await longTasks(() =>
    timed(async () => {
      const deadline = performance.now() + SENT_DEADLINE_MS;
      while (clicksSent - before < longTaskClicks && performance.now() < deadline) await sleep(20);
    }),
  );
  tracker.stop();
  if (clicksSent - before !== longTaskClicks)
    throw new Error(`the tracker sent ${clicksSent - before} of ${longTaskClicks} clicks`);
  note(`long tasks, tracker: ${during(withTracker)}, all sent by ${timeline.sent.toFixed(0)} ms`);
  emit({
    suite: SUITE,
    name: 'long-tasks',
    value: withTracker.length,
    unit: 'count',
    baseline: 'no-listener',
    baseline_value: withNone.length,
    ...(withNone.length > 0 ? { ratio: round2(withTracker.length / withNone.length) } : {}),
  });

  for (const [name, file] of [
    ['script-gzip', 'tabstream.js'],
    ['core-gzip', 'tabstream-core.js'],
  ] as const)
    emit({ suite: SUITE, name, value: await gzipBytes(`lib/${file}`), unit: 'bytes' });
}

/**
 * One click per task, each after the page answered the last one and the tracker's slices ran;
 * `pause`: a task passes between clicks, or a rendered frame (caches and CPU go cold, as between
 * a person's clicks).
 */
async function loneClicks(
  emit: Emit,
  page: Page,
  variants: Variant[],
  pause: keyof typeof LONE_FIGURES,
  sizes: Sizes,
): Promise<void> {
  const { rounds, clicks } = sizes.lone[pause];
  const figure = LONE_FIGURES[pause];
  const means = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  for (let round = sizes.firstRound; round < rounds; round++) {
    for (let i = 0; i < variants.length; i++) {
      const variant = variants[(i + Math.max(round, 0)) % variants.length]!;
      variant.install();
      const random = seeded(100_000 + round);
      let total = 0;
      for (let c = 0; c < clicks; c++) {
        const target = pick(page.leaves, random);
        const event = click(random);
        page.respond();
        variant.between?.();
        if (pause === 'frame') await new Promise(requestAnimationFrame);
        await nextTask();
        const start = performance.now();
        target.dispatchEvent(event);
        total += performance.now() - start;
      }
      variant.uninstall();
      variant.between?.();
      variant.after();
      if (round >= 0) means.get(variant.name)!.push((total * 1000) / clicks);
    }
  }
  const cost = (name: string) => median(means.get(name)!);
  note(
    `lone clicks, a ${pause} between, µs per click, dispatch included: ${variants.map((v) => `${v.name} ${cost(v.name).toFixed(2)}`).join(', ')}`,
  );
  compared(emit, figure, cost('tracker') - cost('none'), cost('reference') - cost('none'));
}

/** The deferred work's parts, each timed on its own in a loop over 500 leaves (layout clean). */
function deferredParts(page: Page): void {
  const each = (work: () => unknown) => {
    const runs: number[] = [];
    for (let r = 0; r < 5; r++) {
      const start = performance.now();
      for (let i = 0; i < 1000; i++) work();
      runs.push(performance.now() - start); // ms per 1,000 = µs per call
    }
    return median(runs).toFixed(2);
  };
  const random = seeded(99);
  const leaves = Array.from({ length: 500 }, () => pick(page.leaves, random));
  const paths = leaves.map(pathOf);
  const normalise = (href: string) => normaliseUrl(href, DEFAULT_TRACKER_CONFIG);
  const ignored = (element: Element) => element.hasAttribute('data-tabstream-ignore');
  let k = 0;
  const path = () => paths[k++ % paths.length]!;
  note(
    `deferred parts, µs per click: describeClick ${each(() => describeClick(path(), ignored, normalise))}, ` +
      `of which cssSelector ${each(() => cssSelector(path()))}, ` +
      `labelOf ${each(() => labelOf(leaves[k++ % leaves.length]!))}, linkOf ${each(() => linkOf(path()))}, ` +
      `normaliseUrl ${each(() => normalise(`${location.origin}/p/${k++}?ref=list`))}; ` +
      `then attributeEvent ${each(() => attributeEvent(path()))}, ` +
      `sessionStorage.setItem (Session.touch, per event) ${each(() => sessionStorage.setItem('tabstream:bench', `${k++}`))}`,
  );
  sessionStorage.removeItem('tabstream:bench');
}

function compared(emit: Emit, name: string, value: number, reference: number): void {
  emit({
    suite: SUITE,
    name,
    value: round2(value),
    unit: 'us',
    baseline: 'reference-listener',
    baseline_value: round2(reference),
    ...(round2(reference) > 0 ? { ratio: round2(value / reference) } : {}),
  });
}

interface Page {
  readonly leaves: HTMLElement[];
  readonly elements: number;
  /** Elements on a leaf's way up, itself and html included. */
  readonly depth: number;
  /** The page answers a click: a text changes, as a cart's count would. */
  respond(): void;
}

/** A shop-like page: nested layout boxes, then links, buttons and prices. */
function buildPage(): Page {
  const root = document.createElement('div');
  root.className = 'page';
  // The page's router: links navigate in the page (a synthetic click on a link follows it).
  root.addEventListener('click', (event) => {
    if ((event.target as Element).closest('a[href]')) event.preventDefault();
  });
  let level: HTMLElement[] = [root];
  let elements = 1;
  BRANCHING.forEach((branching, depth) => {
    const last = depth === BRANCHING.length - 1;
    const next: HTMLElement[] = [];
    for (const parent of level)
      for (let i = 0; i < branching; i++) {
        const child = last ? leaf(elements) : document.createElement(depth % 3 ? 'div' : 'section');
        if (!last) child.className = `box l${depth} c${i}`;
        elements++;
        parent.append(child);
        next.push(child);
      }
    level = next;
  });
  const answer = document.createElement('output');
  root.append(answer);
  elements++;
  document.body.append(root);
  let n = 0;
  return {
    leaves: level,
    elements,
    depth: pathOf(level[0]!).filter((node) => node instanceof Element).length,
    respond: () => (answer.textContent = `${n++} in cart`),
  };
}

function leaf(n: number): HTMLElement {
  switch (n % 3) {
    case 0: {
      const link = document.createElement('a');
      link.href = `/p/${n}?ref=list`;
      link.className = 'product-link';
      link.textContent = `Product ${n}`;
      return link;
    }
    case 1: {
      const button = document.createElement('button');
      button.className = 'btn btn-primary add-to-cart';
      button.textContent = 'Add to cart';
      return button;
    }
    default: {
      const price = document.createElement('span');
      price.className = 'price';
      price.textContent = `${n}.99 €`;
      return price;
    }
  }
}

/** The composed path a click on `element` has: itself up to the document, then the window. */
function pathOf(element: Element): EventTarget[] {
  const path: EventTarget[] = [];
  for (let node: Node | null = element; node; node = node.parentNode) path.push(node);
  path.push(window);
  return path;
}

function click(random: () => number): MouseEvent {
  return new MouseEvent('click', {
    bubbles: true,
    composed: true,
    cancelable: true,
    clientX: Math.floor(random() * 1280),
    clientY: Math.floor(random() * 800),
    detail: 1,
  });
}

/** The long tasks during `work`, each as "duration ms at offset ms" from the start of `work`. */
async function longTasks(work: () => Promise<void> | void): Promise<string[]> {
  const tasks: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => tasks.push(...list.getEntries()));
  observer.observe({ type: 'longtask', buffered: false });
  const start = performance.now();
  await work();
  await sleep(100); // entries are reported after their task
  tasks.push(...observer.takeRecords());
  observer.disconnect();
  return tasks.map(
    (task) => `${task.duration.toFixed(0)} ms at ${(task.startTime - start).toFixed(0)} ms`,
  );
}

function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

/** The smallest step of performance.now() seen, in µs. */
function tick(): number {
  let smallest = Infinity;
  for (let i = 0; i < 50; i++) {
    const start = performance.now();
    let now = start;
    while (now === start) now = performance.now();
    smallest = Math.min(smallest, now - start);
  }
  return smallest * 1000;
}

async function gzipBytes(path: string): Promise<number> {
  const response = await fetch(new URL(path, location.href));
  if (!response.ok || !response.body) throw new Error(`${path}: HTTP ${response.status}`);
  const gzipped = response.body.pipeThrough(new CompressionStream('gzip'));
  return (await new Response(gzipped).arrayBuffer()).byteLength;
}

const channel = new MessageChannel();
/**
 * A new task, after the timers already due (the tracker's slices): a message task that sets a
 * 0 ms timer, so that the timer is not nested in timers (which clamps it to 4 ms).
 */
function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    channel.port1.onmessage = () => setTimeout(resolve, 0);
    channel.port2.postMessage(null);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)]!;
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function note(text: string): void {
  console.log(`BENCH-NOTE ${text}`);
}
