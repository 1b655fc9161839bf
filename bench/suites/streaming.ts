// Suite `streaming`: the streaming job under load, and what a click costs until every tab sees it.
//
// `latency-p50`, `latency-p99` (ms; baseline: the batch interval, 1000 ms): the real pipeline,
//   `init()` as the script tag runs it, in `tabs` same-origin pages of one browser context (this
//   page and `tabs - 1` more that bench/run.mjs opens on `BENCH-OPEN`). Tab 1 starts first and
//   leads (it runs the job); the others follow. `clicks` times, at random gaps (so at a random
//   phase of the batch ticks), a random tab clicks a real link (`element.click()`, captured by the
//   tabstream's ClickTracker); a click's latency is from just before the click to the moment the
//   last of the tabs' `subscribe` listeners shows its page's count reaching it. All tabs use the
//   one wall clock, `Date.now()` (the tracker's and the batch ticks' clock too). A few warm-up
//   clicks per tab come first, untimed. The issue's target: p99 ≤ batch interval + 200 ms.
//
// `sustained-rate` (events/s): the highest input rate the default job (`clickCounts`, 1 s batches,
//   2 executor workers, backpressure on) keeps up with, probing `rates` in ascending order, each
//   for `seconds` on a fresh log, and stopping at the first that fails. A rate passes when
//   - the producer got the rate into the log: everything sent was appended at ≥ 95% of the rate;
//   - every batch committed from 2 s into the run on has `schedulingDelayMs` < the interval;
//   - the job kept up: once the producer has flushed, a batch commits the high watermark within
//     3 batch intervals (backpressure can keep the scheduling delay low while the lag grows).
//   The issue defines the rate over 60 s (`seconds=60`); the default of 20 s per rate keeps the
//   search to a few minutes, and does not reach the point (60 s) where batches start leaving
//   the 1-minute window and the job also subtracts them.
//   The events are produced while the job runs, by a `Producer` (src/log) in a dedicated Web
//   Worker: sending hundreds of thousands of records a second costs about a microsecond each
//   plus their encoding, which on the job's main thread would delay its ticks (the scheduling
//   delay measured) and its commits. In the worker they compete only for the CPU, as another
//   tab's clicks would. The worker runs bench/rate-producer.ts, which imports only the log (not
//   src/index: its Lit elements need a DOM). It sends the synthetic clicks of `syntheticClicks` (1,000 page
//   URLs, Zipf-like), keyed by session, into topic `clicks` of 4 partitions: every 5 ms, the
//   events due by then (at most 5 ms' worth per turn of its event loop, so that its appends run).
//
// Parameters (BENCH_QUERY): `seconds` (20), `rates` (comma-separated events/s; default 50000,
// 100000,200000,300000,350000,400000,450000,500000,600000,800000,1000000), `clicks` (100),
// `tabs` (2), `only` (`latency` or `sustained`, to run one part). Short mode: 6 clicks after one
// warm-up round, and one rate (20,000/s) for 3 s. Every run uses logs of its
// own, deleted (`<log>`, `<log>:coord`) at the end. E.g. the issue's definition of the rate:
// `BENCH_QUERY='only=sustained&seconds=60&rates=300000,350000,400000' npm run bench -- streaming`.
import { deleteDB } from 'idb';
import { init, type Tabstream } from '../../src/entries/index';
import { EngineContext, ExecutorPool } from '../../src/engine';
import { createExecutorWorker } from '../../workers/index';
import { ensureTopic, openLog, partitionsOf, type LogDB } from '../../src/log';
import { clickCounts, StreamingContext, type BatchInfo } from '../../src/streaming';
import type { ProduceReport, ProduceRequest, WorkerReply } from '../rate-producer';
import { collectGarbage, FULL_RUN, median, type Figure, type SuiteOptions } from './figure';

