import { deleteDB } from 'idb';
import {
  Bus,
  electLeader,
  joinGroup,
  NodeStore,
  type Election,
  type Membership,
  type Teardown,
} from './coord';
import { notifyAll, reportOnce } from './diagnostics';
import { agg, defineFn, EngineContext, ExecutorPool, fn, op, type WorkerFactory } from './engine';
import { createExecutorWorker } from './executor-worker';
import {
  Admin,
  partitionsOf,
  ensureTopic,
  openLog,
  Producer,
  randomId,
  RecordSpilledError,
  recoverSpills,
  type LogDB,
} from './log';
import {
  checkpointPath,
  clickCountsCheckpoint,
  clickCounts,
  countedOffsets,
  countsOf,
  loadCheckpoint,
  StreamingContext,
  type BatchInfo,
  type Checkpoint,
  type Counts,
  type CountsBy,
  type CountsWindow,
} from './streaming';
import { ClickTracker, sessionId, type ClickEvent } from './tracker';
import { sleep, sleepUntil } from './sleep';
import { VERSION } from './version';

export type { BatchInfo, Counts, CountsBy, CountsWindow } from './streaming';

/** Which counts: by page URL (default) or target URL, over all time (default) or a window. */
export interface CountsView {
  readonly by?: CountsBy;
  readonly window?: CountsWindow;
}

export interface TabstreamConfig {
  /** The log's name: one IndexedDB database of the origin. Default 'tabstream'. */
  readonly log?: string;
  /** Partitions of topic `clicks`, if this tab is the first to create it. Default 4. */
  readonly partitions?: number;
  /** How often the leader tab runs a batch, in ms. Default 1000. */
  readonly batchIntervalMs?: number;
  /** Executor workers of a tab's engine (the leader's runs the job). Default `navigator.hardwareConcurrency`. */
  readonly workers?: number;
  /** Whether to capture the page's clicks. Default true. */
  readonly track?: boolean;
  /** How to start an executor worker; null runs tasks on the main thread. Default: the bundled one. */
  readonly createWorker?: WorkerFactory | null;
  /** How long `flush()` waits for a batch to count what it appended, in ms. Default 30000. */
  readonly flushTimeoutMs?: number;
}

/** What `window.tabstream` is: the pipeline as seen from one tab. */
export interface Tabstream {
  readonly version: string;
  /** Resolves once the log is open: the tab's clicks are being appended and counts can be read. */
  readonly ready: Promise<void>;
  /** True while this tab is the leader: the one tab of the site running the streaming job. */
  readonly isLeader: boolean;
  /** The live tabs of the site (this one included) by tab id: a group whose members are ephemeral. */
  readonly tabs: readonly string[];
  /** The log: topics, producers, consumers, retention (Kafka's AdminClient); `log.describe()` prints it. */
  readonly log: Admin;
  /**
   * The engine (Spark's SparkContext): `context.textFile(url).count()` and the rest. Its
   * executor workers start on first use; the leader tab's also run the streaming job.
   */
  readonly context: EngineContext;
  /** Registers a function for datasets to name with `fn(name, params)` (see README). */
  readonly defineFn: typeof defineFn;
  /** Functions as data, for the console: built-in operators, aggregators, named functions. */
  readonly op: typeof op;
  readonly agg: typeof agg;
  readonly fn: typeof fn;
  /** The streaming job, in the leader tab (null in the others); see `StreamingContext`. */
  readonly streaming: StreamingContext | null;
  /** Spark Streaming's context, to declare jobs of your own over the log. */
  readonly StreamingContext: typeof StreamingContext;
  /** The metrics of the last batches, whichever tab ran them, oldest first. */
  readonly batches: readonly BatchInfo[];
  /** Clicks per URL (by page, unless `view` says target; all time, unless it names a window), as of the last batch committed by any tab. */
  counts(view?: CountsView): Promise<Counts>;
  /** Appends every click captured so far, then resolves once a batch has counted them all. */
  flush(): Promise<void>;
  /** Calls `listener` with the counts of `view` after every batch, whichever tab ran it. */
  subscribe(listener: (counts: Readonly<Counts>) => void, view?: CountsView): () => void;
  /** Calls `listener` with every batch's metrics, whichever tab ran it. */
  onBatch(listener: (batch: BatchInfo) => void): () => void;
  /** Appends what is pending, stops capturing and leading, and closes the log. */
  close(): Promise<void>;
}

/** Starts tabstream in this page with `config`: what the script tag does with its data-* attributes. */
export function init(config: TabstreamConfig = {}): Tabstream {
  return new Pipeline(config);
}

const TOPIC = 'clicks';
const KEPT_BATCHES = 100;
/**
 * How long a click waits in memory for others to share its append: clicks are sparse, and a
 * click appended after a batch tick waits a whole interval more to be counted.
 */
