// Several producers appending to one topic at once, each in its own worker (and the page's own
// producer besides): the log must give every partition dense offsets, every record exactly once,
// and each producer's records of a partition in its send order.
import { expect } from 'chai';
import { deleteDB } from 'idb';
import {
  Consumer,
  createTopic,
  openLog,
  partitionsOf,
  type ConsumerRecord,
  type PartitionState,
} from '../../src/log';
import { produce, type ProduceRequest, type Produced } from './fixtures/log-producer-worker';
import ProducerWorker from './fixtures/log-producer-worker?worker&inline';
import { uniqueLog } from './helpers';

const PARTITIONS = 4;
const PER_PRODUCER = 3000;
const WORKERS = 3;
const PAGE = WORKERS; // the page's own producer is producer number 3
/** How long a send may take to resolve without a flush: linger.ms is 5, appends take a few ms. */
const SETTLE_MS = 3000;

function produceInWorker(request: ProduceRequest): { worker: Worker; done: Promise<Produced> } {
  const worker = new ProducerWorker({ name: `log-producer-${request.producer}` });
  const done = new Promise<Produced>((resolve, reject) => {
    worker.addEventListener('message', (event: MessageEvent<Produced & { error?: string }>) =>
      event.data.error ? reject(new Error(event.data.error)) : resolve(event.data),
    );
    worker.addEventListener('error', (event) =>
      reject(new Error(`worker failed: ${event.message}`)),
    );
  });
  worker.postMessage(request);
  return { worker, done };
}

async function readPartition(
  log: string,
  topic: string,
  partition: number,
): Promise<ConsumerRecord[]> {
  const consumer = new Consumer({ log, autoOffsetReset: 'earliest', enableAutoCommit: false });
  consumer.assign([{ topic, partition }]);
  const records: ConsumerRecord[] = [];
  try {
    for (;;) {
      const batch = await consumer.poll({ maxRecords: 5000, timeoutMs: 0 });
      if (batch.length === 0) return records;
      records.push(...batch);
    }
  } finally {
    await consumer.close();
  }
}

describe('log: 3 producers in workers and one in the page, appending at once', function () {
  this.timeout(60000);
  const log = uniqueLog('log-producers');
  const topic = 'clicks';
  const total = (WORKERS + 1) * PER_PRODUCER;
  let produced: Produced[] = [];
  let states: PartitionState[] = [];
  const partitions: ConsumerRecord[][] = [];

  before(async () => {
    const db = await openLog(log);
    await createTopic(db, { name: topic, partitions: PARTITIONS });
    const request = (producer: number): ProduceRequest => ({
      log,
      topic,
      producer,
      count: PER_PRODUCER,
      batchSize: 100,
      settleMs: SETTLE_MS,
    });
    const started = Array.from({ length: WORKERS }, (_, producer) =>
      produceInWorker(request(producer)),
    );
    try {
      produced = await Promise.all([...started.map((s) => s.done), produce(request(PAGE))]);
    } finally {
      for (const { worker } of started) worker.terminate();
    }
    states = await partitionsOf(db, topic);
    db.close();
    for (const state of states) partitions.push(await readPartition(log, topic, state.partition));
  });

  after(() => deleteDB(log));

  it('offsets dense and ordered under 3 concurrent producers', () => {
    expect(states.reduce((sum, s) => sum + s.highWatermark, 0)).to.equal(total);
    const seen = new Set<string>();
    const readAt = new Map<string, string>(); // "producer:seq" → "partition:offset"
    for (const state of states) {
      expect(state.logStartOffset).to.equal(0);
      const records = partitions[state.partition]!;
      // Offsets exactly 0..hw-1: no gap, no duplicate.
      expect(records.map((r) => r.offset)).to.deep.equal(
        Array.from({ length: state.highWatermark }, (_, i) => i),
        `offsets of partition ${state.partition}`,
      );
      const lastSeq = new Map<number, number>();
      for (const { offset, key, value } of records) {
        const producer = value.producer as number;
        const seq = value.seq as number;
        const id = `${producer}:${seq}`;
        expect(seen.has(id), `record ${id} read twice`).to.equal(false);
        seen.add(id);
        readAt.set(id, `${state.partition}:${offset}`);
        expect(key).to.equal(`p${producer}-k${seq % 16}`);
        // Each producer's records of a partition come in its send order.
        expect(seq, `producer ${producer} in partition ${state.partition}`).to.be.greaterThan(
          lastSeq.get(producer) ?? -1,
        );
        lastSeq.set(producer, seq);
      }
      // Every producer appended to every partition, so their appends really interleaved.
      expect([...lastSeq.keys()].sort()).to.deep.equal([0, 1, 2, 3]);
    }
    expect(seen.size).to.equal(total);
    // Where each send said its record landed is where the consumer found it.
    produced.forEach(({ landed }, producer) => {
      expect(landed).to.have.length(PER_PRODUCER);
      for (const { seq, partition, offset } of landed) {
        expect(readAt.get(`${producer}:${seq}`), `send ${producer}:${seq}`).to.equal(
          `${partition}:${offset}`,
        );
      }
    });
  });

  it('resolves every send within linger.ms, without a flush', () => {
    // A record waits at most linger.ms (5 ms here) for its batch; its send then resolves once
    // appended. Sends still pending SETTLE_MS after the last one were never going to be appended
    // without a flush.
    expect(produced.map((p) => p.unresolvedBeforeFlush)).to.deep.equal([0, 0, 0, 0]);
  });
});
