import type * as CoreModule from './core';
import { checkConfig, type TabstreamConfig } from './config';
import { reportOnce } from './diagnostics';
import { randomId } from './random-id';
import type { EngineContext, WorkerFactory } from './engine';
import { EventQueue } from './event-queue';
import type { Admin } from './log';
import type { CountsView, Pipeline } from './pipeline';
import type { StatusSnapshot } from './status';
import type { BatchInfo, Counts, StreamingContext } from './streaming';
import { DEFAULT_TRACKER_CONFIG, Tracker, whenShown } from './tracker';
import { TrustedTypesBlockedError, trustedTypesPolicy } from './trusted-types';
import { VERSION } from './version';

export type { TabstreamConfig } from './config';
export type { CountsView } from './pipeline';
export type { BatchInfo, Counts, CountsBy, CountsWindow } from './streaming';
export type { StatusSnapshot } from './status';

/** A row of `tabstream.table()`: a URL and its clicks. */
export interface CountsRow {
  readonly url: string;
  readonly clicks: number;
}

/** What starts in idle time: `import('./core')`, or the script tag's tabstream-core.js. */
export type Core = typeof CoreModule;

/** Options for tests and bundlers, beyond what a script tag can say. */
export interface InitOptions extends TabstreamConfig {
  /** How to start an executor worker; null runs tasks on the main thread. Default: the bundled one. */
  readonly createWorker?: WorkerFactory | null;
  /** How long `flush()` waits for a batch to count what it appended, in ms. Default 30000. */
  readonly flushTimeoutMs?: number;
}

/** What `window.tabstream` is: the pipeline as seen from one tab. */
export interface Tabstream {
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
  /** The log: topics, producers, consumers, retention (Kafka's AdminClient). After `ready`. */
  readonly log: Admin;
  /** The engine (Spark's SparkContext): `context.textFile(url).count()` and the rest. After `ready`. */
  readonly context: EngineContext;
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
  /** Appends what is pending, stops capturing and leading, and closes the log. */
  close(): Promise<void>;
}

/**
 * Starts tabstream in this page: the tracker at once, the rest (`loadCore`) in idle time.
 * Invalid options are named in one console error each, and their defaults used.
 */
export function createTabstream(config: InitOptions, loadCore: () => Promise<Core>): Tabstream {
  return new TabstreamTab(checkConfig(config, ['createWorker', 'flushTimeoutMs']), loadCore);
}

/** How long the rest may wait for an idle moment. */
const IDLE_TIMEOUT_MS = 2000;

class TabstreamTab implements Tabstream {
  readonly version = VERSION;
  readonly ready: Promise<void>;
  readonly #tracker: Tracker;
  readonly #queue: EventQueue;
  /** The log's name: the option, or its default. */
  readonly #logName: string;
  #pipeline: Pipeline | null = null;
  #core: Core | null = null;
  #starting: Promise<Pipeline> | null = null;
  #settleReady!: (started: Promise<void>) => void;
  readonly #subscriptions = new Set<() => void>();
  #closed = false;
  /** Why tabstream captures nothing on this page (its CSP forbids its Trusted Types policies). */
  #blocked: Error | null = null;

  readonly #config: InitOptions;
  readonly #loadCore: () => Promise<Core>;

