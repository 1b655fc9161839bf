import type { agg, defineFn, EngineContext, fn, op, WorkerFactory } from '../engine';
import type { runExample } from '../examples';
import type { Admin } from '../log';
import type { SqlApi } from '../sql';
import type { TabstreamAnalytics } from './analytics';
import type { Pipeline } from '../pipeline';
import {
  randomId,
  reportOnce,
  TrustedTypesBlockedError,
  trustedTypesPolicy,
  VERSION,
} from '../shared';
import type { StatusSnapshot, StatusSource } from '../status';
import type { BatchInfo, Counts, CountsView, StreamingContext } from '../streaming';
import { DEFAULT_TRACKER_CONFIG, Tracker, whenShown } from '../tracker';
import { checkConfig, type readScriptConfig, type TabstreamConfig } from './config';
import { EventQueue } from './event-queue';

/** A row of `tabstream.table()`: a URL and its clicks. */
export interface CountsRow {
  readonly url: string;
  readonly clicks: number;
}

/**
 * What starts in idle time: src/entries/core.ts, imported by the ES module's `init`, or loaded
 * by the script tag as tabstream-core.js.
 */
export interface Core {
  readonly VERSION: string;
  readonly readScriptConfig: typeof readScriptConfig;
  /** Starts the tab's pipeline, hands it to `started`, then shows the elements it needs. */
  startPipeline(
    options: InitOptions,
    tab: Tabstream,
    started: (pipeline: Pipeline) => void,
  ): Pipeline;
  /** `counts` as the rows of `tabstream.table()`, printed with `console.table`. */
  countsTable(counts: Counts): CountsRow[];
  /** Opens the monitor over the page; returns its close. */
  showMonitor(source: StatusSource): () => void;
  /** Runs one of Spark's examples on `context`: `tabstream.runExample`. */
  readonly runExample: typeof runExample;
  readonly Pipeline: typeof Pipeline;
  readonly defineFn: typeof defineFn;
  readonly op: typeof op;
  readonly agg: typeof agg;
  readonly fn: typeof fn;
  readonly StreamingContext: typeof StreamingContext;
}

/** Options for tests and bundlers, beyond what a script tag can say. */
export interface InitOptions extends TabstreamConfig {
  /** How to start an executor worker; null runs tasks on the main thread. Default: the bundled one. */
  readonly createWorker?: WorkerFactory | null;
  /** How long `flush()` waits for a batch to count what it appended, in ms. Default 30000. */
  readonly flushTimeoutMs?: number;
  /**
   * Whether the leader compacts the log between batches (Kafka's `log.cleaner.enable`).
   * Default true; `pipeline.compact()` compacts either way.
   */
  readonly compaction?: boolean;
}

/**
 * What `window.tabstream` is: the pipeline as seen from one tab. The analytics
 * (`TabstreamAnalytics`) come with the core: after `ready`.
 */
export interface Tabstream extends TabstreamAnalytics {
  readonly version: string;
  /**
   * Resolves once the rest of tabstream has started (in idle time, or at once when a method
   * below needs it) and the log is open: the tab's events are being appended, counts can be read.
   */
  readonly ready: Promise<void>;
  /** True while events are captured: not opted out, no privacy signal the site honours. */
  readonly capturing: boolean;
  /** Records custom event `name` with flat `props` (topic `events`); false if not recorded. */
  track(name: string, props?: Readonly<Record<string, string | number | boolean>>): boolean;
  /** Stops capturing in every tab of this site, in this browser, until `optIn()`. */
  optOut(): void;
  optIn(): void;
  /** True while this tab is the leader: the one tab of the site running the streaming job. */
  readonly isLeader: boolean;
  /** The live tabs of the site (this one included) by tab id: a group whose members are ephemeral. */
  readonly tabs: readonly string[];
  /**
   * The log: topics, producers, consumers, retention (Kafka's AdminClient), and Kafka's console
   * tools: `describe`, `consoleProducer`, `consoleConsumer`. After `ready`.
   */
  readonly log: Admin;
  /** The engine (Spark's SparkContext): `context.textFile(url).count()` and the rest. After `ready`. */
  readonly context: EngineContext;
  /**
   * Spark SQL over the log: `await tabstream.sql('SELECT page, count(*) FROM clicks GROUP BY 1')`
   * resolves with `{ columns, rows }`; `.explain(text)`, `.table(text)`. After `ready`.
   */
  readonly sql: SqlApi;
  /** Functions as data for datasets, as the ESM build exports them. After `ready`. */
  readonly defineFn: Core['defineFn'];
  readonly op: Core['op'];
  readonly agg: Core['agg'];
  readonly fn: Core['fn'];
  /** The streaming job, in the leader tab (null in the others); see `StreamingContext`. */
  readonly streaming: StreamingContext | null;
  /** Spark Streaming's context, to declare jobs of your own over the log. After `ready`. */
  readonly StreamingContext: Core['StreamingContext'];
  /** The metrics of the last batches, whichever tab ran them, oldest first. */
  readonly batches: readonly BatchInfo[];
  /** Clicks per URL (by page, unless `view` says target; all time, unless it names a window), as of the last batch committed by any tab. */
  counts(view?: CountsView): Promise<Counts>;
  /** Appends every event captured so far, then resolves once a batch has counted every click. */
  flush(): Promise<void>;
  /** Calls `listener` with the counts of `view` after every batch, whichever tab ran it. */
  subscribe(listener: (counts: Readonly<Counts>) => void, view?: CountsView): () => void;
  /** Calls `listener` with every batch's metrics, whichever tab ran it. */
  onBatch(listener: (batch: BatchInfo) => void): () => void;
  /**
   * What the monitor shows, as of now (Spark's status store): the jobs, stages and executors
   * of the tab that runs the job, the log's partitions and consumer groups, the last batches.
   */
  status(): Promise<StatusSnapshot>;
  /** Prints the counts of `view` with `console.table`, most clicked first; resolves with the rows. */
  table(view?: CountsView): Promise<CountsRow[]>;
  /** Opens the monitor over the page (Escape or its button closes it); resolves with its close. */
  monitor(): Promise<() => void>;
  /**
   * Runs Spark's example `name` on this tab's engine, as `bin/run-example name args…` does:
   * `runExample('SparkPi', 10)` prints `Pi is roughly 3.14…` and resolves with the estimate;
   * `runExample('WordCount', url)` prints each word's count. Other names: an error listing these.
   */
  runExample(name: string, ...args: unknown[]): Promise<unknown>;
  /** Appends what is pending, stops capturing and leading, and closes the log. */
  close(): Promise<void>;
}

