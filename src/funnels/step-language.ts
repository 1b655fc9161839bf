import type { FunnelStep, StepMatch } from './types';

/**
 * A step written as one string, as SQL's `funnel(…)` takes them: a page glob (`/pricing`,
 * `/blog/*`, `/docs/**`) or RegExp (`/^\/orders\/\d+$/`), `event:<name>` for a custom event,
 * alternatives separated by `|` (an OR step; a RegExp's own `|` goes inside parentheses), and a
 * trailing `?` for an optional step. Its name is the text as written, without the `?`.
 * - must throw for an empty step or an empty alternative.
 */
export function parseStep(text: string): FunnelStep {
  const trimmed = text.trim();
  const optional = trimmed.endsWith('?');
  const body = (optional ? trimmed.slice(0, -1) : trimmed).trim();
  if (body === '') throw new Error(`the step ${JSON.stringify(text)} names no page or event`);
  const match = alternatives(body).map((alternative): StepMatch => {
    if (alternative === '')
      throw new Error(`the step ${JSON.stringify(text)} has an empty alternative`);
    if (!alternative.startsWith('event:')) return { page: alternative };
    const event = alternative.slice('event:'.length).trim();
    if (event === '') throw new Error(`the step ${JSON.stringify(text)} names no event`);
    return { event };
  });
  return { name: body, match: match.length === 1 ? match[0]! : match, optional };
}

/** The text split at each `|` outside parentheses and brackets and not escaped, trimmed. */
function alternatives(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '(' || c === '[') depth++;
    else if ((c === ')' || c === ']') && depth > 0) depth--;
    else if (c === '|' && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts;
}
