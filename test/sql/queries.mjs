// The conformance suite's queries: each runs in tabstream (`tabstream.sql(sql, params)`) and in
// Apache Spark SQL over the same data (./data.mjs), and the answers must be equal.
// - `ordered`: rows compared in order; only where ORDER BY makes the order total (else rows are
//   compared as multisets, since two engines may break ties differently);
// - `tolerance`: relative, for numbers (default 1e-9);
// - `params`: `?` takes a list, `$name` an object (Spark's `:name`: the runner rewrites it);
// - `differs`: why tabstream chooses to answer otherwise: run and shown, never failed.
// A query Spark rejects must be rejected by tabstream too; those named 'error: …' are meant to
// be rejected, and any other that Spark rejects is a mistake of the suite.

import { START } from './data.mjs';

const HOUR = 3600 * 1000;

/** A total order of the clicks: equal ts are broken by where the record is in the log. */
const BY_LOG = '_partition, _offset';

const select = [
  { name: 'select columns', sql: 'SELECT page, tabId, x, y FROM clicks' },
  { name: 'select star', sql: 'SELECT * FROM clicks' },
  { name: 'select star of an alias', sql: "SELECT p.* FROM pageviews p WHERE p.kind = 'load'" },
  {
    name: 'select star of a derived table',
    sql: 'SELECT * FROM (SELECT page, ts, label FROM clicks WHERE x < 100) t',
  },
  {
    name: 'table alias and qualified columns',
    sql: "SELECT c.page AS p, c.x FROM clicks AS c WHERE c.tag = 'button'",
  },
  {
    name: 'where with and, or and parentheses',
    sql: 'SELECT pageviewId, x, y FROM clicks WHERE x >= 200 AND (y < 300 OR button = 1)',
  },
  { name: 'where not', sql: "SELECT count(*) FROM clicks WHERE NOT (tag = 'a')" },
  { name: 'select distinct', sql: 'SELECT DISTINCT tag, role FROM clicks' },
  {
    name: 'count of a distinct subquery',
    sql: 'SELECT count(*) FROM (SELECT DISTINCT page FROM clicks) d',
  },
  {
    name: 'arithmetic operators',
    sql: 'SELECT x + y AS s, x - y AS d, x * 2 AS m, x / 4 AS q, x % 7 AS r, x div 7 AS i, -x AS n FROM clicks',
  },
  { name: 'arithmetic precedence', sql: 'SELECT x + y * 2 - vw / 10 AS v FROM clicks' },
  {
    name: 'comparison operators',
    sql: 'SELECT x = y AS eq, x <> y AS ne, x != y AS ne2, x < y AS lt, x <= y AS le, x > y AS gt, x >= y AS ge FROM clicks',
  },
  {
    name: 'select without from',
    sql: "SELECT 1 + 2 AS three, 'a' || 'b' AS ab, 7 / 2 AS half, 7 div 2 AS quot, NULL IS NULL AS n",
  },
];

const nulls = [
  { name: 'is null', sql: 'SELECT count(*) FROM clicks WHERE label IS NULL' },
  {
    name: 'is not null, grouped',
    sql: 'SELECT tag, count(*) FROM clicks WHERE target IS NOT NULL GROUP BY tag',
  },
  {
    name: 'three-valued and, or, not',
    sql: 'SELECT DISTINCT dead, rage, dead AND rage AS a, dead OR rage AS o, NOT dead AS n FROM clicks',
  },
  {
    name: 'a null condition keeps no row',
    sql: `SELECT (SELECT count(*) FROM clicks WHERE dead) AS d,
  (SELECT count(*) FROM clicks WHERE NOT dead) AS nd,
  (SELECT count(*) FROM clicks WHERE dead IS NULL) AS u`,
  },
  {
    name: 'equals null is null, <=> is not',
    sql: `SELECT (SELECT count(*) FROM clicks WHERE label = NULL) AS eq,
  (SELECT count(*) FROM clicks WHERE label <=> NULL) AS ns`,
  },
  {
    name: "null beside ''",
    sql: "SELECT label IS NULL AS n, label = '' AS e, count(*) FROM clicks GROUP BY 1, 2",
  },
  {
    name: 'coalesce',
    sql: 'SELECT coalesce(label, role, tag) AS l, count(*) AS c FROM clicks GROUP BY 1',
  },
  {
    name: 'null propagates through operators',
    sql: "SELECT x + NULL AS a, concat(label, '!') AS b, label || '?' AS c FROM clicks WHERE tag = 'span' OR label IS NULL",
  },
  {
    name: 'in and not in a list holding null',
    sql: `SELECT (SELECT count(*) FROM clicks WHERE role IN ('link', NULL)) AS i,
  (SELECT count(*) FROM clicks WHERE role NOT IN ('link', NULL)) AS ni`,
  },
  {
    name: 'aggregates skip nulls',
    sql: 'SELECT count(label), count(*), count(DISTINCT label), min(label), max(label) FROM clicks',
  },
  { name: 'group by a nullable key', sql: 'SELECT role, count(*) FROM clicks GROUP BY role' },
];

