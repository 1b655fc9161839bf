import { deleteDB } from 'idb';
import {
  Bus,
  electLeader,
  joinGroup,
  NodeStore,
  type Election,
  type Membership,
  type NodeStat,
  type Teardown,
} from '../coord';
import { Compactor, type CompactionStatus } from './compactor';
import { damageSeen, notifyAll, randomId, reportOnce, sleep, sleepUntil } from '../shared';
import { KafkaRestSink, type KafkaRestSinkOptions, type SinkStatus } from '../sink';
import { runStreams, sqlApi, type SqlApi } from '../sql';
import {
  heatmap,
  liveHeatmap,
  type Band,
  type Heatmap,
  type HeatmapOptions,
  type LiveHeatmap,
  type LiveHeatmapOptions,
} from '../ml';
import { pageRanks, paths, type PageRankRow, type Paths, type PathsOptions } from '../graph';
import { funnel, type Funnel, type FunnelOptions } from '../funnels';
import { TOPICS } from '../tracker';
import { EngineContext, ExecutorPool, type WorkerFactory } from '../engine';
import {
  Admin,
  partitionsOf,
  ensureTopic,
  isConnectionClosed,
  openLog,
  OutOfOrderSequenceError,
  Producer,
  RecordSpilledError,
  type CompactionResult,
  type CompactOptions,
  type LogEvent,
  recoverSpills,
  type LogDB,
  UnknownTopicOrPartitionError,
} from '../log';
import {
  checkedCheckpoint,
  checkpointPath,
  clickCountsCheckpoint,
  clickCountsProblem,
  clickCounts,
  countedOffsets,
  countsOf,
  loadCheckpoint,
  StreamingContext,
  type BatchInfo,
  type Checkpoint,
  type Counts,
  type CountsView,
} from '../streaming';
import {
  engineStatus,
  logStatus,
  type BatchStatus,
  type EngineStatus,
  type StatusSnapshot,
} from '../status';

/** What the pipeline of a tab needs to know: the script tag's settings, and a few for tests. */
export interface PipelineConfig {
  readonly log: string;
  readonly partitions: number;
  readonly batchIntervalMs: number;
  readonly workers: number;
  /** How to start an executor worker; null runs tasks on the main thread. */
  readonly createWorker: WorkerFactory | null;
  /** How long `flush()` waits for a batch to count what it appended, in ms. */
  readonly flushTimeoutMs: number;
  /** Whether the leader compacts the log between batches (default true); `compact()` works either way. */
  readonly compaction?: boolean;
  /** Where the leader ships the log (a Kafka HTTP produce API); none by default. */
  readonly sink?: Omit<KafkaRestSinkOptions, 'log'>;
}

const TOPIC = TOPICS.click;
/** What a tab checks of the job's checkpoint before it shows its counts. */
const COUNTS_CHECKS = { check: clickCountsProblem };
const KEPT_BATCHES = 100;
/**
 * How long a click waits in memory for others to share its append: clicks are sparse, and a
 * click appended after a batch tick waits a whole interval more to be counted.
 */
const CLICK_LINGER_MS = 20;

/** How long a tab waits for the leader to tell it the engine's status. */
const STATUS_TIMEOUT_MS = 1000;

/** The leader's engine status, as it answers a tab's request. */
type EngineAnswer = {
  readonly engine: EngineStatus | null;
  readonly active: boolean;
  readonly sink?: SinkStatus;
};

type Message =
  | { readonly type: 'batch'; readonly batch: BatchInfo }
  | { readonly type: 'run-batch' }
  /** Asks the leader for its EngineAnswer, on the bus `replyTo` that only the asking tab hears. */
  | { readonly type: 'status-request'; readonly replyTo: string };
type Listener = { readonly view: CountsView; readonly fn: (counts: Readonly<Counts>) => void };

/**
 * The part of tabstream that starts in idle time: the log, the tab's membership, the leader
 * election, and, in the leader tab, the engine and the streaming job.
 * Guarantees: every event sent is appended to the log once (spilled to localStorage when the
 * page goes before it is); a tab's counts are those of the last batch any tab committed.
 */
