// The sink end to end, against the real systems: the built script tag on a site, in several
// tabs of one browser, ships the log through the HTTP produce API into a real Kafka, through
// clicks, reloads, an offline period, a closed leader, and injected HTTP failures (a 500, a
// timeout, a dropped connection, a connection dropped after Kafka took the records); then Kafka
// holds every record, none missing, duplicates only with equal `_id`, and both the counts read
// back from Kafka and those of the reference Spark job (examples/spark/page_counts.py) equal
// `tabstream.counts()`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.mjs';
import { startCluster } from './cluster.mjs';
import { runPageCounts } from './spark.mjs';

const TOPICS = ['clicks', 'pageviews', 'events'];
const PARTITIONS = 4;
const dist = new URL('../../dist/', import.meta.url);
const scripts = new Map(
  ['tabstream.js', 'tabstream-core.js'].map((name) => [
    `/${name}`,
    readFileSync(new URL(name, dist)),
  ]),
);

let cluster;
let site;
let browser;

/**
 * The site: pages /p/N and /q/N, each with buttons, loading the script tag with the sink on;
 * /off/q/N, the same page without the sink.
 */
function serveSite(restUrl) {
  const sink = (path) => (path.startsWith('/off/') ? '' : ` data-kafka-rest="${restUrl}"`);
  const page = (path) => `<!doctype html><title>${path}</title>
<script src="/tabstream.js"${sink(path)} data-batch-interval="500" defer></script>
${[0, 1, 2].map((i) => `<button id="b${i}">button ${i}</button>`).join('\n')}`;
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const script = scripts.get(path);
    if (script) res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else if (/^\/(off\/)?[pq]\/\d+$/.test(path))
      res.writeHead(200, { 'content-type': 'text/html' }).end(page(path));
    else res.writeHead(404).end();
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        origin: `http://127.0.0.1:${server.address().port}`,
        close: () => new Promise((done) => (server.closeAllConnections(), server.close(done))),
      }),
    ),
  );
}

/** Waits until `check()` resolves truthy; fails naming `what` if it never does. */
async function until(what, check, tries = 600) {
  for (let i = 0; i < tries; i += 1) {
    const value = await check();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`never: ${what}`);
}

const ready = (page) => page.evaluate(() => window.tabstream.ready);

/** Clicks `n` of the buttons of `page`, in turn. */
async function clickAround(page, n) {
  for (let i = 0; i < n; i += 1) await page.click(`#b${i % 3}`);
}

/** Each partition of a topic of the log's status, with group tabstream-sink's lag there. */
const shippedTo = ({ topic, partitions }) =>
  partitions.map(({ partition, highWatermark, groups }) => ({
    topic,
    partition,
    highWatermark,
    lag: groups.find(({ group }) => group === 'tabstream-sink')?.lag ?? highWatermark,
  }));

/** The leader's sink status, as any tab's `status()` gives it. */
const sinkStatus = (page) => page.evaluate(async () => (await window.tabstream.status()).sink);

before(async () => {
  cluster = await startCluster();
  await cluster.createTopics(TOPICS, PARTITIONS);
  site = await serveSite(cluster.restUrl);
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
});

after(async () => {
  await browser?.close();
  await site?.close();
  await cluster?.stop();
});