const empty = [
  {
    name: 'aggregates of no rows',
    sql: 'SELECT count(*), sum(x), avg(x), min(ts), max(ts), count(DISTINCT page) FROM clicks WHERE x < 0',
  },
  {
    name: 'group by over no rows',
    sql: 'SELECT page, count(*) FROM clicks WHERE x < 0 GROUP BY page',
  },
  {
    name: 'join of no rows',
    sql: 'SELECT c.page, p.kind FROM clicks c JOIN pageviews p ON c.pageviewId = p.pageviewId WHERE c.x < 0',
  },
  {
    name: 'window over no rows',
    sql: 'SELECT page, row_number() OVER (ORDER BY ts) AS n FROM clicks WHERE x < 0',
  },
  { name: 'limit 0', sql: 'SELECT page FROM clicks LIMIT 0' },
  { name: 'count of an empty topic', sql: 'SELECT count(*) FROM empty_clicks' },
  {
    name: "an empty topic's columns",
    sql: 'SELECT page, count(*), max(x) FROM empty_clicks GROUP BY page',
    differs:
      'the log keeps no schema: a topic without records has no columns tabstream could know, ' +
      'where Spark reads them from the view',
  },
];

const grouping = [
  { name: 'group by a name', sql: 'SELECT page, count(*) AS clicks FROM clicks GROUP BY page' },
  {
    name: 'group by and order by ordinals',
    sql: 'SELECT page, count(*) FROM clicks GROUP BY 1 ORDER BY 2 DESC, 1',
    ordered: true,
  },
  {
    name: 'group by an expression',
    sql: 'SELECT lower(page) AS p, count(*) FROM clicks GROUP BY lower(page)',
  },
  {
    name: 'group by two keys',
    sql: 'SELECT tabId, sessionId, count(*), min(ts), max(ts) FROM clicks GROUP BY tabId, sessionId',
  },
  {
    name: 'having',
    sql: 'SELECT page, count(*) AS n FROM clicks GROUP BY page HAVING count(*) > 25',
  },
  {
    name: 'having on an aggregate not selected',
    sql: 'SELECT page FROM clicks GROUP BY page HAVING avg(x) > 190',
  },
  {
    name: 'order by an aggregate not selected',
    sql: 'SELECT page FROM clicks GROUP BY page ORDER BY count(*) DESC, page LIMIT 5',
    ordered: true,
  },
  {
    name: 'order by an alias',
    sql: 'SELECT tabId AS t, count(*) AS n FROM clicks GROUP BY tabId ORDER BY t',
    ordered: true,
  },
];

const ordering = [
  {
    name: 'ascending puts nulls first',
    sql: 'SELECT DISTINCT label FROM clicks ORDER BY label',
    ordered: true,
  },
  {
    name: 'descending puts nulls last',
    sql: 'SELECT DISTINCT label FROM clicks ORDER BY label DESC',
    ordered: true,
  },
  {
    name: 'nulls last',
    sql: 'SELECT DISTINCT role FROM clicks ORDER BY role NULLS LAST',
    ordered: true,
  },
  {
    name: 'descending nulls first',
    sql: 'SELECT DISTINCT role FROM clicks ORDER BY role DESC NULLS FIRST',
    ordered: true,
  },
  {
    name: 'order of booleans',
    sql: 'SELECT DISTINCT dead FROM clicks ORDER BY dead',
    ordered: true,
  },
  {
    name: 'strings order by code point',
    sql: 'SELECT DISTINCT page FROM clicks ORDER BY page',
    ordered: true,
  },
  {
    name: 'ties broken by a second key',
    sql: `SELECT pageviewId, ts, _partition, _offset FROM clicks ORDER BY ts DESC, ${BY_LOG}`,
    ordered: true,
  },
  {
    name: 'order by an expression not selected',
    sql: `SELECT page, x FROM clicks ORDER BY x * -1, page, ts, ${BY_LOG}`,
    ordered: true,
  },
  {
    name: 'limit and offset',
    sql: `SELECT _partition, _offset, ts FROM clicks ORDER BY ts, ${BY_LOG} LIMIT 10 OFFSET 20`,
    ordered: true,
  },
  {
    name: 'top n',
    sql: 'SELECT page, count(*) AS n FROM clicks GROUP BY page ORDER BY n DESC, page LIMIT 3',
    ordered: true,
  },
];

const conditions = [
  {
    name: 'searched case',
    sql: "SELECT CASE WHEN x < 100 THEN 'left' WHEN x < 300 THEN 'middle' ELSE 'right' END AS zone, count(*) FROM clicks GROUP BY 1",
  },
  {
    name: 'simple case',
    sql: "SELECT CASE button WHEN 0 THEN 'main' WHEN 1 THEN 'aux' END AS b, count(*) FROM clicks GROUP BY 1",
  },
  {
    name: 'case without else is null',
    sql: "SELECT CASE WHEN dead THEN 'dead' END AS d, count(*) FROM clicks GROUP BY 1",
  },
  { name: 'in a list', sql: "SELECT count(*) FROM clicks WHERE tag IN ('a', 'span')" },
  {
    name: 'not in a list',
    sql: "SELECT tag, count(*) FROM clicks WHERE tag NOT IN ('a', 'span') GROUP BY tag",
  },
  { name: 'between', sql: 'SELECT count(*) FROM clicks WHERE x BETWEEN 100 AND 200' },
  { name: 'not between', sql: 'SELECT count(*) FROM clicks WHERE y NOT BETWEEN 100 AND 1000' },
  {
    name: 'like is case-sensitive',
    sql: "SELECT DISTINCT page FROM clicks WHERE page LIKE '%/products/%'",
  },
  {
    name: 'like with _',
    sql: "SELECT DISTINCT page FROM clicks WHERE page LIKE 'https://shop.example/_art'",
  },
  { name: 'ilike', sql: "SELECT DISTINCT page FROM clicks WHERE page ILIKE '%/PRODUCTS/%'" },
  {
    name: 'like with an escape',
    sql: "SELECT name, count(*) FROM events WHERE name LIKE 'add!_%' ESCAPE '!' GROUP BY name",
  },
  { name: 'like skips nulls', sql: "SELECT count(*) FROM clicks WHERE label NOT LIKE '%o%'" },
];

