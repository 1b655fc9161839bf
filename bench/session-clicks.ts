// Clicks of visitors for suite `sql`: sessions in tabs, page views in sessions, over a few hours,
// so that questions about sessions, tabs and minutes have answers worth asking.
import { seededRandom, shopPages, zipfSampler, type LeanClick } from './clicks';

/** A click as the tracker writes it, with the fields a question about visits reads. */
export interface SessionClick extends LeanClick {
  readonly tabId: string;
  readonly pageviewId: string;
}

export interface Visits {
  readonly pages: number;
  readonly sessions: number;
  /** Each session is in one tab; a tab outlives some sessions (a new one after 30 minutes idle). */
  readonly tabs: number;
  /** How long the clicks last, in ms. */
  readonly spanMs: number;
}

const START = Date.UTC(2026, 11, 7, 9, 0, 0);
const SESSION_MS = 30 * 60 * 1000;
/** One session in BOUNCE_EVERY never leaves its first page view, and clicks far less. */
const BOUNCE_EVERY = 4;
const BOUNCE_CLICK_CHANCE = 0.05;
/** The chance that a click of a session that stays goes on to a new page view. */
const NAVIGATE_CHANCE = 0.2;

/**
 * `n` clicks in time order, one every `spanMs / n` ms (each timestamp distinct, so an ordering by
 * time has no ties). Session k starts at its share of the span and draws clicks for 30 minutes,
 * uniformly among the sessions open then; its tab is k mod `tabs` (whose earlier session has
 * ended by then). A session's clicks are on its current page view's page, Zipf-like; each click
 * may start a new page view, except in bounced sessions.
 */
export function sessionClicks(n: number, visits: Visits): SessionClick[] {
  const random = seededRandom(7);
  const pages = shopPages(visits.pages);
  const drawPage = zipfSampler(visits.pages, random);
  const id = randomIds(random);
  const tabIds = Array.from({ length: visits.tabs }, () => id());
  const sessionIds = Array.from({ length: visits.sessions }, () => id());
  const page = new Int32Array(visits.sessions).fill(-1);
  const pageviewIds = new Array<string>(visits.sessions);
  // Sessions start from 30 minutes before the first click, so that as many are open at the start.
  const sessionEvery = (visits.spanMs + SESSION_MS) / visits.sessions;
  const open = Math.max(1, Math.floor(SESSION_MS / sessionEvery));
  const events = new Array<SessionClick>(n);
  for (let i = 0; i < n; i++) {
    const ts = START + Math.floor((i * visits.spanMs) / n);
    const newest = Math.min(
      visits.sessions - 1,
      Math.floor((ts - START + SESSION_MS) / sessionEvery),
    );
    let k: number;
    do k = Math.max(0, newest - Math.floor(random() * open));
    while (k % BOUNCE_EVERY === 0 && random() > BOUNCE_CLICK_CHANCE);
    if (page[k] === -1 || (k % BOUNCE_EVERY !== 0 && random() < NAVIGATE_CHANCE)) {
      page[k] = drawPage();
      pageviewIds[k] = id();
    }
    const p = page[k]!;
    events[i] = {
      ts,
      page: pages[p]!,
      target: i % 3 ? pages[(p + 1) % visits.pages]! : null,
      sessionId: sessionIds[k]!,
      tabId: tabIds[k % visits.tabs]!,
      pageviewId: pageviewIds[k]!,
    };
  }
  return events;
}

/** Ids like the tracker's: 16 letters and digits, from `random`. */
function randomIds(random: () => number): () => string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return () => {
    let id = '';
    for (let i = 0; i < 16; i++) id += alphabet[Math.floor(random() * alphabet.length)];
    return id;
  };
}
