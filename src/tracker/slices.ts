/** A slice's budget, in ms. */
export const BUDGET_MS = 4;

/** Work run in slices: `schedule()` runs a slice in a task of its own. */
export interface Slices {
  schedule(): void;
  /** A slice is scheduled, not yet run. */
  readonly pending: boolean;
}

/**
 * Runs work in slices of a few milliseconds, one slice per task, so that no burst of clicks
 * becomes a long task of the host page. `work()` returns true while work is left.
 */
export function slices(work: () => boolean): Slices {
  let scheduled = false;
  const run = (): void => {
    scheduled = false;
    if (work()) schedule();
  };
  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    setTimeout(run, 0);
  };
  return {
    schedule,
    get pending() {
      return scheduled;
    },
  };
}
