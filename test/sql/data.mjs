// The log's test data for the SQL conformance suite: clicks, page views and custom events as the
// tracker makes them (the fields of src/tracker/events.ts), deterministic for a seed. They hold
// what a SQL engine trips on: NULLs in every nullable field, '' beside NULL, ties (equal ts,
// equal x and y, equal counts per page), pages differing only in case, labels beyond ASCII,
// several sessions per tab, and a few records without a key. The log gives each record its `_partition` and `_offset`
// when it is appended; `tableRows` adds them (and `_timestamp`, `_key`) to make the tables.
import { seededRandom } from '../seeded-random.mjs';

/**
 * The topics, with Spark's schema of each table: the record's fields in the order `generate`
 * writes them (the order of a topic's columns in tabstream, for `SELECT *`).
 */
export const TABLES = {
  clicks: [
    ['v', 'BIGINT'],
    ['ts', 'BIGINT'],
    ['pageviewId', 'STRING'],
    ['page', 'STRING'],
    ['sessionId', 'STRING'],
    ['tabId', 'STRING'],
    ['type', 'STRING'],
    ['target', 'STRING'],
    ['tag', 'STRING'],
    ['selector', 'STRING'],
    ['id', 'STRING'],
    ['classes', 'STRING'],
    ['role', 'STRING'],
    ['label', 'STRING'],
    ['x', 'BIGINT'],
    ['y', 'BIGINT'],
    ['clientX', 'BIGINT'],
    ['clientY', 'BIGINT'],
    ['vw', 'BIGINT'],
    ['vh', 'BIGINT'],
    ['button', 'BIGINT'],
    ['modifiers', 'STRING'],
    ['keyboard', 'BOOLEAN'],
    ['outbound', 'BOOLEAN'],
    ['download', 'BOOLEAN'],
    ['rage', 'BOOLEAN'],
    ['dead', 'BOOLEAN'],
  ],
  pageviews: [
    ['v', 'BIGINT'],
    ['ts', 'BIGINT'],
    ['pageviewId', 'STRING'],
    ['page', 'STRING'],
    ['sessionId', 'STRING'],
    ['tabId', 'STRING'],
    ['type', 'STRING'],
    ['kind', 'STRING'],
    ['referrer', 'STRING'],
    ['title', 'STRING'],
    ['vw', 'BIGINT'],
    ['vh', 'BIGINT'],
  ],
  events: [
    ['v', 'BIGINT'],
    ['ts', 'BIGINT'],
    ['pageviewId', 'STRING'],
    ['page', 'STRING'],
    ['sessionId', 'STRING'],
    ['tabId', 'STRING'],
    ['type', 'STRING'],
    ['name', 'STRING'],
    ['props', 'STRUCT<plan: STRING, amount: DOUBLE, ok: BOOLEAN, query: STRING>'],
  ],
};

/** The columns tabstream adds to every table: where the record is in the log, its timestamp and key. */
export const RECORD_COLUMNS = [
  ['_partition', 'INT'],
  ['_offset', 'BIGINT'],
  ['_timestamp', 'TIMESTAMP'],
  ['_key', 'STRING'],
];

/**
 * A view that is no topic: a dataset of the page's (`parallelize(rows)`) registered with
 * `createOrReplaceTempView`, as Spark registers a DataFrame. Its columns: its rows' fields.
 */
export const VIEWS = {
  goals: {
    schema: [
      ['page', 'STRING'],
      ['goal', 'STRING'],
      ['weight', 'DOUBLE'],
    ],
    rows: [
      { page: 'https://shop.example/checkout', goal: 'buy', weight: 3 },
      { page: 'https://shop.example/cart', goal: 'buy', weight: 1.5 },
      { page: 'https://shop.example/pricing', goal: 'learn', weight: 0.5 },
      { page: 'https://shop.example/blog/sql-in-the-browser', goal: 'learn', weight: 0.25 },
      { page: 'https://shop.example/about', goal: null, weight: 0 },
      { page: 'https://shop.example/gone', goal: 'buy', weight: 2 },
    ],
  },
};

/** A topic with the columns of `clicks` and no record: for queries over empty input. */
export const EMPTY_TOPIC = 'empty_clicks';

const ORIGIN = 'https://shop.example';
const PAGES = [
  '/',
  '/products',
  '/products/42',
  '/products/7',
  '/Products/7',
  '/cart',
  '/checkout',
  '/blog/sql-in-the-browser',
  '/pricing',
  '/about',
].map((path) => ORIGIN + path);
const TARGETS = [...PAGES.slice(0, 6), 'https://docs.example/start', `${ORIGIN}/files/report.pdf`];
const ELEMENTS = [
  { tag: 'a', selector: 'nav > a.home', id: null, classes: 'home', role: null, label: 'Home' },
  {
    tag: 'button',
    selector: 'main > button#buy',
    id: 'buy',
    classes: 'btn primary',
    role: null,
    label: 'Buy now',
  },
  {
    tag: 'button',
    selector: 'main > button.more',
    id: null,
    classes: 'btn',
    role: null,
    label: null,
  },
  {
    tag: 'div',
    selector: 'section > div.card',
    id: null,
    classes: null,
    role: 'button',
    label: 'Card 7',
  },
  { tag: 'a', selector: 'footer > a', id: 'docs', classes: null, role: 'link', label: 'Docs' },
  { tag: 'span', selector: 'p > span', id: null, classes: null, role: null, label: '' },
  // Beyond ASCII: an emoji is one character to Spark, two UTF-16 code units to JavaScript.
  {
    tag: 'a',
    selector: 'nav > a.cart',
    id: 'cart',
    classes: 'cart',
    role: null,
    label: '🛒 Panier',
  },
  {
    tag: 'button',
    selector: 'main > button.café',
    id: null,
    classes: 'btn',
    role: null,
    label: 'Café straße',
  },
];
const MODIFIERS = ['', '', '', '', 'ctrl', 'shift', 'alt+shift', 'meta'];
const KINDS = ['load', 'push', 'push', 'replace', 'pop', 'hash', 'bfcache'];
const EVENT_NAMES = ['signup', 'add_to_cart', 'add_to_cart', 'purchase', 'search'];