const strings = [
  {
    name: 'lower, upper, length',
    sql: 'SELECT DISTINCT label, lower(label), upper(label), length(label) FROM clicks',
  },
  {
    name: 'substr',
    sql: 'SELECT DISTINCT substr(page, 21) AS a, substr(page, 1, 5) AS b, substr(page, -4, 2) AS c FROM clicks',
  },
  {
    name: 'concat and ||',
    sql: "SELECT DISTINCT concat(tag, '#', id) AS a, tag || '.' || classes AS b FROM clicks",
  },
  {
    name: 'split_part',
    sql: "SELECT DISTINCT split_part(page, '/', 4) AS first, split_part(page, '/', -1) AS last, split_part(page, '/', 9) AS none FROM clicks",
  },
  {
    name: 'regexp_extract',
    sql: "SELECT DISTINCT regexp_extract(page, '/products/([0-9]+)', 1) AS product FROM clicks",
  },
  {
    name: 'regexp_extract of a second group',
    sql: "SELECT DISTINCT regexp_extract(selector, '([a-z]+) > ([a-z]+)', 2) AS child FROM clicks",
  },
  {
    name: 'startswith',
    sql: "SELECT count(*) FROM clicks WHERE startswith(target, 'https://shop.example/')",
  },
  {
    name: 'starts_with',
    sql: "SELECT count(*) FROM clicks WHERE starts_with(target, 'https://shop.example/')",
    differs:
      'issue 19 names starts_with; Spark 4.2 has only startswith (UNRESOLVED_ROUTINE), ' +
      'tabstream takes both',
  },
];

const time = [
  {
    name: 'hour, day, extract',
    sql: 'SELECT hour(_timestamp) AS h, day(_timestamp) AS d, extract(minute FROM _timestamp) AS m, count(*) FROM clicks GROUP BY 1, 2, 3',
  },
  {
    name: 'date_trunc minute',
    sql: "SELECT date_trunc('minute', _timestamp) AS minute, count(*) FROM clicks GROUP BY 1 ORDER BY 1",
    ordered: true,
  },
  {
    name: 'date_trunc hour, upper case unit',
    sql: "SELECT date_trunc('HOUR', _timestamp) AS hour, count(*) FROM pageviews GROUP BY 1",
  },
  {
    name: 'interval arithmetic',
    sql: "SELECT _partition, _offset, _timestamp + interval '5 minutes' AS later, _timestamp - interval 1 hour AS earlier FROM clicks",
  },
  {
    name: 'a time range from to_timestamp and an interval',
    sql: "SELECT count(*) FROM clicks WHERE _timestamp >= to_timestamp('2026-03-14 10:00:00') AND _timestamp < to_timestamp('2026-03-14 10:00:00') + interval '30 minutes'",
  },
  {
    name: 'to_timestamp with a format',
    sql: "SELECT to_timestamp('14/03/2026 10:30', 'dd/MM/yyyy HH:mm') AS t",
  },
  {
    name: 'now and current_timestamp',
    sql: 'SELECT count(*) FROM clicks WHERE _timestamp < now() AND _timestamp < current_timestamp AND _timestamp < current_timestamp()',
  },
  {
    name: 'now minus an interval',
    sql: "SELECT max(_timestamp) < now() - interval '1 day' AS old FROM clicks",
  },
  {
    name: 'timestamp_millis of ts',
    sql: 'SELECT hour(timestamp_millis(ts)) AS h, count(*) FROM clicks GROUP BY 1',
  },
  {
    name: 'cast to date',
    sql: 'SELECT CAST(_timestamp AS DATE) AS day, count(*) FROM clicks GROUP BY 1',
  },
  {
    name: 'tumbling window',
    sql: "SELECT window.start AS start, window.end AS end, count(*) AS n FROM clicks GROUP BY window(_timestamp, '30 minutes')",
  },
  {
    name: 'sliding window',
    sql: "SELECT window.start AS start, window.end AS end, count(*) AS n FROM clicks GROUP BY window(_timestamp, '1 hour', '30 minutes')",
  },
  { name: 'ms arithmetic on ts', sql: 'SELECT max(ts) - min(ts) AS span FROM clicks' },
];

