// Suite `storage`: what a log written by real pages costs in bytes, and what reading it costs.
//
// Phase 1, the pages' writes: `tabs` tabs (4) of one browser context (this page and those that
// bench/run.mjs opens on `BENCH-OPEN`) each run tabstream as the script tag does (`init()`: the
// real tracker, EventQueue, Pipeline and its Producer with the pipeline's `linger.ms`, the leader
// running the streaming job and writing its checkpoints; its background compaction off, so that
// the log is measured as written, then compacted whole) on a shop-like page
// (bench/shop-page.ts), and click it at a steady rate: `clicks` clicks in all (200,000) at
// `rate` clicks a second in all (300: about 11 minutes), a pushState to another of 2,000 product
// pages every 10 clicks (75 a second a tab: the issue's page clicked 50 times a second). The
// records a batch depend mostly on how long an append takes: a tab's producer lingers 20 ms,
// but every tab's appends share the log's stores and wait for one another, and records gather
// meanwhile: 3–4 a batch in a short run, 6–12 over 50,000 clicks on a busy 2-core machine
// (`records-per-batch` says which). Then every tab closes tabstream (appending what it holds)
// and the suite reads back every click (checking none is missing) and counts:
// - records-per-batch: the clicks over the record batches that hold them, as written (appends
//   that wait, on a busy machine, make bigger batches);
// - bytes-per-click-uncompacted (B/click): every stored value of every store of the log's
//   databases (`<log>` and `<log>:…`, the checkpoints' coordination database included; binary
//   values by byteLength, others as JSON text) / clicks; baseline `json`: the mean
//   `JSON.stringify` length of the clicks read back; ratio = log / JSON;
// - bytes-per-click: the same after compaction (compactAll below);
// - bytes-per-click-quota: the growth of `navigator.storage.estimate().usage` since the suite
//   started, per click: what the origin is charged.
// Phase 2, reading a log written by pages: `events` clicks (1,000,000), the clicks read back
// cycled, written fast (not at the pages' pace) straight through appendBatches, the append
// path of every producer: in the pages' shape (record batches of 1–5 records, keyed by tab as
// the pipeline keys them, one producer per tab) into one log, compacted; and in batches of
// 16,384 records (the producer's batch.size) into another. Then:
// - count-page-written (events/s): `countByValue` of the page URL (EngineContext.fromLog on 2
//   executor workers, timed from the job's start to the merged Map) over the pages' log;
//   baseline: the same job over the 16,384-record log, in the same page run, order alternating;
//   median of `repetitions` (3) after a warm-up. Both checked against the exact counts.
// Short mode: 5,000 clicks at the same rate, 20,000 events, one count each, no warm-up.
// Parameters (BENCH_QUERY): clicks, rate, tabs, events, repetitions.
import { deleteDB } from 'idb';
import { init } from '../../src/entries/index';
import { EngineContext, ExecutorPool, op } from '../../src/engine';
import { createExecutorWorker } from '../../workers/index';
import {
  addCompactions,
  appendBatches,
  compactTopic,
  Consumer,
  DEFAULT_BATCH_SIZE,
  ensureTopic,
  openLog,
  partitionForKey,
  partitionsOf,
  randomId,
  listTopics,
  NO_COMPACTION,
  type CompactionResult,
  type LogEvent,
  type OffsetRange,
  type ProducerBatch,
  type ProducerRecord,
} from '../../src/log';
import { sleep } from '../../src/shared/sleep';
import { checkpointFigures } from '../checkpoint-bytes';
import { buildShopPage } from '../shop-page';
import { logBytes, totalBytes } from '../stored-bytes';
import { collectGarbage, FULL_RUN, median, rounds, type Figure, type SuiteOptions } from './figure';

/**
 * The compaction step, the one place the suite compacts: every partition of every topic of log
 * `log`, whole, with src/log's compaction (what `pipeline.compact()` runs in the leader's
 * executors). Resolves with what it merged.
 */
async function compactAll(log: string): Promise<CompactionResult> {
  const db = await openLog(log);
  try {
    const results = [];
    for (const { name } of await listTopics(db)) results.push(await compactTopic(db, name));
    return results.reduce(addCompactions, NO_COMPACTION);
  } finally {
    db.close();
  }
}