export class Pipeline {
  readonly ready: Promise<void>;
  readonly log: Admin;
  readonly batches: BatchInfo[] = [];
  private engine: EngineContext | null = null;
  private compactor: Compactor | null = null;
  private readonly producer: Producer;
  private readonly bus: Bus<Message>;
  private readonly listeners = new Set<Listener>();
  private readonly batchListeners = new Set<(batch: BatchInfo) => void>();
  private readonly pageViewListeners = new Set<(page: string) => void>();
  /** The live heatmaps running on this tab's engine: `close()` stops them. */
  private readonly liveHeatmaps = new Set<LiveHeatmap>();
  /** Sends not yet appended or given up. */
  private readonly sending = new Set<Promise<void>>();
  /** The checkpoint node last delivered: its creation time and version (a rebuilt node starts again at 0). */
  private lastDelivered = { ctime: -Infinity, version: -1 };
  private logDB: Promise<LogDB> | null = null;
  private nodes: NodeStore | null = null;
  private election: Election | null = null;
  private membership: Membership | null = null;
  private suspended = false;
  /** Joined (or joining) the election and the live tabs. */
  private joined = false;
  /** Bumped by suspend(): a join begun before it is stale. */
  private generation = 0;
  streaming: StreamingContext | null = null;
  /** The leader's Kafka sink, while this tab leads and the site gave one. */
  private sink: KafkaRestSink | null = null;

  constructor(private readonly config: PipelineConfig) {
    this.log = new Admin(config.log);
    // The tab spills on hide (saveForLater), after the tracker has handed on what it holds.
    this.producer = this.log.producer({ spillOnHide: false, lingerMs: CLICK_LINGER_MS });
    this.bus = new Bus(config.log);
    this.bus.subscribe((message) => this.onMessage(message));
    this.ready = this.open();
    this.ready.catch((error) => reportOnce('tabstream could not start', error));
  }

  /** SQL over the log, on this tab's engine: `tabstream.sql`. */
  readonly sql: SqlApi = sqlApi(() => this.context);

  /** The heatmap of `options.page` in `options.band` (MLlib's k-means), on this tab's engine. */
  async heatmap(
    options: HeatmapOptions & { readonly page: string; readonly band: Band },
  ): Promise<Heatmap> {
    await this.ready;
    return heatmap(this.context, options);
  }

  /**
   * The heatmap of `options.page` in `options.band`, kept live (MLlib's StreamingKMeans) on
   * this tab's engine until stopped; `onUpdate` gets it first as computed, then after each batch.
   */
  async liveHeatmap(
    options: HeatmapOptions & LiveHeatmapOptions & { readonly page: string; readonly band: Band },
    onUpdate: (heatmap: Heatmap) => void,
  ): Promise<LiveHeatmap> {
    await this.ready;
    const live = await liveHeatmap(
      this.context,
      { batchIntervalMs: this.config.batchIntervalMs, ...options },
      onUpdate,
    );
    this.liveHeatmaps.add(live);
    const liveHeatmaps = this.liveHeatmaps;
    return {
      get latest() {
        return live.latest;
      },
      runBatch: () => live.runBatch(),
      stop: () => {
        liveHeatmaps.delete(live);
        return live.stop();
      },
    };
  }

  /** Calls `listener` with the page of each page view this tab sends; returns the unsubscribe. */
  onPageView(listener: (page: string) => void): () => void {
    this.pageViewListeners.add(listener);
    return () => this.pageViewListeners.delete(listener);
  }

  /** The paths from a start page, or into an end page (GraphX), on this tab's engine. */
  async paths(options: PathsOptions = {}): Promise<Paths> {
    await this.ready;
    return paths(this.context, options);
  }

  /** Every page's PageRank in the page-transition graph, highest first, on this tab's engine. */
  async pageRank(options: Parameters<typeof pageRanks>[1] = {}): Promise<PageRankRow[]> {
    await this.ready;
    return pageRanks(this.context, options);
  }

  /** The conversion and drop-off of each of `options.steps`, on this tab's engine. */
  async funnel(options: FunnelOptions): Promise<Funnel> {
    await this.ready;
    return funnel(this.context, options);
  }

  get context(): EngineContext {
    const { log, workers, createWorker } = this.config;
    return (this.engine ??= new EngineContext({
      log,
      pool: ExecutorPool.start({ size: workers, createWorker }),
    }));
  }

  /** Compacts the clicks topic on this tab's engine (the leader's, between batches). */
  private get compaction(): Compactor {
    const states = () => this.withLog((db) => partitionsOf(db, TOPIC));
    return (this.compactor ??= new Compactor(this.context, this.config.log, TOPIC, states));
  }

  /**
   * Merges the clicks topic's small record batches now, in executor workers (the leader tab
   * also does it on its own between batches), and resolves with what it did.
   */
  async compact(options?: CompactOptions): Promise<CompactionResult> {
    await this.ready;
    return this.compaction.compactNow(options);
  }

