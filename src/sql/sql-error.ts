import type { Pos } from './ast';

/**
 * A statement that cannot run, said with where: `line 1, column 34: unknown column "pgae" (did
 * you mean "page"?)`, then the line and a caret under the place. Unsupported syntax is one too,
 * named, never a wrong answer.
 */
export class SqlError extends Error {
  override name = 'SqlError';
  readonly line: number;
  readonly column: number;

  /** @param pos where in `text`; null for errors of the whole statement (no caret). */
  constructor(
    readonly reason: string,
    text: string,
    pos: Pos | null,
  ) {
    super(pos ? `line ${pos.line}, column ${pos.column}: ${reason}\n${caret(text, pos)}` : reason);
    this.line = pos?.line ?? 0;
    this.column = pos?.column ?? 0;
  }
}

function caret(text: string, pos: Pos): string {
  const line = text.split(/\r\n|\r|\n/)[pos.line - 1] ?? '';
  return `${line}\n${' '.repeat(Math.max(0, pos.column - 1))}^`;
}

/** The name among `names` nearest to `name` (case-insensitively), if it is near enough to be a typo. */
export function didYouMean(name: string, names: Iterable<string>): string | null {
  const wanted = name.toLowerCase();
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.floor(wanted.length / 3)) + 1;
  for (const candidate of names) {
    const distance = editDistance(wanted, candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

/** Damerau–Levenshtein (optimal string alignment): a swap of two letters costs one. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  return d[a.length]![b.length]!;
}
