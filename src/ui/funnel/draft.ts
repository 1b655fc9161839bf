import type { FunnelOptions, FunnelStep, StepMatch } from '../../funnels';

/** A step's match as the editor holds it: a page pattern or an event name, maybe empty yet. */
export interface DraftMatch {
  readonly kind: 'page' | 'event';
  readonly value: string;
}

/** A step as the editor holds it: one match, or several (an OR step). */
export interface DraftStep {
  readonly name: string;
  readonly matches: readonly DraftMatch[];
  readonly optional: boolean;
}

export const newStep = (): DraftStep => ({
  name: '',
  matches: [{ kind: 'page', value: '' }],
  optional: false,
});

const matchOf = ({ kind, value }: DraftMatch): StepMatch =>
  kind === 'page' ? { page: value.trim() } : { event: value.trim() };

/**
 * The funnel the editor's steps ask for: matches left empty are left out, and so are steps
 * with none; `windowMinutes` becomes the window, in ms.
 * - must throw naming why if no step is left.
 */
export function funnelOptions(
  steps: readonly DraftStep[],
  windowMinutes: number,
  by: 'session' | 'tab',
): FunnelOptions {
  const kept: FunnelStep[] = [];
  for (const step of steps) {
    const matches = step.matches.filter((m) => m.value.trim() !== '').map(matchOf);
    if (matches.length === 0) continue;
    kept.push({
      ...(step.name.trim() && { name: step.name.trim() }),
      match: matches.length === 1 ? matches[0]! : matches,
      ...(step.optional && { optional: true }),
    });
  }
  if (kept.length === 0) throw new Error('Give at least one step a page or an event.');
  return { steps: kept, window: Math.max(1, windowMinutes) * 60_000, by };
}
