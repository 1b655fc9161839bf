import type { PathRule } from './types';

const compiled = new WeakMap<readonly PathRule[], (page: string) => string>();

/**
 * Path cleaning (PostHog's): a function that rewrites a page by every rule in order, each
 * replacing what its pattern matches (all matches) by its replacement (`$1` for groups).
 * Compiled once per rules array (one per task's params).
 * - must throw a SyntaxError naming the rule for a pattern that is not a RegExp.
 */
export function cleaner(rules: readonly PathRule[]): (page: string) => string {
  let clean = compiled.get(rules);
  if (!clean) {
    const steps = rules.map((rule) => {
      try {
        return { re: new RegExp(rule.pattern, 'g'), replacement: rule.replacement };
      } catch (error) {
        throw new SyntaxError(
          `tabstream: path cleaning rule /${rule.pattern}/ is not a RegExp: ${(error as Error).message}`,
          { cause: error },
        );
      }
    });
    clean = (page) => steps.reduce((p, { re, replacement }) => p.replace(re, replacement), page);
    compiled.set(rules, clean);
  }
  return clean;
}
