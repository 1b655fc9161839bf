import {
  cached,
  custom,
  fn1,
  fn2,
  fnN,
  int,
  literal,
  str,
  type ScalarFunction,
} from './function-kit';
import { groupCount, javaRegex, javaReplacement } from './java-regex';
import { SqlRuntimeError } from './runtime-error';

/** Spark counts characters as code points: a pair of UTF-16 surrogates is one. */
const SURROGATE = /[\ud800-\udfff]/;

function charLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}

/** `s`'s code points from `start` to `end` (0-based, clipped). */
function slice(s: string, start: number, end: number): string {
  if (!SURROGATE.test(s)) return s.slice(start, end);
  return Array.from(s).slice(start, end).join('');
}

/** Spark's substringSQL: 1-based, 0 as 1, negative from the end, `length` cut at the start. */
function substr(s: string, pos: number, length = 2 ** 31 - 1): string {
  const n = charLength(s);
  let start = pos > 0 ? pos - 1 : pos < 0 ? n + pos : 0;
  const end = start + length;
  start = Math.max(start, 0);
  return start >= end ? '' : slice(s, start, end);
}

/** Spark's lpad/rpad: cut to `len` when longer, or padded with `pad` repeated. */
function pad(s: string, len: number, padding: string, left: boolean): string {
  const n = charLength(s);
  if (len <= 0) return '';
  if (n >= len || padding === '') return slice(s, 0, len);
  const fill = Array.from(padding.repeat(Math.ceil((len - n) / charLength(padding))))
    .slice(0, len - n)
    .join('');
  return left ? fill + s : s + fill;
}

function trimChars(s: string, chars: string, left: boolean, right: boolean): string {
  let start = 0;
  let end = s.length;
  if (left) while (start < end && chars.includes(s[start]!)) start++;
  if (right) while (end > start && chars.includes(s[end - 1]!)) end--;
  return s.slice(start, end);
}

/** The 1-based code point position of `needle` in `s` from code point `from`, 0 if absent. */
function position(s: string, needle: string, from: number): number {
  if (!SURROGATE.test(s)) return s.indexOf(needle, from) + 1;
  const prefix = slice(s, 0, from);
  const at = s.indexOf(needle, prefix.length);
  return at < 0 ? 0 : charLength(s.slice(0, at)) + 1;
}

function splitPart(s: string, delimiter: string, part: number): string {
  if (part === 0)
    throw new SqlRuntimeError(
      '[INVALID_INDEX_OF_ZERO] The index 0 is invalid. An index shall be either < 0 or > 0 (the first element has index 1).',
    );
  const parts = delimiter === '' ? [s] : s.split(delimiter);
  return parts[part > 0 ? part - 1 : parts.length + part] ?? '';
}

/** A regexp function's pattern: compiled once from a literal, else when a row's changes. */
function regexArg(bound: Parameters<ScalarFunction['compile']>[1], global: boolean) {
  const make = cached<unknown, RegExp>((p) => javaRegex(p, global));
  const lit = literal(bound[1]);
  if (typeof lit === 'string') make(lit);
  return make;
}

const regexpExtract = custom(2, 3, (args, bound) => {
  const [value, pattern, index] = args;
  const regex = regexArg(bound, false);
  return (row) => {
    const s = value!(row);
    const p = pattern!(row);
    const i = index ? index(row) : 1;
    if (s == null || p == null || i == null) return null;
    const re = regex(p);
    const idx = int(i);
    if (idx < 0 || idx > groupCount(re))
      throw new SqlRuntimeError(
        `[INVALID_PARAMETER_VALUE.REGEX_GROUP_INDEX] The value of parameter(s) \`idx\` in \`regexp_extract\` is invalid: Expects group index between 0 and ${groupCount(re)}, but got ${idx}.`,
      );
    return re.exec(str(s))?.[idx] ?? '';
  };
});

const regexpReplace = custom(3, 4, (args, bound) => {
  const [value, pattern, replacement, position] = args;
  const regex = regexArg(bound, true);
  const replacer = cached<unknown, string>(javaReplacement);
  return (row) => {
    const s = value!(row);
    const p = pattern!(row);
    const r = replacement!(row);
    const from = position ? position(row) : 1;
    if (s == null || p == null || r == null || from == null) return null;
    const text = str(s);
    const start = int(from) - 1;
    return text.slice(0, start) + text.slice(start).replace(regex(p), replacer(r));
  };
});

const concatWs = custom(1, Infinity, (args) => {
  const [separator, ...rest] = args;
  return (row) => {
    const sep = separator!(row);
    if (sep == null) return null;
    const parts: string[] = [];
    for (const arg of rest) {
      const v = arg(row);
      if (Array.isArray(v)) for (const x of v) if (x != null) parts.push(str(x));
      if (v != null && !Array.isArray(v)) parts.push(str(v));
    }
    return parts.join(str(sep));
  };
});