const aggregates = [
  {
    name: 'sum, avg, min, max',
    sql: 'SELECT tag, sum(x), avg(y), min(x), max(y), count(*) FROM clicks GROUP BY tag',
  },
  {
    name: 'count distinct',
    sql: 'SELECT page, count(DISTINCT sessionId) AS sessions, count(DISTINCT tabId) AS tabs FROM clicks GROUP BY page',
  },
  {
    name: 'filter clause',
    sql: 'SELECT page, count(*) FILTER (WHERE rage) AS rage, count(*) FILTER (WHERE dead IS NULL) AS unknown, sum(x) FILTER (WHERE button = 1) AS aux FROM clicks GROUP BY page',
  },
  {
    name: 'count distinct with a filter',
    sql: 'SELECT count(DISTINCT tabId) FILTER (WHERE outbound) AS tabs FROM clicks',
  },
  {
    name: 'approx_count_distinct',
    sql: 'SELECT page, approx_count_distinct(sessionId) AS sessions FROM clicks GROUP BY page',
    tolerance: 0.05,
  },
  {
    name: 'percentile_approx',
    sql: 'SELECT tag, percentile_approx(x, 0.5) AS median, percentile_approx(y, 0.9) AS p90 FROM clicks GROUP BY tag',
  },
  {
    name: 'percentile_approx at a low accuracy',
    sql: 'SELECT tag, percentile_approx(y, 0.9, 100) AS p90 FROM clicks GROUP BY tag',
    differs:
      "Spark's sketch at accuracy 100 may answer a value a row or so (1% of them) away from " +
      'the 90th percentile; tabstream answers the exact percentile, which is within that',
  },
  {
    name: 'collect_list and collect_set of one value a group',
    sql: 'SELECT pageviewId, collect_set(page) AS pages, collect_list(tabId) AS tabs FROM clicks GROUP BY pageviewId',
  },
  {
    name: 'having without group by',
    sql: 'SELECT count(*) FROM clicks HAVING count(*) > 1000',
  },
  { name: 'avg of integers', sql: 'SELECT avg(x), sum(x) / count(x) FROM clicks' },
  {
    name: 'aggregates of expressions',
    sql: 'SELECT sum(x * y) / sum(y) AS weighted, max(x) - min(x) AS spread FROM clicks',
  },
  {
    name: 'aggregates of doubles in a struct',
    sql: 'SELECT name, sum(props.amount), avg(props.amount), count(props.amount) FROM events GROUP BY name',
  },
];

const windows = [
  {
    name: 'row_number',
    sql: `SELECT tabId, ts, _partition, _offset, row_number() OVER (PARTITION BY tabId ORDER BY ts, ${BY_LOG}) AS n FROM clicks`,
  },
  {
    name: 'rank with ties',
    sql: 'SELECT page, x, rank() OVER (PARTITION BY page ORDER BY x DESC) AS r FROM clicks',
  },
  {
    name: 'dense_rank with ties',
    sql: 'SELECT page, x, dense_rank() OVER (PARTITION BY page ORDER BY x DESC) AS r FROM clicks',
  },
  {
    name: 'lag and lead with a default',
    sql: "SELECT tabId, pageviewId, page, lag(page) OVER (PARTITION BY tabId ORDER BY ts, pageviewId) AS prev, lead(page, 1, 'exit') OVER (PARTITION BY tabId ORDER BY ts, pageviewId) AS next FROM pageviews",
  },
  {
    name: 'lag by two',
    sql: `SELECT _partition, _offset, lag(x, 2, 0) OVER (PARTITION BY tabId ORDER BY ts, ${BY_LOG}) AS x2 FROM clicks`,
  },
  {
    name: 'first_value',
    sql: 'SELECT sessionId, pageviewId, first_value(page) OVER (PARTITION BY sessionId ORDER BY ts, pageviewId) AS landing FROM pageviews',
  },
  {
    name: 'running sum',
    sql: 'SELECT tabId, pageviewId, sum(vw) OVER (PARTITION BY tabId ORDER BY ts, pageviewId) AS running FROM pageviews',
  },
  {
    name: 'default frame takes peers',
    sql: `SELECT page, x, _partition, _offset, count(*) OVER (PARTITION BY page ORDER BY x) AS upto FROM clicks`,
  },
  {
    name: 'rows frame',
    sql: `SELECT tabId, _partition, _offset, avg(x) OVER (PARTITION BY tabId ORDER BY ts, ${BY_LOG} ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS moving FROM clicks`,
  },
  {
    name: 'rows frame to unbounded following',
    sql: `SELECT tabId, _partition, _offset, sum(x) OVER (PARTITION BY tabId ORDER BY ts, ${BY_LOG} ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS rest FROM clicks`,
  },
  {
    name: 'range frame of an interval',
    sql: 'SELECT tabId, _partition, _offset, count(*) OVER (PARTITION BY tabId ORDER BY _timestamp RANGE BETWEEN INTERVAL 10 MINUTES PRECEDING AND CURRENT ROW) AS recent FROM clicks',
  },
  {
    name: 'window without order',
    sql: 'SELECT page, x, max(x) OVER (PARTITION BY page) AS m, count(*) OVER () AS total FROM clicks',
  },
  {
    name: 'window over an aggregate',
    sql: 'SELECT page, count(*) AS n, rank() OVER (ORDER BY count(*) DESC) AS r FROM clicks GROUP BY page',
  },
  {
    name: 'next page transitions',
    sql: `WITH t AS (SELECT page, lead(page) OVER (PARTITION BY tabId ORDER BY _timestamp, ${BY_LOG}) AS next FROM pageviews)
SELECT page, next, count(*) AS n FROM t WHERE next IS NOT NULL GROUP BY page, next`,
  },
];

