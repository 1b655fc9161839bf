// Generated sessions for the funnel tests, written to a real log, and an exhaustive oracle: every
// attempt, every choice of events (not only the earliest), the best kept.
import { ensureTopic, openLog, Producer } from '../../src/log';
import type { Funnel, FunnelOptions } from '../../src/funnels';
// @ts-expect-error: a plain ES module with no types
import { seededRandom } from '../seeded-random.mjs';

export const ORIGIN = 'https://shop.test';
/** Recent: a topic keeps 7 days by default (retention). */
export const T0 = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 6 * 3_600_000;
const PAGES = ['/', '/pricing', '/blog/a', '/blog/b', '/checkout', '/checkout/pay', '/docs/x/y'];
const EVENTS = ['signup', 'purchase'];

/** One page view (`value` its path) or custom event (`value` its name). */
export interface Happening {
  readonly kind: 'page' | 'event';
  readonly value: string;
  readonly ts: number;
  readonly sessionId: string;
  readonly tabId: string;
}

/** Sessions of 1 to 12 happenings, 1 or 2 tabs, gaps of 0 (same ms), seconds, or 20–60 minutes. */
export function generate(seed: number, sessions: number): Happening[] {
  const random = (seededRandom as (seed: number) => () => number)(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const out: Happening[] = [];
  for (let s = 0; s < sessions; s++) {
    const tabs = 1 + Math.floor(random() * 2);
    let ts = T0 + Math.floor(random() * 3_600_000);
    for (let n = 1 + Math.floor(random() * 12); n > 0; n--) {
      const r = random();
      ts +=
        r < 0.15
          ? 0
          : r < 0.3
            ? 1_200_000 + Math.floor(random() * 2_400_000)
            : 1 + Math.floor(random() * 120_000);
      const tabId = `s${s}-t${Math.floor(random() * tabs)}`;
      const event = random() < 0.25;
      out.push({
        kind: event ? 'event' : 'page',
        value: event ? pick(EVENTS) : pick(PAGES),
        ts,
        sessionId: `s${s}`,
        tabId,
      });
    }
  }
  return out;
}

/** Writes happenings as the tracker would: pageviews and events, keyed by tab. */
export async function writeLog(log: string, happenings: readonly Happening[]): Promise<void> {
  const db = await openLog(log);
  await ensureTopic(db, { name: 'pageviews', partitions: 3 });
  await ensureTopic(db, { name: 'events', partitions: 2 });
  db.close();
  const producer = new Producer({ log, batchSize: 40 });
  for (const h of happenings) {
    const base = { ts: h.ts, sessionId: h.sessionId, tabId: h.tabId, pageviewId: `pv${h.ts}` };
    if (h.kind === 'page')
      void producer.send(
        'pageviews',
        { ...base, type: 'pageview', page: ORIGIN + h.value, kind: 'load', referrer: null },
        h.tabId,
        h.ts + 5,
      );
    else
      void producer.send(
        'events',
        { ...base, type: 'custom', name: h.value, props: null },
        h.tabId,
        h.ts + 5,
      );
  }
  await producer.close();
}

/** A step as the oracle reads it: exact paths, `/x/*` (one more segment), RegExps, event names. */
export interface OracleStep {
  readonly paths?: readonly string[];
  readonly regex?: RegExp;
  readonly events?: readonly string[];
  readonly optional?: boolean;
  readonly name: string;
}

function matches(step: OracleStep, h: Happening): boolean {
  if (h.kind === 'event') return step.events?.includes(h.value) ?? false;
  if (step.regex?.test(h.value)) return true;
  return (step.paths ?? []).some((p) =>
    p.endsWith('/*')
      ? h.value.startsWith(p.slice(0, -1)) && !h.value.slice(p.length - 1).includes('/')
      : p === h.value,
  );
}

/** The API's options for the oracle's steps. */
export function optionsOf(
  steps: readonly OracleStep[],
  extra: Partial<FunnelOptions> = {},
): FunnelOptions {
  return {
    ...extra,
    steps: steps.map((s) => ({
      name: s.name,
      optional: s.optional ?? false,
      match: [
        ...(s.paths ?? []).map((page) => ({ page })),
        ...(s.regex ? [{ page: `/${s.regex.source}/` }] : []),
        ...(s.events ?? []).map((event) => ({ event })),
      ],
    })),
  };
}

/**
 * The funnel by brute force: per session (or tab), every first-step happening starts an
 * attempt, every later happening of a required step may be chosen; an optional step counts if
 * one of its happenings falls after the previous required step's chosen one and in the window.
 */
export function oracle(
  happenings: readonly Happening[],
  steps: readonly OracleStep[],
  {
    window = 86_400_000,
    by = 'session',
    since = -Infinity,
  }: { window?: number; by?: 'session' | 'tab'; since?: number } = {},
): Funnel {
  const groups = new Map<string, Happening[]>();
  for (const h of happenings) {
    if (h.ts < since) continue;
    const key = by === 'tab' ? h.tabId : h.sessionId;
    groups.set(key, [...(groups.get(key) ?? []), h]);
  }
  const counts = steps.map(() => 0);
  for (const group of groups.values()) {
    let best: number[] = [];
    const score = (r: number[]) => [r.filter((i) => !steps[i]!.optional).length, r.length];
    const better = (a: number[], b: number[]) => {
      const [x, y] = [score(a), score(b)];
      return x[0]! > y[0]! || (x[0] === y[0] && x[1]! > y[1]!);
    };
    for (const first of group.filter((h) => matches(steps[0]!, h))) {
      const deadline = first.ts + window;
      const explore = (step: number, last: number, reached: number[]): void => {
        if (better(reached, best)) best = reached;
        if (step === steps.length) return;
        const s = steps[step]!;
        const after = group.filter((h) => matches(s, h) && h.ts > last && h.ts <= deadline);
        if (s.optional) return explore(step + 1, last, after.length ? [...reached, step] : reached);
        for (const h of after) explore(step + 1, h.ts, [...reached, step]);
      };
      explore(1, first.ts, [0]);
    }
    for (const step of best) counts[step]!++;
  }
  const entered = counts[0]!;
  let previous = entered;
  return {
    entered,
    steps: steps.map((s, i) => {
      const optional = s.optional ?? false;
      const count = counts[i]!;
      const result = {
        step: i + 1,
        name: s.name,
        optional,
        count,
        conversion: entered ? count / entered : 0,
        fromPrevious: i === 0 ? 1 : previous ? count / previous : 0,
        dropOff: i === 0 || optional ? 0 : previous - count,
      };
      if (!optional) previous = count;
      return result;
    }),
  };
}
