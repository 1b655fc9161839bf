// `npm run test:kafka`: the real systems the sink is tested against. One Kafka node and the HTTP
// produce API started once; records shaped as the sink sends them produced through v2 and v3,
// read back with kafkajs; the faults a test can inject; and examples/spark/page_counts.py run
// by Spark over the topic, its deduplicated counts checked against what was produced.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startCluster } from './cluster.mjs';
import { countsByPage, sinkClicks } from './sink-records.mjs';
import { runPageCounts } from './spark.mjs';

const V2 = 'application/vnd.kafka.json.v2+json';

let cluster;
/** Every click value the client saw acknowledged: what Spark must count, each `_id` once. */
const delivered = [];

before(async () => {
  cluster = await startCluster();
  console.log(`# timings (ms): ${JSON.stringify(cluster.timings)}`);
  // The sink's topics, several partitions each, as a site would create them.
  await cluster.createTopics(['clicks', 'pageviews', 'events'], 3);
});

after(async () => {
  await cluster?.stop();
});

const post = (path, contentType, body, init = {}) =>
  fetch(`${cluster.restUrl}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...init,
  });

const postV2 = (topic, records, init) => post(`/topics/${topic}`, V2, { records }, init);

const v3Path = (topic, batch = false) =>
  `/v3/clusters/${cluster.clusterId}/topics/${topic}/records${batch ? ':batch' : ''}`;

const v3Entry = ({ key, value }) => ({
  key: { type: 'JSON', data: key },
  value: { type: 'JSON', data: value },
});

/** Resolves once `condition()` is true, checking again on every turn of the event loop. */
async function until(condition) {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

/** The topic's records by `_id`: every copy of each. */
async function copiesById(topic) {
  const byId = new Map();
  for (const record of await cluster.readAll(topic)) {
    const copies = byId.get(record.value._id) ?? [];
    copies.push(record);
    byId.set(record.value._id, copies);
  }
  return byId;
}

/** The sink's promise: every record there, a duplicate only as an equal copy (same _id). */
function assertDelivered(byId, values) {
  for (const value of values) {
    const copies = byId.get(value._id);
    assert.ok(copies, `${value._id} missing from Kafka`);
    for (const copy of copies) assert.deepEqual(copy.value, value);
  }
}

describe('the HTTP produce API in front of Kafka', () => {
  test('v2: records land in Kafka in order per key, with the offsets the answer gave', async () => {
    const records = sinkClicks({ logId: 'browserA', count: 120, seed: 1 });
    const answers = [];
    for (let i = 0; i < records.length; i += 25) {
      const chunk = records.slice(i, i + 25);
      const response = await postV2('clicks', chunk);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'application/vnd.kafka.v2+json');
      const body = await response.json();
      assert.equal(body.offsets.length, chunk.length);
      body.offsets.forEach((offset, j) => answers.push({ ...offset, value: chunk[j].value }));
    }
    delivered.push(...records.map((r) => r.value));

    const byId = await copiesById('clicks');
    assertDelivered(byId, delivered);
    for (const { partition, offset, error_code: code, value } of answers) {
      assert.equal(code, null);
      const [copy] = byId.get(value._id);
      assert.deepEqual([copy.partition, copy.offset], [partition, offset]);
    }
    // One key, one partition, in the browser log's order (the offsets in `_id` count up).
    const byKey = new Map();
    for (const record of await cluster.readAll('clicks')) {
      const list = byKey.get(record.key) ?? [];
      list.push(record);
      byKey.set(record.key, list);
    }
    for (const [key, list] of byKey) {
      assert.equal(new Set(list.map((r) => r.partition)).size, 1, `key ${key} in one partition`);
      const logOffsets = list.map((r) => Number(r.value._id.split(':')[3]));
      assert.deepEqual(
        logOffsets,
        [...logOffsets].sort((a, b) => a - b),
        `key ${key} in order`,
      );
    }
  });

  test('v3: single records and batches of at most 10 entries', async () => {
    const records = sinkClicks({ logId: 'browserB', count: 43, seed: 2 });
    const [first, ...rest] = records;
    const single = await post(v3Path('clicks'), 'application/json', v3Entry(first));
    assert.equal(single.status, 200);
    const answer = await single.json();
    assert.equal(answer.error_code, 200);
    assert.equal(answer.cluster_id, cluster.clusterId);
    assert.equal(answer.topic_name, 'clicks');
    assert.ok(Number.isInteger(answer.partition_id) && Number.isInteger(answer.offset));

    for (let i = 0; i < rest.length; i += 10) {
      const entries = rest.slice(i, i + 10).map((r) => ({ id: r.value._id, ...v3Entry(r) }));
      const response = await post(v3Path('clicks', true), 'application/json', { entries });
      assert.equal(response.status, 207);
      const body = await response.json();
      assert.deepEqual(body.failures, []);
      assert.deepEqual(
        body.successes.map((s) => s.id),
        entries.map((e) => e.id),
      );
    }
    delivered.push(...records.map((r) => r.value));
    assertDelivered(await copiesById('clicks'), delivered);

    const eleven = rest.slice(0, 11).map((r) => ({ id: r.value._id, ...v3Entry(r) }));
    const tooMany = await post(v3Path('clicks', true), 'application/json', { entries: eleven });
    assert.equal(tooMany.status, 400);
    assert.equal((await tooMany.json()).error_code, 400);
  });

  test('errors a sink must tell apart: 404 unknown topic, 415, 400, 422, 413', async () => {
    const [record] = sinkClicks({ logId: 'errors', count: 1, seed: 3 });
    const expect = async (response, status, code) => {
      assert.equal(response.status, status);
      const body = await response.json();
      assert.equal(body.error_code, code);
      assert.equal(typeof body.message, 'string');
    };
    await expect(await postV2('no-such-topic', [record]), 404, 40401);
    await expect(await postV2('clicks', [{ ...record, partition: 99 }]), 404, 40402);
    await expect(
      await post(v3Path('no-such-topic'), 'application/json', v3Entry(record)),
      404,
      404,
    );
    await expect(
      await post(`/v3/clusters/not-this-one/topics/clicks/records`, 'application/json', {}),
      404,
      404,
    );
    await expect(await post('/topics/clicks', 'application/json', { records: [record] }), 415, 415);
    await expect(await post('/topics/clicks', V2, '{"records": ['), 400, 400);
    await expect(await postV2('clicks', []), 422, 42200);
    const big = { ...record, value: { ...record.value, label: 'x'.repeat(1024 * 1024) } };
    await expect(await postV2('clicks', [big]), 413, 413);
    // None of them produced anything.
    assert.equal((await copiesById('clicks')).has(record.value._id), false);
  });

  test('CORS: the preflight of a cross-origin POST is allowed, and so is the answer', async () => {
    const preflight = await fetch(`${cluster.restUrl}/topics/clicks`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://shop.example',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
    assert.match(preflight.headers.get('access-control-allow-methods'), /POST/);
    assert.match(preflight.headers.get('access-control-allow-headers'), /content-type/);
    const response = await postV2('no-such-topic', [{ value: 1 }], {
      headers: { 'Content-Type': V2, Origin: 'https://shop.example' },
    });
    assert.equal(response.status, 404);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
  });
});

describe('injected faults', () => {
  /** One request of `count` fresh clicks: its records, and the POST of them. */
  const attempt = (logId, seed) => {
    const records = sinkClicks({ logId, count: 7, seed });
    return { records, send: (init) => postV2('clicks', records, init) };
  };

  test('500 and 429 answer with the proxy error body; nothing produced until a retry', async () => {
    cluster.inject({ kind: 'status', status: 500, times: 2 });
    cluster.inject({ kind: 'status', status: 429, retryAfter: 3 });
    const { records, send } = attempt('fault500', 10);
    const first = await send();
    assert.equal(first.status, 500);
    assert.deepEqual(await first.json(), { error_code: 50001, message: 'injected 500' });
    assert.equal((await send()).status, 500);
    const limited = await send();
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '3');
    const byIdBefore = await copiesById('clicks');
    assert.equal(byIdBefore.has(records[0].value._id), false);
    assert.equal((await send()).status, 200);
    delivered.push(...records.map((r) => r.value));
    const byId = await copiesById('clicks');
    assertDelivered(byId, delivered);
    for (const r of records) assert.equal(byId.get(r.value._id).length, 1);
  });

  test('hang: no answer until the client gives up; nothing produced', async () => {
    cluster.inject({ kind: 'hang' });
    const { records, send } = attempt('faultHang', 11);
    const seen = cluster.requests.length;
    const abort = new AbortController();
    const pending = send({ signal: abort.signal });
    // The client's timeout, fired as soon as the proxy holds the request.
    await until(() => cluster.requests.length > seen);
    abort.abort();
    await assert.rejects(pending, { name: 'AbortError' });
    assert.equal((await copiesById('clicks')).has(records[0].value._id), false);
    assert.equal((await send()).status, 200);
    delivered.push(...records.map((r) => r.value));
  });

  test('drop: the connection resets mid-request; nothing produced', async () => {
    cluster.inject({ kind: 'drop' });
    const { records, send } = attempt('faultDrop', 12);
    await assert.rejects(send(), TypeError);
    assert.equal((await copiesById('clicks')).has(records[0].value._id), false);
    assert.equal((await send()).status, 200);
    delivered.push(...records.map((r) => r.value));
  });

  test('drop after produce: the retry makes duplicates, each with the same _id', async () => {
    cluster.inject({ kind: 'drop-after-produce' });
    const { records, send } = attempt('faultLost', 13);
    await assert.rejects(send(), TypeError);
    assert.equal((await send()).status, 200);
    delivered.push(...records.map((r) => r.value));
    const byId = await copiesById('clicks');
    assertDelivered(byId, delivered);
    for (const r of records) assert.equal(byId.get(r.value._id).length, 2);
  });

  test('partial: half the records produced, the others answered with a retriable error', async () => {
    cluster.inject({ kind: 'partial', times: 2 });
    const { records, send } = attempt('faultPartial', 15);
    const v2 = await (await send()).json();
    assert.deepEqual(
      v2.offsets.map((o) => o.error_code),
      [null, null, null, 2, 2, 2, 2],
    );
    const entries = records.map((r, i) => ({ id: String(i), ...v3Entry(r) }));
    const v3 = await post(v3Path('clicks', true), 'application/json', { entries });
    assert.equal(v3.status, 207);
    const { successes, failures } = await v3.json();
    assert.deepEqual(
      successes.map((s) => s.id),
      ['0', '1', '2'],
    );
    assert.deepEqual(
      failures.map((f) => [f.id, f.error_code]),
      ['3', '4', '5', '6'].map((id) => [id, 503]),
    );
    const byId = await copiesById('clicks');
    for (const [i, r] of records.entries()) {
      assert.equal(byId.get(r.value._id)?.length ?? 0, i < 3 ? 2 : 0, `record ${i}`);
    }
    assert.equal((await send()).status, 200); // the sink sends the request again whole
    delivered.push(...records.map((r) => r.value));
    assertDelivered(await copiesById('clicks'), delivered);
  });

  test('status with errorCode: the error body carries that code', async () => {
    cluster.inject({ kind: 'status', status: 422, errorCode: 42206 });
    const { records, send } = attempt('faultCode', 16);
    const rejected = await send();
    assert.equal(rejected.status, 422);
    assert.deepEqual(await rejected.json(), { error_code: 42206, message: 'injected 422' });
    assert.equal((await copiesById('clicks')).has(records[0].value._id), false);
  });

  test('a browser test injects over HTTP: POST /_faults', async () => {
    const injected = await fetch(`${cluster.restUrl}/_faults`, {
      method: 'POST',
      body: JSON.stringify({ kind: 'status', status: 503 }),
    });
    assert.equal(injected.status, 204);
    const { records, send } = attempt('faultHttp', 14);
    assert.equal((await send()).status, 503);
    assert.equal((await send()).status, 200);
    delivered.push(...records.map((r) => r.value));
    const typo = await fetch(`${cluster.restUrl}/_faults`, {
      method: 'POST',
      body: JSON.stringify({ kind: 'hang-up' }),
    });
    assert.equal(typo.status, 400);
  });
});

describe('Spark: examples/spark/page_counts.py over the topic', () => {
  test('its deduplicated counts per page equal those of what was produced', async (t) => {
    const byId = await copiesById('clicks');
    const copies = [...byId.values()].reduce((n, list) => n + list.length, 0);
    assert.ok(copies > byId.size, 'the topic holds duplicates for Spark to drop');
    assertDelivered(byId, delivered);
    assert.equal(byId.size, new Set(delivered.map((v) => v._id)).size, 'nothing else there');

    const started = performance.now();
    const result = await runPageCounts({ bootstrap: cluster.bootstrap, topics: ['clicks'] });
    const ms = Math.round(performance.now() - started);
    console.log(`# timings (ms): {"spark":${ms}}`);
    t.diagnostic(`Spark job: ${ms} ms`);

    const expected = countsByPage(delivered);
    assert.deepEqual(result.pages, expected);
    // The windows add up to the same counts, each window a minute.
    const summed = {};
    for (const { page, count, start } of result.windows) {
      assert.equal(new Date(`${start}Z`).getUTCSeconds(), 0);
      summed[page] = (summed[page] ?? 0) + count;
    }
    assert.deepEqual(summed, expected);
  });
});
