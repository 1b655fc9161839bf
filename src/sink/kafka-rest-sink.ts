import {
  Consumer,
  isConnectionClosed,
  lagOf,
  listTopics,
  openLog,
  partitionId,
  partitionsOf,
  type ConsumerRecord,
  type LogDB,
  type PartitionState,
  type TopicPartition,
} from '../log';
import { randomId, reportOnce, sleepUntil } from '../shared';
import { retryDelay } from './backoff';
import { commitShipped, logIdsOf, recordId, SINK_GROUP } from './group-offsets';
import { resolveSinkOptions, type KafkaRestSinkOptions, type ResolvedSinkOptions } from './options';
import { post, produce } from './produce';
import { toRequests, type ProduceRequest } from './requests';
import { wireOf, type Wire } from './wire';

/**
 * What the sink is doing: shipping (or waiting for records), waiting for the browser to be
 * online, waiting to retry a failed request, holding off while the visitor does not allow it,
 * stopped, or stopped by a request that can never succeed.
 */
export type SinkState =
  'running' | 'waiting-online' | 'backing-off' | 'not-allowed' | 'stopped' | 'stopped-fatal';

/** A partition as the sink has shipped it. */
export interface SinkPartitionStatus extends TopicPartition {
  /** The group's committed offset: the proxy acknowledged every record before it. */
  readonly shipped: number;
  readonly highWatermark: number;
  /** Records not shipped yet (from `shipped`, or the log start if later, to the high watermark). */
  readonly lag: number;
}

export interface SinkStatus {
  readonly state: SinkState;
  readonly partitions: readonly SinkPartitionStatus[];
  /** Produce requests sent (those on `pagehide` included). */
  readonly requests: number;
  /** Requests sent again after a retriable failure. */
  readonly retries: number;
  /** Records the proxy acknowledged. */
  readonly recordsShipped: number;
  readonly lastError: { readonly message: string; readonly at: number } | null;
}

/** A produce request that failed; `fatal` if sending it again can never succeed. */
class ProduceFailure extends Error {
  override name = 'ProduceFailure';
  constructor(
    readonly fatal: boolean,
    message: string,
  ) {
    super(message);
  }
}

/** Chrome's budget for the bodies of keepalive requests in flight. */
const KEEPALIVE_BYTES = 64 * 1024;

/**
 * Ships the log's topics to a Kafka cluster through an HTTP produce API (Confluent's REST Proxy
 * v2 or v3, Redpanda's HTTP Proxy): a consumer of the log in group `tabstream-sink`, run by the
 * leader tab. Each record goes to the Kafka topic of its log topic's name, to the same partition,
 * with its key, its value the event plus `_id` (`<log id>:<topic>:<partition>:<offset>`).
 * - must send each partition's records in offset order, one request at a time;
 * - must commit the group's offsets only after the proxy acknowledged every record of a request
 *   (at least once: a record whose acknowledgement was lost is sent again, with the same `_id`);
 * - must retry a request that failed with 5xx, 408, 429, a network error or a timeout, after
 *   `retryBaseMs·2ⁿ` (capped, jittered), and wait for `online` while the browser is offline;
 * - must stop, with one console error, at a failure that can never succeed (another 4xx, a
 *   non-retriable record error, an answer that is no produce response), leaving the records in
 *   the log;
 * - must send nothing while `allowed()` is false;
 * - on `pagehide`, must send what it holds unacknowledged with `fetch(…, { keepalive: true })`,
 *   within 64 KiB, committing nothing for it.
 */
export class KafkaRestSink {
  private readonly options: ResolvedSinkOptions;
  private readonly wire: Wire;
  /** The log id of partitions the group has none for (see `logIdsOf`). */
  private readonly freshLogId = randomId();
  private readonly logIds = new Map<string, string>();
  private readonly shipped = new Map<string, number>();
  private states: PartitionState[] = [];
  /** Polled records, as requests, not yet acknowledged: the first is the one being sent. */
  private pending: ProduceRequest[] = [];
  private running: Promise<void> | null = null;
  private stopping = false;
  /** Aborts the request in flight at `stop()`. */
  private stopSignal = new AbortController();
  /** What the page's CSP said when it blocked a request to the proxy (no request can pass). */
  private blockedBy: string | null = null;
  private readonly wakers = new Set<() => void>();
  private state: SinkState = 'stopped';
  private requests = 0;
  private retries = 0;
  private recordsShipped = 0;
  private lastError: SinkStatus['lastError'] = null;

  /** Throws a TypeError for invalid options (see `resolveSinkOptions`). */
  constructor(options: KafkaRestSinkOptions) {
    this.options = resolveSinkOptions(options);
    this.wire = wireOf(this.options);
  }