const composition = [
  {
    name: 'cte',
    sql: 'WITH per_page AS (SELECT page, count(*) AS n FROM clicks GROUP BY page) SELECT max(n), min(n), sum(n) FROM per_page',
  },
  {
    name: 'two ctes, the second over the first',
    sql: `WITH s AS (SELECT sessionId, count(*) AS views FROM pageviews GROUP BY sessionId),
  short AS (SELECT sessionId FROM s WHERE views < 7)
SELECT count(*) FROM short`,
  },
  {
    name: 'cte joined back (bounce)',
    sql: `WITH short AS (SELECT sessionId FROM pageviews GROUP BY sessionId HAVING count(*) < 7)
SELECT p.page, count(*) FROM pageviews p JOIN short s ON p.sessionId = s.sessionId GROUP BY p.page`,
  },
  {
    name: 'cte with column names',
    sql: 'WITH t(p, n) AS (SELECT page, count(*) FROM clicks GROUP BY page) SELECT p, n FROM t WHERE n > 30',
  },
  {
    name: 'subquery in from',
    sql: 'SELECT avg(n) FROM (SELECT tabId, count(*) AS n FROM clicks GROUP BY tabId) t',
  },
  {
    name: 'scalar subquery',
    sql: 'SELECT page, count(*) AS n FROM clicks GROUP BY page HAVING count(*) > (SELECT count(*) / 10 FROM clicks)',
  },
  {
    name: 'in a subquery',
    sql: "SELECT count(*) FROM clicks WHERE pageviewId IN (SELECT pageviewId FROM pageviews WHERE kind = 'load')",
  },
  {
    name: 'not in a subquery',
    sql: 'SELECT count(*) FROM pageviews WHERE pageviewId NOT IN (SELECT pageviewId FROM clicks)',
  },
  {
    name: 'correlated exists',
    sql: 'SELECT count(*) FROM pageviews p WHERE EXISTS (SELECT 1 FROM events e WHERE e.pageviewId = p.pageviewId)',
    differs:
      'tabstream refuses correlated subqueries by name (write a JOIN, or IN of a subquery), ' +
      'where Spark decorrelates them',
  },
];

const tableFunctions = [
  { name: 'range of an end', sql: 'SELECT id FROM range(5)' },
  {
    name: 'range counted down, filtered and sorted',
    sql: 'SELECT id, id * 2 AS twice FROM range(10, 0, -3) WHERE id > 1 ORDER BY id',
    ordered: true,
  },
  {
    name: 'range joined with a topic',
    sql: 'SELECT r.id, count(p.pageviewId) AS views FROM range(0, 4) AS r LEFT JOIN pageviews p ON p.ts % 4 = r.id GROUP BY r.id',
  },
  { name: 'error: range with a step of 0', sql: 'SELECT id FROM range(0, 5, 0)' },
];

const joins = [
  {
    name: 'inner join',
    sql: 'SELECT c.page, p.kind, count(*) FROM clicks c JOIN pageviews p ON c.pageviewId = p.pageviewId GROUP BY c.page, p.kind',
  },
  {
    name: 'left join, counted',
    sql: 'SELECT p.pageviewId, p.page, count(c.pageviewId) AS clicks FROM pageviews p LEFT JOIN clicks c ON c.pageviewId = p.pageviewId GROUP BY p.pageviewId, p.page',
  },
  {
    name: 'left join keeps unmatched rows with nulls',
    sql: "SELECT p.pageviewId, e.name FROM pageviews p LEFT JOIN events e ON e.pageviewId = p.pageviewId WHERE p.tabId = 'tab-a'",
  },
  {
    name: 'cross join',
    sql: 'SELECT t.tag, k.kind FROM (SELECT DISTINCT tag FROM clicks) t CROSS JOIN (SELECT DISTINCT kind FROM pageviews) k',
  },
  {
    name: 'self join with a range condition',
    sql: 'SELECT a.tabId, count(*) FROM pageviews a JOIN pageviews b ON a.tabId = b.tabId AND b.ts > a.ts AND b.ts < a.ts + 2000000 GROUP BY a.tabId',
  },
  {
    name: 'join using',
    sql: 'SELECT pageviewId, c.x, p.kind FROM clicks c JOIN pageviews p USING (pageviewId) WHERE c.x > 350',
  },
  {
    name: 'three tables, inner and left',
    sql: 'SELECT e.name, p.kind, count(c.x) AS clicks FROM events e JOIN pageviews p ON e.pageviewId = p.pageviewId LEFT JOIN clicks c ON c.pageviewId = p.pageviewId GROUP BY e.name, p.kind',
  },
  {
    name: 'null keys never match',
    sql: 'SELECT count(*) FROM clicks a JOIN clicks b ON a.id = b.id',
  },
  {
    name: 'join on the record key',
    sql: 'SELECT count(*) FROM clicks c JOIN pageviews p ON c._key = p._key AND c.pageviewId = p.pageviewId',
  },
];

// `goals` is a dataset registered as a view (data.mjs's VIEWS), not a topic.
const views = [
  { name: 'a view', sql: 'SELECT * FROM goals' },
  {
    name: 'a view grouped',
    sql: 'SELECT goal, sum(weight) AS w, count(*) AS n FROM goals GROUP BY goal',
  },
  {
    name: 'a topic joined with a view',
    sql: 'SELECT g.goal, count(*) AS clicks, sum(g.weight) AS value FROM clicks c JOIN goals g ON c.page = g.page GROUP BY g.goal',
  },
  {
    name: 'a view left joined with a topic',
    sql: 'SELECT g.page, count(c.x) AS clicks FROM goals g LEFT JOIN clicks c ON c.page = g.page GROUP BY g.page',
  },
];