  /** What this tab's compactions did, or null if it ran none. */
  get compactionStatus(): CompactionStatus | null {
    return this.compactor?.status ?? null;
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

  /**
   * Appends every event this tab sent so far, then resolves once a committed batch has
   * counted every click in the log by then, whichever tab runs the job: every view of
   * `counts()` (all time and the windows, by page and by target) has them, since a batch
   * commits all of them in one checkpoint and the windows end at every batch.
   */
  async flush(): Promise<void> {
    await this.ready;
    await this.producer.flush();
    await Promise.all([...this.sending]); // each settles after its sending again, if any
    await this.recover();
    const ends = async (): Promise<number[]> =>
      (await this.withLog((db) => partitionsOf(db, TOPIC))).map((p) => p.highWatermark);
    const target = await ends();
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
      // Past the log's end is no count of it: a checkpoint of a log deleted since, to be rebuilt.
      const end = await ends();
      const counted = (offset: number, p: number) =>
        (offsets[p] ?? 0) >= offset && (offsets[p] ?? 0) <= (end[p] ?? 0);
      if (target.every(counted)) return;
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

  /**
   * What the monitor shows, as of now: the engine's jobs, stages and executors (from the leader
   * tab, asked over the bus when it is another; null if it does not answer within a second),
   * the log's partitions and consumer groups, and the last batches.
   */
  async status(): Promise<StatusSnapshot> {
    await this.ready;
    const [{ engine, active, sink }, log] = await Promise.all([
      this.isLeader ? this.engineAnswer() : this.askLeader(),
      this.withLog(logStatus),
    ]);
    const { batchIntervalMs } = this.config;
    const batches = this.batches.map(batchStatus);
    const streaming = { batchIntervalMs, active, batches };
    const snapshot = { takenAt: Date.now(), engine, log, streaming, damage: damageSeen() };
    return sink ? { ...snapshot, sink } : snapshot;
  }

  private engineAnswer(): EngineAnswer {
    const engine = this.engine;
    if (!engine) return { engine: null, active: false };
    const { status } = engine;
    const state = { jobs: status.jobs(), stages: status.stages(), ...engine.executorStatus() };
    const active = this.streaming?.state === 'active';
    const sink = this.sink?.status();
    return { engine: engineStatus(state), active, ...(sink && { sink }) };
  }

  /** The leader's answer, on a bus of this request's own: the other tabs need not decode it. */
  private askLeader(): Promise<EngineAnswer> {
    const replyTo = `${this.config.log}:status:${randomId()}`;
    const replies = new Bus<EngineAnswer>(replyTo);
    return new Promise((resolve) => {
      const answered = (answer: EngineAnswer): void => {
        clearTimeout(timer);
        replies.close();
        resolve(answer);
      };
      const timer = setTimeout(() => answered({ engine: null, active: false }), STATUS_TIMEOUT_MS);
      replies.subscribe(answered);
      this.bus.post({ type: 'status-request', replyTo });
    });
  }

  private answerStatus(replyTo: string): void {
    const replies = new Bus<EngineAnswer>(replyTo);
    replies.post(this.engineAnswer()); // delivered even though the channel closes at once
    replies.close();
  }

  /** Appends what is pending, stops leading, and closes the log. */
  async close(): Promise<void> {
    await this.ready.catch(() => {});
    try {
      // Before the executors go: a live heatmap's batch runs on them.
      await Promise.allSettled([...this.liveHeatmaps].map((live) => live.stop()));
      this.liveHeatmaps.clear();
      await this.producer.close();
    } finally {
      await this.election?.resign();
      await this.membership?.leave();
      this.bus.close();
      void this.logDB?.then((db) => db.close());
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
    this.logDB = Promise.resolve(logDB);
    this.nodes = nodes;
    // Every tab learns of each committed batch from the checkpoint node (ZooKeeper's watch).
    nodes.watch<Checkpoint>(checkpointPath(this.checkpointId), (node) => {
      if (node) this.deliver(node);
    });
    // The checkpoints of tabstream 0.x, before the streaming job had a plan: recounted from the log.
    deleteDB(`${this.config.log}:checkpoints`).catch(() => {});
    await this.ensureTopics();
    // Known from now on, so that no first record of a topic reads the log as the page is hidden
    // (a scroll record is often the first of its topic, at pagehide): a read under way then gets
    // the page evicted from the back/forward cache. Not waited for: a send reports a failure.
    for (const topic of Object.values(TOPICS)) this.producer.partitionsFor(topic).catch(() => {});
    await this.recover();
    if (!this.suspended) await this.join();
  }

  /** Runs for leader, and joins the live tabs: once, until `suspend()`. */
  private async join(): Promise<void> {
    if (this.joined) return;
    this.joined = true;
    const generation = this.generation;
    this.election = electLeader(this.config.log, (stepDown) => this.lead(stepDown));
    const membership = await joinGroup(this.config.log, 'tabs').catch((error: unknown) => {
      reportOnce('joining the live tabs failed', error);
      return null;
    });
    // Suspended meanwhile: this membership is one suspend() could not leave.
    if (generation !== this.generation) void membership?.leave();
    else this.membership = membership;
  }

  /**
   * The page may go into the back/forward cache: let go of the lead and of the tab's
   * membership, whose locks other tabs would wait on (which would evict it), and append
   * nothing (what the producer holds was spilled).
   */
  suspend(): void {
    this.suspended = true;
    this.joined = false;
    this.generation++;
    this.producer.pause();
    void this.election?.resign(true);
    void this.membership?.leave();
    this.election = null;
    this.membership = null;
  }

  /** Shown again from the back/forward cache: back in the running, and in the live tabs. */
  resume(): void {
    if (!this.suspended) return;
    this.suspended = false;
    this.producer.resume();
    this.ready.then(() => (this.suspended ? undefined : this.join())).catch(() => {});
    this.recoverWhenReady();
  }

  /**
   * Runs in the leader tab only: the executors and the streaming job. The counts are a cache
   * of the log: a changed plan rebuilds them. A job that stops (with an error, or stopped
   * from the console) steps down, so that this or another tab leads again: never a leader
   * that counts nothing.
   */
  private async lead(stepDown: (error: unknown) => void): Promise<Teardown> {
    const context = this.context;
    await context.executors();
    const streaming = new StreamingContext(context, {
      batchIntervalMs: this.config.batchIntervalMs,
      checkpointId: this.checkpointId,
      onPlanChange: 'rebuild',
    });
    clickCounts(streaming, TOPIC);
    const unsubscribe = streaming.onBatch((batch) => {
      this.publish(batch);
      // Between batches, at a priority below theirs.
      if (this.config.compaction !== false)
        this.compaction.afterBatch(() => this.streaming === streaming, batch.ranges);
    });
    await streaming.start();
    this.streaming = streaming;
    const sink = this.startSink();
    const stopStreams = await runStreams(context, this.config.batchIntervalMs);
    let tornDown = false;
    streaming.awaitTermination().then(() => {
      if (!tornDown)
        stepDown(new Error(`tabstream: the streaming job "${this.checkpointId}" stopped`));
    }, stepDown);
    return async () => {
      tornDown = true;
      this.streaming = null;
      this.sink = null;
      unsubscribe();
      await Promise.all([streaming.stop(), sink?.stop(), stopStreams()]);
    };
  }

  /**
   * Starts the leader's Kafka sink, if the site gave one: it ships the log, at least once,
   * from the group's committed offsets, where the last leader's left off.
   * - must not stop the leader for a sink that cannot start: it says why, once.
   */
  private startSink(): KafkaRestSink | null {
    if (!this.config.sink) return null;
    try {
      const sink = new KafkaRestSink({ ...this.config.sink, log: this.config.log });
      sink.start();
      return (this.sink = sink);
    } catch (error) {
      reportOnce('the Kafka sink could not start', error);
      return null;
    }
  }

  /**
   * Sends `event` to `topic`, keyed by `key` (a tab's events stay in order in one partition).
   * - must send it again, once, after creating the topics again if its topic is gone (the log
   *   database was deleted under the page), as Kafka's `auto.create.topics.enable` would, or
   *   was made again by another tab (whose log does not know this producer's sequence).
   */
  send(topic: string, event: LogEvent, key: string): void {
    void this.append(topic, event, key, true);
    // A shown heatmap follows the page (an in-app navigation is a page view).
    if (topic === TOPICS.pageview && typeof event.page === 'string')
      notifyAll(
        this.pageViewListeners,
        (listener) => listener(event.page as string),
        'a page-view listener threw',
      );
  }

  /** Sends `event`, settling once it is appended or given up; `flush()` waits for it. */
  private append(topic: string, event: LogEvent, key: string, again: boolean): Promise<void> {
    const sent = this.producer.send(topic, event, key).then(
      () => {},
      async (error: unknown) => {
        // Its topic is gone, or was made again by another tab: nothing of it was appended.
        const gone =
          error instanceof UnknownTopicOrPartitionError || error instanceof OutOfOrderSequenceError;
        if (again && gone) {
          const created = await this.ensureTopics().then(
            () => true,
            (failure: unknown) => reportOnce('creating the topics again failed', failure),
          );
          if (created) return this.append(topic, event, key, false);
        }
        if (!(error instanceof RecordSpilledError))
          reportOnce(`an event of topic "${topic}" could not be appended`, error);
      },
    );
    this.sending.add(sent);
    void sent.finally(() => this.sending.delete(sent));
    return sent;
  }

  /** Creates tabstream's topics where missing (at start, and after the log was deleted). */
  private ensureTopics(): Promise<void> {
    return this.withLog(async (db) => {
      for (const name of Object.values(TOPICS))
        await ensureTopic(db, { name, partitions: this.config.partitions });
    });
  }

  /**
   * Runs `use` on the log's connection; if the connection was closed under it (the database
   * deleted), opens the log again and runs it once more.
   */
  private async withLog<T>(use: (db: LogDB) => Promise<T>): Promise<T> {
    const db = this.logDB!;
    try {
      return await use(await db);
    } catch (error) {
      if (!isConnectionClosed(error)) throw error;
      if (this.logDB === db) this.logDB = openLog(this.config.log); // one for every call here
      return use(await this.logDB!);
    }
  }

  private async recover(): Promise<void> {
    try {
      await this.withLog((db) => recoverSpills(db, localStorage));
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

  /**
   * Tells the subscribers of checkpoint `node`, once per version, in order; a node created
   * anew (rebuilt after its loss) starts its versions again. A damaged one is not delivered.
   */
  private deliver(node: NodeStat<Checkpoint>): void {
    const { ctime, version } = node;
    const last = this.lastDelivered;
    if (ctime < last.ctime || (ctime === last.ctime && version <= last.version)) return;
    const checkpoint = checkedCheckpoint(this.nodes!, this.checkpointId, node, COUNTS_CHECKS);
    if (!checkpoint) return;
    this.lastDelivered = { ctime, version };
    notifyAll(
      this.listeners,
      ({ fn, view }) => fn(countsOf(checkpoint, view.by, view.window)),
      'a counts subscriber threw',
    );
  }

  private async checkpoint(): Promise<Checkpoint | undefined> {
    await this.ready;
    return (await loadCheckpoint(this.nodes!, this.checkpointId, COUNTS_CHECKS))?.data;
  }

  private onMessage(message: Message): void {
    switch (message.type) {
      case 'batch':
        return this.recordBatch(message.batch);
      case 'status-request':
        if (this.isLeader) this.answerStatus(message.replyTo);
        return;
      case 'run-batch':
        if (this.streaming?.state === 'active')
          this.streaming.runBatch().catch((error) => reportOnce('a streaming batch failed', error));
        return;
    }
  }

  private nextBatch(timeoutMs: number): Promise<void> {
    return sleepUntil((wake) => this.subscribe(wake), timeoutMs);
  }

  /** Appends spills other pages left, once the log is open (a page shown again, say). */
  recoverWhenReady(): void {
    this.ready.then(() => this.recover()).catch(() => {});
  }

  /**
   * A hidden page may never run again (a mobile browser may discard it without `pagehide`):
   * hand what is not yet in the log to localStorage, synchronously, and (if `append`) append
   * it too. A page going into the back/forward cache appends nothing: a transaction frozen
   * with it would hold up the other tabs' (and evict it).
   */
  saveForLater(append = true): void {
    try {
      this.producer.spill(localStorage);
    } catch (error) {
      reportOnce('events not yet in the log could not be kept for the next page', error);
    }
    if (append)
      this.producer.flush().catch((error) => reportOnce('appending to the log failed', error));
  }
}

/** A batch's figures for the monitor's streaming page. */
function batchStatus({
  batch,
  batchTime,
  inputEvents,
  inputRate,
  schedulingDelayMs,
  processingMs,
  totalDelayMs,
  checkpointBytes,
  checkpointSnapshotBytes,
}: BatchInfo): BatchStatus {
  return {
    batch,
    batchTime,
    inputEvents,
    inputRate,
    schedulingDelayMs,
    processingMs,
    totalDelayMs,
    checkpointBytes,
    checkpointSnapshotBytes,
  };
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