const SUITE = 'storage';
const TOPIC = 'clicks';
const PARTITIONS = 4;
const SIZES = {
  full: { clicks: 200_000, rate: 300, tabs: 4, events: 1_000_000, repetitions: 3 },
  short: { clicks: 5_000, rate: 300, tabs: 4, events: 20_000, repetitions: 1 },
};
/** The clicking tabs' loop: a turn every TICK_MS, at most MAX_TICKS_BEHIND turns' clicks at once. */
const TICK_MS = 10;
const MAX_TICKS_BEHIND = 2;
const CLICKS_PER_PAGE_VIEW = 10;
/** Clicks read back and kept as the templates of phase 2's events. */
const TEMPLATES = 50_000;
/** Producer batches per appendBatches call while writing phase 2's logs. */
const BATCHES_PER_APPEND = 2000;
const POLL_RECORDS = 20_000;

type Emit = (figure: Figure) => void;
type TabMessage =
  | { readonly type: 'ready'; readonly tab: number }
  | { readonly type: 'start' }
  | { readonly type: 'done'; readonly tab: number; readonly clicks: number; readonly ms: number };

const channelName = (log: string): string => `bench-storage:${log}`;

export async function run(emit: Emit, options: SuiteOptions = FULL_RUN): Promise<void> {
  const params = new URL(location.href).searchParams;
  if (params.get('role') === 'tab') return clickingTab(params);
  const sizes = options.short ? SIZES.short : SIZES.full;
  const param = (name: keyof typeof sizes) => Number(params.get(name) ?? sizes[name]);
  const clicks = param('clicks');
  const rate = param('rate');
  const usageBefore = (await navigator.storage.estimate()).usage ?? 0;

  const log = `bench-storage-${Date.now()}`;
  try {
    const written = await pagesWrite(log, clicks, rate, param('tabs'));
    const readBack = await readClicks(log, written);
    // What the bytes depend on most: a busier machine appends slower, and batches grow meanwhile.
    emit({
      suite: SUITE,
      name: 'records-per-batch',
      value: round2(written / readBack.batches),
      unit: 'records',
    });
    const json = readBack.jsonBytes / written;
    const figure = (name: string, bytes: number) =>
      emit({
        suite: SUITE,
        name,
        value: Math.round(bytes),
        unit: 'B/click',
        baseline: 'json',
        baseline_value: Math.round(json),
        ratio: round2(bytes / json),
      });
    const uncompacted = await logBytes(log);
    noteStores('as written', uncompacted, written);
    figure('bytes-per-click-uncompacted', totalBytes(uncompacted) / written);
    noteCompaction('as written', await compactAll(log));
    const after = await logBytes(log);
    noteStores('compacted', after, written);
    figure('bytes-per-click', totalBytes(after) / written);
    const usage = ((await navigator.storage.estimate()).usage ?? 0) - usageBefore;
    figure('bytes-per-click-quota', usage / written);

    await checkpointFigures(emit, options);

    await pageWrittenCount(emit, readBack.templates, param('events'), options, param);
  } finally {
    await deleteLog(log);
  }
}

// --- Phase 1: the pages' writes. ---

/** One of the clicking tabs other than this one (`?role=tab`): clicks when told, then closes. */
async function clickingTab(params: URLSearchParams): Promise<void> {
  const log = params.get('log') ?? '';
  const tab = Number(params.get('tab'));
  const channel = new BroadcastChannel(channelName(log));
  const started = new Promise<void>((resolve) => {
    channel.onmessage = (event: MessageEvent<TabMessage>) => {
      if (event.data.type === 'start') resolve();
    };
  });
  const tabstream = init({ log, workers: 2, compaction: false });
  await tabstream.ready;
  channel.postMessage({ type: 'ready', tab } satisfies TabMessage);
  await started;
  const result = await clickSteadily(tab, Number(params.get('clicks')), Number(params.get('rate')));
  await tabstream.close();
  channel.postMessage({ type: 'done', tab, ...result } satisfies TabMessage);
  channel.close();
}

