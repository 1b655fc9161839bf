// A stand-in for the Confluent REST Proxy's produce API in front of a real Kafka broker (Node
// `http` + kafkajs): test scaffolding, not product. Strimzi's Kafka Bridge, which the issue
// prefers, is not on Maven Central (io.strimzi:kafka-bridge: 404), so CI runs this.
// The API (v2, v3, CORS, errors, faults) is produce-api.mjs; here is its store, the broker, and
// its server. Faults: `inject(fault)` in Node, or `POST /_faults` with the fault as JSON.
import { createServer } from 'node:http';
import kafkajs from 'kafkajs';
import { createProduceApi } from './produce-api.mjs';

const { Kafka, logLevel } = kafkajs;

/**
 * The broker as the produce API's store (produce-api.mjs' RecordStore): acks=all, no topic
 * created by a produce.
 */
function kafkaStore(admin, producer) {
  return {
    async partitions(topic) {
      const topics = await admin.listTopics();
      if (!topics.includes(topic)) return undefined;
      const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
      return metadata.partitions;
    },
    async append(topic, records) {
      const timestamp = Date.now();
      const results = await producer.send({
        topic,
        acks: -1,
        messages: records.map(({ key, value, partition }) => ({
          key,
          value,
          partition,
          timestamp: String(timestamp),
        })),
      });
      // One batch per partition, in the request's order: a record's offset is its batch's base
      // offset plus its rank in that partition.
      const next = new Map(results.map((r) => [r.partition, BigInt(r.baseOffset)]));
      return records.map(({ partition }) => {
        const offset = next.get(partition);
        next.set(partition, offset + 1n);
        return { partition, offset: Number(offset), timestamp };
      });
    },
  };
}

/**
 * Starts the HTTP produce API on 127.0.0.1 (a free port unless `port` is given) in front of the
 * broker at `bootstrap`.
 * Must: `stop()` ends hung requests, the server and the producer.
 * @param {{ bootstrap: string, clusterId: string, port?: number, allowOrigin?: string,
 *   maxBatchEntries?: number, maxBodyBytes?: number }} options the API's options
 *   (produce-api.mjs) besides where it listens and which broker it produces to.
 */
export async function startRestProxy({ bootstrap, port = 0, ...options }) {
  const kafka = new Kafka({
    clientId: 'rest-proxy',
    brokers: [bootstrap],
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await Promise.all([admin.connect(), producer.connect()]);
  const api = createProduceApi({ ...options, store: kafkaStore(admin, producer) });

  const server = createServer((request, response) => {
    void api.handle(request, response, new URL(request.url, 'http://localhost').pathname);
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));

  return {
    url: `http://127.0.0.1:${server.address().port}`,
    /** @param {import('./faults.mjs').Fault} fault */
    inject: (fault) => api.faults.inject(fault),
    clearFaults: () => api.faults.clear(),
    /** The produce requests so far: {api, topic, status (0: no answer), fault}. */
    requests: api.requests,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await Promise.all([producer.disconnect(), admin.disconnect()]);
    },
  };
}
