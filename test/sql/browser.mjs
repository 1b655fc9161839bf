// tabstream's side of the suite: the built script tag (dist/) on a page of its own, in Chromium
// with the time zone UTC, its log holding the suite's data, and `tabstream.sql` to ask.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.mjs';

const dist = new URL('../../dist/', import.meta.url);
const PARTITIONS = 3;
const CHUNK = 30;
/** The longest a query may take before its test fails (the data are small: this is a hang). */
const ANSWER_MS = 30_000;
/** The page captures nothing itself: the log holds the suite's records only. */
const PAGE = `<!doctype html><title>tabstream SQL conformance</title>
<script src="/tabstream.js" data-log="sql-conformance" data-capture="none" data-partitions="${PARTITIONS}" defer></script>`;

function serve() {
  const files = new Map(
    ['tabstream.js', 'tabstream-core.js'].map((name) => [
      `/${name}`,
      readFileSync(new URL(name, dist)),
    ]),
  );
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const script = files.get(path);
    if (script) res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else if (path === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
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

/**
 * Appends `records` ({ topic: [{ key, timestamp, value }] }) to the page's log, in order, and
 * creates `empty` with no record; resolves with where each record landed, { topic: [{
 * partition, offset }] }. Retention is off: the records are older than its 7 days.
 */
function append(page, records, empty) {
  return page.evaluate(
    async ({ records, empty, partitions, chunk }) => {
      await window.tabstream.ready;
      const log = window.tabstream.log;
      for (const name of [...Object.keys(records), empty]) {
        await log.createTopic({ name, partitions }).catch((error) => {
          if (error.name !== 'TopicExistsError') throw error;
        });
        await log.alterTopic(name, { retentionMs: -1, retentionBytes: -1 });
      }
      const producer = log.producer({ lingerMs: 0 });
      const landed = [];
      for (const [topic, list] of Object.entries(records)) {
        // The first fifth in flushes of `chunk` records (small batches of distinct time ranges,
        // for scans to skip), the rest in one (in clicks' busiest partition a batch of over 128
        // records: column chunks, which a scan reads column by column, not one packed chunk).
        const sent = [];
        const small = Math.floor(list.length / 5);
        for (let i = 0; i < list.length; i += i < small ? chunk : list.length) {
          const sends = list
            .slice(i, i < small ? i + chunk : list.length)
            .map(({ key, timestamp, value }) => producer.send(topic, value, key, timestamp));
          await producer.flush();
          sent.push(...(await Promise.all(sends)));
        }
        landed.push(sent);
      }
      await producer.close();
      return Object.fromEntries(
        Object.keys(records).map((topic, i) => [
          topic,
          landed[i].map(({ partition, offset }) => ({ partition, offset })),
        ]),
      );
    },
    { records, empty, partitions: PARTITIONS, chunk: CHUNK },
  );
}

/** Registers each of `views` ({ name: { rows } }) as a temporary view of the page's engine. */
function registerViews(page, views) {
  return page.evaluate((views) => {
    for (const [name, { rows }] of Object.entries(views))
      window.tabstream.context.parallelize(rows).createOrReplaceTempView(name);
  }, views);
}

/** Every record of `topics`, read back with a consumer: [{ topic, partition, offset, timestamp, key, value }]. */
function readBack(page, topics) {
  return page.evaluate(
    async ({ topics, partitions }) => {
      const consumer = window.tabstream.log.consumer({ enableAutoCommit: false });
      consumer.assign(
        topics.flatMap((topic) =>
          [...Array(partitions).keys()].map((partition) => ({ topic, partition })),
        ),
      );
      await consumer.seekToBeginning();
      const records = [];
      for (let batch; (batch = await consumer.poll()).length > 0;) records.push(...batch);
      await consumer.close();
      return records.map(({ topic, partition, offset, timestamp, key, value }) => ({
        topic,
        partition,
        offset,
        timestamp,
        key,
        value,
      }));
    },
    { topics, partitions: PARTITIONS },
  );
}

/**
 * Starts the page with the log holding `records` (and the empty topic `empty`), and `views`
 * registered. Resolves with
 * `{ metadata, missing, sql(text, params), readBack(topics), close() }`: `metadata` as `append`
 * gives it, `missing` true if the build has no `tabstream.sql`, `sql` tabstream's answer as
 * `{ columns, rows }` or `{ error, crash? }`.
 */
export async function startTabstream(records, empty, views) {
  const site = await serve();
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: chromiumArgs,
    env: { ...process.env, TZ: 'UTC' },
  });
  try {
    const context = await browser.newContext({ timezoneId: 'UTC' });
    const page = await context.newPage();
    await page.goto(site.origin);
    const metadata = await append(page, records, empty);
    await registerViews(page, views);
    const missing = await page.evaluate(() => typeof window.tabstream.sql !== 'function');
    const sql = (text, params) =>
      page.evaluate(
        async ({ text, params, limit }) => {
          // A query that never answers fails its test, not the whole suite.
          const hang = new Error(`no answer in ${limit / 1000} s`);
          let timer;
          const timeout = new Promise(
            (_, reject) => (timer = setTimeout(() => reject(hang), limit)),
          );
          try {
            const { columns, rows } = await Promise.race([
              window.tabstream.sql(text, params),
              timeout,
            ]);
            return { columns, rows };
          } catch (error) {
            if (error === hang) return { error: hang.message, crash: 'hang' };
            const crash = ['TypeError', 'ReferenceError'].includes(error?.name);
            return { error: String(error?.message ?? error), ...(crash && { crash: error.name }) };
          } finally {
            clearTimeout(timer);
          }
        },
        { text, params, limit: ANSWER_MS },
      );
    const close = async () => {
      await browser.close();
      await site.close();
    };
    const read = (topics) => readBack(page, topics);
    return { metadata, missing, sql, readBack: read, close };
  } catch (error) {
    await browser.close();
    await site.close();
    throw error;
  }
}
