// The sink's counterpart in browser tests: an HTTP produce API in the shapes of Confluent's REST
// Proxy v2 (`POST /topics/{topic}`) and v3 (`POST /v3/clusters/{cluster}/topics/{topic}/records:batch`),
// served by Web Test Runner's own server under `/rest-proxy/{ns}/`, one namespace per test. It
// keeps what it acknowledged in memory, as a broker would, and fails as a test tells it to.
// (The real Kafka behind a real HTTP bridge is test/kafka/, end to end.)
//
// Server command `rest-proxy` (`executeServerCommand('rest-proxy', { ns, op, ... })`):
// - op 'setup', { topics: { name: partitions }, cluster }: a new, empty namespace;
// - op 'faults', { faults: [...] }: how the next produce requests are answered, one fault each:
//   { kind: 'ok' } as usual; { kind: 'status', status, errorCode } that error, nothing kept;
//   { kind: 'hang' } no answer until the client gives up; { kind: 'drop', kept } the connection
//   closed mid-request, after keeping the records if `kept`; { kind: 'partial' } the first half
//   kept, the others answered with a retriable error code (v2 `error_code` 2, v3 a failure);
// - op 'state': { requests, records: { topic: [{ partition, offset, key, value }] }, faults }.

const V2_TYPE = 'application/vnd.kafka.json.v2+json';
const BATCH_LIMIT = 10; // v3's records:batch default limit of entries
const namespaces = new Map();

function setup({ topics = {}, cluster = 'test-cluster' }) {
  const logs = new Map(
    Object.entries(topics).map(([name, partitions]) => [name, { partitions, records: [] }]),
  );
  return { topics: logs, cluster, faults: [], requests: 0 };
}

function command({ ns, op, ...payload }) {
  if (op === 'setup') namespaces.set(ns, setup(payload));
  const space = namespaces.get(ns);
  if (!space) throw new Error(`rest-proxy: no namespace "${ns}"; set it up first`);
  if (op === 'faults') space.faults.push(...payload.faults);
  const records = Object.fromEntries(
    [...space.topics].map(([name, topic]) => [name, topic.records]),
  );
  return { requests: space.requests, records, faults: space.faults.length };
}

export const restProxyPlugin = {
  name: 'rest-proxy',
  executeCommand({ command: name, payload }) {
    if (name === 'rest-proxy') return command(payload);
  },
};

function send(ctx, status, body) {
  ctx.status = status;
  ctx.type = 'application/json';
  ctx.body = JSON.stringify(body);
}

const errorBody = (code, message) => ({ error_code: code, message });

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** Appends records `{ partition, key, value }` to a topic; resolves with their offsets. */
function append(topic, records) {
  return records.map(({ partition, key, value }) => {
    const offset = topic.records.filter((r) => r.partition === partition).length;
    topic.records.push({ partition, offset, key, value });
    return offset;
  });
}

/** The records of a request, checked; or the error to answer with. */
function parse(api, text, topic) {
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    return { error: [400, errorBody(400, 'Unexpected character: not JSON')] };
  }
  const list = api === 'v2' ? body?.records : body?.entries;
  if (!Array.isArray(list) || list.length === 0) {
    return { error: [422, errorBody(42201, `no ${api === 'v2' ? 'records' : 'entries'}`)] };
  }
  if (api === 'v3' && list.length > BATCH_LIMIT) {
    return { error: [400, errorBody(400, `more than ${BATCH_LIMIT} entries in the batch`)] };
  }
  const records = list.map((entry) =>
    api === 'v2'
      ? { partition: entry.partition, key: entry.key ?? null, value: entry.value, id: null }
      : {
          partition: entry.partition_id,
          key: entry.key?.data ?? null,
          value: entry.value?.type === 'JSON' ? entry.value.data : undefined,
          id: entry.id,
        },
  );
  const bad = records.find(
    (r) =>
      !Number.isInteger(r.partition) ||
      r.partition >= topic.partitions ||
      typeof r.value !== 'object',
  );
  if (bad)
    return { error: [422, errorBody(42202, `invalid record for partition ${bad.partition}`)] };
  return { records };
}

function acknowledge(ctx, api, space, name, records, kept) {
  const topic = space.topics.get(name);
  const offsets = append(topic, records.slice(0, kept));
  if (api === 'v2') {
    const entries = records.map((r, i) =>
      i < kept
        ? { partition: r.partition, offset: offsets[i], error_code: null, error: null }
        : { partition: r.partition, offset: null, error_code: 2, error: 'NOT_ENOUGH_REPLICAS' },
    );
    return send(ctx, 200, { key_schema_id: null, value_schema_id: null, offsets: entries });
  }
  const successes = records.slice(0, kept).map((r, i) => ({
    id: r.id,
    cluster_id: space.cluster,
    topic_name: name,
    partition_id: r.partition,
    offset: offsets[i],
  }));
  const failures = records
    .slice(kept)
    .map((r) => ({ id: r.id, error_code: 503, message: 'NOT_ENOUGH_REPLICAS' }));
  return send(ctx, 207, { successes, failures });
}

const ROUTE =
  /^\/rest-proxy\/([^/]+)\/(?:topics\/([^/]+)|v3\/clusters\/([^/]+)\/topics\/([^/]+)\/records:batch)$/;

/** Koa middleware: the produce API under /rest-proxy/{ns}/. */
export async function restProxyMiddleware(ctx, next) {
  const match = ROUTE.exec(ctx.path);
  if (!match) return next();
  const [, ns, v2Topic, cluster, v3Topic] = match;
  const space = namespaces.get(ns);
  if (!space || ctx.method !== 'POST')
    return send(ctx, 405, errorBody(405, 'HTTP 405 Method Not Allowed'));
  const api = v2Topic ? 'v2' : 'v3';
  const name = decodeURIComponent(v2Topic ?? v3Topic);
  space.requests++;
  const text = await readBody(ctx.req);
  const fault = space.faults.shift() ?? { kind: 'ok' };
  if (fault.kind === 'status') {
    return send(
      ctx,
      fault.status,
      errorBody(fault.errorCode ?? fault.status, `injected ${fault.status}`),
    );
  }
  // Never sent: what the dev server's log shows for a request answered with nothing.
  if (fault.kind === 'hang') {
    ctx.status = 504;
    ctx.respond = false;
    return new Promise((resolve) => ctx.req.socket.once('close', resolve));
  }
  const type = ctx.get('Content-Type');
  if (api === 'v2' ? type !== V2_TYPE : type !== 'application/json') {
    return send(ctx, 415, errorBody(415, `HTTP 415 Unsupported Media Type: ${type}`));
  }
  if (api === 'v3' && decodeURIComponent(cluster) !== space.cluster) {
    return send(ctx, 404, errorBody(404, 'Cluster not found'));
  }
  const topic = space.topics.get(name);
  if (!topic)
    return send(ctx, 404, errorBody(40401, 'This server does not host this topic-partition.'));
  const { records, error } = parse(api, text, topic);
  if (error) return send(ctx, ...error);
  if (fault.kind === 'drop') {
    if (fault.kept) append(topic, records);
    ctx.status = 502;
    ctx.respond = false;
    ctx.req.socket.destroy();
    return;
  }
  const kept = fault.kind === 'partial' ? Math.floor(records.length / 2) : records.length;
  return acknowledge(ctx, api, space, name, records, kept);
}