const BATCH_INTERVAL_MS = 1000;
const TOPIC = 'clicks';
const PARTITIONS = 4;
/** How long to wait for a tab or a click to be seen before giving up: a way out, not a measure. */
const WAY_OUT_MS = 120_000;

// --- Parameters. ---

function numberParam(params: URLSearchParams, name: string, fallback: number): number {
  const value = Number(params.get(name) ?? fallback);
  if (!(value > 0)) throw new Error(`streaming: parameter ${name} must be a positive number`);
  return value;
}

function ratesParam(params: URLSearchParams): number[] {
  const text =
    params.get('rates') ??
    '50000,100000,200000,300000,350000,400000,450000,500000,600000,800000,1000000';
  const rates = text.split(',').map(Number);
  if (rates.some((rate) => !(rate > 0)))
    throw new Error('streaming: rates must be positive numbers');
  return rates.sort((a, b) => a - b);
}

function note(text: string): void {
  console.log(`BENCH-NOTE ${text}`);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Percentile `p` (0–1) of `values` by nearest rank. */
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

async function deleteLog(log: string): Promise<void> {
  await Promise.all([deleteDB(log), deleteDB(`${log}:coord`)]);
}

// --- The suite. ---

export async function run(
  emit: (figure: Figure) => void,
  options: SuiteOptions = FULL_RUN,
): Promise<void> {
  const params = new URL(location.href).searchParams;
  if (params.get('role') === 'peer') return peer(params);
  const only = params.get('only');
  if (only !== 'sustained') {
    const latencies = await measureLatency(
      Math.ceil(numberParam(params, 'clicks', options.short ? 6 : 100)),
      Math.max(2, Math.floor(numberParam(params, 'tabs', 2))),
      options.short ? 1 : 3,
    );
    for (const [name, p] of [
      ['latency-p50', 0.5],
      ['latency-p99', 0.99],
    ] as const) {
      const value = Math.round(percentile(latencies, p));
      emit({
        suite: 'streaming',
        name,
        value,
        unit: 'ms',
        baseline: 'batch-interval',
        baseline_value: BATCH_INTERVAL_MS,
        ratio: Math.round((value / BATCH_INTERVAL_MS) * 1000) / 1000,
      });
    }
  }
  if (only !== 'latency') {
    collectGarbage();
    const rate = await sustainedRate(
      options.short && !params.has('rates') ? [20_000] : ratesParam(params),
      numberParam(params, 'seconds', options.short ? 3 : 20),
    );
    emit({ suite: 'streaming', name: 'sustained-rate', value: rate, unit: 'events/s' });
  }
}

// --- Latency: a click, until every tab's subscriber shows it. ---

type TabMessage =
  | {
      readonly type: 'ready';
      readonly tab: number;
      readonly page: string;
      readonly leader: boolean;
    }
  | { readonly type: 'counts'; readonly tab: number; readonly t: number; readonly counts: Counts }
  | { readonly type: 'clicked'; readonly tab: number; readonly id: number; readonly t: number }
  | { readonly type: 'closed'; readonly tab: number };
type MainMessage =
  | { readonly type: 'click'; readonly tab: number; readonly id: number }
  | { readonly type: 'close' };
type Counts = Readonly<Record<string, number>>;

interface Click {
  readonly id: number;
  readonly tab: number;
  /** This click makes its page's count reach `count`. */
  readonly count: number;
  t: number;
  readonly measured: boolean;
}

const channelName = (log: string): string => `bench-streaming:${log}`;

/** A link for the tracker to capture, which goes nowhere when clicked. */
function addLink(tab: number): HTMLAnchorElement {
  const link = document.createElement('a');
  link.href = `/bench/product/${tab}`;
  link.className = 'product';
  link.textContent = `product ${tab}`;
  link.addEventListener('click', (event) => event.preventDefault());
  document.body.append(link);
  return link;
}

/** A tab other than this one (`?role=peer`): runs tabstream, clicks when told, reports its counts. */
async function peer(params: URLSearchParams): Promise<void> {
  const log = params.get('log') ?? '';
  const tab = Number(params.get('tab'));
  const channel = new BroadcastChannel(channelName(log));
  const post = (message: TabMessage): void => channel.postMessage(message);
  // keepQuery: the tabs' pages differ by their query alone.
  const tabstream = init({ log, batchIntervalMs: BATCH_INTERVAL_MS, workers: 2, keepQuery: 'all' });
  const link = addLink(tab);
  tabstream.subscribe((counts) => post({ type: 'counts', tab, t: Date.now(), counts }));
  const closed = new Promise<void>((resolve) => {
    channel.onmessage = (event: MessageEvent<MainMessage>) => {
      const message = event.data;
      if (message.type === 'click' && message.tab === tab) {
        const t = Date.now();
        link.click();
        post({ type: 'clicked', tab, id: message.id, t });
      } else if (message.type === 'close') {
        tabstream
          .close()
          .finally(() => {
            post({ type: 'closed', tab });
            channel.close();
            resolve();
          })
          .catch(() => {});
      }
    };
  });
  await tabstream.ready;
  // Tab 1 starts alone and must lead: wait until it does.
  for (let waited = 0; tab === 1 && !tabstream.isLeader && waited < 20_000; waited += 50)
    await sleep(50);
  if (document.visibilityState !== 'visible')
    note(`tab ${tab} is ${document.visibilityState}: its timers may be throttled`);
  post({ type: 'ready', tab, page: location.href, leader: tabstream.isLeader });
  await closed;
}

async function measureLatency(
  clicks: number,
  tabs: number,
  warmUpRounds: number,
): Promise<number[]> {
  const log = `bench-streaming-latency-${Date.now()}`;
  const channel = new BroadcastChannel(channelName(log));
  const post = (message: MainMessage): void => channel.postMessage(message);
  /** Per tab, every counts it was given, with when. */
  const seen: { t: number; counts: Counts }[][] = Array.from({ length: tabs }, () => []);
  const pages: string[] = [];
  const waiters = new Map<string, (message: TabMessage) => void>();
  const allClicks: Click[] = [];
  channel.onmessage = (event: MessageEvent<TabMessage>) => {
    const message = event.data;
    if (message.type === 'counts') seen[message.tab]!.push(message);
    else if (message.type === 'clicked') allClicks[message.id]!.t = message.t;
    else if (message.type === 'ready') pages[message.tab] = message.page;
    const key = `${message.type}:${message.tab}`;
    const waiter = waiters.get(key);
    if (waiter) {
      waiters.delete(key);
      waiter(message);
    }
  };
  const awaitMessage = (type: TabMessage['type'], tab: number, ms: number): Promise<TabMessage> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`streaming: tab ${tab} sent no "${type}" in ${ms} ms`)),
        ms,
      );
      waiters.set(`${type}:${tab}`, (message) => {
        clearTimeout(timer);
        resolve(message);
      });
    });
  const open = (tab: number): Promise<TabMessage> => {
    const ready = awaitMessage('ready', tab, WAY_OUT_MS);
    console.log(`BENCH-OPEN suite=streaming&role=peer&log=${encodeURIComponent(log)}&tab=${tab}`);
    return ready;
  };

  let tabstream: Tabstream | null = null;
  try {
    // Tab 1 first, so that it leads; then this tab (0) and the others follow.
    const first = await open(1);
    if (!(first.type === 'ready' && first.leader))
      throw new Error('streaming: tab 1 does not lead');
    tabstream = init({ log, batchIntervalMs: BATCH_INTERVAL_MS, workers: 2, keepQuery: 'all' });
    tabstream.subscribe((counts) => seen[0]!.push({ t: Date.now(), counts }));
    const batches: BatchInfo[] = [];
    tabstream.onBatch((batch) => batches.push(batch)); // the leader's, through the channel
    const link = addLink(0);
    pages[0] = location.href;
    for (let tab = 2; tab < tabs; tab++) await open(tab);
    await tabstream.ready;
    if (tabstream.isLeader) throw new Error('streaming: tab 0 leads, not tab 1');
    if (document.visibilityState !== 'visible')
      note(`tab 0 is ${document.visibilityState}: its timers may be throttled`);

    const counts = new Array<number>(tabs).fill(0);
    const click = (tab: number, measured: boolean): Click => {
      const entry: Click = { id: allClicks.length, tab, count: ++counts[tab]!, t: NaN, measured };
      allClicks.push(entry);
      if (tab === 0) {
        entry.t = Date.now();
        link.click();
      } else {
        post({ type: 'click', tab, id: entry.id });
      }
      return entry;
    };
    /** When every tab has shown `entry` counted, or null if not yet. */
    const visibleAt = (entry: Click): number | null => {
      const page = pages[entry.tab]!;
      let last = -Infinity;
      for (const observations of seen) {
        const first = observations.find(({ counts }) => (counts[page] ?? 0) >= entry.count);
        if (!first) return null;
        last = Math.max(last, first.t);
      }
      return last;
    };
    /** What each tab last showed of a click's page, for the error when one never shows it. */
    const whyNotShown = (entry: Click): string => {
      const page = pages[entry.tab]!;
      const shown = seen.map((observations, tab) => {
        const last = observations.at(-1);
        return `tab ${tab} shows ${last?.counts[page] ?? 'nothing'} (${observations.length} updates)`;
      });
      const sent = Number.isNaN(entry.t) ? 'never clicked (no "clicked" message)' : 'clicked';
      return `click ${entry.id} in tab ${entry.tab}, #${entry.count} of page ${page}: ${sent}; ${shown.join(', ')}`;
    };
    const settle = async (entries: readonly Click[], ms: number): Promise<void> => {
      const deadline = Date.now() + ms;
      while (entries.some((entry) => Number.isNaN(entry.t) || visibleAt(entry) === null)) {
        if (Date.now() > deadline) {
          const missing = entries.filter((e) => Number.isNaN(e.t) || visibleAt(e) === null);
          throw new Error(
            `streaming: ${missing.length} of ${entries.length} clicks not shown in every tab ` +
              `after ${ms} ms (first: ${whyNotShown(missing[0]!)})`,
          );
        }
        await sleep(20);
      }
    };

    // Warm-up, untimed: the first batches start the executors' code and the tabs' reads.
    for (let round = 0; round < warmUpRounds; round++) {
      const warm = Array.from({ length: tabs }, (_, tab) => click(tab, false));
      await settle(warm, WAY_OUT_MS);
    }

    // Clicks at random gaps of 150–750 ms (mean 450 ms, so about 2 per batch), from random tabs.
    const started = Date.now();
    batches.length = 0;
    const measured: Click[] = [];
    for (let i = 0; i < clicks; i++) {
      measured.push(click(Math.floor(Math.random() * tabs), true));
      await sleep(150 + Math.random() * 600);
    }
    await settle(measured, WAY_OUT_MS);
    const latencies = measured.map((entry) => visibleAt(entry)! - entry.t);
    const sinceTick = measured.map(
      (entry, i) => latencies[i]! - (BATCH_INTERVAL_MS - (entry.t % BATCH_INTERVAL_MS)),
    );
    const stats = (values: readonly number[]): string =>
      `p50 ${Math.round(percentile(values, 0.5))} / p99 ${Math.round(percentile(values, 0.99))} ` +
      `/ max ${Math.round(Math.max(...values))} ms`;
    note(
      `latency: ${clicks} clicks over ${((Date.now() - started) / 1000).toFixed(0)} s in ${tabs} ` +
        `tabs (tab 1 leads): ${stats(latencies)}`,
    );
    const leaderClicks = measured.flatMap((entry, i) => (entry.tab === 1 ? [latencies[i]!] : []));
    const followerClicks = measured.flatMap((entry, i) => (entry.tab !== 1 ? [latencies[i]!] : []));
    if (leaderClicks.length)
      note(`clicks in the leader tab (${leaderClicks.length}): ${stats(leaderClicks)}`);
    if (followerClicks.length)
      note(`clicks in a follower tab (${followerClicks.length}): ${stats(followerClicks)}`);
    note(`latency minus the wait for the next batch tick: ${stats(sinceTick)}`);
    const delays = batches.map((batch) => batch.schedulingDelayMs);
    const processing = batches.map((batch) => batch.processingMs);
    note(
      `the leader's ${batches.length} batches meanwhile: scheduling delay median ` +
        `${median(delays)} / max ${Math.max(0, ...delays)} ms, processing median ` +
        `${median(processing)} / max ${Math.max(0, ...processing)} ms`,
    );
    for (let tab = 0; tab < tabs; tab++) {
      const shown = measured.map((entry) => {
        const page = pages[entry.tab]!;
        return seen[tab]!.find(({ counts }) => (counts[page] ?? 0) >= entry.count)!.t - entry.t;
      });
      note(`shown in tab ${tab}${tab === 1 ? ' (the leader)' : ''}: ${stats(shown)}`);
    }
    return latencies;
  } finally {
    const closing = Array.from({ length: tabs - 1 }, (_, i) =>
      awaitMessage('closed', i + 1, 30_000).catch(() => null),
    );
    post({ type: 'close' });
    await tabstream?.close();
    await Promise.all(closing);
    channel.close();
    // A tab that did not close would block the deletion until the suite times out.
    const deleted = deleteLog(log).then(() => true);
    if (!(await Promise.race([deleted, sleep(10_000).then(() => false)])))
      note(`log ${log} not deleted after 10 s: a tab still has it open`);
  }
}

