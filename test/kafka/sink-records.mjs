// Records shaped as the tabstream sink sends them: the value a tracker event's JSON (the fields
// of src/tracker/events.ts) plus `_id` `<browser log id>:<topic>:<partition>:<offset>`, keyed as
// in the browser's log (by tab). Deterministic: a seed gives the same records.
import { seededRandom } from '../seeded-random.mjs';

const PAGES = ['https://shop.example/', '/cart', '/p/1', '/p/2', '/about'].map(
  (path) => new URL(path, 'https://shop.example/').href,
);

/**
 * `count` clicks of one browser (`logId`), in its log's order: each tab's clicks go to one of
 * the log's `partitions` partitions, offsets counting up per partition from `firstOffset`.
 * Returns [{key, value}] with `value._id` set as the sink sets it.
 */
export function sinkClicks({ logId, count, seed, partitions = 2, tabs = 3, firstOffset = 0 }) {
  const next = seededRandom(seed);
  const pick = (list) => list[Math.floor(next() * list.length)];
  const tabIds = Array.from({ length: tabs }, (_, i) => `${logId}-tab${i}`);
  const offsets = new Array(partitions).fill(firstOffset);
  const start = Date.UTC(2026, 11, 7, 10, 0, 0);
  return Array.from({ length: count }, (_, i) => {
    const tab = i % tabs;
    const partition = tab % partitions;
    const offset = offsets[partition]++;
    const ts = start + i * 1500 + Math.floor(next() * 1000);
    const event = {
      v: 1,
      ts,
      pageviewId: `${tabIds[tab]}-pv${Math.floor(i / 10)}`,
      page: pick(PAGES),
      sessionId: `${tabIds[tab]}-s1`,
      tabId: tabIds[tab],
      type: 'click',
      target: next() < 0.5 ? pick(PAGES) : null,
      selector: 'main > button.buy',
      tag: 'button',
      id: null,
      classes: 'buy',
      role: null,
      label: 'Buy',
      x: Math.round(next() * 1200),
      y: Math.round(next() * 3000),
      clientX: Math.round(next() * 1200),
      clientY: Math.round(next() * 800),
      vw: 1280,
      vh: 800,
      button: 0,
      modifiers: '',
      keyboard: false,
      outbound: false,
      download: false,
      rage: false,
      dead: next() < 0.1 ? null : next() < 0.2,
    };
    return { key: tabIds[tab], value: { ...event, _id: `${logId}:clicks:${partition}:${offset}` } };
  });
}

/** Clicks per page, each `_id` once: what `tabstream.counts()` would show, summed over browsers. */
export function countsByPage(values) {
  const seen = new Map();
  for (const value of values) seen.set(value._id, value);
  const counts = {};
  for (const { page } of seen.values()) counts[page] = (counts[page] ?? 0) + 1;
  return counts;
}
