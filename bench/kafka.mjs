// The Node half of suite `sink`: the real Kafka (test/kafka's one KRaft node and its HTTP produce
// API), started on a page's first `kafka-start` command only (no other suite starts a JVM), and
// the measures that must run next to the broker: kafkajs producing straight to it (the
// baseline), and the broker's append time of each shipped record (the latency).
// bench/run.mjs hands the page `benchCommand(name, payload)`, which calls `command` below.
import kafkajs from 'kafkajs';
import { readTopic, startCluster } from '../test/kafka/cluster.mjs';

const { Kafka, logLevel } = kafkajs;

/** Records per kafkajs `send` of the baseline: the sink's default records per request (v2). */
const BASELINE_BATCH = 500;

/**
 * The commands of a page of suite `sink`, over one cluster started on the first `kafka-start`.
 * Must: start at most one cluster; `stop()` stops it (and its clients) if it started, and is a
 * no-op otherwise.
 */
export function kafkaCommands() {
  /** @type {Promise<{ cluster: Awaited<ReturnType<typeof startCluster>>, kafka: import('kafkajs').Kafka, admin: import('kafkajs').Admin }> | undefined} */
  let starting;
  const started = () => {
    if (!starting) throw new Error('kafka-start first');
    return starting;
  };
  const commands = {
    async 'kafka-start'() {
      starting ??= start();
      const { cluster } = await starting;
      return { restUrl: cluster.restUrl, timings: cluster.timings };
    },
    /**
     * Creates `name` with `partitions`; with `logAppendTime`, each record's timestamp is the
     * broker's clock when it appended it (`message.timestamp.type=LogAppendTime`).
     */
    async 'kafka-topic'({ name, partitions, logAppendTime = false }) {
      const { admin } = await started();
      const configEntries = logAppendTime
        ? [{ name: 'message.timestamp.type', value: 'LogAppendTime' }]
        : [];
      await admin.createTopics({
        topics: [{ topic: name, numPartitions: partitions, replicationFactor: 1, configEntries }],
        waitForLeaders: true,
      });
      return true;
    },
    /**
     * Reads every record the sink shipped to `from` (checking that it holds `count` distinct
     * `_id`s), then times kafkajs producing the same records (same key and value bytes, same
     * partitions) to a new topic `to`, `BASELINE_BATCH` records a send, one send at a time,
     * acks=all as the HTTP proxy produces. Resolves with records/s.
     */
    async 'kafka-baseline'({ from, to, partitions, count }) {
      const { kafka, admin } = await started();
      const records = distinct(await readTopic(kafka, admin, from), count);
      await commands['kafka-topic']({ name: to, partitions });
      const producer = kafka.producer({ allowAutoTopicCreation: false });
      await producer.connect();
      try {
        const batches = [];
        for (let i = 0; i < records.length; i += BASELINE_BATCH)
          batches.push(
            records
              .slice(i, i + BASELINE_BATCH)
              .map(({ key, value, partition }) => ({ key, value, partition })),
          );
        const start = performance.now();
        for (const messages of batches) await producer.send({ topic: to, acks: -1, messages });
        const ms = performance.now() - start;
        return records.length / (ms / 1000);
      } finally {
        await producer.disconnect();
      }
    },
    /**
     * For each distinct record of `topic` (a topic created with `logAppendTime`): the ms from its
     * value's `ts` (the page's clock when it appended the click) to the broker's append. Checks
     * that the topic holds `count` distinct `_id`s; a duplicate counts at its first append.
     */
    async 'kafka-latencies'({ topic, count }) {
      const { kafka, admin } = await started();
      return distinct(await readTopic(kafka, admin, topic), count).map(
        ({ value, timestamp }) => timestamp - JSON.parse(value).ts,
      );
    },
  };
  return {
    /** Runs command `name`; an unknown name throws. */
    async command(name, payload) {
      const run = commands[name];
      if (!run) throw new Error(`no bench command ${name}`);
      return run(payload ?? {});
    },
    async stop() {
      const running = starting;
      starting = undefined;
      // A cluster that failed to start stopped itself (startCluster), and failed its command.
      const started = await running?.catch(() => null);
      if (!started) return;
      const { cluster, admin } = started;
      try {
        await admin.disconnect();
      } finally {
        await cluster.stop();
      }
    },
  };
}

async function start() {
  const cluster = await startCluster();
  const kafka = new Kafka({
    clientId: 'tabstream-bench',
    brokers: [cluster.bootstrap],
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return { cluster, kafka, admin };
}

/**
 * The first record of each `_id` (the broker's order per partition), throwing unless there are
 * `count` of them: the sink shipped every record (at least once).
 */
function distinct(records, count) {
  const seen = new Set();
  const first = records.filter((record) => {
    const id = JSON.parse(record.value)._id;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  if (first.length !== count) {
    throw new Error(`Kafka holds ${first.length} distinct records of ${count} shipped`);
  }
  return first;
}
