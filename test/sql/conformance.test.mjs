// The SQL conformance suite: every query of ./queries.mjs asked of tabstream (`tabstream.sql`,
// the built script tag in Chromium, its log holding ./data.mjs's records) and of Apache Spark SQL
// (./spark_runner.py, over the same records with the partitions and offsets the log gave them),
// one test per query. The answers must agree (./compare.mjs); a query marked `differs` shows
// how tabstream's answer differs, and why, without failing. Needs `npm run build` first.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { install } from '../kafka/paths.mjs';
import { startTabstream } from './browser.mjs';
import { difference } from './compare.mjs';
import { EMPTY_TOPIC, generate, RECORD_COLUMNS, TABLES, tableRows, VIEWS } from './data.mjs';
import { QUERIES } from './queries.mjs';
import { sparkAnswers } from './spark.mjs';

let tabstream;
/** The tables as Spark has them: { name: { schema, rows } }. */
let tables;
/** Spark's answers by query name: one Spark run, started once the log holds the data. */
let spark;

before(async () => {
  assert.ok(
    existsSync(new URL('../../dist/tabstream.js', import.meta.url)),
    'dist/ is missing: run `npm run build` first',
  );
  install();
  const records = generate();
  tabstream = await startTabstream(records, EMPTY_TOPIC, VIEWS);
  const rows = tableRows(records, tabstream.metadata);
  tables = Object.fromEntries(
    Object.entries(rows).map(([name, list]) => [
      name,
      { schema: [...TABLES[name], ...RECORD_COLUMNS], rows: list },
    ]),
  );
  tables[EMPTY_TOPIC] = { schema: [...TABLES.clicks, ...RECORD_COLUMNS], rows: [] };
  Object.assign(tables, VIEWS);
  spark = sparkAnswers(tables, QUERIES);
  spark.catch(() => {}); // each test awaits it, and fails with its error
});

after(async () => {
  await tabstream?.close();
});

// The data path, apart from SQL: what Spark reads is what the log holds, record for record.
test('the log holds the tables Spark reads', async () => {
  const topics = Object.keys(TABLES);
  const held = await tabstream.readBack(topics);
  for (const topic of topics) {
    const records = held.filter((record) => record.topic === topic);
    const [asRows] = Object.values(tableRows({ [topic]: records }, { [topic]: records }));
    const byPlace = (a, b) => a._partition - b._partition || a._offset - b._offset;
    assert.deepEqual(asRows.sort(byPlace), [...tables[topic].rows].sort(byPlace), topic);
  }
});

for (const query of QUERIES) {
  test(query.name, async (t) => {
    const expected = (await spark)[query.name];
    if (!query.name.startsWith('error:') && !query.differs)
      assert.ok(!('error' in expected), `Spark rejects a query meant to run: ${expected.error}`);
    assert.ok(!tabstream.missing, 'window.tabstream.sql is not a function in this build');
    const differs = difference(query, expected, await tabstream.sql(query.sql, query.params));
    if (query.differs) {
      t.diagnostic(`tabstream differs by choice: ${query.differs}`);
      if (differs) t.diagnostic(differs);
      return;
    }
    assert.ok(differs === null, `${query.sql}\n${differs}`);
  });
}
