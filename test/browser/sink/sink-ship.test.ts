import { expect } from 'chai';
import { KafkaRestSink, type KafkaRestSinkOptions, type SinkStatus } from '../../../src/sink';
import { until } from '../helpers';
import {
  appendEvents,
  committed,
  expectShipped,
  logRecords,
  logWithEvents,
  RestProxy,
} from './sink-helpers';

const TOPICS = ['clicks', 'pageviews'];
const caughtUp = (status: SinkStatus): boolean =>
  status.partitions.length > 0 && status.partitions.every((p) => p.lag === 0);

/** A sink of `log` to `proxy`, fast to retry; stopped after the test. */
function sinkOf(log: string, proxy: RestProxy, options: Partial<KafkaRestSinkOptions> = {}) {
  const sink = new KafkaRestSink({
    log,
    url: proxy.url,
    cluster: proxy.cluster,
    topics: TOPICS,
    retryBaseMs: 5,
    idleMs: 50,
    ...options,
  });
  sinks.push(sink);
  return sink;
}
let sinks: KafkaRestSink[] = [];
afterEach(async () => {
  await Promise.all(sinks.map((sink) => sink.stop()));
  sinks = [];
});

describe('the Kafka sink ships the log', () => {
  for (const api of ['v2', 'v3'] as const) {
    it(`${api}: every record, in order per partition, keyed, with its _id, and commits what was acknowledged`, async () => {
      const log = await logWithEvents({ clicks: 70, pageviews: 30 });
      const proxy = await new RestProxy().setup({ clicks: 2, pageviews: 2 });
      const sink = sinkOf(log, proxy, { api, maxBytesPerRequest: 2000 });
      sink.start();
      await until(() => caughtUp(sink.status()));
      expectShipped(await logRecords(log, TOPICS), await proxy.state());

      await appendEvents(log, { clicks: 25 }); // records appended later follow
      await until(() => caughtUp(sink.status()) && sink.status().recordsShipped === 125);
      const state = await proxy.state();
      const { duplicates, logIds } = expectShipped(await logRecords(log, TOPICS), state);
      expect(duplicates).to.equal(0);
      expect(logIds.size).to.equal(1);
      // v3's records:batch takes at most 10 entries (the stand-in refuses more), v2 is held to 2,000 B.
      expect(state.requests).to.be.at.least(api === 'v3' ? 14 : 10);
      const records = await logRecords(log, TOPICS);
      const ends: Record<string, number> = {};
      for (const r of records) ends[`${r.topic}-${r.partition}`] = r.offset + 1;
      expect(await committed(log, TOPICS)).to.deep.equal(ends);
      expect(sink.status()).to.include({ state: 'running', retries: 0, lastError: null });
    });
  }

  it('commits only what the proxy acknowledged: a new sink resumes at the committed offset, with the same _ids', async () => {
    const log = await logWithEvents({ clicks: 60 }, 1);
    const proxy = await new RestProxy().setup({ clicks: 1 });
    await proxy.inject({ kind: 'ok' }, { kind: 'ok' }, { kind: 'hang' });
    const first = sinkOf(log, proxy, { maxRecordsPerRequest: 10 });
    first.start();
    await proxy.until((state) => state.requests === 3); // the third hangs
    expect((await proxy.state()).records.clicks).to.have.length(20);
    await until(() => first.status().partitions[0]?.shipped === 20);
    expect(await committed(log, ['clicks'])).to.deep.equal({ 'clicks-0': 20 });
    await first.stop(); // the hanging request is given up, uncommitted
    expect(await committed(log, ['clicks'])).to.deep.equal({ 'clicks-0': 20 });

    const second = sinkOf(log, proxy, { maxRecordsPerRequest: 10 });
    second.start();
    await until(() => caughtUp(second.status()));
    const { duplicates, logIds } = expectShipped(
      await logRecords(log, ['clicks']),
      await proxy.state(),
    );
    expect(duplicates).to.equal(0);
    expect(logIds.size, 'one log id across sinks').to.equal(1);
    expect(await committed(log, ['clicks'])).to.deep.equal({ 'clicks-0': 60 });
  });

  it('ships nothing while the visitor does not allow it', async () => {
    const log = await logWithEvents({ clicks: 20 });
    const proxy = await new RestProxy().setup({ clicks: 2, pageviews: 2 });
    let allowed = false;
    const sink = sinkOf(log, proxy, { allowed: () => allowed });
    sink.start();
    await until(() => sink.status().state === 'not-allowed');
    window.dispatchEvent(new PageTransitionEvent('pagehide'));
    await until(() => sink.status().state === 'not-allowed'); // looked again
    expect((await proxy.state()).requests).to.equal(0);
    expect(await committed(log, ['clicks'])).to.deep.equal({ 'clicks-0': null, 'clicks-1': null });

    allowed = true;
    await until(() => caughtUp(sink.status()));
    expectShipped(await logRecords(log, ['clicks']), await proxy.state());
  });

  it('waits for `online` while the browser is offline', async () => {
    const log = await logWithEvents({ clicks: 20 });
    const proxy = await new RestProxy().setup({ clicks: 2, pageviews: 2 });
    let online = false;
    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => online });
    try {
      const sink = sinkOf(log, proxy);
      sink.start();
      await until(() => sink.status().state === 'waiting-online');
      expect((await proxy.state()).requests).to.equal(0);

      online = true;
      window.dispatchEvent(new Event('online'));
      await until(() => caughtUp(sink.status()));
      expectShipped(await logRecords(log, ['clicks']), await proxy.state());
    } finally {
      delete (navigator as { onLine?: boolean }).onLine; // back to Navigator.prototype's
    }
  });

  it('tells its lag against the log as it is, not as it was when it last polled', async () => {
    const log = await logWithEvents({ clicks: 0 });
    const proxy = await new RestProxy().setup({ clicks: 2, pageviews: 2 });
    await proxy.inject({ kind: 'status', status: 500, times: 1000 });
    // A long poll: the records come while it waits, after it read the log's ends.
    const sink = sinkOf(log, proxy, { idleMs: 10_000 });
    sink.start();
    await until(() => sink.status().partitions.length === 2);
    await appendEvents(log, { clicks: 10 });
    await until(() => sink.status().retries >= 2); // their request fails, and is sent again
    const { partitions, recordsShipped } = sink.status();
    expect(recordsShipped).to.equal(0);
    expect(partitions.reduce((lag, p) => lag + p.lag, 0)).to.equal(10);
  });
});