/**
 * Starts tabstream in this page: the tracker at once, the rest (`loadCore`) in idle time.
 * Invalid options are named in one console error each, and their defaults used.
 */
export function createTabstream(config: InitOptions, loadCore: () => Promise<Core>): Tabstream {
  // An option given as undefined is not given: the tracker's default stands.
  return startTabstream(
    definedOnly(checkConfig(config, ['createWorker', 'flushTimeoutMs', 'compaction'])),
    loadCore,
  );
}

/** How long the rest may wait for an idle moment. */
const IDLE_TIMEOUT_MS = 2000;

/**
 * The members of `window.tabstream` read from the pipeline, or from the core (`from` 1), once
 * loaded; before, the `before` value, or, for those with none (undefined), an error saying so.
 */
const LATER: readonly (readonly [name: keyof Tabstream, from: 0 | 1, before?: unknown])[] = [
  ['isLeader', 0, false],
  ['tabs', 0, Object.freeze([])],
  ['batches', 0, Object.freeze([])],
  ['streaming', 0, null],
  ['log', 0],
  ['context', 0],
  ['sql', 0],
  ['defineFn', 1],
  ['op', 1],
  ['agg', 1],
  ['fn', 1],
  ['StreamingContext', 1],
];

/**
 * `createTabstream` for options checked already, none of them undefined (the script tag's
 * attributes). Its members are closures over the tab's state, not a class's methods: every page
 * loads this code at once, and a minifier shortens local names, not methods.
 */
