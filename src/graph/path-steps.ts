import type { VertexId } from './types';

/** Where a session's path starts or ends; null for either means from its first page. */
export interface PathEnds {
  readonly start: string | null;
  readonly end: string | null;
}

/**
 * A counted item of one session's path: the session itself `['s']`, a node
 * `['n', step, page]` or a link `['l', step, source, target]`, with `[1, ended here ? 1 : 0]`.
 */
export type StepKey = ['s'] | ['n', number, VertexId] | ['l', number, VertexId, VertexId];
export type StepCount = [StepKey, [number, number]];

/**
 * The steps of one session's path (its cleaned pages in time order):
 * - with `start` only: from its first view of `start` (step 0) on;
 * - with `end` only: up to its last view of `end` (step 0), steps counted backwards;
 * - with both: from its first view of `start` to its last view of `end` after it;
 * - with neither: from its first page.
 * A session that does not view them gives nothing.
 */
export function pathSteps(path: readonly VertexId[], { start, end }: PathEnds): StepCount[] {
  const from = start === null ? 0 : path.indexOf(start);
  if (from < 0) return [];
  const until = end === null ? path.length - 1 : path.lastIndexOf(end);
  if (until < from) return [];
  const walked = path.slice(from, until + 1);
  if (end !== null && start === null) walked.reverse();
  const out: StepCount[] = [[['s'], [1, 0]]];
  walked.forEach((page, step) => {
    const last = step === walked.length - 1;
    out.push([
      ['n', step, page],
      [1, last ? 1 : 0],
    ]);
    if (!last)
      out.push([
        ['l', step, page, walked[step + 1]!],
        [1, 0],
      ]);
  });
  return out;
}
