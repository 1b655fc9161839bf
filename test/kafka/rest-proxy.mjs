// A stand-in for the Confluent REST Proxy's produce API in front of a real Kafka broker (Node
// `http` + kafkajs): test scaffolding, not product. Strimzi's Kafka Bridge, which the issue
// prefers, is not on Maven Central (io.strimzi:kafka-bridge: 404), so CI runs this.
// Speaks v2 and v3 (shapes in rest-shapes.mjs), the CORS preflight, and fault injection:
// `inject(fault)` in Node, or `POST /_faults` with the fault as JSON from a browser test.
import { createServer } from 'node:http';
import kafkajs from 'kafkajs';
import { createFaults } from './faults.mjs';
import {
  RestError,
  V2_RESPONSE_TYPE,
  notFound,
  parseBody,
  route,
  v2Records,
  v2Success,
  v3BatchEntries,
  v3Record,
  v3Success,
} from './rest-shapes.mjs';

const { Kafka, Partitioners, logLevel } = kafkajs;

/** rest-utils' CORS defaults (`access.control.allow.methods`, `…allow.headers`). */
const ALLOW_METHODS = 'GET,POST,PUT,DELETE,OPTIONS,HEAD';
const ALLOW_HEADERS = 'origin,content-type,accept,authorization';

/**
 * Starts the HTTP produce API on 127.0.0.1 (a free port unless `port` is given).
 * Must: answer every record's partition and offset as the broker acknowledged them (acks=all);
 * produce nothing for a request it rejects or a fault that says so; keep a log of the produce
 * requests (`requests`); `stop()` ends hung requests, the server and the producer.
 * @param {{ bootstrap: string, clusterId: string, port?: number, allowOrigin?: string,
 *   maxBatchEntries?: number, maxBodyBytes?: number }} options
 *   `allowOrigin`: `access.control.allow.origin` ('*' by default); `maxBatchEntries`:
 *   `api.v3.produce.batch.maximum.entries` (10); `maxBodyBytes`: larger bodies answer 413
 *   (1 MiB, Kafka's `max.request.size`).
 */