// --- Sustained rate: the producer in a worker, the job here. ---

function startProducer(request: ProduceRequest): Promise<ProduceReport> {
  const worker = new Worker(new URL('../rate-producer.ts', import.meta.url), {
    type: 'module',
    name: 'bench-producer',
  });
  return new Promise<ProduceReport>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<WorkerReply>) => {
      const reply = event.data;
      if (reply.type === 'produced') resolve(reply.report);
      else reject(new Error(`streaming: the producer worker failed: ${reply.message}`));
    };
    worker.onerror = (event) =>
      reject(new Error(`streaming: the producer worker failed: ${event.message}`));
    worker.postMessage(request);
  }).finally(() => worker.terminate());
}

const committedOffset = (batch: BatchInfo): number =>
  batch.ranges.reduce((n, range) => n + range.untilOffset, 0);

async function highWatermark(db: LogDB): Promise<number> {
  return (await partitionsOf(db, TOPIC)).reduce((n, p) => n + p.highWatermark, 0);
}

interface Probe {
  readonly passed: boolean;
  readonly why: string;
}

const WARM_UP_MS = 2000;
const DRAIN_INTERVALS = 3;
const APPENDED_SHARE = 0.95;

/** Runs the job on a fresh log while the worker produces `rate` events/s for `seconds`. */
async function probe(rate: number, seconds: number): Promise<Probe> {
  const log = `bench-streaming-rate-${Date.now()}-${rate}`;
  const db = await openLog(log);
  await ensureTopic(db, { name: TOPIC, partitions: PARTITIONS });
  const pool = await ExecutorPool.start({ size: 2, createWorker: createExecutorWorker });
  if (pool.mode !== 'workers') throw new Error('streaming: executor workers did not start');
  const ssc = new StreamingContext(new EngineContext({ log, pool }), {
    batchIntervalMs: BATCH_INTERVAL_MS,
    checkpointId: 'bench',
  });
  clickCounts(ssc, TOPIC);
  const batches: { info: BatchInfo; lag: Promise<number> }[] = [];
  ssc.onBatch((info) => {
    const committed = committedOffset(info);
    batches.push({ info, lag: highWatermark(db).then((hw) => hw - committed) });
  });
  try {
    await ssc.start();
    const report = await startProducer({ log, topic: TOPIC, rate, seconds });
    // Keeping up: a batch commits everything the producer appended, soon after.
    const target = await highWatermark(db);
    const deadline = report.appendedAt + DRAIN_INTERVALS * BATCH_INTERVAL_MS;
    while (Date.now() < deadline && !batches.some(({ info }) => committedOffset(info) >= target))
      await sleep(20);
    const drained = batches.find(({ info }) => committedOffset(info) >= target);
    await ssc.stop();

    const during = batches.filter(
      ({ info }) => info.batchTime >= report.startedAt + WARM_UP_MS && info.batchTime <= deadline,
    );
    const lags = await Promise.all(during.map(({ lag }) => lag));
    const delays = during.map(({ info }) => info.schedulingDelayMs);
    const processing = during.map(({ info }) => info.processingMs);
    const inputs = during.map(({ info }) => info.inputEvents);
    const speeds = during.flatMap(({ info }) =>
      info.processingMs > 0 ? [(info.inputEvents / info.processingMs) * 1000] : [],
    );
    const limits = during.flatMap(({ info }) => (info.rateLimit === null ? [] : [info.rateLimit]));
    const appendedRate = report.sent / ((report.appendedAt - report.startedAt) / 1000);
    const late = delays.filter((delay) => delay >= BATCH_INTERVAL_MS).length;
    note(
      `rate ${rate}/s for ${seconds} s: sent ${report.sent}, appended at ${Math.round(appendedRate)}/s ` +
        `(flush ${report.appendedAt - report.sentAt} ms after the last send, producer up to ` +
        `${report.maxBehind} events behind); ${during.length} batches: scheduling delay median ` +
        `${median(delays)} / max ${Math.max(0, ...delays)} ms, processing median ` +
        `${median(processing)} / max ${Math.max(0, ...processing)} ms, input median ` +
        `${median(inputs)} / max ${Math.max(0, ...inputs)} events (processed at median ` +
        `${Math.round(median(speeds))} events/s), lag after commit max ` +
        `${Math.max(0, ...lags)}, backpressure limit min ` +
        `${limits.length ? Math.round(Math.min(...limits)) : 'none'}/s; ` +
        (drained
          ? `drained ${drained.info.batchTime - report.appendedAt + drained.info.totalDelayMs} ms after the flush`
          : `not drained ${DRAIN_INTERVALS} intervals after the flush`),
    );
    if (report.sent !== Math.floor(rate * seconds))
      return { passed: false, why: `sent ${report.sent}, not ${Math.floor(rate * seconds)}` };
    if (appendedRate < APPENDED_SHARE * rate)
      return {
        passed: false,
        why: `the producer appended only ${Math.round(appendedRate)} events/s`,
      };
    if (late > 0)
      return { passed: false, why: `${late} batches had a scheduling delay ≥ the interval` };
    if (!drained)
      return { passed: false, why: `the lag did not drain within ${DRAIN_INTERVALS} intervals` };
    return { passed: true, why: 'kept up' };
  } finally {
    if (ssc.state !== 'stopped') await ssc.stop();
    await pool.terminate();
    db.close();
    await deleteLog(log);
  }
}

async function sustainedRate(rates: readonly number[], seconds: number): Promise<number> {
  let sustained = 0;
  for (const rate of rates) {
    const { passed, why } = await probe(rate, seconds);
    note(`rate ${rate}/s: ${passed ? 'passed' : `failed: ${why}`}`);
    if (!passed) break;
    sustained = rate;
    collectGarbage();
    await sleep(1000);
  }
  if (sustained === 0) note(`no rate passed, not even ${rates[0]}/s`);
  else if (sustained === rates[rates.length - 1]) note('every rate passed: probe higher rates');
  return sustained;
}