/** Clicks `clicks` times at `rate` a second on a shop page of this tab; resolves when done. */
async function clickSteadily(
  tab: number,
  clicks: number,
  rate: number,
): Promise<{ clicks: number; ms: number }> {
  const page = buildShopPage();
  const random = seeded(tab + 1);
  const start = performance.now();
  let sent = 0;
  while (sent < clicks) {
    const due = Math.floor((rate * (performance.now() - start)) / 1000) + 1;
    const until = Math.min(
      clicks,
      due,
      sent + Math.ceil((rate * TICK_MS * MAX_TICKS_BEHIND) / 1000),
    );
    for (; sent < until; sent++) {
      if (sent % CLICKS_PER_PAGE_VIEW === 0) page.navigate(random);
      page.click(random);
    }
    await sleep(TICK_MS);
  }
  const ms = performance.now() - start;
  page.remove();
  return { clicks: sent, ms };
}

/** Phase 1: this tab and `tabs` - 1 others click `clicks` times in all; resolves with the clicks. */
async function pagesWrite(
  log: string,
  clicks: number,
  rate: number,
  tabs: number,
): Promise<number> {
  const channel = new BroadcastChannel(channelName(log));
  const ready = new Set<number>();
  const done: { tab: number; clicks: number; ms: number }[] = [];
  let wake = () => {};
  channel.onmessage = (event: MessageEvent<TabMessage>) => {
    const message = event.data;
    if (message.type === 'ready') ready.add(message.tab);
    else if (message.type === 'done') done.push(message);
    wake();
  };
  const until = async (condition: () => boolean) => {
    while (!condition()) await new Promise<void>((resolve) => (wake = resolve));
  };
  const perTab = Math.ceil(clicks / tabs);
  const tabRate = rate / tabs;
  for (let tab = 1; tab < tabs; tab++) {
    const query = new URLSearchParams({
      suite: SUITE,
      role: 'tab',
      log,
      tab: String(tab),
      clicks: String(perTab),
      rate: String(tabRate),
    });
    console.log(`BENCH-OPEN ${query}`);
  }
  const tabstream = init({ log, workers: 2, compaction: false });
  await tabstream.ready;
  await until(() => ready.size === tabs - 1);
  channel.postMessage({ type: 'start' } satisfies TabMessage);
  const own = await clickSteadily(0, clicks - perTab * (tabs - 1), tabRate);
  await tabstream.close();
  await until(() => done.length === tabs - 1);
  channel.close();
  const all = [{ tab: 0, ...own }, ...done];
  note(
    `${tabs} tabs clicked ${all.map((t) => `${t.clicks} times at ${Math.round((t.clicks / t.ms) * 1000)}/s`).join(', ')}`,
  );
  return all.reduce((sum, t) => sum + t.clicks, 0);
}

/**
 * Every click of the log, read back by a Consumer: checks there are `clicks`, and returns their
 * JSON bytes and the first TEMPLATES of them.
 */
async function readClicks(
  log: string,
  clicks: number,
): Promise<{ jsonBytes: number; templates: LogEvent[]; batches: number }> {
  const db = await openLog(log);
  const states = await partitionsOf(db, TOPIC);
  const pageviews = await partitionsOf(db, 'pageviews');
  db.close();
  const stored = states.reduce((n, s) => n + s.highWatermark - s.logStartOffset, 0);
  const batches = states.reduce((n, s) => n + s.batchCount, 0);
  note(
    `the log holds ${stored} clicks in ${batches} record batches (${(stored / batches).toFixed(2)} ` +
      `records a batch), and ${pageviews.reduce((n, s) => n + s.highWatermark, 0)} page views`,
  );
  if (stored !== clicks) throw new Error(`storage: ${clicks} clicks made, ${stored} in the log`);
  const consumer = new Consumer({ log, autoOffsetReset: 'earliest', enableAutoCommit: false });
  consumer.assign(states.map((s) => ({ topic: TOPIC, partition: s.partition })));
  let jsonBytes = 0;
  let read = 0;
  let fields = 0;
  const templates: LogEvent[] = [];
  try {
    while (read < stored) {
      const records = await consumer.poll({ maxRecords: POLL_RECORDS });
      if (records.length === 0) throw new Error(`storage: read ${read} of ${stored} clicks`);
      for (const record of records) {
        jsonBytes += JSON.stringify(record.value).length;
        fields += Object.keys(record.value).length;
        if (templates.length < TEMPLATES) templates.push(record.value);
      }
      read += records.length;
    }
  } finally {
    await consumer.close();
  }
  note(
    `a click: ${(fields / read).toFixed(1)} fields, ${(jsonBytes / read).toFixed(0)} B of JSON; ` +
      `e.g. ${JSON.stringify(templates[templates.length >> 1])}`,
  );
  return { jsonBytes, templates, batches };
}