const CLICK_LINGER_MS = 20;

type Message =
  { readonly type: 'batch'; readonly batch: BatchInfo } | { readonly type: 'run-batch' };
type Listener = { readonly view: CountsView; readonly fn: (counts: Readonly<Counts>) => void };

class Pipeline implements Tabstream {
  readonly version = VERSION;
  readonly ready: Promise<void>;
  readonly log: Admin;
  readonly defineFn = defineFn;
  readonly op = op;
  readonly agg = agg;
  readonly fn = fn;
  readonly StreamingContext = StreamingContext;
  readonly batches: BatchInfo[] = [];
  private engine: EngineContext | null = null;
  private readonly config: Required<TabstreamConfig>;
  private readonly producer: Producer;
  private readonly tracker: ClickTracker | null;
  private readonly bus: Bus<Message>;
  private readonly listeners = new Set<Listener>();
  private readonly batchListeners = new Set<(batch: BatchInfo) => void>();
  private lastVersion = -1;
  private logDB: LogDB | null = null;
  private nodes: NodeStore | null = null;
  private election: Election | null = null;
  private membership: Membership | null = null;
  streaming: StreamingContext | null = null;

  constructor(config: TabstreamConfig) {
    this.config = {
      log: 'tabstream',
      partitions: 4,
      batchIntervalMs: 1000,
      workers: globalThis.navigator?.hardwareConcurrency ?? 1,
      track: true,
      createWorker: createExecutorWorker,
      flushTimeoutMs: 30000,
      ...config,
    };
    this.log = new Admin(this.config.log);
    // saveForLater drains the tracker first, then spills.
    this.producer = this.log.producer({ spillOnHide: false, lingerMs: CLICK_LINGER_MS });
    this.tracker = this.config.track
      ? new ClickTracker((event) => this.send(event), sessionId(randomId))
      : null;
    this.tracker?.start();
    addEventListener('visibilitychange', this.onVisibilityChange);
    addEventListener('pagehide', this.onPageHide);
    addEventListener('pageshow', this.onPageShow);
    this.bus = new Bus(this.config.log);
    this.bus.subscribe((message) => this.onMessage(message));
    this.ready = this.open();
    this.ready.catch((error) => reportOnce('tabstream could not start', error));
  }

  get context(): EngineContext {
    const { log, workers, createWorker } = this.config;
    return (this.engine ??= new EngineContext({
      log,
      pool: ExecutorPool.start({ size: workers, createWorker }),
    }));
  }

  private get checkpointId(): string {
    return clickCountsCheckpoint(this.config.batchIntervalMs);
  }

  get tabs(): readonly string[] {
    return this.membership?.members() ?? [];
  }

  get isLeader(): boolean {
    return this.election?.isLeader ?? false;
  }

  async counts({ by, window }: CountsView = {}): Promise<Counts> {
    return countsOf(await this.checkpoint(), by, window);
  }

  async flush(): Promise<void> {
    await this.ready;
    this.tracker?.drain();
    await this.producer.flush();
    await this.recover();
    const target = (await partitionsOf(this.logDB!, TOPIC)).map((p) => p.highWatermark);
    const deadline = Date.now() + this.config.flushTimeoutMs;
    let lastError: unknown = null;
    for (;;) {
      if (this.streaming?.state === 'active') {
        const batch = errorOf(this.streaming.runBatch());
        lastError = await Promise.race([batch, sleep(deadline - Date.now()).then(() => null)]);
      } else {
        this.bus.post({ type: 'run-batch' });
      }
      const offsets = countedOffsets(await this.checkpoint());
      if (target.every((offset, partition) => (offsets[partition] ?? 0) >= offset)) return;
      if (Date.now() >= deadline) throw flushTimeout(this.config.flushTimeoutMs, target, lastError);
      await this.nextBatch(250);
    }
  }