  /** Starts shipping in the background, from the group's committed offsets; no-op if running. */
  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.stopSignal = new AbortController();
    this.state = 'running';
    addEventListener('pagehide', this.onPageHide);
    addEventListener('securitypolicyviolation', this.onViolation);
    this.running = this.run().finally(() => {
      removeEventListener('pagehide', this.onPageHide);
      removeEventListener('securitypolicyviolation', this.onViolation);
      this.running = null;
    });
  }

  /**
   * Stops shipping: aborts the request in flight (its records stay uncommitted, so the next
   * sink sends them again) and resolves once the log is closed.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.stopSignal.abort();
    for (const wake of [...this.wakers]) wake();
    await this.running;
  }

  /** What the sink has shipped and is doing, now; its lag against the log's ends at its last step. */
  status(): SinkStatus {
    const partitions = this.states.map((state) => {
      const shipped = this.shipped.get(keyOf(state)) ?? state.logStartOffset;
      const { topic, partition, highWatermark } = state;
      return { topic, partition, shipped, highWatermark, lag: lagOf(shipped, state) };
    });
    const { state, requests, retries, recordsShipped, lastError } = this;
    return { state, partitions, requests, retries, recordsShipped, lastError };
  }

  private async run(): Promise<void> {
    const { log } = this.options;
    this.logIds.clear();
    this.shipped.clear();
    let db = openLog(log);
    const consumer = new Consumer({
      log,
      groupId: SINK_GROUP,
      autoOffsetReset: 'earliest',
      enableAutoCommit: false,
      skipCorrupt: true, // counted and reported by the log; the sink ships the rest
    });
    try {
      for (let attempt = 0; !this.stopping;) {
        try {
          await this.step(await db, consumer);
          attempt = 0;
        } catch (error) {
          if (this.stopping) break;
          // The log closed under the sink (a newer schema, say): open it again.
          if (isConnectionClosed(error)) db = openLog(log);
          const message = error instanceof Error ? error.message : String(error);
          this.lastError = { message, at: Date.now() };
          if (error instanceof ProduceFailure && error.fatal) {
            this.state = 'stopped-fatal';
            reportOnce('the Kafka sink stopped; its records stay in the log', error);
            return;
          }
          this.retries++;
          this.state = 'backing-off';
          const { retryBaseMs, retryMaxMs } = this.options;
          if (navigator.onLine) await this.pause(retryDelay(attempt++, retryBaseMs, retryMaxMs));
        }
      }
      this.state = 'stopped';
    } finally {
      this.pending = [];
      await consumer.close().catch(() => {});
      (await db.catch(() => null))?.close();
    }
  }

  /**
   * One step: wait (while not allowed, or offline), or poll records into requests, or send the
   * first pending request and commit its records once acknowledged.
   */
  private async step(db: LogDB, consumer: Consumer): Promise<void> {
    // The log's ends now, for the lag `status()` tells: records come while a request is out.
    this.states = await this.partitionStates(db);
    const { allowed, idleMs } = this.options;
    if (!allowed()) {
      this.state = 'not-allowed';
      return this.pause(idleMs);
    }
    if (!navigator.onLine) {
      this.state = 'waiting-online';
      return this.pause(idleMs, 'online');
    }
    this.state = 'running';
    const request = this.pending[0];
    if (!request) {
      await this.assign(db, consumer);
      const records = await consumer.poll({ timeoutMs: idleMs });
      this.pending = toRequests(records, this.wire, this.recordIdOf, this.options);
      return;
    }
    this.requests++;
    const { requestTimeoutMs } = this.options;
    const outcome = await produce(this.wire, request, requestTimeoutMs, this.stopSignal.signal);
    if (!outcome.ok) {
      const url = this.wire.url(request.topic);
      const error = this.blockedBy ?? outcome.error;
      throw new ProduceFailure(outcome.fatal || this.blockedBy !== null, `POST ${url}: ${error}`);
    }
    const commits = await commitShipped(db, request.records, this.logIdOf);
    for (const { topic, partition, offset } of commits) {
      this.shipped.set(keyOf({ topic, partition }), offset);
    }
    this.recordsShipped += request.records.length;
    this.pending.shift();
  }

  /** The configured topics' partitions in the log now (a topic may appear, or gain partitions, later). */
  private async partitionStates(db: LogDB): Promise<PartitionState[]> {
    const existing = new Set((await listTopics(db)).map((config) => config.name));
    const topics = this.options.topics.filter((topic) => existing.has(topic));
    return (await Promise.all(topics.map((topic) => partitionsOf(db, topic)))).flat();
  }

  /** Assigns the partitions of `states` to the consumer, with their log ids, when they changed. */
  private async assign(db: LogDB, consumer: Consumer): Promise<void> {
    const states = this.states;
    const same =
      states.length === this.logIds.size && states.every((s) => this.logIds.has(keyOf(s)));
    if (!same) {
      const ids = await logIdsOf(db, states, this.freshLogId);
      this.logIds.clear();
      states.forEach((state, i) => {
        this.logIds.set(keyOf(state), ids[i]!.logId);
        this.shipped.set(keyOf(state), ids[i]!.offset);
      });
      consumer.assign(states.map(({ topic, partition }) => ({ topic, partition })));
    }
  }

  private readonly logIdOf = (record: ConsumerRecord): string => this.logIds.get(keyOf(record))!;

  private readonly recordIdOf = (record: ConsumerRecord): string =>
    recordId(this.logIdOf(record), record);

  /** The page may never run again: what is pending goes in keepalive requests, uncommitted. */
  private readonly onPageHide = (): void => {
    if (!this.options.allowed() || !navigator.onLine) return;
    let budget = KEEPALIVE_BYTES;
    for (const request of this.pending) {
      if (request.bytes > budget) break; // in order: none after a request that did not go
      budget -= request.bytes;
      this.requests++;
      post(this.wire, request, { keepalive: true }).catch(() => {}); // sent again by the next sink
    }
  };

  /** A request the page's CSP blocks never passes: the next failure is fatal, and says why. */
  private readonly onViolation = (event: SecurityPolicyViolationEvent): void => {
    if (!event.blockedURI.startsWith(new URL(this.options.url).origin)) return;
    this.blockedBy = `the page's Content-Security-Policy blocks it (${event.effectiveDirective}); allow the proxy's origin in connect-src`;
  };

  /** Resolves after `ms`, at `stop()`, or at `event` on the global scope. */
  private pause(ms: number, event?: 'online'): Promise<void> {
    return sleepUntil((wake) => {
      this.wakers.add(wake);
      if (event) addEventListener(event, wake);
      return () => {
        this.wakers.delete(wake);
        if (event) removeEventListener(event, wake);
      };
    }, ms);
  }
}

const keyOf = ({ topic, partition }: TopicPartition): string => partitionId(topic, partition);
