import type { Pos } from './ast';
import { SqlError } from './sql-error';

/**
 * One token of a statement. `word`: a name or keyword as written (`upper` for matching keywords,
 * which are case-insensitive); `quoted`: a backtick-quoted name, never a keyword; `string` and
 * `number`: literals, `value` decoded; `param`: `?` (value '') or `$name`/`:name` (the name);
 * `op`: punctuation and operators; `end`: after the last token.
 */
export interface Token {
  readonly kind: 'word' | 'quoted' | 'string' | 'number' | 'param' | 'op' | 'end';
  readonly value: string;
  readonly upper: string;
  readonly pos: Pos;
  /** Where the token's text ends (offset just past it), for slices of the source. */
  readonly end: number;
}

/** Longest first, so that `<=>` wins over `<=` and `<`. */
const OPERATORS = [
  '<=>',
  '<=',
  '>=',
  '<>',
  '!=',
  '==',
  '=>',
  '||',
  '::',
  '=',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  '(',
  ')',
  ',',
  '.',
  ';',
  '[',
  ']',
  '|',
  '&',
  '^',
  '~',
  '!',
  ':',
];

const ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  '0': '\0',
  Z: '\x1a',
};

const isWordChar = (c: string): boolean => /[A-Za-z0-9_]/.test(c);
const isDigit = (c: string): boolean => c >= '0' && c <= '9';

/**
 * Splits Spark SQL text into tokens, the last of kind `end`.
 * - must skip `-- …` line comments and `/* … *\/` block comments (nested, as Spark's are)
 * - must decode '…' and "…" strings (both are strings in Spark) with Spark's backslash
 *   escapes, `\%` `\_` kept as two characters so that LIKE still sees them escaped; `''` is
 *   two strings side by side, as in Spark (which joins them: 'it''s' is 'its'); R'…' is raw
 * - must keep backtick names as one part, dots included (``` `` ``` is a backtick)
 * - must throw SqlError at the place of an unterminated string, name or comment, or of a
 *   character that starts no token
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const posAt = (offset: number): Pos => ({ line, column: offset - lineStart + 1, offset });
  const fail = (reason: string, pos: Pos): never => {
    throw new SqlError(reason, text, pos);
  };
  /** Moves to `to`, counting the line breaks passed. */
  const advance = (to: number): void => {
    for (; i < to; i++) {
      const c = text[i];
      if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) {
        line++;
        lineStart = i + 1;
      }
    }
  };
  const push = (kind: Token['kind'], value: string, pos: Pos): void => {
    tokens.push({ kind, value, upper: kind === 'word' ? value.toUpperCase() : '', pos, end: i });
  };

  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') advance(i + 1);
    else if (c === '-' && text[i + 1] === '-') {
      const eol = text.slice(i).search(/[\r\n]/);
      advance(eol < 0 ? text.length : i + eol);
    } else if (c === '/' && text[i + 1] === '*') advance(commentEnd(text, i, posAt(i), fail));
    else if (c === "'" || c === '"' || (/[rR]/.test(c) && /['"]/.test(text[i + 1] ?? ''))) {
      const pos = posAt(i);
      const [value, to] = readString(text, i, pos, fail);
      advance(to);
      push('string', value, pos);
    } else if (c === '`') {
      const pos = posAt(i);
      let value = '';
      let j = i + 1;
      for (;;) {
        const close = text.indexOf('`', j);
        if (close < 0) fail('unterminated quoted name', pos);
        value += text.slice(j, close);
        if (text[close + 1] !== '`') {
          j = close + 1;
          break;
        }
        value += '`';
        j = close + 2;
      }
      if (value === '') fail('an empty quoted name', pos);
      advance(j);
      push('quoted', value, pos);
    } else if (isDigit(c) || (c === '.' && isDigit(text[i + 1] ?? ''))) {
      const pos = posAt(i);
      const match = /^(\d*\.?\d*)(?:[eE][+-]?\d+)?/.exec(text.slice(i))![0];
      const after = i + match.length;
      if (isWordChar(text[after] ?? ''))
        fail(`unexpected "${text.slice(i, after + 1)}": a number cannot run into a name`, pos);
      advance(after);
      push('number', match, pos);
    } else if (isWordChar(c)) {
      const pos = posAt(i);
      let j = i + 1;
      while (j < text.length && isWordChar(text[j]!)) j++;
      const value = text.slice(i, j);
      advance(j);
      push('word', value, pos);
    } else if (c === '?') {
      const pos = posAt(i);
      advance(i + 1);
      push('param', '', pos);
    } else if ((c === '$' || c === ':') && /[A-Za-z_]/.test(text[i + 1] ?? '')) {
      const pos = posAt(i);
      let j = i + 2;
      while (j < text.length && isWordChar(text[j]!)) j++;
      const name = text.slice(i + 1, j);
      advance(j);
      push('param', name, pos);
    } else {
      const pos = posAt(i);
      const op = OPERATORS.find((o) => text.startsWith(o, i));
      if (op === undefined) fail(`unexpected character "${c}"`, pos);
      advance(i + op!.length);
      push('op', op!, pos);
    }
  }
  push('end', '', posAt(i));
  return tokens;
}

/** The offset just past a block comment that starts at `from`, nested ones included. */
function commentEnd(text: string, from: number, pos: Pos, fail: (r: string, p: Pos) => never) {
  let depth = 0;
  let j = from;
  while (j < text.length) {
    if (text.startsWith('/*', j)) {
      depth++;
      j += 2;
    } else if (text.startsWith('*/', j)) {
      depth--;
      j += 2;
      if (depth === 0) return j;
    } else j++;
  }
  return fail('unterminated comment (a /* without its */)', pos);
}

/** A string literal's value (R'…' raw: no escapes) and the offset just past its closing quote. */
function readString(
  text: string,
  from: number,
  pos: Pos,
  fail: (r: string, p: Pos) => never,
): [string, number] {
  const raw = text[from] === 'r' || text[from] === 'R';
  const quote = text[raw ? from + 1 : from]!;
  let value = '';
  let j = raw ? from + 2 : from + 1;
  while (j < text.length) {
    const c = text[j]!;
    if (c === quote && text[j + 1] === quote) {
      value += quote; // '' in '…' (and "" in "…"), as Spark reads it
      j += 2;
      continue;
    }
    if (c === quote) return [value, j + 1];
    if (raw) {
      value += c;
      j++;
    } else if (c === '\\' && j + 1 < text.length) {
      const next = text[j + 1]!;
      if (next === '%' || next === '_') value += c + next;
      else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6))) {
        value += String.fromCharCode(parseInt(text.slice(j + 2, j + 6), 16));
        j += 4;
      } else value += ESCAPES[next] ?? next;
      j += 2;
    } else {
      value += c;
      j++;
    }
  }
  return fail(`unterminated string (a ${quote} without its closing ${quote})`, pos);
}