const unions = [
  { name: 'union all', sql: 'SELECT page FROM clicks UNION ALL SELECT page FROM pageviews' },
  {
    name: 'union removes duplicates',
    sql: 'SELECT tabId, page FROM clicks UNION SELECT tabId, page FROM pageviews',
  },
  {
    name: 'union, ordered and limited',
    sql: "SELECT page, 'click' AS kind FROM clicks UNION SELECT page, 'view' FROM pageviews ORDER BY page, kind LIMIT 7",
    ordered: true,
  },
  {
    name: 'union widens bigint to double',
    sql: 'SELECT x FROM clicks WHERE x < 30 UNION ALL SELECT props.amount FROM events WHERE props.amount IS NOT NULL',
  },
  {
    name: 'union of three',
    sql: "SELECT 'c' AS t, count(*) AS n FROM clicks UNION ALL SELECT 'p', count(*) FROM pageviews UNION ALL SELECT 'e', count(*) FROM events",
  },
];

const params = [
  {
    name: 'positional params',
    sql: 'SELECT count(*) FROM clicks WHERE page = ? AND x > ?',
    params: ['https://shop.example/pricing', 150],
  },
  {
    name: 'named params',
    sql: 'SELECT page, count(*) FROM clicks WHERE ts >= $from AND ts < $to GROUP BY page',
    params: { from: START + HOUR, to: START + 2 * HOUR },
  },
  {
    name: 'a named param used twice',
    sql: 'SELECT count(*) FROM clicks WHERE x > $n AND y > $n',
    params: { n: 300 },
  },
  {
    name: 'params in the select list',
    sql: 'SELECT ? AS what, count(*) AS n FROM clicks WHERE tag = ?',
    params: ['buttons', 'button'],
  },
  {
    name: 'a boolean param',
    sql: 'SELECT count(*) FROM clicks WHERE keyboard = ?',
    params: [true],
  },
  { name: 'a null param', sql: "SELECT coalesce(?, 'none') AS v", params: [null] },
  {
    name: 'a double param in arithmetic',
    sql: 'SELECT ? * 2 AS d, ? AS s',
    params: [2.5, 'x'],
  },
  {
    name: '$ and ? inside a string are text',
    sql: "SELECT '$n?' AS s, count(*) AS c FROM clicks WHERE x > $n",
    params: { n: 100 },
  },
  {
    name: 'a param as a like pattern',
    sql: 'SELECT DISTINCT page FROM clicks WHERE page LIKE $pattern',
    params: { pattern: '%cart%' },
  },
];

const log = [
  {
    name: 'partitions and offsets',
    sql: 'SELECT _partition, count(*), min(_offset), max(_offset) FROM clicks GROUP BY _partition',
  },
  {
    name: 'records without a key',
    sql: 'SELECT _key IS NULL AS unkeyed, count(*) FROM clicks GROUP BY 1',
  },
  { name: 'the key is the tab', sql: 'SELECT count(*) FROM clicks WHERE _key <> tabId' },
  {
    name: 'the record columns',
    sql: 'SELECT _partition, _offset, _timestamp, ts, _key FROM clicks WHERE _offset < 3',
  },
  {
    name: 'a struct field',
    sql: "SELECT props.plan, count(*) FROM events WHERE name = 'signup' GROUP BY props.plan",
  },
  {
    name: 'a boolean struct field',
    sql: "SELECT props.ok, count(*) FROM events WHERE name = 'purchase' GROUP BY 1",
  },
];

const casts = [
  {
    name: 'casts',
    sql: "SELECT CAST(x AS STRING) AS s, CAST('42' AS INT) AS i, CAST(x AS DOUBLE) / 3 AS d, CAST(rage AS INT) AS r FROM clicks",
  },
  {
    name: 'cast of a double to int truncates',
    sql: 'SELECT props.amount, CAST(props.amount AS INT) AS i FROM events WHERE props.amount IS NOT NULL',
  },
  {
    name: 'cast of a string to timestamp',
    sql: "SELECT CAST('2026-03-14 10:00:00' AS TIMESTAMP) AS t",
  },
  {
    name: ':: casts',
    sql: "SELECT DISTINCT vw::string || 'x' || vh::string AS size FROM clicks",
  },
];

const errors = [
  { name: 'error: unknown column', sql: 'SELECT pgae FROM clicks' },
  { name: 'error: unknown table', sql: 'SELECT * FROM clickz' },
  { name: 'error: division by zero', sql: 'SELECT x / 0 FROM clicks' },
  { name: 'error: division of literals by zero', sql: 'SELECT 1 / 0' },
  { name: 'error: remainder by zero', sql: 'SELECT x % 0 FROM clicks' },
  { name: 'error: bad cast of a column', sql: 'SELECT CAST(page AS INT) FROM clicks' },
  { name: 'error: bad cast of a literal', sql: "SELECT CAST('abc' AS DOUBLE)" },
  { name: 'error: syntax', sql: 'SELECT page FROM clicks WHERE x >' },
  { name: 'error: unknown function', sql: 'SELECT frobnicate(page) FROM clicks' },
  {
    name: 'error: a column neither grouped nor aggregated',
    sql: 'SELECT page, tabId, count(*) FROM clicks GROUP BY page',
  },
  {
    name: 'error: an aggregate in where',
    sql: 'SELECT page FROM clicks WHERE count(*) > 1',
  },
  {
    name: 'error: union of different widths',
    sql: 'SELECT page FROM clicks UNION SELECT page, tabId FROM pageviews',
  },
  {
    name: 'error: ambiguous column',
    sql: 'SELECT pageviewId FROM clicks c JOIN pageviews p ON c.pageviewId = p.pageviewId',
  },
  {
    name: 'error: a param without a value',
    sql: 'SELECT count(*) FROM clicks WHERE x > ?',
    params: [],
  },
  {
    name: 'error: a named param without a value',
    sql: 'SELECT count(*) FROM clicks WHERE x > $n',
    params: {},
  },
  { name: 'error: split_part at 0', sql: "SELECT split_part(page, '/', 0) FROM clicks" },
];

