import { SqlRuntimeError } from './runtime-error';

/**
 * Spark's datetime patterns (`yyyy-MM-dd HH:mm:ss.SSS`, `MMM d, yyyy`, `EEEE`, `hh:mm a`, text
 * in quotes), split once into fields and literals, to format timestamps and to parse strings in
 * the local time zone. Supported letters: y M d D H h m s S a E.
 */
export type Token = string | { readonly letter: string; readonly count: number };

const LETTERS = 'yMdDHhmsSaE';
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end === i + 1) tokens.push("'");
      else tokens.push(pattern.slice(i + 1, end < 0 ? pattern.length : end));
      i = end < 0 ? pattern.length : end + 1;
    } else if (/[A-Za-z]/.test(c)) {
      if (!LETTERS.includes(c))
        throw new SqlRuntimeError(
          `[INVALID_DATETIME_PATTERN] Unsupported letter '${c}' in the datetime pattern '${pattern}'.`,
        );
      let j = i;
      while (pattern[j] === c) j++;
      tokens.push({ letter: c, count: j - i });
      i = j;
    } else {
      tokens.push(c);
      i++;
    }
  }
  return tokens;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** `ms` in the local time zone, as `tokens` say. */
export function formatTimestamp(ms: number, tokens: readonly Token[]): string {
  const d = new Date(ms);
  let out = '';
  for (const t of tokens) out += typeof t === 'string' ? t : formatField(d, t.letter, t.count);
  return out;
}

function formatField(d: Date, letter: string, count: number): string {
  switch (letter) {
    case 'y':
      return count === 2 ? pad(d.getFullYear() % 100, 2) : pad(d.getFullYear(), count);
    case 'M':
      if (count >= 4) return MONTHS[d.getMonth()]!;
      if (count === 3) return MONTHS[d.getMonth()]!.slice(0, 3);
      return pad(d.getMonth() + 1, count);
    case 'd':
      return pad(d.getDate(), count);
    case 'D':
      return pad(dayOfYear(d), count);
    case 'H':
      return pad(d.getHours(), count);
    case 'h':
      return pad(d.getHours() % 12 || 12, count);
    case 'm':
      return pad(d.getMinutes(), count);
    case 's':
      return pad(d.getSeconds(), count);
    case 'S':
      return pad(d.getMilliseconds(), 3).padEnd(count, '0').slice(0, count);
    case 'a':
      return d.getHours() < 12 ? 'AM' : 'PM';
    default:
      return count >= 4 ? DAYS[d.getDay()]! : DAYS[d.getDay()]!.slice(0, 3);
  }
}

export function dayOfYear(d: Date): number {
  const start = localMs(d.getFullYear(), 1, 1, 0, 0, 0, 0);
  const midnight = localMs(d.getFullYear(), d.getMonth() + 1, d.getDate(), 0, 0, 0, 0);
  return Math.round((midnight - start) / 86_400_000) + 1;
}

/** ms since the epoch of a local date and time (years below 100 kept as written). */
export function localMs(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  ms: number,
): number {
  const date = new Date(2000, 0, 1, h, mi, s, ms);
  date.setFullYear(y, mo - 1, d);
  return date.getTime();
}

/** Whether y-mo-d h:mi:s names a real time (the Date constructor would roll Feb 30 over). */
function valid(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  const days = new Date(Date.UTC(2000, mo, 0)).getUTCDate() - (mo === 2 && !leap(y) ? 1 : 0);
  return mo >= 1 && mo <= 12 && d >= 1 && d <= days && h < 24 && mi < 60 && s < 60;
}

const leap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** `text` read with `tokens` in the local time zone; null if it does not match the pattern. */
export function parseTimestamp(text: string, tokens: readonly Token[]): number | null {
  const f = { y: 1970, M: 1, d: 1, H: 0, h: -1, m: 0, s: 0, S: 0, pm: false };
  let i = 0;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (typeof t === 'string') {
      if (!text.startsWith(t, i)) return null;
      i += t.length;
      continue;
    }
    if (t.letter === 'a' || t.letter === 'E' || (t.letter === 'M' && t.count >= 3)) {
      const names = t.letter === 'a' ? ['AM', 'PM'] : t.letter === 'E' ? DAYS : MONTHS;
      const at = names.findIndex((n) => {
        const word = t.count >= 4 ? n : n.slice(0, 3);
        return text.slice(i, i + word.length).toLowerCase() === word.toLowerCase();
      });
      if (at < 0) return null;
      i += t.count >= 4 ? names[at]!.length : Math.min(3, names[at]!.length);
      if (t.letter === 'a') f.pm = at === 1;
      if (t.letter === 'M') f.M = at + 1;
      continue;
    }
    // A field of one letter takes as many digits as there are, up to the usual width.
    const next = tokens[k + 1];
    const adjacent = next !== undefined && typeof next !== 'string';
    const max = t.count > 1 || adjacent ? t.count : t.letter === 'y' ? 9 : 2;
    const digits = /^\d+/.exec(text.slice(i, i + max))?.[0] ?? '';
    if (digits.length === 0 || (t.count > 1 && t.letter !== 'y' && digits.length !== t.count))
      return null;
    i += digits.length;
    const n = Number(digits);
    if (t.letter === 'S') f.S = Math.floor(n * 10 ** (3 - digits.length));
    else if (t.letter === 'y') f.y = t.count === 2 ? 2000 + n : n;
    else if (t.letter in f) (f as Record<string, number | boolean>)[t.letter] = n;
  }
  if (i !== text.length) return null;
  const hour = f.h >= 0 ? (f.h % 12) + (f.pm ? 12 : 0) : f.H;
  if (!valid(f.y, f.M, f.d, hour, f.m, f.s)) return null;
  return localMs(f.y, f.M, f.d, hour, f.m, f.s, f.S);
}

const ISO =
  /^\s*([+-]?\d{4,6})(?:-(\d{1,2})(?:-(\d{1,2})(?:[T ](\d{1,2})(?::(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,9}))?)?)?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?)?)?)?\s*$/i;

/**
 * A string as Spark casts it to a timestamp: `yyyy[-[m]m[-[d]d[( |T)[h]h[:[m]m[:[s]s[.fraction]]][zone]]]]`,
 * in the local time zone unless a zone (Z, +hh:mm) is written; null if it is not one.
 */
export function parseIsoTimestamp(text: string): number | null {
  const m = ISO.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((g) => Number(m[g] ?? (g <= 3 ? 1 : 0)));
  const ms = Math.floor(Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3)));
  if (!valid(y!, mo!, d!, h!, mi!, s!)) return null;
  const zone = m[8];
  if (zone === undefined) return localMs(y!, mo!, d!, h!, mi!, s!, ms);
  const utc = new Date(Date.UTC(2000, 0, 1, h, mi, s, ms));
  utc.setUTCFullYear(y!, mo! - 1, d);
  return utc.getTime() - zoneOffsetMs(zone);
}

function zoneOffsetMs(zone: string): number {
  if (/^(z|utc)$/i.test(zone)) return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0)) * 60_000;
}

/** Local midnight of the day of `ms`. */
export function startOfDay(ms: number): number {
  const d = new Date(ms);
  return localMs(d.getFullYear(), d.getMonth() + 1, d.getDate(), 0, 0, 0, 0);
}
