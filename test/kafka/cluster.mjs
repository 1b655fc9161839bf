// The real systems the sink is tested against, started once per test run: one KRaft node of
// Apache Kafka and the HTTP produce API in front of it (rest-proxy.mjs).
// In a test: `const cluster = await startCluster()`, …, `await cluster.stop()`.
// By hand, or from a CI step / a browser test's global setup: `node test/kafka/cluster.mjs`
// prints one JSON line {bootstrap, restUrl, clusterId} and runs until SIGINT/SIGTERM.
import kafkajs from 'kafkajs';
import { startBroker } from './broker.mjs';
import { install } from './paths.mjs';
import { startRestProxy } from './rest-proxy.mjs';
import { jsonOrText } from './rest-shapes.mjs';

const { Kafka, logLevel } = kafkajs;

/** Everything started and not yet stopped, for the exit hooks. */
const running = new Set();
let hooked = false;

/** The JVMs must not outlive the run: a failing test, an exception, Ctrl-C. */
function hookExit() {
  if (hooked) return;
  hooked = true;
  process.once('exit', () => running.forEach((broker) => broker.kill()));
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      Promise.allSettled([...running].map((broker) => broker.stop())).then(() => process.exit(130));
    });
  }
}

/** Connects `admin`, retrying until the broker answers; fails at once if the JVM exits. */
async function waitForBroker(broker, admin) {
  let exited = false;
  broker.exited.then(() => (exited = true));
  for (;;) {
    if (exited) throw new Error(`Kafka exited while starting:\n${broker.log().slice(-4000)}`);
    try {
      await admin.connect();
      await admin.describeCluster();
      return;
    } catch {
      // Not listening yet: kafkajs' own retry backoff paced this attempt.
    }
  }
}

/**
 * Starts one Kafka node and the HTTP produce API; runs install.sh first (a no-op when cached).
 * Must: resolve only once the broker answers; always stop the JVM (`stop()`, or the process's
 * exit); give each phase's duration in `timings` (ms).
 * @param {{ restProxy?: Parameters<typeof startRestProxy>[0] }} [options] the REST proxy's
 *   options besides bootstrap and clusterId (allowOrigin, maxBatchEntries, …).
 */
export async function startCluster(options = {}) {
  const timings = {};
  let t = performance.now();
  const lap = (name) => {
    const now = performance.now();
    timings[name] = Math.round(now - t);
    t = now;
  };
  install();
  lap('install');
  hookExit();
  const broker = await startBroker();
  running.add(broker);
  const kafka = new Kafka({
    clientId: 'tabstream-test',
    brokers: [broker.bootstrap],
    logLevel: logLevel.NOTHING,
    retry: { initialRetryTime: 100, maxRetryTime: 1000, retries: 10 },
  });
  const admin = kafka.admin();
  let proxy;
  try {
    await waitForBroker(broker, admin);
    lap('kafka');
    proxy = await startRestProxy({
      ...options.restProxy,
      bootstrap: broker.bootstrap,
      clusterId: broker.clusterId,
    });
    lap('restProxy');
  } catch (error) {
    await admin.disconnect();
    await broker.stop();
    running.delete(broker);
    throw error;
  }

  return {
    bootstrap: broker.bootstrap,
    restUrl: proxy.url,
    clusterId: broker.clusterId,
    timings,
    /** The produce requests the proxy saw, for assertions on retries. */
    requests: proxy.requests,
    /** @param {import('./faults.mjs').Fault} fault the next produce request(s) fail so */
    inject: (fault) => proxy.inject(fault),
    clearFaults: () => proxy.clearFaults(),
    /** Creates the topics (if missing), each with `partitions` partitions. */
    async createTopics(names, partitions = 1) {
      await admin.createTopics({
        topics: names.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
        waitForLeaders: true,
      });
    },
    /** Every record of `topic`, read from the beginning up to the end it has now. */
    readAll: (topic) => readAll(kafka, admin, topic),
    async stop() {
      try {
        await proxy.stop();
        await admin.disconnect();
      } finally {
        await broker.stop();
        running.delete(broker);
      }
    },
  };
}

/**
 * Reads `topic` from offset 0 to each partition's high watermark now, with a consumer of a
 * fresh group. Records come as {partition, offset, key, value} (key and value as strings, value
 * parsed as JSON when it is), in offset order per partition.
 */
async function readAll(kafka, admin, topic) {
  const records = await readTopic(kafka, admin, topic);
  return records.map(({ timestamp: _, value, ...record }) => ({
    ...record,
    value: jsonOrText(value),
  }));
}

/**
 * Every record of `topic` from offset 0 to each partition's high watermark now, read by a
 * consumer of a fresh group, batch by batch (fast for the bench's 200,000): {partition, offset,
 * key, value, timestamp}, key and value as the broker's bytes decoded (Buffer for the value),
 * timestamp in ms, in offset order per partition.
 */
export async function readTopic(kafka, admin, topic) {
  const ends = await admin.fetchTopicOffsets(topic);
  const remaining = new Map(ends.map((e) => [e.partition, BigInt(e.high)]));
  for (const [partition, high] of remaining) if (high === 0n) remaining.delete(partition);
  const records = [];
  if (remaining.size === 0) return records;
  const consumer = kafka.consumer({ groupId: `read-${topic}-${process.hrtime.bigint()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise((resolve, reject) => {
      consumer
        .run({
          eachBatch: async ({ batch }) => {
            const high = remaining.get(batch.partition);
            if (high === undefined) return;
            for (const message of batch.messages) {
              if (BigInt(message.offset) >= high) break;
              records.push({
                partition: batch.partition,
                offset: Number(message.offset),
                key: message.key?.toString('utf8') ?? null,
                value: message.value,
                timestamp: Number(message.timestamp),
              });
            }
            const last = batch.messages.at(-1);
            if (last && BigInt(last.offset) + 1n >= high) remaining.delete(batch.partition);
            if (remaining.size === 0) resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return records.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}

// `node test/kafka/cluster.mjs [topic,topic…] [partitions]`: starts, creates the topics, prints
// where they are, and stops on SIGINT/SIGTERM (the exit hooks above). KAFKA_REST_PORT fixes the
// HTTP API's port (8082, as Redpanda's), for a page whose data-kafka-rest names it.
if (import.meta.url === `file://${process.argv[1]}`) {
  const topics = (process.argv[2] ?? 'clicks,pageviews,events').split(',');
  const port = Number(process.env.KAFKA_REST_PORT ?? 0);
  const cluster = await startCluster({ restProxy: { port } });
  await cluster.createTopics(topics, Number(process.argv[3] ?? 1));
  const { bootstrap, restUrl, clusterId, timings } = cluster;
  console.log(JSON.stringify({ bootstrap, restUrl, clusterId, topics, timings }));
}
