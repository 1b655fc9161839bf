// The REST Proxy stand-in's request handling, once for both of its uses: in front of the real
// Kafka (rest-proxy.mjs, a kafkajs store behind Node `http`) and in the sink's browser tests
// (test/browser/sink/rest-proxy.mjs, an in-memory store behind Web Test Runner's server).
// Routing, CORS, the request body's limit, the faults and the answers are here; the shapes are
// rest-shapes.mjs; where the records go is the store's.
import kafkajs from 'kafkajs';
import { createFaults } from './faults.mjs';
import {
  RestError,
  V2_RESPONSE_TYPE,
  injectedError,
  notFound,
  parseBody,
  route,
  v2Records,
  v2Success,
  v3BatchEntries,
  v3Failure,
  v3NotTaken,
  v3Record,
  v3Success,
} from './rest-shapes.mjs';

/**
 * @typedef {{ key: string | Buffer | null, value: string | Buffer | null, partition: number }} Placed
 * @typedef {object} RecordStore where the produced records go
 * @property {(topic: string) => Promise<{ partitionId: number, leader: number }[] | undefined>}
 *   partitions  the topic's partitions (kafkajs' metadata), undefined for a topic not hosted
 * @property {(topic: string, records: Placed[]) => Promise<{ partition: number, offset: number,
 *   timestamp: number }[]>} append  must: append in order, each acknowledged as acks=all would
 */

/** rest-utils' CORS defaults (`access.control.allow.methods`, `…allow.headers`). */
const ALLOW_METHODS = 'GET,POST,PUT,DELETE,OPTIONS,HEAD';
const ALLOW_HEADERS = 'origin,content-type,accept,authorization';

// The Java client's partitioner (murmur2 of the key's bytes), as the real proxy's producer.
const partitioner = kafkajs.Partitioners.DefaultPartitioner();

/**
 * The produce API over `store`. `handle(request, response, pathname)` serves one Node request.
 * Must: answer every record's partition and offset as the store acknowledged them; produce
 * nothing for a request it rejects or a fault that says so; log each produce request
 * (`requests`: {api, topic, status (0: no answer), fault}).
 * @param {{ store: RecordStore, clusterId: string, allowOrigin?: string,
 *   maxBatchEntries?: number, maxBodyBytes?: number }} options
 *   `allowOrigin`: `access.control.allow.origin` ('*' by default); `maxBatchEntries`:
 *   `api.v3.produce.batch.maximum.entries` (10); `maxBodyBytes`: larger bodies answer 413
 *   (1 MiB, Kafka's `max.request.size`).
 */