test('tabs ship every record to Kafka, at least once, and Kafka and Spark count as tabstream does', async () => {
  const context = await browser.newContext();
  const [a, b, c] = await Promise.all([1, 2, 3].map(() => context.newPage()));
  await Promise.all([a, b, c].map((page, i) => page.goto(`${site.origin}/p/${i}`)));
  await Promise.all([a, b, c].map(ready));
  await Promise.all([clickAround(a, 6), clickAround(b, 5), clickAround(c, 4)]);

  // A 500, a request never answered (the sink's 30 s timeout), a connection dropped before
  // Kafka had the records, and one dropped after.
  cluster.inject({ kind: 'status', status: 500 });
  cluster.inject({ kind: 'hang' });
  await clickAround(a, 3);
  await until('the sink retried the 500', async () => (await sinkStatus(a))?.retries >= 1);
  cluster.inject({ kind: 'drop' });
  cluster.inject({ kind: 'drop-after-produce' });
  await clickAround(b, 3);

  // A reload, and an offline period with clicks in it.
  await c.reload();
  await ready(c);
  await context.setOffline(true);
  await clickAround(c, 4);
  await until(
    'the sink waits for the network',
    async () => (await sinkStatus(c))?.state === 'waiting-online',
  );
  await context.setOffline(false);

  // The leader goes; another tab leads, and its sink resumes from the committed offsets.
  const pages = [a, b, c];
  const leader = await until('a leader', async () => {
    for (const page of pages) if (await page.evaluate(() => window.tabstream.isLeader)) return page;
  });
  await leader.close();
  const rest = pages.filter((page) => page !== leader);
  await until('another leader', async () => {
    for (const page of rest) if (await page.evaluate(() => window.tabstream.isLeader)) return true;
  });
  await clickAround(rest[0], 5);
  await Promise.all(rest.map((page) => page.evaluate(() => window.tabstream.flush())));

  // Every record of the log shipped: the group's committed offsets, in the log itself, at every
  // partition's end.
  const partitions = await until('every partition shipped', async () => {
    const { log } = await rest[0].evaluate(() => window.tabstream.status());
    const all = log.filter(({ topic }) => TOPICS.includes(topic)).flatMap(shippedTo);
    return all.length === TOPICS.length * PARTITIONS && all.every((p) => p.lag === 0) && all;
  });
  const faulted = cluster.requests.filter((request) => request.fault).map(({ fault }) => fault);
  assert.deepEqual(
    faulted,
    ['status', 'hang', 'drop', 'drop-after-produce'],
    'each fault met a request',
  );
  const counts = await rest[0].evaluate(() => window.tabstream.counts());

  const clicks = await cluster.readAll('clicks');
  const ids = new Map();
  for (const record of clicks) {
    const id = record.value._id;
    const copy = ids.get(id);
    if (copy) assert.deepEqual(record.value, copy, `a duplicate of ${id} differs`);
    else ids.set(id, record.value);
    const [, topic, partition] = id.split(':');
    assert.deepEqual([topic, Number(partition)], ['clicks', record.partition]);
  }
  assert.ok(clicks.length > ids.size, 'the dropped answer made a duplicate (equal `_id`)');
  const shipped = partitions.filter((p) => p.topic === 'clicks');
  const total = shipped.reduce((sum, p) => sum + p.highWatermark, 0);
  assert.equal(ids.size, total, 'every record of the log is in Kafka once its duplicates drop');
  for (const { partition, highWatermark } of shipped) {
    const offsets = [...ids.keys()]
      .filter((id) => Number(id.split(':')[2]) === partition)
      .map((id) => Number(id.split(':')[3]))
      .sort((x, y) => x - y);
    assert.deepEqual(offsets, [...Array(highWatermark).keys()], `partition ${partition}`);
  }

  const fromKafka = {};
  for (const value of ids.values()) fromKafka[value.page] = (fromKafka[value.page] ?? 0) + 1;
  assert.deepEqual(fromKafka, counts);
  assert.equal(
    Object.values(counts).reduce((x, y) => x + y),
    6 + 5 + 4 + 3 + 3 + 4 + 5,
  );

  const spark = await runPageCounts({ bootstrap: cluster.bootstrap, topics: ['clicks'] });
  assert.deepEqual(spark.pages, counts);
  await context.close();
});

test('a visitor who opted out ships nothing, not even what the log held before', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  // Clicks logged while the site had no sink, then the visitor opts out.
  await page.goto(`${site.origin}/off/q/1`);
  await ready(page);
  await clickAround(page, 4);
  await page.evaluate(() => window.tabstream.flush());
  await page.evaluate(() => window.tabstream.optOut());
  const shippedOf = async () =>
    (await cluster.readAll('clicks')).filter(({ value }) => value.page.includes('/q/')).length;

  // The site turns the sink on: the leader's sink holds back while the visitor is opted out.
  await page.goto(`${site.origin}/q/1`);
  await ready(page);
  await until('the sink holds back', async () => (await sinkStatus(page))?.state === 'not-allowed');
  const requests = cluster.requests.length;
  assert.equal(await shippedOf(), 0);

  // Opted in again: the log ships, from its first offset.
  await page.evaluate(() => window.tabstream.optIn());
  await until('the log shipped', async () => {
    const sink = await sinkStatus(page);
    return sink?.state === 'running' && sink.partitions.every((p) => p.lag === 0);
  });
  assert.ok(cluster.requests.length > requests);
  assert.equal(await shippedOf(), 4);
  await context.close();
});
