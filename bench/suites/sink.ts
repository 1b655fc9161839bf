// Suite `sink`: the Kafka sink (src/sink) shipping the log to a real Kafka broker through the HTTP
// produce API (test/kafka: one KRaft node, the REST Proxy v2 stand-in), started by bench/run.mjs
// on this page's `kafka-start` (bench/kafka.mjs) and stopped after the suite.
// - ship-rate: a backlog of 200,000 tracker-shaped clicks appended to the log first (4
//   partitions, keyed by tab), then the time from `sink.start()` until the sink's committed
//   offsets reach the end of every partition; baseline: kafkajs in Node producing the same
//   records (read back from the topic the sink filled: same key and value bytes, same
//   partitions) straight to the broker, 500 a send, one send at a time, acks=all.
// - ship-latency-p50/p99: clicks appended at 200/s for 20 s while the sink runs with its default
//   settings; per click, the ms from its `ts` (Date.now() just before the log's Producer got it)
//   to the broker's append time of its record (a topic with message.timestamp.type=
//   LogAppendTime; one broker, so the acknowledgement follows at once). Same machine, one clock.
// Short mode (`npm test`) starts no JVM: it appends a few clicks to the log and skips, saying so.
import { deleteDB } from 'idb';
import { ensureTopic, openLog, partitionsOf, Producer, type PartitionState } from '../../src/log';
import { sleep } from '../../src/shared';
import { KafkaRestSink, type SinkStatus } from '../../src/sink';
import { trackerClick } from '../tracker-clicks';
import { collectGarbage, type Figure, type SuiteOptions } from './figure';

declare global {
  /** bench/run.mjs's bridge to bench/kafka.mjs, in Node. */
  var benchCommand: ((name: string, payload?: object) => Promise<unknown>) | undefined;
}

const params = new URL(location.href).searchParams;
/** Clicks of the backlog: `?backlog=`, or 200,000. */
const BACKLOG = Number(params.get('backlog') ?? 200_000);
/** How long clicks come at LATENCY_RATE: `?seconds=`, or 20. */
const LATENCY_SECONDS = Number(params.get('seconds') ?? 20);
const LATENCY_RATE = 200;
const PARTITIONS = 4;
/** The pipeline's producer's linger (src/pipeline): a click waits this long for others. */
const CLICK_LINGER_MS = 20;
/** How often the page looks at the sink's committed offsets: small next to what it measures. */
const STATUS_POLL_MS = 5;
const PRODUCE_TICK_MS = 5;

function command<T>(name: string, payload?: object): Promise<T> {
  if (!globalThis.benchCommand) throw new Error('no benchCommand: run by `npm run bench -- sink`');
  return globalThis.benchCommand(name, payload) as Promise<T>;
}

/** Creates the log's topic and appends `n` clicks to it; resolves with its partitions' ends. */
async function appendBacklog(log: string, topic: string, n: number): Promise<PartitionState[]> {
  const db = await openLog(log);
  try {
    await ensureTopic(db, { name: topic, partitions: PARTITIONS });
    const producer = new Producer({ log, spillOnHide: false });
    const ts = Date.now();
    for (let i = 0; i < n; i++) {
      const { key, value } = trackerClick(i, ts + i);
      void producer.send(topic, value, key);
    }
    await producer.close(); // flushes
    return await partitionsOf(db, topic);
  } finally {
    db.close();
  }
}

/** Resolves once the sink's committed offsets reach `ends`; throws if the sink stopped. */
async function shipped(sink: KafkaRestSink, ends: readonly PartitionState[]): Promise<void> {
  const reached = (status: SinkStatus) =>
    ends.every((end) =>
      status.partitions.some(
        (p) =>
          p.topic === end.topic && p.partition === end.partition && p.shipped >= end.highWatermark,
      ),
    );
  for (;;) {
    const status = sink.status();
    if (reached(status)) return;
    if (status.state === 'stopped' || status.state === 'stopped-fatal')
      throw new Error(`the sink stopped: ${status.lastError?.message ?? status.state}`);
    await sleep(STATUS_POLL_MS);
  }
}