const concat = custom(0, Infinity, (args) => (row) => {
  let out = '';
  for (const arg of args) {
    const v = arg(row);
    if (v == null) return null;
    out += str(v);
  }
  return out;
});

const startsWith = fn2((s, p) => str(s).startsWith(str(p)));
const endsWith = fn2((s, p) => str(s).endsWith(str(p)));

/**
 * split(str, regex[, limit]) as Java's String.split with Spark's limit (≤ 0: every part, the
 * trailing empty ones too; n: at most n parts, the last the rest). A zero-width match at
 * either end splits nothing (so '' splits into characters).
 */
function split(s: string, re: RegExp, limit: number): string[] {
  const parts: string[] = [];
  let at = 0;
  for (const m of s.matchAll(re)) {
    if (limit > 0 && parts.length === limit - 1) break;
    if (m[0] === '' && (m.index === 0 || m.index === s.length)) continue;
    parts.push(s.slice(at, m.index));
    at = m.index + m[0].length;
  }
  parts.push(s.slice(at));
  return parts;
}

const splitFn = custom(2, 3, (args, bound) => {
  const [value, pattern, limit] = args;
  const regex = regexArg(bound, true);
  return (row) => {
    const s = value!(row);
    const p = pattern!(row);
    const l = limit ? limit(row) : -1;
    if (s == null || p == null || l == null) return null;
    return split(str(s), regex(p), int(l));
  };
});

export const STRING_FUNCTIONS: ReadonlyArray<readonly [string, ScalarFunction]> = [
  ['concat', concat],
  ['concat_ws', concatWs],
  ['lower', fn1((s) => str(s).toLowerCase())],
  ['lcase', fn1((s) => str(s).toLowerCase())],
  ['upper', fn1((s) => str(s).toUpperCase())],
  ['ucase', fn1((s) => str(s).toUpperCase())],
  ['length', fn1((s) => charLength(str(s)))],
  ['char_length', fn1((s) => charLength(str(s)))],
  ['character_length', fn1((s) => charLength(str(s)))],
  [
    'substr',
    fnN(2, 3, ([s, p, l]) => substr(str(s), int(p), l === undefined ? undefined : int(l))),
  ],
  [
    'substring',
    fnN(2, 3, ([s, p, l]) => substr(str(s), int(p), l === undefined ? undefined : int(l))),
  ],
  ['left', fn2((s, n) => (int(n) <= 0 ? '' : substr(str(s), 1, int(n))))],
  ['right', fn2((s, n) => (int(n) <= 0 ? '' : substr(str(s), -int(n))))],
  ['split_part', fnN(3, 3, ([s, d, p]) => splitPart(str(s), str(d), int(p)))],
  ['regexp_extract', regexpExtract],
  ['split', splitFn],
  ['regexp_replace', regexpReplace],
  ['starts_with', startsWith],
  ['startswith', startsWith],
  ['ends_with', endsWith],
  ['endswith', endsWith],
  ['contains', fn2((s, p) => str(s).includes(str(p)))],
  ['trim', fn1((s) => trimChars(str(s), ' ', true, true))],
  ['ltrim', fn1((s) => trimChars(str(s), ' ', true, false))],
  ['rtrim', fn1((s) => trimChars(str(s), ' ', false, true))],
  ['btrim', fnN(1, 2, ([s, c]) => trimChars(str(s), c === undefined ? ' ' : str(c), true, true))],
  [
    'replace',
    fnN(2, 3, ([s, f, r]) =>
      str(f) === ''
        ? str(s)
        : str(s)
            .split(str(f))
            .join(r === undefined ? '' : str(r)),
    ),
  ],
  ['instr', fn2((s, n) => position(str(s), str(n), 0))],
  [
    'locate',
    fnN(2, 3, ([n, s, p]) => {
      const from = p === undefined ? 1 : int(p);
      return from < 1 ? 0 : position(str(s), str(n), from - 1);
    }),
  ],
  ['lpad', fnN(2, 3, ([s, l, p]) => pad(str(s), int(l), p === undefined ? ' ' : str(p), true))],
  ['rpad', fnN(2, 3, ([s, l, p]) => pad(str(s), int(l), p === undefined ? ' ' : str(p), false))],
  ['reverse', fn1((s) => Array.from(str(s)).reverse().join(''))],
  ['repeat', fn2((s, n) => str(s).repeat(Math.max(0, int(n))))],
  [
    'initcap',
    fn1((s) =>
      str(s)
        .toLowerCase()
        .replace(/(^|\s)(\S)/g, (_, a: string, b: string) => a + b.toUpperCase()),
    ),
  ],
];