// --- Phase 2: reading a log written by pages. ---

async function pageWrittenCount(
  emit: Emit,
  templates: readonly LogEvent[],
  n: number,
  options: SuiteOptions,
  param: (name: 'repetitions') => number,
): Promise<void> {
  const events = Array.from({ length: n }, (_, i) => templates[i % templates.length]!);
  const exact = new Map<string, number>();
  for (const event of events)
    exact.set(event.page as string, (exact.get(event.page as string) ?? 0) + 1);
  const stamp = Date.now();
  const pageLog = `bench-storage-pages-${stamp}`;
  const bulkLog = `bench-storage-bulk-${stamp}`;
  const pools: ExecutorPool[] = [];
  try {
    let start = performance.now();
    const pageBatches = await writePageShaped(pageLog, events);
    note(
      `wrote ${n} clicks in ${pageBatches} batches of 1–5 in ${((performance.now() - start) / 1000).toFixed(1)} s`,
    );
    start = performance.now();
    const bulkBatches = await writeBulk(bulkLog, events);
    note(
      `wrote them in ${bulkBatches} batches of up to ${DEFAULT_BATCH_SIZE} in ${((performance.now() - start) / 1000).toFixed(1)} s`,
    );
    start = performance.now();
    noteCompaction('page-shaped', await compactAll(pageLog));
    note(`compacted them in ${((performance.now() - start) / 1000).toFixed(1)} s`);

    const variants = [];
    for (const log of [pageLog, bulkLog]) {
      const pool = await ExecutorPool.start({ size: 2, createWorker: createExecutorWorker });
      pools.push(pool);
      if (pool.mode !== 'workers') throw new Error('storage: executor workers did not start');
      const context = new EngineContext({ log, pool });
      const ranges = await rangesOf(log);
      variants.push({
        log,
        rates: [] as number[],
        count: async () =>
          (await context.fromLog(TOPIC, ranges).map(op.field('value.page')).countByValue()) as Map<
            string,
            number
          >,
      });
    }
    const { from, to } = rounds(options, param('repetitions'));
    for (let r = from; r < to; r++) {
      for (const variant of r % 2 ? [...variants].reverse() : variants) {
        collectGarbage();
        const begin = performance.now();
        const counts = await variant.count();
        const ms = performance.now() - begin;
        check(variant.log, counts, exact);
        if (r >= 0) variant.rates.push(n / (ms / 1000));
      }
    }
    const [page, bulk] = variants.map((variant) => median(variant.rates));
    emit({
      suite: SUITE,
      name: 'count-page-written',
      value: Math.round(page!),
      unit: 'events/s',
      baseline: `batches-of-${DEFAULT_BATCH_SIZE}`,
      baseline_value: Math.round(bulk!),
      ratio: round2(page! / bulk!),
    });
  } finally {
    await Promise.all(pools.map((pool) => pool.terminate()));
    await Promise.all([deleteLog(pageLog), deleteLog(bulkLog)]);
  }
}

/**
 * Writes `events` as pages do: each keyed by its tab (`tabId`, as the pipeline keys a tab's
 * events), one producer per tab, record batches of 1–5 records of one tab; appended
 * BATCHES_PER_APPEND batches a transaction. Resolves with the batches written.
 */