  constructor(config: InitOptions, loadCore: () => Promise<Core>) {
    this.#config = config;
    this.#loadCore = loadCore;
    this.#logName = config.log ?? 'tabstream';
    this.#queue = new EventQueue(this.#logName);
    this.#tracker = new Tracker(
      { ...DEFAULT_TRACKER_CONFIG, ...definedOnly(config), ignore: config.ignore ?? null },
      (event) => this.#queue.send(event),
      randomId,
      () => this.#queue.discard(), // opted out: what waits for the core goes too
    );
    this.ready = new Promise((resolve) => (this.#settleReady = resolve));
    this.ready.catch((error) => reportOnce('tabstream could not start', error));
    try {
      trustedTypesPolicy();
    } catch (error) {
      this.#block(error as Error);
      return;
    }
    this.#tracker.start();
    addEventListener('visibilitychange', this.#onVisibilityChange);
    addEventListener('pagehide', this.#onPageHide);
    addEventListener('pageshow', this.#onPageShow);
    whenShown(() => whenIdle(() => this.#closed || void this.#start()));
  }

  get capturing(): boolean {
    return !this.#blocked && this.#tracker.capturing;
  }

  track(name: string, props?: Readonly<Record<string, string | number | boolean>>): boolean {
    return !this.#blocked && this.#tracker.track(name, props);
  }

  optOut(): void {
    this.#tracker.optOut();
  }

  optIn(): void {
    this.#tracker.optIn();
  }

  get isLeader(): boolean {
    return this.#pipeline?.isLeader ?? false;
  }

  get tabs(): readonly string[] {
    return this.#pipeline?.tabs ?? [];
  }

  get batches(): readonly BatchInfo[] {
    return this.#pipeline?.batches ?? [];
  }

  get streaming(): StreamingContext | null {
    return this.#pipeline?.streaming ?? null;
  }

  get log(): Admin {
    return this.#started('log').log;
  }

  get context(): EngineContext {
    return this.#started('context').context;
  }

  get defineFn(): Core['defineFn'] {
    return this.#loaded('defineFn').defineFn;
  }

  get op(): Core['op'] {
    return this.#loaded('op').op;
  }

  get agg(): Core['agg'] {
    return this.#loaded('agg').agg;
  }

  get fn(): Core['fn'] {
    return this.#loaded('fn').fn;
  }

  get StreamingContext(): Core['StreamingContext'] {
    return this.#loaded('StreamingContext').StreamingContext;
  }

  async counts(view?: CountsView): Promise<Counts> {
    return (await this.#start()).counts(view);
  }

  async flush(): Promise<void> {
    this.#tracker.drain();
    await (await this.#start()).flush();
  }

  subscribe(listener: (counts: Readonly<Counts>) => void, view?: CountsView): () => void {
    return this.#whenStarted((pipeline) => pipeline.subscribe(listener, view));
  }

  onBatch(listener: (batch: BatchInfo) => void): () => void {
    return this.#whenStarted((pipeline) => pipeline.onBatch(listener));
  }

  async status(): Promise<StatusSnapshot> {
    return (await this.#start()).status();
  }

  async table(view?: CountsView): Promise<CountsRow[]> {
    const counts = await this.counts(view);
    const rows = Object.entries(counts)
      .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
      .map(([url, clicks]) => ({ url, clicks }));
    console.table(rows);
    return rows;
  }

  async monitor(): Promise<() => void> {
    await this.#start();
    return this.#core!.showMonitor(this);
  }

  async close(): Promise<void> {
    this.#closed = true;
    removeEventListener('visibilitychange', this.#onVisibilityChange);
    removeEventListener('pagehide', this.#onPageHide);
    removeEventListener('pageshow', this.#onPageShow);
    this.#tracker.drain();
    this.#tracker.stop();
    for (const unsubscribe of this.#subscriptions) unsubscribe();
    if (!this.#pipeline) this.#queue.spill(); // the page may go while the core loads
    const pipeline =
      this.#pipeline ?? (this.#starting ? await this.#starting.catch(() => null) : null);
    await pipeline?.close();
  }

  /** Loads the rest of tabstream (once) and starts its pipeline, which takes the queued events. */
  #start(): Promise<Pipeline> {
    if (this.#starting) return this.#starting;
    if (this.#blocked) return Promise.reject(this.#blocked);
    if (this.#closed) return Promise.reject(new Error('tabstream: closed'));
    const loaded = this.#loadCore().catch((error: unknown) => {
      if (error instanceof TrustedTypesBlockedError) this.#block(error);
      throw error;
    });
    this.#starting = loaded.then((core) => {
      const coreVersion: string = core.VERSION;
      if (coreVersion !== VERSION) {
        throw new Error(
          `tabstream: the core is version ${coreVersion}, the script ${VERSION}: a cache holds a stale copy.`,
        );
      }
      this.#core = core;
      const pipeline = new core.Pipeline({
        log: this.#logName,
        partitions: this.#config.partitions ?? 4,
        batchIntervalMs: this.#config.batchIntervalMs ?? 1000,
        workers: this.#config.workers ?? globalThis.navigator?.hardwareConcurrency ?? 1,
        createWorker:
          this.#config.createWorker === undefined
            ? core.createExecutorWorker
            : this.#config.createWorker,
        flushTimeoutMs: this.#config.flushTimeoutMs ?? 30000,
      });
      this.#pipeline = pipeline;
      this.#queue.handTo(pipeline);
      this.#showElements(core);
      return pipeline;
    });
    this.#settleReady(this.#starting.then((pipeline) => pipeline.ready));
    return this.#starting;
  }

  /**
   * Defines the elements and shows the script tag's panel. Must not fail the start: the pipeline
   * has the events already, and counting goes on without them.
   */
  #showElements(core: Core): void {
    try {
      core.defineElements();
      if (this.#config.panel) core.showPanel(this);
    } catch (error) {
      reportOnce('its elements could not be shown', error);
    }
  }

  /**
   * Stops capturing for good on this page, dropping what waits for the core: the page's CSP
   * forbids what tabstream needs, so nothing captured could ever be counted (and spills would
   * pile up in localStorage, page after page). `ready` rejects with `error`: one console error.
   */
  #block(error: Error): void {
    this.#blocked = error;
    this.#tracker.stop();
    this.#queue.discard();
    this.#settleReady(Promise.reject(error));
  }

  /** Calls `use` with the pipeline once started; the returned function undoes it, before or after. */
  #whenStarted(use: (pipeline: Pipeline) => () => void): () => void {
    let undo: (() => void) | null = null;
    let cancelled = false;
    this.#start()
      .then((pipeline) => {
        if (!cancelled) undo = use(pipeline);
      })
      .catch(() => {}); // reported by ready
    const unsubscribe = (): void => {
      cancelled = true;
      undo?.();
      this.#subscriptions.delete(unsubscribe);
    };
    this.#subscriptions.add(unsubscribe);
    return unsubscribe;
  }

  #loaded(what: string): Core {
    if (this.#core) return this.#core;
    void this.#start();
    throw new Error(`tabstream.${what} is not loaded yet: await tabstream.ready first.`);
  }

  #started(what: string): Pipeline {
    if (this.#pipeline) return this.#pipeline;
    void this.#start();
    throw new Error(`tabstream.${what} is not started yet: await tabstream.ready first.`);
  }

  readonly #onVisibilityChange = (): void => {
    if (document.visibilityState === 'hidden') this.#saveForLater(false, false);
    else this.#pipeline?.recoverWhenReady();
  };

  /** The page is left; `persisted`: it may go into the back/forward cache, and come back. */
  readonly #onPageHide = (event: PageTransitionEvent): void => {
    this.#saveForLater(true, !event.persisted);
    if (event.persisted) this.#pipeline?.suspend();
  };

  /** Back from the back/forward cache: as a tab again, and this page's own spill may be waiting. */
  readonly #onPageShow = (event: PageTransitionEvent): void => {
    if (event.persisted) this.#pipeline?.resume();
  };

  /** The page may never run again: everything captured goes to the log, or to localStorage. */
  #saveForLater(leaving: boolean, append = true): void {
    if (this.#blocked) return;
    this.#tracker.drain(leaving);
    if (this.#pipeline) this.#pipeline.saveForLater(append);
    else this.#queue.spill();
  }
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