export function startTabstream(config: InitOptions, loadCore: () => Promise<Core>): Tabstream {
  const queue = new EventQueue(config.log ?? 'tabstream');
  const tracker = new Tracker(
    { ...DEFAULT_TRACKER_CONFIG, ...config },
    (event) => queue.send(event),
    randomId,
    () => queue.discard(), // opted out: what waits for the core goes too
  );
  let pipeline: Pipeline | null = null;
  let core: Core | null = null;
  let starting: Promise<Pipeline> | null = null;
  let closed = false;
  /** Why tabstream captures nothing on this page (its CSP forbids its Trusted Types policies). */
  let blocked: Error | null = null;
  let settleReady!: (started: Promise<void>) => void;
  const subscriptions = new Set<() => void>();

  /** Loads the rest of tabstream (once) and starts its pipeline, which takes the queued events. */
  const start = (): Promise<Pipeline> => {
    if (starting) return starting;
    if (blocked) return Promise.reject(blocked);
    if (closed) return Promise.reject(new Error('tabstream: closed'));
    starting = loadCore().then(
      (loaded) => {
        const coreVersion: string = loaded.VERSION;
        if (coreVersion !== VERSION) {
          throw new Error(
            `tabstream: the core is version ${coreVersion}, the script ${VERSION}: a cache holds a stale copy.`,
          );
        }
        core = loaded;
        return loaded.startPipeline(config, tab, (started) => {
          pipeline = started;
          queue.handTo(started);
        });
      },
      (error: unknown) => {
        if (error instanceof TrustedTypesBlockedError) block(error);
        throw error;
      },
    );
    settleReady(starting.then((started) => started.ready));
    return starting;
  };

  /**
   * Stops capturing for good on this page, dropping what waits for the core: the page's CSP
   * forbids what tabstream needs, so nothing captured could ever be counted (and spills would
   * pile up in localStorage, page after page). `ready` rejects with `error`: one console error.
   */
  const block = (error: Error): void => {
    blocked = error;
    tracker.stop();
    queue.discard();
    settleReady(Promise.reject(error));
  };

  /** Calls `use` with the pipeline once started; the returned function undoes it, before or after. */
  const whenStarted = (use: (started: Pipeline) => () => void): (() => void) => {
    let undo: (() => void) | null = null;
    let cancelled = false;
    start()
      .then((started) => {
        if (!cancelled) undo = use(started);
      })
      .catch(() => {}); // reported by ready
    const unsubscribe = (): void => {
      cancelled = true;
      undo?.();
      subscriptions.delete(unsubscribe);
    };
    subscriptions.add(unsubscribe);
    return unsubscribe;
  };

  /** The page may never run again: everything captured goes to the log, or to localStorage. */
  const saveForLater = (leaving: boolean, append = true): void => {
    if (blocked) return;
    tracker.drain(leaving, true);
    if (pipeline) pipeline.saveForLater(append);
    else queue.spill();
  };
  const onVisibilityChange = (): void => {
    if (document.visibilityState === 'hidden') saveForLater(false, false);
    else pipeline?.recoverWhenReady();
  };
  /** The page is left; `persisted`: it may go into the back/forward cache, and come back. */
  const onPageHide = (event: PageTransitionEvent): void => {
    saveForLater(true, !event.persisted);
    if (event.persisted) pipeline?.suspend();
  };
  /** Back from the back/forward cache: as a tab again, and this page's own spill may be waiting. */
  const onPageShow = (event: PageTransitionEvent): void => {
    if (event.persisted) pipeline?.resume();
  };
  const listeners = [
    ['visibilitychange', onVisibilityChange],
    ['pagehide', onPageHide],
    ['pageshow', onPageShow],
  ] as const;

  /** Resolves with `use` of the started pipeline (loading the core first if need be). */
  const started = async <T>(use: (started: Pipeline) => T | Promise<T>): Promise<T> =>
    use(await start());

  /** The tab as it is before `ready`; LATER's members are added below. */
  const tab = {
    version: VERSION,
    ready: new Promise<void>((resolve) => (settleReady = resolve)),
    get capturing() {
      return !blocked && tracker.capturing;
    },
    track: (name: string, props?: Readonly<Record<string, string | number | boolean>>) =>
      !blocked && tracker.track(name, props),
    optOut: () => tracker.optOut(),
    optIn: () => tracker.optIn(),
    counts: (view?: CountsView) => started((pipeline) => pipeline.counts(view)),
    flush() {
      tracker.drain();
      return started((pipeline) => pipeline.flush());
    },
    subscribe: (listener: (counts: Readonly<Counts>) => void, view?: CountsView) =>
      whenStarted((pipeline) => pipeline.subscribe(listener, view)),
    onBatch: (listener: (batch: BatchInfo) => void) =>
      whenStarted((pipeline) => pipeline.onBatch(listener)),
    status: () => started((pipeline) => pipeline.status()),
    table: async (view?: CountsView) => core!.countsTable(await tab.counts(view)),
    monitor: () => started(() => core!.showMonitor(tab)),
    runExample: (...example: [name: string, ...args: unknown[]]) =>
      started((pipeline) => core!.runExample(pipeline.context, ...example)),
    async close() {
      closed = true;
      for (const [type, listener] of listeners) removeEventListener(type, listener as () => void);
      tracker.drain(false, true);
      tracker.stop();
      for (const unsubscribe of subscriptions) unsubscribe();
      if (!pipeline) queue.spill(); // the page may go while the core loads
      await (pipeline ?? (await starting?.catch(() => null)))?.close();
    },
  } as Tabstream;
  for (const [name, from, before] of LATER) {
    Object.defineProperty(tab, name, {
      get() {
        const loaded = (from ? core : pipeline) as Record<string, unknown> | null;
        if (loaded) return loaded[name];
        if (before !== undefined) return before;
        void start(); // starts loading the core at once
        throw new Error(`tabstream.${name} is not loaded yet: await tabstream.ready first.`);
      },
    });
  }

  tab.ready.catch((error) => reportOnce('tabstream could not start', error));
  try {
    trustedTypesPolicy();
  } catch (error) {
    block(error as Error);
    return tab;
  }
  tracker.start();
  for (const [type, listener] of listeners) addEventListener(type, listener as () => void);
  whenShown(() => whenIdle(() => closed || void start()));
  return tab;
}

function definedOnly<T extends object>(object: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(object).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

/** Runs `work` in an idle moment, or after IDLE_TIMEOUT_MS at the latest. */
function whenIdle(work: () => void): void {
  if (typeof requestIdleCallback === 'function')
    requestIdleCallback(work, { timeout: IDLE_TIMEOUT_MS });
  else setTimeout(work, 1);
}
