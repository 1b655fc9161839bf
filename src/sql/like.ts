import { SqlRuntimeError } from './runtime-error';

/**
 * A LIKE pattern as a test of a string: `%` any run, `_` one character, the escape character
 * before `%`, `_` or itself for that character (before anything else it is an error, as
 * Spark's). ILIKE lower-cases both sides, as Spark's. Prefix, suffix, infix and exact patterns
 * skip the RegExp.
 *
 * must compile once per pattern: callers keep the result for a literal pattern.
 */
export function compileLike(
  pattern: string,
  escape: string,
  caseInsensitive: boolean,
): (s: string) => boolean {
  const p = caseInsensitive ? pattern.toLowerCase() : pattern;
  const parts = split(p, escape);
  const test = fastTest(parts) ?? regexTest(parts);
  return caseInsensitive ? (s) => test(s.toLowerCase()) : test;
}

/** The pattern as literal runs and wildcards ('%' and '_' as tokens of their own). */
type Part = { readonly text: string } | '%' | '_';

function split(pattern: string, escape: string): Part[] {
  const parts: Part[] = [];
  let text = '';
  const flush = (): void => {
    if (text) parts.push({ text });
    text = '';
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === escape) {
      const next = pattern[++i];
      if (next === undefined)
        throw invalid(pattern, 'ESC_AT_THE_END', 'the escape character is not allowed to end with');
      if (next !== '%' && next !== '_' && next !== escape)
        throw invalid(
          pattern,
          'ESC_IN_THE_MIDDLE',
          `the escape character is not allowed to precede '${next}'`,
        );
      text += next;
    } else if (c === '%' || c === '_') {
      flush();
      if (!(c === '%' && parts[parts.length - 1] === '%')) parts.push(c);
    } else text += c;
  }
  flush();
  return parts;
}

function invalid(pattern: string, kind: string, why: string): SqlRuntimeError {
  return new SqlRuntimeError(
    `[INVALID_LIKE_PATTERN.${kind}] The pattern '${pattern}' is invalid: ${why}.`,
  );
}

function fastTest(parts: readonly Part[]): ((s: string) => boolean) | null {
  const texts = parts.map((p) => (typeof p === 'string' ? null : p.text));
  const shape = parts.map((p) => (typeof p === 'string' ? p : 't')).join('');
  switch (shape) {
    case '':
      return (s) => s === '';
    case '%':
      return () => true;
    case 't':
      return (s) => s === texts[0];
    case 't%':
      return (s) => s.startsWith(texts[0]!);
    case '%t':
      return (s) => s.endsWith(texts[1]!);
    case '%t%':
      return (s) => s.includes(texts[1]!);
    default:
      return null;
  }
}

function regexTest(parts: readonly Part[]): (s: string) => boolean {
  let source = '^';
  for (const p of parts)
    source +=
      p === '%' ? '[^]*' : p === '_' ? '(?:[\\ud800-\\udbff][\\udc00-\\udfff]|[^])' : quote(p.text);
  const re = new RegExp(`${source}$`);
  return (s) => re.test(s);
}

const quote = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