/** 2026-03-14 09:00 UTC: the data spans about four hours from there. */
export const START = Date.UTC(2026, 2, 14, 9, 0, 0);

/**
 * The records of each topic, in the order they are sent, as `{ key, timestamp, value }`: the
 * record's key (its tab, or null), its timestamp (when it reached the log: `ts` plus a lag of up
 * to a few ms, equal for some) and its value (the event).
 */
export function generate(seed = 19) {
  const next = seededRandom(seed);
  const int = (n) => Math.floor(next() * n);
  const pick = (list) => list[int(list.length)];
  const maybe = (p, value) => (next() < p ? null : value);
  const tabs = ['tab-a', 'tab-b', 'tab-c', 'tab-d', 'tab-e', 'tab-f', 'tab-g', 'tab-h'];
  const records = { clicks: [], pageviews: [], events: [] };
  const record = (topic, value, lag) =>
    records[topic].push({
      key: next() < 0.06 ? null : value.tabId,
      timestamp: value.ts + lag,
      value,
    });

  for (let pv = 0; pv < 150; pv += 1) {
    const tabId = tabs[pv % tabs.length];
    // A tab's session is renewed after a pause: two or three sessions per tab.
    const sessionId = `${tabId}-s${Math.floor(pv / (tabs.length * 7))}`;
    const ts = START + pv * 95_000 + int(60_000);
    const page = pick(PAGES);
    const vw = pick([1280, 1280, 1440, 390]);
    const vh = vw === 390 ? 844 : pick([800, 900]);
    const pageviewId = `pv-${String(pv).padStart(3, '0')}`;
    const base = { v: 1, ts, pageviewId, page, sessionId, tabId };
    record(
      'pageviews',
      {
        ...base,
        type: 'pageview',
        kind: pick(KINDS),
        referrer: maybe(0.3, pick(PAGES)),
        title: `Shop · ${page.slice(ORIGIN.length) || '/'}`,
        vw,
        vh,
      },
      int(3),
    );
    // 0 to 4 clicks a page view, some at the same ms (a rage click's burst).
    for (let c = 0, clicks = int(5); c < clicks; c += 1) {
      const element = pick(ELEMENTS);
      const rage = next() < 0.08;
      const clickTs = ts + 500 + (rage && c > 0 ? 0 : int(40_000));
      const x = 10 * int(40);
      const y = 10 * int(120);
      record(
        'clicks',
        {
          ...base,
          ts: clickTs,
          type: 'click',
          target: element.tag === 'a' ? pick(TARGETS) : maybe(0.8, pick(TARGETS)),
          ...element,
          x,
          y,
          clientX: x,
          clientY: Math.min(y, vh - 1),
          vw,
          vh,
          button: next() < 0.1 ? 1 : 0,
          modifiers: pick(MODIFIERS),
          keyboard: next() < 0.15,
          outbound: next() < 0.1,
          download: next() < 0.05,
          rage,
          dead: next() < 0.15 ? null : next() < 0.3,
        },
        int(4),
      );
    }
    if (pv % 3 === 0) {
      const name = pick(EVENT_NAMES);
      const props = {};
      if (name === 'signup') props.plan = pick(['free', 'pro', 'team']);
      if (name === 'purchase' || name === 'add_to_cart') props.amount = pick([9.99, 19.5, 42, 0.1]);
      if (name === 'purchase') props.ok = next() < 0.7;
      if (name === 'search') props.query = pick(['sql', 'Spark SQL', 'kafka', '']);
      record('events', { ...base, ts: ts + 1000, type: 'custom', name, props }, 1);
    }
  }
  // The log takes records in any order; sending them in time order is what tabs do.
  for (const list of Object.values(records)) list.sort((a, b) => a.value.ts - b.value.ts);
  return records;
}

/**
 * The rows of each table as Spark reads them: every column of `TABLES`, then the log's columns
 * from each record's `metadata` (`{ partition, offset }`, as the log's producer resolved its send).
 */
export function tableRows(records, metadata) {
  const tables = {};
  for (const [topic, list] of Object.entries(records)) {
    tables[topic] = list.map(({ key, timestamp, value }, i) => ({
      ...Object.fromEntries(TABLES[topic].map(([name]) => [name, value[name] ?? null])),
      _partition: metadata[topic][i].partition,
      _offset: metadata[topic][i].offset,
      _timestamp: timestamp,
      _key: key,
    }));
  }
  return tables;
}
