import { executeServerCommand } from '@web/test-runner-commands';
import { expect } from 'chai';
import { Admin, Consumer, type ConsumerRecord } from '../../../src/log';
import { SINK_GROUP } from '../../../src/sink';
import { uniqueLog } from '../helpers';

/** A record as the proxy stand-in (rest-proxy.mjs) keeps it. */
export interface ProxyRecord {
  readonly partition: number;
  readonly offset: number;
  readonly key: unknown;
  readonly value: Record<string, unknown> & { _id: string };
}

export interface ProxyState {
  readonly requests: number;
  readonly records: Record<string, ProxyRecord[]>;
  readonly faults: number;
}

/** A fault of the stand-in's produce API: test/kafka/faults.mjs says what each one does. */
export type Fault = { times?: number } & (
  | { kind: 'ok' }
  | { kind: 'status'; status: number; errorCode?: number; retryAfter?: number }
  | { kind: 'hang' }
  | { kind: 'drop' }
  | { kind: 'drop-after-produce' }
  | { kind: 'partial' }
);

/** A namespace of the REST Proxy stand-in that the test server runs (rest-proxy.mjs). */
export class RestProxy {
  readonly ns = uniqueLog('proxy');
  readonly url = `${location.origin}/rest-proxy/${this.ns}`;
  readonly cluster = 'test-cluster';

  /** An empty proxy hosting `topics` (name → partitions). */
  async setup(topics: Record<string, number>): Promise<this> {
    await this.command('setup', { topics, cluster: this.cluster });
    return this;
  }

  /** How the next produce requests are answered, one fault each. */
  inject(...faults: Fault[]): Promise<ProxyState> {
    return this.command('faults', { faults });
  }

  state(): Promise<ProxyState> {
    return this.command('state');
  }

  /** Resolves with the state once `condition` holds of it, polling. */
  async until(condition: (state: ProxyState) => boolean, timeoutMs = 20000): Promise<ProxyState> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const state = await this.state();
      if (condition(state)) return state;
      if (Date.now() > deadline)
        throw new Error(`timed out; proxy at ${JSON.stringify(count(state))}`);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
  }

  private command(op: string, payload: object = {}): Promise<ProxyState> {
    return executeServerCommand<ProxyState, object>('rest-proxy', { ns: this.ns, op, ...payload });
  }
}

/** How many records the proxy holds per topic. */
export function count(state: ProxyState): Record<string, number> {
  return Object.fromEntries(Object.entries(state.records).map(([t, list]) => [t, list.length]));
}

/**
 * A log with `counts[topic]` events on each topic (of `partitions` partitions), keyed by one of
 * five sessions, appended by a real producer.
 */
export async function logWithEvents(
  counts: Record<string, number>,
  partitions = 2,
  value: (i: number) => Record<string, unknown> = (i) => ({ page: `/p${i % 7}`, i }),
): Promise<string> {
  const log = uniqueLog('sink');
  const admin = new Admin(log);
  for (const name of Object.keys(counts)) await admin.createTopic({ name, partitions });
  await appendEvents(log, counts, value);
  await admin.close();
  return log;
}

/** Appends `counts[topic]` more events to each topic. */
export async function appendEvents(
  log: string,
  counts: Record<string, number>,
  value: (i: number) => Record<string, unknown> = (i) => ({ page: `/p${i % 7}`, i }),
): Promise<void> {
  const producer = new Admin(log).producer();
  for (const [topic, n] of Object.entries(counts)) {
    for (let i = 0; i < n; i++)
      void producer.send(topic, { ...value(i), topic }, `session-${i % 5}`);
  }
  await producer.close();
}

/** Every record of the log's `topics`, from the log start. */
export async function logRecords(
  log: string,
  topics: readonly string[],
): Promise<ConsumerRecord[]> {
  const admin = new Admin(log);
  const partitions = [];
  for (const topic of topics) {
    const { partitions: states } = await admin.describeTopic(topic);
    partitions.push(...states.map(({ partition }) => ({ topic, partition })));
  }
  await admin.close();
  const consumer = new Consumer({ log, autoOffsetReset: 'earliest', enableAutoCommit: false });
  consumer.assign(partitions);
  const records: ConsumerRecord[] = [];
  for (let page = await consumer.poll({ maxRecords: 1e6 }); page.length > 0;) {
    records.push(...page);
    page = await consumer.poll({ maxRecords: 1e6 });
  }
  await consumer.close();
  return records;
}

/** The sink group's committed offset per `topic-partition` (null where none). */
export async function committed(
  log: string,
  topics: readonly string[],
): Promise<Record<string, number | null>> {
  const admin = new Admin(log);
  const offsets: Record<string, number | null> = {};
  for (const topic of topics) {
    for (const { partition, offset } of await admin.listConsumerGroupOffsets(SINK_GROUP, topic)) {
      offsets[`${topic}-${partition}`] = offset;
    }
  }
  await admin.close();
  return offsets;
}

/**
 * Checks what the proxy holds against the log: every record of the log there, in its topic and
 * partition, with its key and value plus `_id` `<log id>:<topic>:<partition>:<offset>`; each
 * partition's records in offset order (counting each `_id`'s first arrival); duplicates only
 * with equal `_id` and equal content. Returns the number of duplicates and the log ids seen.
 */
export function expectShipped(
  records: readonly ConsumerRecord[],
  state: ProxyState,
): { duplicates: number; logIds: Set<string> } {
  const byId = new Map<string, ProxyRecord>();
  const logIds = new Set<string>();
  let duplicates = 0;
  for (const [topic, list] of Object.entries(state.records)) {
    const last = new Map<number, number>();
    for (const record of list) {
      const { _id, ...value } = record.value;
      const [logId, idTopic, idPartition, idOffset] = _id.split(':');
      expect(logId).to.match(/^[0-9a-f]{32}$/);
      expect(idTopic).to.equal(topic);
      expect(Number(idPartition)).to.equal(record.partition);
      const seen = byId.get(_id);
      if (seen) {
        duplicates++;
        expect(record.key).to.equal(seen.key);
        expect(record.value).to.deep.equal(seen.value);
        continue;
      }
      byId.set(_id, record);
      logIds.add(logId!);
      const offset = Number(idOffset);
      expect(offset, `${_id} after offset ${last.get(record.partition)}`).to.be.above(
        last.get(record.partition) ?? -1,
      );
      last.set(record.partition, offset);
      expect(value).to.have.property('i');
    }
  }
  const logId = [...logIds][0];
  for (const { topic, partition, offset, key, value } of records) {
    const shipped = byId.get(`${logId}:${topic}:${partition}:${offset}`);
    expect(shipped, `${topic}-${partition} offset ${offset} shipped`).to.not.equal(undefined);
    expect(shipped!.partition).to.equal(partition);
    expect(shipped!.key).to.equal(key);
    expect(shipped!.value).to.deep.equal({ ...value, _id: shipped!.value._id });
  }
  expect(byId.size, 'no record the log does not hold').to.equal(records.length);
  return { duplicates, logIds };
}
