// Click events as the tracker makes them (src/tracker/events.ts's ClickEvent, every field), for
// suite `sink`: what a site's visitors put on topic `clicks`, keyed by their tab as the tracker
// keys them.
import type { LogEvent } from '../src/log';
import { SCHEMA_VERSION, type ClickEvent } from '../src/tracker';

/** Tabs the clicks come from: their keys, spread over the partitions. */
const TABS = 64;
const PAGES = 200;

export interface KeyedClick {
  readonly key: string;
  readonly value: LogEvent;
}

/** The `i`-th click (of a fixed sequence), happening at `ts` (ms since the epoch). */
export function trackerClick(i: number, ts: number): KeyedClick {
  const tab = i % TABS;
  const page = `https://shop.example/p/${(i * 7919) % PAGES}`;
  const link = i % 3 !== 0;
  const click: ClickEvent = {
    v: SCHEMA_VERSION,
    type: 'click',
    ts,
    pageviewId: `pv-${tab}-${Math.floor(i / 1000)}`,
    page,
    sessionId: `session-${tab}`,
    tabId: `tab-${tab}`,
    target: link ? `https://shop.example/p/${(i * 104_729) % PAGES}` : null,
    selector: link ? 'main > ul.products > li:nth-child(3) > a' : 'main > div.gallery > img',
    tag: link ? 'a' : 'img',
    id: null,
    classes: link ? 'product-link' : 'gallery-image',
    role: null,
    label: link ? `Product ${i % PAGES}` : null,
    x: (i * 37) % 1280,
    y: (i * 53) % 2400,
    clientX: (i * 37) % 1280,
    clientY: (i * 53) % 800,
    vw: 1280,
    vh: 800,
    ex: ((i * 31) % 1000) / 1000,
    ey: ((i * 17) % 1000) / 1000,
    button: 0,
    modifiers: '',
    keyboard: false,
    outbound: false,
    download: false,
    rage: false,
    dead: link ? false : null,
  };
  return { key: click.tabId, value: click as unknown as LogEvent };
}