  subscribe(fn: (counts: Readonly<Counts>) => void, view: CountsView = {}): () => void {
    const listener = { fn, view };
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onBatch(listener: (batch: BatchInfo) => void): () => void {
    this.batchListeners.add(listener);
    return () => this.batchListeners.delete(listener);
  }

  async close(): Promise<void> {
    removeEventListener('visibilitychange', this.onVisibilityChange);
    removeEventListener('pagehide', this.onPageHide);
    removeEventListener('pageshow', this.onPageShow);
    this.tracker?.stop();
    await this.ready.catch(() => {});
    try {
      await this.producer.close();
    } finally {
      await this.election?.resign();
      await this.membership?.leave();
      this.bus.close();
      this.logDB?.close();
      this.nodes?.close();
      await this.log.close();
      if (this.engine) await (await this.engine.executors()).terminate();
    }
  }

  private async open(): Promise<void> {
    const [logDB, nodes] = await Promise.all([
      openLog(this.config.log),
      NodeStore.open(this.config.log),
    ]);
    this.logDB = logDB;
    this.nodes = nodes;
    // Every tab learns of each committed batch from the checkpoint node (ZooKeeper's watch).
    nodes.watch<Checkpoint>(checkpointPath(this.checkpointId), (node) => {
      if (node) this.deliver(node.version, node.data);
    });
    // The checkpoints of tabstream 0.x, before the streaming job had a plan: recounted from the log.
    deleteDB(`${this.config.log}:checkpoints`).catch(() => {});
    await ensureTopic(logDB, { name: TOPIC, partitions: this.config.partitions });
    await this.recover();
    this.election = electLeader(this.config.log, () => this.lead());
    this.membership = await joinGroup(this.config.log, 'tabs').catch((error: unknown) => {
      reportOnce('joining the live tabs failed', error);
      return null;
    });
  }

  /** Runs in the leader tab only: the executors and the streaming job. */
  private async lead(): Promise<Teardown> {
    const context = this.context;
    await context.executors();
    const streaming = new StreamingContext(context, {
      batchIntervalMs: this.config.batchIntervalMs,
      checkpointId: this.checkpointId,
    });
    clickCounts(streaming, TOPIC);
    const unsubscribe = streaming.onBatch((batch) => this.publish(batch));
    await streaming.start();
    this.streaming = streaming;
    return async () => {
      this.streaming = null;
      unsubscribe();
      await streaming.stop();
    };
  }

  private send(event: ClickEvent): void {
    this.producer.send(TOPIC, event, event.sessionId).catch((error: unknown) => {
      if (!(error instanceof RecordSpilledError))
        reportOnce('a click could not be appended', error);
    });
  }

  private async recover(): Promise<void> {
    try {
      await recoverSpills(this.logDB!, localStorage);
    } catch (error) {
      reportOnce('recovering the events of closed pages failed', error);
    }
  }

  /** The leader's batch metrics to every tab; the counts reach them by the checkpoint's watch. */
  private publish(batch: BatchInfo): void {
    this.bus.post({ type: 'batch', batch });
    this.recordBatch(batch);
  }

  private recordBatch(batch: BatchInfo): void {
    this.batches.push(batch);
    if (this.batches.length > KEPT_BATCHES) this.batches.shift();
    notifyAll(this.batchListeners, (listener) => listener(batch), 'a batch listener threw');
  }

  /** Tells the subscribers of the checkpoint at `version`, once per version, in order. */
  private deliver(version: number, checkpoint: Checkpoint | undefined): void {
    if (version <= this.lastVersion || !checkpoint) return;
    this.lastVersion = version;
    notifyAll(
      this.listeners,
      ({ fn, view }) => fn(countsOf(checkpoint, view.by, view.window)),
      'a counts subscriber threw',
    );
  }

  private async checkpoint(): Promise<Checkpoint | undefined> {
    await this.ready;
    return (await loadCheckpoint(this.nodes!, this.checkpointId))?.data;
  }

  private onMessage(message: Message): void {
    if (message.type === 'batch') this.recordBatch(message.batch);
    else if (this.streaming?.state === 'active')
      this.streaming.runBatch().catch((error) => reportOnce('a streaming batch failed', error));
  }

  private nextBatch(timeoutMs: number): Promise<void> {
    return sleepUntil((wake) => this.subscribe(wake), timeoutMs);
  }

  /**
   * A hidden page may never run again (a mobile browser may discard it without `pagehide`):
   * hand what is not yet in the log to localStorage, synchronously, and append it too.
   */
  private readonly onVisibilityChange = (): void => {
    if (document.visibilityState === 'hidden') this.saveForLater();
    else this.recoverWhenReady();
  };

  private readonly onPageHide = (): void => this.saveForLater();

  /** Back from the back/forward cache: this page's own spill may be waiting. */
  private readonly onPageShow = (event: PageTransitionEvent): void => {
    if (event.persisted) this.recoverWhenReady();
  };

  private recoverWhenReady(): void {
    this.ready.then(() => this.recover()).catch(() => {});
  }

  private saveForLater(): void {
    this.tracker?.drain();
    try {
      this.producer.spill(localStorage);
    } catch (error) {
      reportOnce('events not yet in the log could not be kept for the next page', error);
    }
    this.producer.flush().catch((error) => reportOnce('appending to the log failed', error));
  }
}

/** What `promise` rejects with, or null if it resolves. */
async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
    return null;
  } catch (error) {
    return error;
  }
}

function flushTimeout(ms: number, target: readonly number[], cause: unknown): Error {
  const why = cause instanceof Error ? ` (last batch failed: ${cause.message})` : '';
  return new Error(
    `tabstream: flush() timed out after ${ms} ms: no batch counted offsets [${target.join(', ')}] ` +
      `of topic "${TOPIC}"${why}. Is the leader tab frozen or closed?`,
    { cause },
  );
}
