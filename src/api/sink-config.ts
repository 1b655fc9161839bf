// The Kafka sink as a site turns it on: `init({ sink })` or the script tag's data-kafka-*
// attributes. Nothing leaves the device without them.
import type { DomElement } from '../shared';
// Types only: the script tag's part shares this folder, and must not carry the sink.
import type { RestApi } from '../sink';

/** Where the leader tab ships the log: a Kafka HTTP produce API (REST Proxy v2 or v3, Redpanda's). */
export interface SinkConfig {
  /** The proxy's base URL, e.g. 'https://proxy.example:8082'. */
  readonly url: string;
  /** 'v2' (default: also Redpanda's and Strimzi's) or 'v3'. */
  readonly api?: RestApi;
  /** The Kafka cluster's id in v3's paths; needed with 'v3'. */
  readonly cluster?: string;
  /** The log's topics to ship; each Kafka topic has its name. Default clicks, pageviews, events. */
  readonly topics?: readonly string[];
}

const KEYS: readonly string[] = ['url', 'api', 'cluster', 'topics'];
/** Kafka's legal topic names. */
const TOPIC_NAME = /^[\w.-]{1,249}$/;

/** Why `value` is no SinkConfig, or null if it is one. */
export function sinkProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'use an object { url, api, cluster, topics }';
  const unknown = Object.keys(value).filter((key) => !KEYS.includes(key));
  if (unknown.length) return `its key ${unknown[0]} is unknown: use ${KEYS.join(', ')}`;
  const { url, api = 'v2', cluster, topics } = value as Record<string, unknown>;
  if (!isHttpUrl(url)) return "its url must be an http(s) URL, the proxy's base URL";
  if (api !== 'v2' && api !== 'v3') return "its api must be 'v2' or 'v3'";
  if (cluster !== undefined && (typeof cluster !== 'string' || cluster === ''))
    return 'its cluster must be a Kafka cluster id';
  if (api === 'v3' && cluster === undefined) return 'api v3 needs a cluster';
  if (
    topics !== undefined &&
    !(
      Array.isArray(topics) &&
      topics.length > 0 &&
      topics.every((topic) => typeof topic === 'string' && TOPIC_NAME.test(topic))
    )
  )
    return 'its topics must be a list of Kafka topic names';
  return null;
}

function isHttpUrl(url: unknown): boolean {
  try {
    return typeof url === 'string' && /^https?:$/.test(new URL(url).protocol);
  } catch {
    return false;
  }
}

/** `problem`, in one console error: the sink stays off. */
export function sinkInvalid(what: string, problem: string): void {
  console.error(`tabstream: ${what} is invalid: ${problem}. No Kafka sink: nothing is shipped.`);
}

const ATTRIBUTES = {
  url: 'data-kafka-rest',
  api: 'data-kafka-rest-api',
  cluster: 'data-kafka-cluster',
  topics: 'data-kafka-topics',
} as const;

/**
 * The sink the script tag's attributes turn on, if any.
 * - must return undefined without data-kafka-rest, with one console error if another
 *   data-kafka-* attribute is given without it;
 * - must return undefined, with one console error naming the attributes and the problem, for
 *   an invalid sink: a sink is all or nothing.
 */
export function readSinkAttributes(script: DomElement | null): SinkConfig | undefined {
  const text = (key: keyof typeof ATTRIBUTES) => script?.getAttribute(ATTRIBUTES[key]) ?? undefined;
  const url = text('url');
  const others = (['api', 'cluster', 'topics'] as const).filter((key) => text(key) !== undefined);
  if (url === undefined) {
    if (others.length)
      sinkInvalid(`${ATTRIBUTES[others[0]!]} without data-kafka-rest`, 'give the proxy URL');
    return undefined;
  }
  const topics = text('topics')
    ?.split(',')
    .map((topic) => topic.trim())
    .filter(Boolean);
  const api = text('api')?.trim();
  const config = { url: url.trim(), api, cluster: text('cluster')?.trim(), topics };
  const sink = Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined));
  const problem = sinkProblem(sink);
  if (problem === null) return sink as unknown as SinkConfig;
  sinkInvalid(`data-kafka-rest="${url}"`, problem);
  return undefined;
}