async function writePageShaped(log: string, events: readonly LogEvent[]): Promise<number> {
  const db = await openLog(log);
  await ensureTopic(db, { name: TOPIC, partitions: PARTITIONS });
  const random = seeded(7);
  const producers = new Map<
    string,
    { producerId: string; sequence: number; open: ProducerRecord[]; size: number }
  >();
  const ready: ProducerBatch[] = [];
  let written = 0;
  const seal = (key: string) => {
    const producer = producers.get(key)!;
    ready.push({
      topic: TOPIC,
      partition: partitionForKey(key, PARTITIONS),
      producerId: producer.producerId,
      baseSequence: producer.sequence,
      records: producer.open,
    });
    producer.sequence += producer.open.length;
    producer.open = [];
    producer.size = 1 + Math.floor(random() * 5);
  };
  const append = async () => {
    written += ready.length;
    await appendBatches(db, ready.splice(0), 'relaxed');
  };
  for (const event of events) {
    const key = event.tabId as string;
    let producer = producers.get(key);
    if (!producer) {
      producer = {
        producerId: randomId(),
        sequence: 0,
        open: [],
        size: 1 + Math.floor(random() * 5),
      };
      producers.set(key, producer);
    }
    producer.open.push({ value: event, key, timestamp: event.ts as number });
    if (producer.open.length >= producer.size) seal(key);
    if (ready.length >= BATCHES_PER_APPEND) await append();
  }
  for (const [key, producer] of producers) if (producer.open.length) seal(key);
  await append();
  db.close();
  return written;
}

/** Writes `events` keyed as writePageShaped does, in batches of DEFAULT_BATCH_SIZE per partition. */
async function writeBulk(log: string, events: readonly LogEvent[]): Promise<number> {
  const db = await openLog(log);
  await ensureTopic(db, { name: TOPIC, partitions: PARTITIONS });
  const byPartition = Array.from({ length: PARTITIONS }, () => [] as ProducerRecord[]);
  for (const event of events) {
    const key = event.tabId as string;
    byPartition[partitionForKey(key, PARTITIONS)]!.push({
      value: event,
      key,
      timestamp: event.ts as number,
    });
  }
  const producerId = randomId();
  let written = 0;
  for (const [partition, records] of byPartition.entries()) {
    for (let i = 0; i < records.length; i += DEFAULT_BATCH_SIZE) {
      const batch = {
        topic: TOPIC,
        partition,
        producerId,
        baseSequence: i,
        records: records.slice(i, i + DEFAULT_BATCH_SIZE),
      };
      await appendBatches(db, [batch], 'relaxed');
      written++;
    }
  }
  db.close();
  return written;
}

async function rangesOf(log: string): Promise<OffsetRange[]> {
  const db = await openLog(log);
  const states = await partitionsOf(db, TOPIC);
  db.close();
  return states.map((state) => ({
    topic: TOPIC,
    partition: state.partition,
    fromOffset: state.logStartOffset,
    untilOffset: state.highWatermark,
  }));
}

// --- Helpers. ---

function noteStores(
  what: string,
  stores: Awaited<ReturnType<typeof logBytes>>,
  clicks: number,
): void {
  note(
    `bytes per click, ${what}: ` +
      stores
        .filter((store) => store.values > 0)
        .map(
          (s) =>
            `${s.database.slice(s.database.indexOf(':') + 1 || s.database.length) || 'log'}/${s.store} ${(s.bytes / clicks).toFixed(1)} (${s.values} values)`,
        )
        .join(', '),
  );
}

function check(what: string, counts: Map<string, number>, exact: Map<string, number>): void {
  if (counts.size !== exact.size)
    throw new Error(`${what}: ${counts.size} pages, not ${exact.size}`);
  for (const [page, n] of exact)
    if (counts.get(page) !== n)
      throw new Error(`${what}: ${page} counted ${counts.get(page)}, not ${n}`);
}

async function deleteLog(log: string): Promise<void> {
  await Promise.all([deleteDB(log), deleteDB(`${log}:coord`)]);
}

function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function noteCompaction(what: string, result: CompactionResult): void {
  note(
    `compaction of the log ${what}: ${result.merges} merges, ${result.batchesBefore} → ` +
      `${result.batchesAfter} batches, ${result.bytesBefore} → ${result.bytesAfter} B of chunks`,
  );
}

function note(text: string): void {
  console.log(`BENCH-NOTE ${text}`);
}
