import { TOPICS } from '../tracker';

/** Which HTTP produce API the proxy speaks. */
export type RestApi = 'v2' | 'v3';

/** What a site gives the sink: where its proxy is, what to ship, and how hard to try. */
export interface KafkaRestSinkOptions {
  /** The log to ship (its IndexedDB database). */
  readonly log: string;
  /** The proxy's base URL, e.g. `https://proxy.example:8082` (http or https). */
  readonly url: string;
  /** REST Proxy v2 (`POST /topics/{topic}`, also Redpanda's and Strimzi's) or v3. Default 'v2'. */
  readonly api?: RestApi;
  /** The Kafka cluster id in v3's paths; needed with `api: 'v3'`. */
  readonly cluster?: string;
  /** The log's topics to ship; the Kafka topic has the same name. Default clicks, pageviews, events. */
  readonly topics?: readonly string[];
  /** The most records in one request. Default 500 (v2), 10 (v3's `records:batch` limit). */
  readonly maxRecordsPerRequest?: number;
  /** The most bytes in one request's body (a larger record goes alone). Default 512 KiB. */
  readonly maxBytesPerRequest?: number;
  /** The first retry's delay; the n-th waits `retryBaseMs·2ⁿ` (capped, ±25 %). Default 3 s. */
  readonly retryBaseMs?: number;
  /** The longest delay between retries. Default 30 minutes. */
  readonly retryMaxMs?: number;
  /** How long a request may take before it is aborted and retried. Default 30 s. */
  readonly requestTimeoutMs?: number;
  /** How long the sink waits for new records (or a changed `allowed()`) before it looks again. Default 500 ms. */
  readonly idleMs?: number;
  /**
   * Whether the visitor allows shipping now (not opted out, no honoured DNT/GPC): checked
   * before every request; while false nothing is sent. Default: always.
   */
  readonly allowed?: () => boolean;
}

export type ResolvedSinkOptions = Required<Omit<KafkaRestSinkOptions, 'cluster'>> & {
  readonly cluster: string;
};

export const DEFAULT_SINK_TOPICS: readonly string[] = [
  TOPICS.click,
  TOPICS.pageview,
  TOPICS.custom,
];
const KIB = 1024;

/**
 * The options with their defaults.
 * - must throw a TypeError naming the option for a URL that is not http(s), a v3 without a
 *   cluster, an unknown api, no topics, or a limit that is not a whole number ≥ 1.
 */
export function resolveSinkOptions(options: KafkaRestSinkOptions): ResolvedSinkOptions {
  const api = options.api ?? 'v2';
  const resolved: ResolvedSinkOptions = {
    api,
    cluster: '',
    topics: DEFAULT_SINK_TOPICS,
    maxRecordsPerRequest: api === 'v3' ? 10 : 500,
    maxBytesPerRequest: 512 * KIB,
    retryBaseMs: 3000,
    retryMaxMs: 30 * 60 * 1000,
    requestTimeoutMs: 30_000,
    idleMs: 500,
    allowed: () => true,
    ...definedOf(options),
    log: options.log,
    url: baseUrl(options.url),
  };
  if (api !== 'v2' && api !== 'v3') invalid(`api "${String(api)}": 'v2' or 'v3'`);
  if (api === 'v3' && !resolved.cluster) invalid('cluster: needed with api v3');
  if (resolved.topics.length === 0) invalid('topics: at least one');
  for (const name of LIMITS) {
    const value = resolved[name];
    if (!Number.isSafeInteger(value) || value < 1) invalid(`${name} ${value}: a whole number ≥ 1`);
  }
  return resolved;
}

const LIMITS = [
  'maxRecordsPerRequest',
  'maxBytesPerRequest',
  'retryBaseMs',
  'retryMaxMs',
  'requestTimeoutMs',
  'idleMs',
] as const;

/** The proxy's URL without a trailing slash; only http(s). */
function baseUrl(url: string): string {
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    // named below
  }
  if (parsed?.protocol !== 'http:' && parsed?.protocol !== 'https:') {
    invalid(`url "${String(url)}": an http(s) URL`);
  }
  return parsed.href.replace(/\/+$/, '');
}

function definedOf<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(options).filter(([, v]) => v !== undefined),
  ) as Partial<T>;
}

function invalid(what: string): never {
  throw new TypeError(`tabstream: invalid Kafka sink option ${what}`);
}