const catalog = [
  {
    name: 'show tables',
    sql: 'SHOW TABLES',
    differs:
      "the log's topics are tables of their own, not temporary views (isTemporary false), where " +
      "Spark's side registers every table as a temp view",
  },
  { name: 'describe', sql: 'DESCRIBE clicks', ordered: true },
];

// WHERE bounds on `_timestamp` let a scan skip whole record batches (the log's data are
// appended in chunks, so batches hold distinct time ranges): each bound's form must answer alike.
const timeBounds = [
  {
    name: 'a lower bound on _timestamp',
    sql: "SELECT count(*), min(_timestamp) FROM clicks WHERE _timestamp >= to_timestamp('2026-03-14 11:00:00')",
  },
  {
    name: 'a bound with _timestamp on the right',
    sql: "SELECT count(*), max(_timestamp) FROM clicks WHERE to_timestamp('2026-03-14 11:00:00') > _timestamp",
  },
  {
    name: '_timestamp between',
    sql: "SELECT page, count(*) FROM clicks WHERE _timestamp BETWEEN to_timestamp('2026-03-14 10:15:00') AND to_timestamp('2026-03-14 10:45:00') GROUP BY page",
  },
  {
    name: 'a bound under or skips nothing',
    sql: "SELECT count(*) FROM clicks WHERE _timestamp < to_timestamp('2026-03-14 09:30:00') OR page LIKE '%cart'",
  },
  {
    name: 'a negated bound',
    sql: "SELECT count(*) FROM clicks WHERE NOT (_timestamp < to_timestamp('2026-03-14 12:00:00'))",
  },
  {
    name: '_timestamp against a string',
    sql: "SELECT count(*) FROM clicks WHERE _timestamp > '2026-03-14 11:00:00'",
  },
  {
    name: '_timestamp between strings, the string first',
    sql: "SELECT count(*) FROM clicks WHERE _timestamp BETWEEN '2026-03-14 10:00:00' AND '2026-03-14 10:30:00' OR '2026-03-14 12:30:00' < _timestamp",
  },
  {
    name: '_timestamp against now minus an interval',
    sql: "SELECT count(*) FROM clicks WHERE _timestamp > now() - interval '300 days'",
  },
  {
    name: 'bounds on both sides of a join',
    sql: "SELECT count(*) FROM clicks c JOIN pageviews p ON c.pageviewId = p.pageviewId WHERE c._timestamp >= to_timestamp('2026-03-14 10:00:00') AND p._timestamp < to_timestamp('2026-03-14 11:00:00')",
  },
];

