/** One matched event of a session: its time, and the steps (0-based) it matches. */
export type Occurrence = readonly [ts: number, steps: readonly number[]];

/**
 * The steps (0-based, ascending) a session reached in its best attempt. An attempt starts at an
 * event of the first step at `t0`; each required step is its earliest event strictly after the
 * previous required step's, at most `t0 + window`; it ends at the first required step not done.
 * An optional step counts if an event of it comes strictly after the previous required step's
 * and within the window: it is never required by later steps. The best attempt reaches the most
 * required steps, then the most optional ones; the earliest of equals.
 * - must take the earliest event of a step (which leaves the most room to later steps).
 */
export function bestAttempt(
  occurrences: readonly Occurrence[],
  optional: readonly boolean[],
  window: number,
): number[] {
  const times = timesByStep(occurrences, optional.length);
  let best: number[] = [];
  let bestScore = [-1, -1];
  for (const t0 of new Set(times[0])) {
    const reached = attempt(times, optional, t0, t0 + window);
    const required = reached.filter((step) => !optional[step]).length;
    const score = [required, reached.length - required];
    if (score[0]! > bestScore[0]! || (score[0] === bestScore[0] && score[1]! > bestScore[1]!))
      [best, bestScore] = [reached, score];
  }
  return best;
}

function attempt(
  times: readonly number[][],
  optional: readonly boolean[],
  t0: number,
  deadline: number,
): number[] {
  const reached = [0];
  let last = t0;
  for (let step = 1; step < optional.length; step++) {
    const next = firstAfter(times[step]!, last);
    const done = next !== undefined && next <= deadline;
    if (optional[step]) {
      if (done) reached.push(step);
      continue;
    }
    if (!done) break;
    reached.push(step);
    last = next;
  }
  return reached;
}

/** Each step's event times, ascending. */
function timesByStep(occurrences: readonly Occurrence[], steps: number): number[][] {
  const times = Array.from({ length: steps }, (): number[] => []);
  for (const [ts, matched] of occurrences) for (const step of matched) times[step]!.push(ts);
  for (const list of times) list.sort((a, b) => a - b);
  return times;
}

/** The first time strictly after `t` in ascending `times` (a binary search). */
function firstAfter(times: readonly number[], t: number): number | undefined {
  let [low, high] = [0, times.length];
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (times[mid]! <= t) low = mid + 1;
    else high = mid;
  }
  return times[low];
}
