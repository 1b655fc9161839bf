import { defineFn } from '../engine';
import { oncePerParams } from '../sql';
import { bestAttempt, type Occurrence } from './attempt';
import { pagePattern } from './page-pattern';
import type { StepSpec } from './steps';

/**
 * The functions a funnel's jobs run in the executors, by name: their params are data (step
 * patterns as text), compiled once per task, so a funnel runs under any Content-Security-Policy.
 * This module is loaded by every executor and by the page.
 */
export const FUNNEL_TASK = {
  match: 'tabstream.funnels.match',
  reach: 'tabstream.funnels.reach',
} as const;

/** A topic's rows (`[value, ts, key]`: a page or an event's name) and the steps they match. */
export interface MatchParams {
  readonly kind: 'page' | 'event';
  readonly steps: readonly StepSpec[];
  readonly since: number | null;
}

/** What a session's steps are evaluated with. */
export interface ReachParams {
  readonly optional: readonly boolean[];
  readonly window: number;
}

/** The steps (0-based) a value matches: a page against patterns, an event's name by name. */
const matcher = oncePerParams(({ kind, steps }: MatchParams): ((value: string) => number[]) => {
  if (kind === 'event') {
    const byName = new Map<string, number[]>();
    steps.forEach((step, i) => {
      for (const name of new Set(step.events)) byName.set(name, [...(byName.get(name) ?? []), i]);
    });
    return (name) => byName.get(name) ?? [];
  }
  const patterns = steps.map((step) => step.pages.map(pagePattern));
  return (page) => patterns.flatMap((any, i) => (any.some((test) => test(page)) ? [i] : []));
});

/** `[key, [ts, steps]]` of a row that matches a step; nothing for others (or no key, too old). */
defineFn(FUNNEL_TASK.match, (row, p) => {
  const [value, ts, key] = row as [unknown, unknown, unknown];
  const { since } = p as MatchParams;
  if (key === null || typeof value !== 'string' || typeof ts !== 'number') return [];
  if (since !== null && ts < since) return [];
  const steps = matcher(p as MatchParams)(value);
  return steps.length ? [[key, [ts, steps] satisfies Occurrence]] : [];
});

/** `[step, 1]` of each step a session (or tab) reached, for counts by step. */
defineFn(FUNNEL_TASK.reach, (group, p) => {
  const { optional, window } = p as ReachParams;
  const occurrences = (group as [unknown, Occurrence[]])[1];
  return bestAttempt(occurrences, optional, window).map((step) => [step, 1]);
});
