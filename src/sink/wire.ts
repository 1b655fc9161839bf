import type { ConsumerRecord } from '../log';
import type { ResolvedSinkOptions } from './options';

/** What a proxy's answer to a produce request means. */
export type Outcome =
  { readonly ok: true } | { readonly ok: false; readonly fatal: boolean; readonly error: string };

/** One HTTP produce API's shapes: where a topic's records go, and how they are written and acknowledged. */
export interface Wire {
  readonly contentType: string;
  readonly accept: string;
  url(topic: string): string;
  /** The body's text before and after the entries (joined by commas). */
  readonly open: string;
  readonly close: string;
  /** A record's entry, the `index`-th of its request; its value is the event plus `_id`. */
  entry(record: ConsumerRecord, id: string, index: number): string;
  /** What a 2xx answer's body says about the request's `count` records. */
  acknowledged(body: unknown, count: number): Outcome;
}

/** The wire of the configured API (see the sink's docs for the shapes). */
export function wireOf({ api, url, cluster }: ResolvedSinkOptions): Wire {
  return api === 'v2' ? v2(url) : v3(url, cluster);
}

/**
 * REST Proxy v2 (and Redpanda's and Strimzi's bridges): `POST /topics/{topic}` with
 * `{records: [{key, value, partition}]}`, answered `{offsets: [{partition, offset, error_code,
 * error}]}`, one offset per record, each with its own error code.
 */
function v2(url: string): Wire {
  return {
    contentType: 'application/vnd.kafka.json.v2+json',
    accept: 'application/vnd.kafka.v2+json, application/json',
    url: (topic) => `${url}/topics/${encodeURIComponent(topic)}`,
    open: '{"records":[',
    close: ']}',
    entry: ({ key, value, partition }, _id) =>
      JSON.stringify({ key, value: { ...value, _id }, partition }),
    acknowledged(body, count) {
      const offsets = (body as { offsets?: unknown } | null)?.offsets;
      if (!Array.isArray(offsets) || offsets.length !== count) return malformed('offsets');
      return failureOf(offsets as ErrorBody[]);
    },
  };
}

/**
 * REST Proxy v3: `POST /v3/clusters/{cluster}/topics/{topic}/records:batch` with `{entries:
 * [{id, partition_id, key, value, timestamp}]}` (JSON data), answered 207 with `{successes:
 * [{id, …}], failures: [{id, error_code, message}]}`.
 */
function v3(url: string, cluster: string): Wire {
  const base = `${url}/v3/clusters/${encodeURIComponent(cluster)}/topics/`;
  return {
    contentType: 'application/json',
    accept: 'application/json',
    url: (topic) => `${base}${encodeURIComponent(topic)}/records:batch`,
    open: '{"entries":[',
    close: ']}',
    entry: ({ key, value, partition, timestamp }, _id, index) =>
      JSON.stringify({
        id: String(index),
        partition_id: partition,
        ...(key === null ? {} : { key: { type: 'JSON', data: key } }),
        value: { type: 'JSON', data: { ...value, _id } },
        timestamp: new Date(timestamp).toISOString(),
      }),
    acknowledged(body, count) {
      const { successes, failures } = (body ?? {}) as { successes?: unknown; failures?: unknown };
      if (!Array.isArray(successes) || !Array.isArray(failures)) return malformed('entries');
      if (failures.length > 0) return failureOf(failures as ErrorBody[]);
      return successes.length === count ? { ok: true } : malformed('entries');
    },
  };
}

/** An error as the proxies write it: `{error_code, message}` (v2 records: `error`). */
interface ErrorBody {
  readonly error_code?: unknown;
  readonly message?: unknown;
  readonly error?: unknown;
}

/** The answer of a request that failed as a whole: its HTTP status decides. */
export function rejected(status: number, body: unknown): Outcome {
  const { error_code: code, message, error } = (body ?? {}) as ErrorBody;
  const detail = [textOf(code), textOf(message ?? error)].filter(Boolean).join(' ');
  return {
    ok: false,
    fatal: !retriable(status),
    error: `HTTP ${status}${detail ? ` (${detail})` : ''}`,
  };
}

/** Ok if no entry has an error code; else the first failure, fatal if any failure can never succeed. */
function failureOf(entries: readonly ErrorBody[]): Outcome {
  const failed = entries.filter((entry) => entry?.error_code != null);
  const first = failed[0];
  if (!first) return { ok: true };
  const fatal = failed.some((entry) => !retriable(Number(entry.error_code)));
  const reason = `${textOf(first.error_code)} ${textOf(first.message ?? first.error)}`.trim();
  return {
    ok: false,
    fatal,
    error: `${failed.length} of ${entries.length} records failed: ${reason}`,
  };
}

/** A code or message of an answer, as text (at most 200 characters); '' if it is neither. */
function textOf(value: unknown): string {
  const text = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  return text.slice(0, 200);
}

function malformed(what: string): Outcome {
  return {
    ok: false,
    fatal: true,
    error: `the answer has no ${what} for its records: not a produce API?`,
  };
}

/**
 * Whether a failure may succeed if sent again: 408, 429, 5xx and REST Proxy v2's code 2
 * (retriable Kafka exception) may; code 1 and any other 4xx (unknown topic, 413, 415, 422)
 * never will. REST Proxy's 5-digit codes name their HTTP status first (40401 → 404).
 */
export function retriable(code: number): boolean {
  if (code === 1 || code === 2) return code === 2;
  const status = code >= 10_000 ? Math.floor(code / 100) : code;
  return status < 400 || status === 408 || status === 429 || status >= 500;
}