/** Events/s of the sink over the backlog, and of kafkajs producing the same records. */
async function shipRate(url: string, stamp: number): Promise<{ ours: number; kafkajs: number }> {
  const log = `bench-sink-${stamp}`;
  const topic = `bench-clicks-${stamp}`;
  await command('kafka-topic', { name: topic, partitions: PARTITIONS });
  const ends = await appendBacklog(log, topic, BACKLOG);
  const sink = new KafkaRestSink({ log, url, topics: [topic] });
  collectGarbage();
  const start = performance.now();
  sink.start();
  try {
    await shipped(sink, ends);
  } finally {
    await sink.stop();
  }
  const ms = performance.now() - start;
  const { requests, retries } = sink.status();
  console.log(
    `BENCH-NOTE ship-rate: ${BACKLOG} clicks in ${requests} requests, ${retries} retries`,
  );
  const kafkajs = await command<number>('kafka-baseline', {
    from: topic,
    to: `${topic}-kafkajs`,
    partitions: PARTITIONS,
    count: BACKLOG,
  });
  await deleteDB(log);
  return { ours: BACKLOG / (ms / 1000), kafkajs };
}

/** The ms from each click's append to the broker's, at LATENCY_RATE clicks/s, sorted. */
async function shipLatencies(url: string, stamp: number): Promise<number[]> {
  const log = `bench-sink-latency-${stamp}`;
  const topic = `bench-latency-${stamp}`;
  await command('kafka-topic', { name: topic, partitions: PARTITIONS, logAppendTime: true });
  const db = await openLog(log);
  await ensureTopic(db, { name: topic, partitions: PARTITIONS });
  const sink = new KafkaRestSink({ log, url, topics: [topic] }); // default settings
  sink.start();
  const producer = new Producer({ log, spillOnHide: false, lingerMs: CLICK_LINGER_MS });
  const total = LATENCY_RATE * LATENCY_SECONDS;
  try {
    const startedAt = performance.now();
    for (let sent = 0; sent < total;) {
      const due = Math.min(
        total,
        Math.floor(((performance.now() - startedAt) * LATENCY_RATE) / 1000),
      );
      for (; sent < due; sent++) {
        const { key, value } = trackerClick(sent, Date.now());
        void producer.send(topic, value, key);
      }
      await sleep(PRODUCE_TICK_MS);
    }
    await producer.flush();
    await shipped(sink, await partitionsOf(db, topic));
  } finally {
    await producer.close();
    await sink.stop();
    db.close();
  }
  const { requests, retries } = sink.status();
  console.log(
    `BENCH-NOTE ship-latency: ${total} clicks in ${requests} requests, ${retries} retries`,
  );
  await deleteDB(log);
  const latencies = await command<number[]>('kafka-latencies', { topic, count: total });
  return latencies.sort((a, b) => a - b);
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

export async function run(emit: (figure: Figure) => void, options: SuiteOptions): Promise<void> {
  const stamp = Date.now();
  if (options.short) {
    const log = `bench-sink-short-${stamp}`;
    await appendBacklog(log, 'clicks', 1000);
    await deleteDB(log);
    console.log(
      'BENCH-SKIP short mode starts no JVM (Kafka takes tens of seconds to start on a busy ' +
        'machine; npm run test:kafka tests the real systems): run `npm run bench -- sink`',
    );
    return;
  }
  const { restUrl, timings } = await command<{ restUrl: string; timings: object }>('kafka-start');
  console.log(`BENCH-NOTE Kafka started (ms): ${JSON.stringify(timings)}`);
  const rate = await shipRate(restUrl, stamp);
  emit({
    suite: 'sink',
    name: 'ship-rate',
    value: Math.round(rate.ours),
    unit: 'events/s',
    baseline: 'kafkajs',
    baseline_value: Math.round(rate.kafkajs),
    ratio: Math.round((rate.ours / rate.kafkajs) * 100) / 100,
  });
  const latencies = await shipLatencies(restUrl, stamp);
  for (const p of [50, 99])
    emit({
      suite: 'sink',
      name: `ship-latency-p${p}`,
      value: Math.round(percentile(latencies, p)),
      unit: 'ms',
    });
}
