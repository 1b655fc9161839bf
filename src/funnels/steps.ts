import { pagePattern } from './page-pattern';
import type { FunnelOptions, FunnelStep, StepMatch } from './types';

/** A step as the executors get it (data): its page patterns and event names, any of which do. */
export interface StepSpec {
  readonly pages: readonly string[];
  readonly events: readonly string[];
}

/** A funnel's options checked, with its defaults, as its jobs take them. */
export interface FunnelPlan {
  readonly steps: readonly StepSpec[];
  readonly names: readonly string[];
  readonly optional: readonly boolean[];
  readonly window: number;
  readonly key: 'sessionId' | 'tabId';
  readonly since: number | null;
}

/** Options a funnel cannot run with; `step`: the 0-based index of the step at fault, if one is. */
export class FunnelOptionsError extends Error {
  override name = 'FunnelOptionsError';
  constructor(
    reason: string,
    readonly step: number | null = null,
    options?: ErrorOptions,
  ) {
    super(`funnel: ${reason}`, options);
  }
}

/** The default conversion window: 24 hours. */
export const DEFAULT_WINDOW = 24 * 3_600_000;

/**
 * Checks a funnel's options and makes its plan.
 * - must throw a clear error for no steps, an OR step of no match, a match that is neither a
 *   page nor an event, a RegExp that does not compile, an optional first step (naming the
 *   step, 1-based), a window that is not a number of ms at least 0, an unknown `by`.
 */
export function planFunnel(options: FunnelOptions): FunnelPlan {
  const { window = DEFAULT_WINDOW, by = 'session', since = null } = options;
  const steps: readonly FunnelStep[] = options.steps ?? [];
  if (steps.length === 0) throw new FunnelOptionsError('no steps (a funnel needs at least one)');
  if (typeof window !== 'number' || Number.isNaN(window) || window < 0)
    throw new FunnelOptionsError(`the window is a number of ms, 0 or more (not ${String(window)})`);
  if (by !== 'session' && by !== 'tab')
    throw new FunnelOptionsError(`by is 'session' or 'tab' (not ${JSON.stringify(by)})`);
  if (since !== null && typeof since !== 'number')
    throw new FunnelOptionsError('since is a time in ms since the epoch');
  const specs = steps.map((step, i) => specOf(step, i + 1));
  if (steps[0]!.optional)
    throw new FunnelOptionsError('step 1 cannot be optional: every attempt starts with it', 0);
  return {
    steps: specs,
    names: steps.map((step) => step.name ?? nameOf(step)),
    optional: steps.map((step) => step.optional === true),
    window,
    key: by === 'tab' ? 'tabId' : 'sessionId',
    since,
  };
}

function specOf(step: FunnelStep, number: number): StepSpec {
  const matches: readonly StepMatch[] = Array.isArray(step.match)
    ? step.match
    : [step.match as StepMatch];
  const named = step.name !== undefined && step.name !== nameOf(step);
  const label = `step ${number}${named ? ` ("${step.name}")` : ''}`;
  const fail = (reason: string, options?: ErrorOptions): never => {
    throw new FunnelOptionsError(`${label}${reason}`, number - 1, options);
  };
  if (matches.length === 0) fail(' is an OR of no match: give it at least one');
  const pages: string[] = [];
  const events: string[] = [];
  for (const match of matches) {
    if (isPage(match)) {
      try {
        pagePattern(match.page);
      } catch (error) {
        const reason = (error as Error).message;
        const page = JSON.stringify(match.page);
        fail(`: ${page} is not a valid RegExp: ${reason}`, { cause: error });
      }
      pages.push(match.page);
    } else if (isEvent(match)) events.push(match.event);
    else fail(`: a match is { page: '/path/*' } or { event: 'name' }`);
  }
  return { pages, events };
}

const isPage = (m: unknown): m is { page: string } =>
  typeof (m as { page?: unknown } | null)?.page === 'string' && (m as { page: string }).page !== '';

const isEvent = (m: unknown): m is { event: string } =>
  typeof (m as { event?: unknown } | null)?.event === 'string' &&
  (m as { event: string }).event !== '';

/** A step's default name: its matches, `event:` before an event's name, ` | ` between them. */
function nameOf(step: FunnelStep): string {
  const matches = Array.isArray(step.match) ? step.match : [step.match as StepMatch];
  return matches.map((m: StepMatch) => ('page' in m ? m.page : `event:${m.event}`)).join(' | ');
}