// Where two engines most often part: integer division and remainder of negatives, text beyond
// ASCII, calendar units, frames written short, and subqueries of NULLs.
const edges = [
  {
    name: 'div and % of negative numbers',
    sql: 'SELECT -7 div 2 AS a, -7 % 3 AS b, 7 % -3 AS c, 10 / 4 AS d, 0.1 + 0.2 AS e',
  },
  {
    name: 'length and substr count characters, not UTF-16 units',
    sql: 'SELECT DISTINCT label, length(label) AS n, substr(label, 1, 3) AS head, upper(label) AS up FROM clicks WHERE label IS NOT NULL',
  },
  {
    name: 'concat of a number',
    sql: "SELECT DISTINCT concat(tag, x) AS a, 'v' || v AS b FROM clicks WHERE x < 40",
  },
  {
    name: 'date_trunc to day, week, month, quarter, year',
    sql: "SELECT DISTINCT date_trunc('day', _timestamp) AS d, date_trunc('week', _timestamp) AS w, date_trunc('month', _timestamp) AS m, date_trunc('quarter', _timestamp) AS q, date_trunc('year', _timestamp) AS y FROM clicks",
  },
  {
    name: 'year, month, minute, second, dayofweek',
    sql: 'SELECT DISTINCT year(_timestamp) AS y, month(_timestamp) AS mo, minute(_timestamp) AS mi, second(_timestamp) AS s, dayofweek(_timestamp) AS dow, extract(dayofweek FROM _timestamp) AS dow2 FROM pageviews',
  },
  {
    name: 'a frame of its start only',
    sql: `SELECT _partition, _offset, count(*) OVER (PARTITION BY page ORDER BY x, ${BY_LOG} ROWS UNBOUNDED PRECEDING) AS n FROM clicks`,
  },
  {
    name: 'a numeric range frame',
    sql: `SELECT _partition, _offset, sum(y) OVER (PARTITION BY tag ORDER BY x RANGE BETWEEN 10 PRECEDING AND 10 FOLLOWING) AS near FROM clicks`,
  },
  {
    name: 'last_value with the default frame stops at the peers',
    // Peers (equal x and y) have equal y: whichever the engine takes last, the answer is one.
    sql: 'SELECT _partition, _offset, last_value(y) OVER (PARTITION BY page ORDER BY x, y) AS v FROM clicks',
  },
  {
    name: 'ntile, percent_rank, cume_dist',
    sql: 'SELECT page, x, ntile(4) OVER (PARTITION BY page ORDER BY x, y, _partition, _offset) AS q, percent_rank() OVER (PARTITION BY page ORDER BY x) AS pr, cume_dist() OVER (PARTITION BY page ORDER BY x) AS cd FROM clicks',
  },
  {
    name: 'a window partitioned by an expression',
    sql: 'SELECT lower(page) AS p, x, max(x) OVER (PARTITION BY lower(page)) AS m FROM clicks',
  },
  {
    name: 'lead past the end is null',
    sql: 'SELECT pageviewId, lead(page, 3) OVER (PARTITION BY sessionId ORDER BY ts, pageviewId) AS third FROM pageviews',
  },
  {
    name: 'not in a subquery holding null',
    sql: "SELECT count(*) FROM clicks WHERE role NOT IN (SELECT role FROM clicks WHERE tag IN ('div', 'span'))",
  },
  {
    name: 'a condition on the right side of a left join',
    sql: "SELECT p.kind, count(e.name) AS purchases, count(*) AS views FROM pageviews p LEFT JOIN events e ON e.pageviewId = p.pageviewId AND e.name = 'purchase' GROUP BY p.kind",
  },
  {
    name: 'group by an expression, selected inside another',
    sql: "SELECT upper(tag) || '!' AS t, count(*) FROM clicks GROUP BY upper(tag)",
  },
  {
    name: 'offset past the end',
    sql: 'SELECT page FROM clicks ORDER BY page LIMIT 5 OFFSET 1000',
  },
  {
    name: 'in a list of mixed numbers',
    sql: 'SELECT count(*) FROM clicks WHERE x IN (10, 20.0, 30)',
  },
  {
    name: 'case of mixed int and double',
    sql: 'SELECT DISTINCT CASE WHEN button = 1 THEN 0.5 ELSE button END AS b FROM clicks',
  },
  {
    name: 'string comparison',
    sql: "SELECT count(*) FROM clicks WHERE page > 'https://shop.example/c' AND page <= 'https://shop.example/p'",
  },
  {
    name: 'error: integer overflow',
    sql: 'SELECT ts * ts FROM clicks',
    differs:
      "the log keeps every number as a double (its columns are Float64Array): there is no BIGINT to overflow, and the product is a double's, where Spark's ANSI BIGINT overflows",
  },
  { name: 'error: a string in arithmetic', sql: 'SELECT page + 1 FROM clicks' },
  {
    name: 'error: a scalar subquery of many rows',
    sql: 'SELECT (SELECT page FROM clicks) AS p',
  },
  { name: 'error: group by ordinal out of range', sql: 'SELECT page FROM clicks GROUP BY 2' },
  { name: 'error: order by ordinal out of range', sql: 'SELECT page FROM clicks ORDER BY 3' },
  { name: 'error: negative limit', sql: 'SELECT page FROM clicks LIMIT -1' },
  { name: 'error: unknown column in order by', sql: 'SELECT page FROM clicks ORDER BY pgae' },
];

// How a statement is written: case, quotes, comments, aliases where Spark resolves them.
const writing = [
  {
    name: 'identifiers are case-insensitive, named as written',
    sql: 'SELECT PAGE, TabID FROM CLICKS WHERE X < 20',
  },
  {
    name: 'lower-case keywords',
    sql: 'select distinct lower(tag) as t from clicks order by t desc',
    ordered: true,
  },
  {
    name: 'backquoted names and comments',
    sql: 'SELECT `page`, `_key` FROM `clicks` WHERE x < 20 -- the left edge\n/* a block */',
  },
  { name: "quotes in strings: '' and double quotes", sql: `SELECT 'it''s' AS a, "dq" AS b` },
  {
    name: 'group by a select alias',
    sql: 'SELECT lower(page) AS p, count(*) FROM clicks GROUP BY p',
  },
  {
    name: 'having on a select alias',
    sql: 'SELECT page, count(*) AS n FROM clicks GROUP BY page HAVING n > 25',
  },
  {
    name: 'having on the alias of a grouped expression',
    sql: "SELECT lower(page) AS p, count(*) FROM clicks GROUP BY lower(page) HAVING p LIKE '%products%'",
  },
  {
    name: 'offset without limit',
    sql: `SELECT page, ts FROM clicks ORDER BY ts, ${BY_LOG} OFFSET 305`,
    ordered: true,
  },
  {
    name: 'sum, avg and count of distinct values',
    sql: 'SELECT sum(DISTINCT x), avg(DISTINCT x), count(DISTINCT x) FROM clicks',
  },
  {
    name: 'not in an empty subquery',
    sql: "SELECT count(*) FROM pageviews WHERE pageviewId NOT IN (SELECT pageviewId FROM events WHERE name = 'nope')",
  },
  {
    name: 'a struct field in where and order by',
    sql: `SELECT name, props.amount AS amount FROM events WHERE props.amount > 10 ORDER BY props.amount DESC, ts, ${BY_LOG}`,
    ordered: true,
  },
  {
    name: 'a whole struct',
    sql: "SELECT props FROM events WHERE name = 'signup'",
    differs:
      "Spark's struct has every field of the view's schema (null where a record has none); the log keeps no schema, so tabstream's is the record's object, with the fields it has",
  },
];

export const QUERIES = [
  ...select,
  ...nulls,
  ...empty,
  ...grouping,
  ...ordering,
  ...conditions,
  ...strings,
  ...time,
  ...aggregates,
  ...windows,
  ...composition,
  ...joins,
  ...tableFunctions,
  ...views,
  ...unions,
  ...params,
  ...log,
  ...casts,
  ...writing,
  ...timeBounds,
  ...edges,
  ...errors,
  ...catalog,
];
