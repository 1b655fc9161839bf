// The sink's counterpart in browser tests: the REST Proxy stand-in's produce API
// (test/kafka/produce-api.mjs, the same as in front of the real Kafka) over an in-memory store,
// served by Web Test Runner's own server under `/rest-proxy/{ns}/`, one namespace per test.
// (The real Kafka behind it is test/kafka/, end to end.)
//
// Server command `rest-proxy` (`executeServerCommand('rest-proxy', { ns, op, ... })`):
// - op 'setup', { topics: { name: partitions }, cluster }: a new, empty namespace;
// - op 'faults', { faults: [...] }: how the next produce requests are answered, one fault each
//   (test/kafka/faults.mjs);
// - op 'state': { requests, records: { topic: [{ partition, offset, key, value }] }, faults }.
import { memoryStore } from '../../kafka/memory-store.mjs';
import { createProduceApi } from '../../kafka/produce-api.mjs';

/** ns → { api, store } */
const namespaces = new Map();

function setup({ topics = {}, cluster = 'test-cluster' }) {
  const store = memoryStore(topics);
  return { store, api: createProduceApi({ store, clusterId: cluster }) };
}

function command({ ns, op, ...payload }) {
  if (op === 'setup') namespaces.set(ns, setup(payload));
  const space = namespaces.get(ns);
  if (!space) throw new Error(`rest-proxy: no namespace "${ns}"; set it up first`);
  const { api, store } = space;
  if (op === 'faults') payload.faults.forEach((fault) => api.faults.inject(fault));
  return { requests: api.requests.length, records: store.records(), faults: api.faults.pending };
}

export const restProxyPlugin = {
  name: 'rest-proxy',
  executeCommand({ command: name, payload }) {
    if (name === 'rest-proxy') return command(payload);
  },
};

const MOUNT = /^\/rest-proxy\/([^/]+)(\/.*)$/;

/** Koa middleware: the produce API under /rest-proxy/{ns}/, answered by Node's own response. */
export async function restProxyMiddleware(ctx, next) {
  const match = MOUNT.exec(ctx.path);
  const space = match && namespaces.get(match[1]);
  if (!space) return next();
  ctx.respond = false;
  await space.api.handle(ctx.req, ctx.res, match[2]);
  // A hang or a drop answered nothing: what the server's log then shows (not a missing file's 404).
  if (!ctx.res.headersSent) ctx.status = 502;
}