export function createProduceApi({
  store,
  clusterId,
  allowOrigin = '*',
  maxBatchEntries = 10,
  maxBodyBytes = 1024 * 1024,
}) {
  const faults = createFaults();
  const requests = [];

  /**
   * Places `records` on partitions and appends the first `taken` of them; resolves with each
   * one's {partition, offset (null if not taken), timestamp}.
   */
  async function produce(api, topic, records, taken = records.length) {
    const partitionMetadata = await store.partitions(topic);
    if (!partitionMetadata) throw notFound(api, 'topic');
    const placed = records.map(({ key, value, partition }) => {
      const chosen =
        partition ?? partitioner({ topic, partitionMetadata, message: { key, value } });
      if (!partitionMetadata.some((p) => p.partitionId === chosen)) {
        throw notFound(api, 'partition');
      }
      return { key, value, partition: chosen };
    });
    const acked = taken > 0 ? await store.append(topic, placed.slice(0, taken)) : [];
    return placed.map(({ partition }, i) => acked[i] ?? { partition, offset: null });
  }

  /** The answer to a produce request: [status, body, contentType]. */
  async function answer(target, contentType, text, partial) {
    const body = parseBody(target.api, contentType, text);
    const taken = (records) => (partial ? Math.floor(records.length / 2) : records.length);
    if (target.api === 'v2') {
      const records = v2Records(body);
      const results = await produce('v2', target.topic, records, taken(records));
      return [200, v2Success(results), V2_RESPONSE_TYPE];
    }
    if (target.cluster !== clusterId) {
      throw new RestError(404, 404, `Cluster ${target.cluster} cannot be found.`);
    }
    if (target.api === 'v3') {
      const record = v3Record(body);
      const [acked] = await produce('v3', target.topic, [record], taken([record]));
      if (acked.offset === null) throw v3NotTaken();
      return [200, { error_code: 200, ...v3Success(clusterId, target.topic, record, acked) }];
    }
    const entries = v3BatchEntries(body, maxBatchEntries);
    try {
      const results = await produce('v3', target.topic, entries, taken(entries));
      const successes = [];
      const failures = [];
      entries.forEach(({ id }, i) => {
        if (results[i].offset === null) failures.push(v3Failure(id));
        else successes.push({ id, ...v3Success(clusterId, target.topic, entries[i], results[i]) });
      });
      return [207, { successes, failures }];
    } catch (error) {
      if (!(error instanceof RestError)) throw error;
      // A batch reports a failed entry in its body, with 207, as the real proxy does.
      const failures = entries.map(({ id }) => ({ id, ...error.body }));
      return [207, { successes: [], failures }];
    }
  }

  /** The answer, or the error one: a RestError's, else the broker's (retriable: v2 50002). */
  async function answerOrError(target, request, text, fault) {
    try {
      if (fault?.kind === 'status') throw injectedError(target.api, fault);
      if (text === undefined) throw new RestError(413, 413, 'HTTP 413 Request Entity Too Large');
      return await answer(target, request.headers['content-type'], text, fault?.kind === 'partial');
    } catch (error) {
      if (error instanceof RestError) return [error.status, error.body];
      const code = target.api === 'v2' ? 50002 : 500;
      return [500, { error_code: code, message: `Kafka error: ${error.message}` }];
    }
  }

  function cors(request, response) {
    const origin = request.headers.origin;
    if (!origin) return;
    const allowed = allowOrigin === '*' || allowOrigin.split(',').includes(origin);
    if (!allowed) return;
    response.setHeader('Access-Control-Allow-Origin', allowOrigin === '*' ? '*' : origin);
    response.setHeader('Vary', 'Origin');
  }

  /** Reads the body; undefined once it passed `maxBodyBytes` (then it is drained, not kept). */
  async function readBody(request) {
    const chunks = [];
    let length = 0;
    for await (const chunk of request) {
      length += chunk.length;
      if (length <= maxBodyBytes) chunks.push(chunk);
    }
    return length > maxBodyBytes ? undefined : Buffer.concat(chunks).toString('utf8');
  }

  /** `POST /_faults` injects the fault in its body, `DELETE /_faults` clears them. */
  function control(request, response, text) {
    if (request.method === 'DELETE') {
      faults.clear();
      return response.writeHead(204).end();
    }
    try {
      faults.inject(JSON.parse(text ?? ''));
      response.writeHead(204).end();
    } catch (error) {
      send(response, 400, { error_code: 400, message: error.message });
    }
  }

  async function serve(request, response, pathname) {
    cors(request, response);
    if (request.method === 'OPTIONS') {
      response.setHeader('Access-Control-Allow-Methods', ALLOW_METHODS);
      response.setHeader('Access-Control-Allow-Headers', ALLOW_HEADERS);
      response.setHeader('Access-Control-Max-Age', '600');
      response.writeHead(204).end();
      return;
    }
    const text = await readBody(request);
    if (pathname === '/_faults' && ['POST', 'DELETE'].includes(request.method)) {
      control(request, response, text);
      return;
    }
    const target = request.method === 'POST' ? route(pathname) : undefined;
    if (!target) {
      send(response, 404, { error_code: 404, message: 'HTTP 404 Not Found' });
      return;
    }
    const fault = faults.next();
    const logged = { api: target.api, topic: target.topic, status: 0, fault: fault?.kind };
    requests.push(logged);
    if (fault?.kind === 'hang') return;
    if (fault?.kind === 'drop') {
      request.socket.destroy();
      return;
    }
    const [status, body, contentType] = await answerOrError(target, request, text, fault);
    logged.status = status;
    if (fault?.kind === 'drop-after-produce') {
      request.socket.destroy();
      return;
    }
    if (fault?.kind === 'status' && fault.retryAfter !== undefined) {
      response.setHeader('Retry-After', String(fault.retryAfter));
    }
    send(response, status, body, contentType);
  }

  return {
    faults,
    requests,
    /** Serves one request (`pathname`: the API's path, without a prefix it is mounted under). */
    handle(request, response, pathname) {
      return serve(request, response, pathname).catch((error) => {
        if (!response.headersSent) send(response, 500, { error_code: 500, message: error.message });
      });
    },
  };
}

function send(response, status, body, contentType = 'application/json') {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
  });
  response.end(text);
}