export async function startRestProxy({
  bootstrap,
  clusterId,
  port = 0,
  allowOrigin = '*',
  maxBatchEntries = 10,
  maxBodyBytes = 1024 * 1024,
}) {
  const kafka = new Kafka({
    clientId: 'rest-proxy',
    brokers: [bootstrap],
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await Promise.all([admin.connect(), producer.connect()]);
  // The Java client's partitioner (murmur2 of the key's bytes), as the real proxy's producer.
  const partitioner = Partitioners.DefaultPartitioner();
  const faults = createFaults();
  const requests = [];

  /** The topic's partitions, or a 404 for a topic the broker does not have. */
  async function partitionsOf(api, topic) {
    const topics = await admin.listTopics();
    if (!topics.includes(topic)) throw notFound(api, 'topic');
    const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
    return metadata.partitions;
  }

  /** Produces `records` in order; resolves with each one's {partition, offset, timestamp}. */
  async function produce(api, topic, records) {
    const partitionMetadata = await partitionsOf(api, topic);
    const placed = records.map((record) => {
      const partition =
        record.partition ??
        partitioner({
          topic,
          partitionMetadata,
          message: { key: record.key, value: record.value },
        });
      if (!partitionMetadata.some((p) => p.partitionId === partition)) {
        throw notFound(api, 'partition');
      }
      return { ...record, partition };
    });
    const timestamp = Date.now();
    const results = await producer.send({
      topic,
      acks: -1,
      messages: placed.map(({ key, value, partition }) => ({
        key,
        value,
        partition,
        timestamp: String(timestamp),
      })),
    });
    // One batch per partition, in the request's order: a record's offset is its batch's base
    // offset plus its rank in that partition.
    const next = new Map(results.map((r) => [r.partition, BigInt(r.baseOffset)]));
    return placed.map(({ partition }) => {
      const offset = next.get(partition);
      next.set(partition, offset + 1n);
      return { partition, offset: Number(offset), timestamp };
    });
  }

  /** The answer to a produce request: [status, body, contentType]. */
  async function answer(target, contentType, text) {
    const body = parseBody(target.api, contentType, text);
    if (target.api === 'v2') {
      return [200, v2Success(await produce('v2', target.topic, v2Records(body))), V2_RESPONSE_TYPE];
    }
    if (target.cluster !== clusterId) {
      throw new RestError(404, 404, `Cluster ${target.cluster} cannot be found.`);
    }
    if (target.api === 'v3') {
      const record = v3Record(body);
      const [acked] = await produce('v3', target.topic, [record]);
      return [200, { error_code: 200, ...v3Success(clusterId, target.topic, record, acked) }];
    }
    const entries = v3BatchEntries(body, maxBatchEntries);
    try {
      const acked = await produce('v3', target.topic, entries);
      const successes = entries.map((entry, i) => ({
        id: entry.id,
        ...v3Success(clusterId, target.topic, entry, acked[i]),
      }));
      return [207, { successes, failures: [] }];
    } catch (error) {
      if (!(error instanceof RestError)) throw error;
      // A batch reports a failed entry in its body, with 207, as the real proxy does.
      const failures = entries.map(({ id }) => ({ id, ...error.body }));
      return [207, { successes: [], failures }];
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

  function send(response, status, body, contentType = 'application/json') {
    const text = JSON.stringify(body);
    response.writeHead(status, {
      'Content-Type': contentType,
      'Content-Length': Buffer.byteLength(text),
    });
    response.end(text);
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

  async function handle(request, response) {
    cors(request, response);
    const { pathname } = new URL(request.url, 'http://localhost');
    if (request.method === 'OPTIONS') {
      response.setHeader('Access-Control-Allow-Methods', ALLOW_METHODS);
      response.setHeader('Access-Control-Allow-Headers', ALLOW_HEADERS);
      response.setHeader('Access-Control-Max-Age', '600');
      response.writeHead(204).end();
      return;
    }
    const text = await readBody(request);
    if (pathname === '/_faults' && request.method === 'POST') {
      try {
        faults.inject(JSON.parse(text ?? ''));
        response.writeHead(204).end();
      } catch (error) {
        send(response, 400, { error_code: 400, message: error.message });
      }
      return;
    }
    if (pathname === '/_faults' && request.method === 'DELETE') {
      faults.clear();
      response.writeHead(204).end();
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
    if (fault?.kind === 'status') {
      logged.status = fault.status;
      if (fault.retryAfter !== undefined)
        response.setHeader('Retry-After', String(fault.retryAfter));
      const code = target.api === 'v2' ? fault.status * 100 + 1 : fault.status;
      send(response, fault.status, { error_code: code, message: `injected ${fault.status}` });
      return;
    }
    let status;
    let body;
    let contentType;
    try {
      if (text === undefined) throw new RestError(413, 413, 'HTTP 413 Request Entity Too Large');
      [status, body, contentType] = await answer(target, request.headers['content-type'], text);
    } catch (error) {
      if (error instanceof RestError) {
        [status, body] = [error.status, error.body];
      } else {
        // The broker failed the produce: the client may retry (Kafka error, 50002 in v2).
        [status, body] = [
          500,
          {
            error_code: target.api === 'v2' ? 50002 : 500,
            message: `Kafka error: ${error.message}`,
          },
        ];
      }
    }
    logged.status = status;
    if (fault?.kind === 'drop-after-produce') {
      request.socket.destroy();
      return;
    }
    send(response, status, body, contentType);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error) => {
      if (!response.headersSent) send(response, 500, { error_code: 500, message: error.message });
    });
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));

  return {
    url: `http://127.0.0.1:${server.address().port}`,
    /** @param {import('./faults.mjs').Fault} fault */
    inject: (fault) => faults.inject(fault),
    clearFaults: () => faults.clear(),
    /** The produce requests so far: {api, topic, status (0: no answer), fault}. */
    requests,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await Promise.all([producer.disconnect(), admin.disconnect()]);
    },
  };
}
